"""Data generators for tests, demos and benchmarks (not registered datasets).

Import the generator you need (``from dapt_mmaction.toydata.motion import
generate_toy_dataset``); this package imports nothing itself.
"""
