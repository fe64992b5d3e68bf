#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py arguments...]
# Multi-node: NNODES, NODE_RANK, MASTER_ADDR, PORT as in mmaction2.
# Without CUDA the processes use gloo on the CPU (dapt_mmaction.compat).
# PYTHON picks the interpreter (default: the project's .venv when it
# exists, else python on PATH); the one used is printed.
set -euo pipefail
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
TOOLS=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/pick_python.sh
source "$TOOLS/pick_python.sh"
pick_python dist_test.sh

PYTHONPATH="$TOOLS/..${PYTHONPATH:+:$PYTHONPATH}" \
"$PYTHON" -m torch.distributed.run --nnodes="$NNODES" --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" --master_port="$PORT" \
    --nproc_per_node="$NPROC" \
    "$TOOLS/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "${@:4}"
