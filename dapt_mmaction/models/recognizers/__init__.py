from .dapt_recognizer import DAPTRecognizer  # noqa: F401
