from .dapt_teacher_ema_hook import DAPTTeacherEMAHook  # noqa: F401
from .pseudo_label_hook import PseudoLabelHook  # noqa: F401
from .knn_eval_hook import KNNEvalHook  # noqa: F401
