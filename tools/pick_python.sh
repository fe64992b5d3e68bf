# Sourced by dist_launch.sh: choose the interpreter and say it.
# PYTHON wins; else the project's .venv (made by `make venv`) when it exists;
# else python on PATH. Fails early when that python has no torch.
pick_python() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    if [[ -z "${PYTHON:-}" && -x "$root/.venv/bin/python" ]]; then
        PYTHON="$root/.venv/bin/python"
    fi
    PYTHON=${PYTHON:-python}
    local resolved
    resolved=$(command -v "$PYTHON" || true)
    if [[ -z "$resolved" ]]; then
        echo "$1: no interpreter '$PYTHON' (set PYTHON, or run make venv)" >&2
        exit 127
    fi
    if ! "$resolved" -c 'import importlib.util, sys
sys.exit(importlib.util.find_spec("torch") is None)' 2>/dev/null; then
        echo "$1: $resolved cannot import torch; run 'make venv' and" \
             "'source .venv/bin/activate', or set PYTHON" >&2
        exit 1
    fi
    echo "$1: python $resolved" >&2
    PYTHON=$resolved
}
