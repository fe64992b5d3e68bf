from .frame_embedding_pool_neck import FrameEmbeddingPoolNeck  # noqa: F401
from .bert_temporal_neck import BERTTemporalNeck  # noqa: F401
from .dynamic_feature_fusion import DynamicFeatureFusion  # noqa: F401
from .progressive_adapter_neck import ProgressiveAdapterNeck  # noqa: F401
from .seq_transf_neck import SeqTransfNeck  # noqa: F401
