from .tiny_parsing_net import TinyParsingNet  # noqa: F401
