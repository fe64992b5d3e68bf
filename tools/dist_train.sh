#!/usr/bin/env bash
# Usage: tools/dist_train.sh CONFIG NPROC [train.py arguments...]
# Environment (nodes, port, interpreter): tools/dist_launch.sh.
set -euo pipefail
CONFIG=$1
NPROC=$2
# shellcheck source=tools/dist_launch.sh
source "$(dirname "$0")/dist_launch.sh"
dist_launch dist_train.sh "$NPROC" train.py "$CONFIG" --launcher pytorch \
    "${@:3}"
