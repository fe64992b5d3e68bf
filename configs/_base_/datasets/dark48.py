# Dark-48 (split 1 of 3; lists from tools/convert_lists.py --format dark48):
# its class names and its lists, for configs that inherit an ARID one.
_base_ = ['dark48_classes.py', 'dark48_lists.py']
