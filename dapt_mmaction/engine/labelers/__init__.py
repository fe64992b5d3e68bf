from .model_labeler import CurrentModelLabeler, ModelLabeler  # noqa: F401
from .recognizer_scores import recognizer_scores  # noqa: F401
