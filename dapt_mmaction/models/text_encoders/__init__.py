from .clip_text_encoder import CLIPTextEncoder, read_class_names  # noqa: F401
