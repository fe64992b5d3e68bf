# Sourced by dist_train.sh / dist_test.sh: one torch.distributed.run launch
# of a script in tools/ with this checkout importable.
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT as in mmaction2.
# Without CUDA the processes use gloo on the CPU (dapt_mmaction.compat).
# PYTHON picks the interpreter (default: the project's .venv when it
# exists, else python on PATH); the one used is printed.
# shellcheck source=tools/pick_python.sh
source "$(dirname "${BASH_SOURCE[0]}")/pick_python.sh"

# dist_launch TOOL NPROC SCRIPT [ARGS...]: TOOL names the caller in messages
dist_launch() {
    local tool=$1 nproc=$2 script=$3
    shift 3
    local tools
    tools=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    pick_python "$tool"
    PYTHONPATH="$tools/..${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" -m torch.distributed.run --nnodes="${NNODES:-1}" \
        --node_rank="${NODE_RANK:-0}" \
        --master_addr="${MASTER_ADDR:-127.0.0.1}" \
        --master_port="${PORT:-29500}" --nproc_per_node="$nproc" \
        "$tools/$script" "$@"
}
