# Dark-48's 48 classes in label order (yzfly/Dark48
# annotations/classInd.txt), spelled for CLIP's text classifier: the list
# converter's DARK48_CLASSES (their one home) with spaces for underscores.
# __import__, not an import statement: mmengine takes a config holding an
# import of a non-standard module for a Python-style (lazy) one.
dark48_classes = [
    name.replace('_', ' ') for name in __import__(
        'dapt_mmaction.datasets.list_converters',
        fromlist=['DARK48_CLASSES']).DARK48_CLASSES]
