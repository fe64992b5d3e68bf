#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py arguments...]
# Environment (nodes, port, interpreter): tools/dist_launch.sh.
set -euo pipefail
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
# shellcheck source=tools/dist_launch.sh
source "$(dirname "$0")/dist_launch.sh"
dist_launch dist_test.sh "$NPROC" test.py "$CONFIG" "$CHECKPOINT" \
    --launcher pytorch "${@:4}"
