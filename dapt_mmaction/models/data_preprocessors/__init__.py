from .multi_view_data_preprocessor import MultiViewDataPreprocessor  # noqa: F401
from .sci_data_preprocessor import SCIActionDataPreprocessor  # noqa: F401
