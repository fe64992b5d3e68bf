#!/usr/bin/env bash
# The main job on the embedded toy data (`make demo`): the DAPT paradigm on
# 2 CPU cores, ending with a table of top-1 on the dark test clips.
#   0. generate the toy data; train SCI on its dark frames
#   1. pretrain a narrow R(2+1)D + adapter on the labeled bright clips
#      (stands in for a large pretrained model); test it on bright and on
#      dark: the domain gap
#   2. baseline: fine-tune on the labeled dark clips from that backbone
#   3. DAPT: stage 1 on the unlabeled dark clips (frozen backbone, four
#      views, EMA self-distillation), export the teacher, then the same
#      fine-tuning as the baseline from the DAPT encoder
#   4. source-free adaptation (no dark labels at all): the bright model
#      pseudo-labels the dark training clips through SCI (PseudoLabelHook),
#      stage 2 trains on them, relabeling itself every 5 epochs
#   5. the same from the DAPT encoder of step 3
# SEED (default 0) seeds every run; WORK (default work_dirs/demo); each run
# appends a line to $WORK/results.tsv. Finished runs of a seed are kept
# and skipped when the demo runs again (FRESH=1 reruns them).
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-0}
ROOT=${WORK:-work_dirs/demo}
WORK=$ROOT/seed$SEED
DATA=data/toy
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
log() { echo "[demo $(date +%H:%M:%S)] $*"; }
run() {  # log_file command...
    "${@:2}" > "$1" 2>&1 || { tail -30 "$1"; exit 1; }
}
train() {  # name config [train.py options...]
    if [ -f "$WORK/$1.done" ] && [ -z "${FRESH:-}" ]; then return; fi
    run "$WORK/$1.log" python tools/train.py "$2" --work-dir "$WORK/$1" \
        --seed "$SEED" "${@:3}"
    touch "$WORK/$1.done"
}
pl_accuracy() {  # log round: accuracy of the selected pseudo-labels
    grep "PseudoLabelHook (" "$1" | sed -n "$2p" | \
        grep -o "accuracy [0-9.]* selected" | cut -d' ' -f2
}
top1() {  # name config checkpoint [cfg-options...]
    run "$WORK/$1_test.log" python tools/test.py "$2" "$3" \
        --work-dir "$WORK/$1" --cfg-options "${@:4}"
    grep -o "acc/top1: [0-9.]*" "$WORK/$1_test.log" | tail -1 | cut -d' ' -f2
}
mkdir -p "$WORK"

log "toy data in $DATA"
run "$WORK/data.log" python tools/generate_toy_data.py "$DATA"
if [ ! -f "$DATA/sci_toy.pth" ]; then
    log "SCI on the toy dark frames"
    run "$WORK/sci.log" python tools/train_sci.py "$DATA/dark_train.txt" \
        --root "$DATA/videos" --out "$DATA/sci_toy.pth" --steps 300 \
        --crop-size 64 --batch-size 4 --frames-per-video 2 --seed 0 \
        --no-progress
fi

PRE_CFG=configs/pretrain_r2plus1d_toy_bright.py
log "1. pretrain on the bright clips ($PRE_CFG)"
train pretrain "$PRE_CFG"
PRE=$WORK/pretrain/epoch_30.pth
BRIGHT=$(top1 pretrain_bright "$PRE_CFG" "$PRE" \
    test_dataloader.dataset.ann_file=$DATA/bright_test.txt)
DARK=$(top1 pretrain_dark "$PRE_CFG" "$PRE" \
    test_dataloader.dataset.ann_file=$DATA/dark_test.txt)

BASE_CFG=configs/baseline_r2plus1d_toy_finetune.py
log "2. baseline: fine-tune on the dark clips ($BASE_CFG)"
train baseline "$BASE_CFG" --cfg-options model.backbone.pretrained="$PRE"
BASE=$(top1 baseline "$BASE_CFG" "$WORK/baseline/epoch_15.pth" \
    model.backbone.pretrained="$PRE")

log "3. DAPT stage 1 on the unlabeled dark clips (configs/dapt_r2plus1d_toy.py)"
train dapt configs/dapt_r2plus1d_toy.py --cfg-options load_from="$PRE"
ENC=$WORK/dapt/dapt_encoder.pth
run "$WORK/export.log" python tools/export_dapt_encoder.py \
    "$WORK/dapt/epoch_10.pth" "$ENC"
FT_CFG=configs/dapt_r2plus1d_toy_finetune.py
log "   DAPT stage 2: fine-tune on the dark clips ($FT_CFG)"
train dapt_finetune "$FT_CFG" --cfg-options model.init_cfg.checkpoint="$ENC"
DAPT=$(top1 dapt_finetune "$FT_CFG" "$WORK/dapt_finetune/epoch_15.pth" \
    model.init_cfg.checkpoint="$ENC")
log "4. source-free: pseudo-labels from the bright model (configs/sfvda_r2plus1d_toy.py)"
SF_CFG=configs/sfvda_r2plus1d_toy.py
SF_OPTS=(model.backbone.pretrained="$PRE" custom_hooks.0.labeler.checkpoints="$PRE")
train sfvda "$SF_CFG" --cfg-options "${SF_OPTS[@]}"
SF=$(top1 sfvda "$SF_CFG" "$WORK/sfvda/epoch_15.pth" "${SF_OPTS[@]}")
SFD_CFG=configs/sfvda_dapt_r2plus1d_toy.py
log "5. source-free with DAPT: the same from the DAPT encoder ($SFD_CFG)"
SFD_OPTS=(model.init_cfg.checkpoint="$ENC" custom_hooks.0.labeler.checkpoints="$PRE")
train sfvda_dapt "$SFD_CFG" --cfg-options "${SFD_OPTS[@]}"
SFD=$(top1 sfvda_dapt "$SFD_CFG" "$WORK/sfvda_dapt/epoch_15.pth" "${SFD_OPTS[@]}")
PL0=$(pl_accuracy "$WORK/sfvda.log" 1)
PL_END=$(pl_accuracy "$WORK/sfvda.log" 3)
PLD_END=$(pl_accuracy "$WORK/sfvda_dapt.log" 3)
MON=$(grep "Epoch(train)" "$WORK/dapt.log" | tail -1 | grep -o \
    "teacher_entropy: [0-9.]*\|teacher_entropy_max: [0-9.]*\|kl_teacher_student: [0-9.]*" \
    | tr '\n' ' ')

printf '\ntoy data, seed %s                                  top-1\n' "$SEED"
printf '%-52s %s\n' "pretrained on bright, tested on bright" "$BRIGHT" \
    "pretrained on bright, tested on dark (source only)" "$DARK" \
    "baseline: fine-tuned on dark" "$BASE" \
    "DAPT: stage 1 + fine-tuned on dark" "$DAPT" \
    "source-free: pseudo-labels, no dark labels" "$SF" \
    "source-free with DAPT" "$SFD"
echo "pseudo-label accuracy (selected): source model through SCI $PL0;" \
    "last self-training round $PL_END (with DAPT $PLD_END)"
echo "DAPT stage 1, last iteration: $MON"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SEED" "$BRIGHT" \
    "$DARK" "$BASE" "$DAPT" "$SF" "$SFD" "$PL0" "$PL_END" "$PLD_END" \
    >> "$ROOT/results.tsv"
