#!/usr/bin/env bash
# The main job on the embedded toy data (`make demo`), on 2 CPU cores:
#   1. generate the toy data (bright and dark renderings of the same clips)
#      and train SCI on its dark frames (tools/train_sci.py)
#   2. train a small 3D CNN on the labeled bright clips; test it on the
#      bright and on the dark test clips: the domain gap DAPT addresses
#   3. DAPT stage 1 (configs/dapt_clip_toy.py) on the unlabeled dark clips:
#      four views per clip, EMA teacher-student distillation of the adapter;
#      prints the collapse monitors of its last iteration
# SEED (default 0) seeds every run; WORK (default work_dirs/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-0}
WORK=${WORK:-work_dirs/demo}/seed$SEED
DATA=data/toy
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
log() { echo "[demo $(date +%H:%M:%S)] $*"; }
run() {  # log_file command...
    "${@:2}" > "$1" 2>&1 || { tail -30 "$1"; exit 1; }
}
top1() { grep -o "acc/top1: [0-9.]*" "$1" | tail -1 | cut -d' ' -f2; }
mkdir -p "$WORK"

log "toy data in $DATA"
run "$WORK/data.log" python tools/generate_toy_data.py "$DATA"
if [ ! -f "$DATA/sci_toy.pth" ]; then
    log "SCI on the toy dark frames"
    run "$WORK/sci.log" python tools/train_sci.py "$DATA/dark_train.txt" \
        --root "$DATA/videos" --out "$DATA/sci_toy.pth" --steps 300 \
        --crop-size 64 --batch-size 4 --frames-per-video 2 --seed "$SEED" \
        --no-progress
fi

CFG=configs/baseline_r3dtiny_toy.py
log "3D CNN on the bright clips ($CFG)"
run "$WORK/bright_train.log" python tools/train.py "$CFG" \
    --work-dir "$WORK/bright" --seed "$SEED"
CKPT="$WORK/bright/epoch_40.pth"
for domain in bright dark; do
    run "$WORK/test_$domain.log" python tools/test.py "$CFG" "$CKPT" \
        --work-dir "$WORK/bright" \
        --cfg-options test_dataloader.dataset.ann_file=$DATA/${domain}_test.txt
done

log "DAPT stage 1 on the unlabeled dark clips (configs/dapt_clip_toy.py)"
run "$WORK/dapt_stage1.log" python tools/train.py configs/dapt_clip_toy.py \
    --work-dir "$WORK/dapt" --seed "$SEED" \
    --cfg-options train_cfg.max_epochs=2
LAST=$(grep "Epoch(train)" "$WORK/dapt_stage1.log" | tail -1)

printf '\n%-48s %s\n' "toy data, seed $SEED: 3D CNN trained on bright" "top-1"
printf '%-48s %s\n' "  tested on bright" "$(top1 "$WORK/test_bright.log")"
printf '%-48s %s\n' "  tested on dark" "$(top1 "$WORK/test_dark.log")"
printf '\nDAPT stage 1, last iteration (entropy max = log K):\n'
echo "$LAST" | grep -o "loss_distill: [0-9.]*\|teacher_entropy: [0-9.]*\|teacher_entropy_max: [0-9.]*\|kl_teacher_student: [0-9.]*\|teacher_momentum: [0-9.]*" | sed 's/^/  /'
printf '%s\t%s\t%s\n' "$SEED" "$(top1 "$WORK/test_bright.log")" \
    "$(top1 "$WORK/test_dark.log")" >> "${WORK%/seed*}/gap.tsv"
