# DarkBench's DAPT stage 1, the paper's recipe (eqs. 6-8 as in
# configs/dapt_r2plus1d_arid.py: one tau of 0.1, no centring, the sum over
# all view pairs, whole-frame original view) on the unlabeled dark pool,
# over the frozen backbone of the source model (r2plus1d_bright_toy.py,
# given as load_from: backbone and adapter start from it). The source's
# adapter keeps its frame shortcut: the fine-tune loads this adapter into
# the source's architecture. kNN top-1 (k-shot memory bank) is logged on
# dark_val every epoch and on dark_test before and after stage 1 only
# (the benchmark's kNN rows; nothing selects on it).
#   python tools/train.py configs/darkbench/dapt_stage1_toy.py --cfg-options \
#       load_from=SOURCE.pth train_dataloader.dataset.ann_file=POOL.txt
#   python tools/export_dapt_encoder.py WORK/epoch_10.pth WORK/dapt_encoder.pth
_base_ = ['../_base_/models/dapt_r2plus1d_tiny_toy.py',
          '../_base_/models/dapt_self_distiller.py',
          '../_base_/datasets/dapt_multiview_toy.py',
          '../_base_/schedules/dapt_stage1_toy.py',
          '../_base_/datasets/toy_test_pipeline.py']

data_root = 'data/darkbench'
video_root = f'{data_root}/videos'
sci_checkpoint = 'work_dirs/darkbench/sci/seed0/sci.pt'
kshot_list = f'{data_root}/dark_train.txt'
num_classes = 11
model = dict(backbone=_base_.backbone, neck=_base_.neck,
             data_preprocessor=dict(_base_.video_norm))
train_dataloader = dict(dataset=dict(
    ann_file=f'{data_root}/dark_pool.txt', data_prefix=dict(video=video_root),
    pipeline=[dict(_base_.train_pipeline[0], area_range=None,
                   enhancer=dict(type='SCIEnhance',
                                 checkpoint=sci_checkpoint)),
              *_base_.train_pipeline[1:]]))


def _knn_loader(ann_file):
    return dict(batch_size=16, num_workers=1, dataset=dict(
        type='VideoDataset', ann_file=ann_file,
        data_prefix=dict(video=video_root), pipeline=_base_.toy_test_pipeline,
        test_mode=True), sampler=dict(type='DefaultSampler', shuffle=False))


custom_hooks = [
    dict(type='DAPTTeacherEMAHook'),
    dict(type='KNNEvalHook', memory_dataloader=_knn_loader(kshot_list),
         query_dataloader=_knn_loader(f'{data_root}/dark_val.txt'),
         num_classes=num_classes, prefix='knn_val'),
    dict(type='KNNEvalHook', memory_dataloader=_knn_loader(kshot_list),
         query_dataloader=_knn_loader(f'{data_root}/dark_test.txt'),
         num_classes=num_classes, prefix='knn_test',
         interval=_base_.max_epochs),
]
del _knn_loader
