# Daily-DA (../docs: DATASETS.md): 8 classes, 4 domains. The lists come
# from tools/convert_lists.py (docs/data.md) with `--prefix <domain>`, all
# under one root, videos under <root>/videos/<domain>/...:
#   data/dailyda/{arid,hmdb51,mit,kinetics}_{train,test}.txt
# Names differ from the ARID data piece's (data_root, ...) because a
# config inherits both.
dailyda_root = 'data/dailyda'
dailyda_videos = dict(video='data/dailyda/videos')
dailyda_classes = ['drink', 'jump', 'pick', 'pour', 'push', 'run', 'walk',
                   'wave']
