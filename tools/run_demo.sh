#!/usr/bin/env bash
# The main job (`make demo`): DarkBench's main rows for one seed on the
# embedded dark-video data, through tools/darkbench.py (which calls
# tools/train.py / tools/test.py on configs/darkbench/*):
#   0. generate DarkBench v3 in data/darkbench (kept when it is there)
#   1. the source model: the narrow R(2+1)D + adapter trained on the
#      labeled bright clips, tested on the dark test clips as it is
#      (source), through gamma 2.0 and through SCI trained on the dark pool
#   2. the plain fine-tune on k = 5 labeled dark clips per class
#   3. DAPT (the paper's stage 1) on the unlabeled dark pool, then the same
#      fine-tune from its encoder
#   4. the kNN rows: the source backbone's and the DAPT encoder's features
# The schedules are the benchmark's, shortened to fit 15 minutes on 2
# cores: 15 epochs for every supervised run (30 in the benchmark) and 5 for
# stage 1 (10); DEMO_ARGS adds options (e.g. DEMO_ARGS="--epochs 30").
# Each step prints what it runs and its log; each row its top-1 and the ETA.
# The table is written to $WORK/darkbench.md. SEED (default 0) seeds every
# run; WORK (default work_dirs/demo); finished runs are kept and skipped
# when the demo runs again. The full benchmark is `make darkbench`.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-0}
WORK=${WORK:-work_dirs/demo}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
python tools/darkbench.py --data-root data/darkbench --work-dir "$WORK" \
    --seeds "$SEED" --doc "$WORK/darkbench.md" --plot "$WORK/darkbench.png" \
    --epochs 15 --stage1-epochs 5 ${DEMO_ARGS:-} \
    --methods source source_gamma source_sci finetune dapt knn_source knn_dapt
