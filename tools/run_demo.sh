#!/usr/bin/env bash
# The main job on the embedded toy data (`make demo`): the whole DAPT
# paradigm on 2 CPU cores, then a table of baseline vs DAPT top-1 on the
# dark test clips.
#   0. generate the toy data; train SCI on its dark frames
#   1. pretrain the tiny CLIP ViT on the labeled bright clips (stands in for
#      a large pretrained model); test it on bright and dark (domain gap)
#   2. baseline: fine-tune on the labeled dark clips from that backbone
#   3. DAPT: stage 1 on the unlabeled dark clips, export the teacher,
#      stage 2 like the baseline from the DAPT encoder
# SEED (default 0) seeds every run; WORK (default work_dirs/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-0}
WORK=${WORK:-work_dirs/demo}/seed$SEED
DATA=data/toy
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}
log() { echo "[demo $(date +%H:%M:%S)] $*"; }
train() { python tools/train.py "$@" --seed "$SEED" > "${WORK}/$(basename "$1" .py).log" 2>&1 \
    || { tail -30 "${WORK}/$(basename "$1" .py).log"; exit 1; }; }
evaluate() {  # config checkpoint work_dir [cfg-options...]
    python tools/test.py "$1" "$2" --work-dir "$3" --cfg-options "${@:4}" \
        > "$3/test.log" 2>&1 || { tail -30 "$3/test.log"; exit 1; }
    grep -o "acc/top1: [0-9.]*" "$3/test.log" | tail -1 | cut -d' ' -f2
}
mkdir -p "$WORK"

log "toy data"
python tools/generate_toy_data.py "$DATA"
if [ ! -f "$DATA/sci_toy.pth" ]; then
    log "SCI on the toy dark frames"
    python tools/train_sci.py "$DATA/dark_train.txt" --root "$DATA/videos" \
        --out "$DATA/sci_toy.pth" --steps 300 --crop-size 64 --batch-size 4 \
        --frames-per-video 2 --seed "$SEED" --no-progress > "$WORK/sci.log" 2>&1
fi

log "stage 0: pretrain on bright"
PRE_CFG=configs/pretrain_clip_toy_bright.py
train "$PRE_CFG" --work-dir "$WORK/pretrain"
PRE=$WORK/pretrain/epoch_15.pth
mkdir -p "$WORK/pretrain/bright" "$WORK/pretrain/dark"
BRIGHT=$(evaluate "$PRE_CFG" "$PRE" "$WORK/pretrain/bright" \
    test_dataloader.dataset.ann_file=$DATA/bright_test.txt)
DARK=$(evaluate "$PRE_CFG" "$PRE" "$WORK/pretrain/dark" \
    test_dataloader.dataset.ann_file=$DATA/dark_test.txt)
log "pretrained on bright: top-1 bright $BRIGHT, dark $DARK"

log "baseline: fine-tune on dark from the pretrained backbone"
train configs/baseline_clip_toy_finetune.py --work-dir "$WORK/baseline" \
    --cfg-options model.backbone.pretrained="$PRE"
BASE=$(evaluate configs/baseline_clip_toy_finetune.py \
    "$WORK/baseline/epoch_10.pth" "$WORK/baseline" \
    model.backbone.pretrained="$PRE")

log "DAPT stage 1 on the unlabeled dark clips"
train configs/dapt_clip_toy.py --work-dir "$WORK/dapt" \
    --cfg-options load_from="$PRE"
python tools/export_dapt_encoder.py "$WORK/dapt/epoch_8.pth" \
    "$WORK/dapt/dapt_encoder.pth" > /dev/null
log "DAPT stage 2: fine-tune on dark from the DAPT encoder"
train configs/dapt_clip_toy_finetune.py --work-dir "$WORK/dapt_finetune" \
    --cfg-options model.init_cfg.checkpoint="$WORK/dapt/dapt_encoder.pth"
DAPT=$(evaluate configs/dapt_clip_toy_finetune.py \
    "$WORK/dapt_finetune/epoch_10.pth" "$WORK/dapt_finetune" \
    model.init_cfg.checkpoint="$WORK/dapt/dapt_encoder.pth")

printf '\n%-44s %s\n' "toy data, seed $SEED" "top-1"
printf '%-44s %s\n' "pretrained on bright, tested on bright" "$BRIGHT"
printf '%-44s %s\n' "pretrained on bright, tested on dark" "$DARK"
printf '%-44s %s\n' "baseline fine-tune on dark, tested on dark" "$BASE"
printf '%-44s %s\n' "DAPT (stage 1 + 2) on dark, tested on dark" "$DAPT"
printf '%s\t%s\t%s\t%s\t%s\n' "$SEED" "$BRIGHT" "$DARK" "$BASE" "$DAPT" \
    >> "${WORK%/seed*}/results.tsv"
