# The DarkBench lists (data/darkbench, tools/generate_darkbench_data.py) for
# configs that inherit a toy one: dataloader overrides merged into its
# datasets. Train on the k-shot list of dark_train (tools/darkbench.py
# passes it as train_dataloader.dataset.ann_file), select on dark_val, test
# once on dark_test; the unlabeled pool is `pool`.
_root = 'data/darkbench'
_videos = dict(data_prefix=dict(video=f'{_root}/videos'))
darkbench_lists = dict(
    train=dict(dataset=dict(_videos, ann_file=f'{_root}/dark_train.txt')),
    pool=dict(dataset=dict(_videos, ann_file=f'{_root}/dark_pool.txt')),
    val=dict(dataset=dict(_videos, ann_file=f'{_root}/dark_val.txt')),
    test=dict(dataset=dict(_videos, ann_file=f'{_root}/dark_test.txt')))
darkbench_num_classes = 11
darkbench_source = 'work_dirs/darkbench/source/seed0/best.pth'
