"""The validation split: a fixed, photo-disjoint share of the TRAIN photos.

Every choice made while training (a variant, a learning rate, a gate
threshold) is made on photos the model never trained on, and never on the
test split, which only scores the end result: choosing there would leak it.
So a built dataset's train split is cut once more, by photo group (the
frames of a clip, the views of one take stay together), into

    fit.txt   the samples a model trains on
    val.txt   the samples choices are made on (about ``share`` of the train
              photos)

written beside ``train.txt`` / ``test.txt``. The cut depends only on the
train photos, their groups and the seed, so it is the same on every
machine; :class:`DedistortionDataset` writes it on first use of
``split='fit'`` or ``'val'``.
"""
import json
import os.path as osp
from typing import Dict, List, Tuple

import numpy as np

from ssgn_plugin.utils import InputError, atomic_write_text

FIT_SPLIT = 'fit'
VAL_SPLIT = 'val'
DEFAULT_SHARE = 0.15


def _photo_groups(manifest: Dict) -> Dict[str, str]:
    """{photo: group} from the photo folder's ``photo_groups.json`` (the
    builder's ``source``), or {} when it is not there any more."""
    from .builtin_photos import GROUPS_FILE
    path = osp.join(str(manifest.get('source', '')), GROUPS_FILE)
    if not osp.isfile(path):
        return {}
    try:
        with open(path, encoding='utf-8') as f:
            groups = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f'{path}: unreadable photo groups ({e})') from None
    return groups if isinstance(groups, dict) else {}


def _read_manifest(data_root: str, purpose: str) -> Dict:
    """The build manifest of ``data_root``; an InputError naming it and
    ``purpose`` when it cannot be read."""
    manifest_path = osp.join(data_root, 'manifest.json')
    try:
        with open(manifest_path, encoding='utf-8') as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f'{manifest_path}: {purpose} needs the build '
                         f'manifest ({e})') from None


def sample_groups(data_root: str) -> Dict[str, str]:
    """{sample id: photo group} of every sample of the built dataset in
    ``data_root`` (a photo without a group is its own), read from its
    manifest and its photo folder's groups: the unit a validation score
    averages over, so that twelve frames of one take count once.

    Raises:
        InputError: No readable manifest.
    """
    manifest = _read_manifest(data_root, 'grouping its samples')
    groups = _photo_groups(manifest)
    return {s: groups.get(r['photo'], r['photo'])
            for r in manifest.get('photos', []) for s in r.get('samples', [])}


def carve_validation_split(data_root: str, share: float = DEFAULT_SHARE,
                           seed: int = 0) -> Tuple[List[str], List[str]]:
    """(fit ids, val ids) of the train split of the dataset in
    ``data_root``: whole photo groups, in a seeded shuffle, go to val until
    it holds at least ``share`` of the train photos (at least one group);
    a build whose photos were pinned to 'val' (a fixed split) has those.

    Raises:
        InputError: No manifest or train split, or too few train groups.
    """
    manifest = _read_manifest(data_root, 'carving a validation split')
    photos = [r for r in manifest.get('photos', [])
              if r.get('split') in ('train', VAL_SPLIT) and r.get('samples')]
    if any(r['split'] == VAL_SPLIT for r in photos):
        # a fixed split pinned the validation photos: no carving
        return tuple(sorted(s for r in photos if (r['split'] == VAL_SPLIT)
                            == (name == VAL_SPLIT) for s in r['samples'])
                     for name in (FIT_SPLIT, VAL_SPLIT))
    groups = _photo_groups(manifest)
    by_group: Dict[str, List[Dict]] = {}
    for record in photos:
        group = groups.get(record['photo'], record['photo'])
        by_group.setdefault(group, []).append(record)
    if len(by_group) < 2:
        raise InputError(f'{data_root}: {len(by_group)} train photo group(s);'
                         ' a validation split needs at least two')
    order = sorted(by_group)
    np.random.default_rng(seed).shuffle(order)
    val_photos = []
    for group in order:
        if len(val_photos) >= share * len(photos):
            break
        val_photos += by_group[group]
    val_set = {r['photo'] for r in val_photos}
    fit = sorted(s for r in photos if r['photo'] not in val_set
                 for s in r['samples'])
    val = sorted(s for r in val_photos for s in r['samples'])
    return fit, val


def write_validation_split(data_root: str, share: float = DEFAULT_SHARE,
                           seed: int = 0) -> Tuple[int, int]:
    """Write ``fit.txt`` and ``val.txt`` (atomically) into ``data_root``;
    returns their sample counts."""
    fit, val = carve_validation_split(data_root, share, seed)
    for name, ids in ((FIT_SPLIT, fit), (VAL_SPLIT, val)):
        atomic_write_text(osp.join(data_root, f'{name}.txt'),
                          ''.join(i + '\n' for i in ids))
    return len(fit), len(val)
