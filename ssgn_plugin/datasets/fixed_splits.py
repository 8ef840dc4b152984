"""Fixed photo splits of public datasets, committed with the project.

A split file is a JSON mapping ``{photo path relative to the photo folder:
split}`` with split ``'test'``, ``'val'`` or ``'train'`` (the format of a
photo folder's ``photo_splits.json``). Given to the builder
(``tools/build_dataset.py PHOTOS OUT --split-file NAME_OR_PATH``), it pins
those photos, and every photo it does not name is a training (fit) photo:
the test and validation photos are the same on every machine, whatever
else the folder holds.

Committed splits, by name (``ssgn_plugin/datasets/splits/<name>.json``):

- ``ccp``: Clothing Co-Parsing (Yang, Luo, Lin, CVPR 2014; public
  repository bearpaw/clothing-co-parsing, folder ``photos/``): 200 test and
  200 validation photos by photo number, drawn once by
  ``random.Random(2014).sample`` from the 1,993 photos of one standing
  person (the first 200 drawn are test, the next 200 validation); the other
  1,593 photos are fit photos. ``docs/datasets.md`` says how to build it.
"""
import json
import os.path as osp
from typing import Dict, List

from ssgn_plugin.utils import InputError

SPLITS_DIR = osp.join(osp.dirname(osp.abspath(__file__)), 'splits')
SPLIT_NAMES = ('train', 'test', 'val')


def committed_splits() -> List[str]:
    """Names of the split files that ship with the package."""
    import os
    return sorted(osp.splitext(n)[0] for n in os.listdir(SPLITS_DIR)
                  if n.endswith('.json'))


def split_file_path(name_or_path: str) -> str:
    """The file of a committed split's name (``'ccp'``), or the path itself
    when it is a file; InputError naming both choices otherwise."""
    if osp.isfile(name_or_path):
        return name_or_path
    committed = osp.join(SPLITS_DIR, f'{name_or_path}.json')
    if osp.sep not in name_or_path and osp.isfile(committed):
        return committed
    raise InputError(
        f'split file not found: {name_or_path} (a JSON file, or the name of '
        f'a committed split: {", ".join(committed_splits())})')


def read_split_file(path: str) -> Dict[str, str]:
    """{photo: split} of a split file; InputError naming the file and the
    first wrong entry when it is not such a mapping."""
    try:
        with open(path, encoding='utf-8') as f:
            mapping = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f'{path}: unreadable split file ({e})') from None
    if not isinstance(mapping, dict):
        raise InputError(f'{path}: not a mapping of photo paths to splits')
    for photo, split in mapping.items():
        if split not in SPLIT_NAMES:
            raise InputError(f'{path}: {photo}: split must be one of '
                             f'{", ".join(SPLIT_NAMES)}, not {split!r}')
    return mapping
