"""Generators of the embedded data sets (plain functions, not registered
datasets): the DarkBench data in ``darkbench_*``."""
