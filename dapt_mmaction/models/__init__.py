from . import (backbones, data_preprocessors, distillers, heads,  # noqa: F401,E501
               losses, necks, parsers, recognizers, text_encoders)
