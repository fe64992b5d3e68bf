from . import (backbones, data_preprocessors, distillers, enhancers, heads,  # noqa: F401
               losses, necks, recognizers)
