from .multi_view_data_preprocessor import MultiViewDataPreprocessor  # noqa: F401
