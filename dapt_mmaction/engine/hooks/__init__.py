from .dapt_teacher_ema_hook import DAPTTeacherEMAHook  # noqa: F401
