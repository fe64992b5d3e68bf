"""What every run prints is true and not alarming for nothing (issue 19,
items 8-12): the run header says what runs, expected key mismatches of
load_from take one line, mmcv-lite's harmless warning is gone, the stage-1
benchmark prints no init_weights chatter, and the shell tools say which
python they run."""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MMCV_LITE = 'Fail to import ``MultiScaleDeformableAttention``'


def _python(code, **env):
    return subprocess.run([sys.executable, '-W', 'always', '-c', code],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=REPO, **env))


# ---- item 10 ---------------------------------------------------------------
def test_import_silences_exactly_the_mmcv_lite_warning():
    bare = _python('import mmcv.cnn.bricks.transformer')
    assert MMCV_LITE in bare.stderr  # what every command printed before
    ours = _python(
        'import sys, warnings\n'
        'import dapt_mmaction\n'
        'assert "mmcv.cnn.bricks.transformer" in sys.modules\n'
        'warnings.warn("Fail to import ``Something`` else")\n')
    assert ours.returncode == 0, ours.stderr
    assert MMCV_LITE not in ours.stderr
    assert 'Fail to import ``Something`` else' in ours.stderr  # others stay
