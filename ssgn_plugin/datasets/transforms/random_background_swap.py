"""The person of one training photo in front of another's background.

The flow restorer learns its 59 fit photos by heart past about 19,000
images, and neither a new look (RandomPhotometricJitter) nor a new shape
(PairedRandomRotation) for every draw stops it (docs/studies/gate-that-helps.md, "59 photos learnt
by heart"). A photo is a person and a background; pasting the person,
where the stored person mask says it is, onto a random crop of another
training photo makes 59 x 58 photos of the 59, so no pair of body and
background repeats often enough to be learnt. The person stays where it
was, so its key points and mask still hold, and the warp drawn next bends
the new background next to the body as a retouch bends a real one.
"""
import os.path as osp
from typing import Dict, List

import cv2
import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from .setting_checks import check_probability, check_range, is_number


def _photo_of(sample_id: str) -> str:
    """The photo a built sample id comes from (ids are <photo>_w<k>)."""
    stem, _, warp = sample_id.rpartition('_w')
    return stem if stem and warp.isdigit() else sample_id


@TRANSFORMS.register_module()
class RandomBackgroundSwap(BaseTransform):
    """With probability ``prob``, composite ``gt``'s person (its
    ``original_mask``, edges softened by a Gaussian of ``feather`` px) over
    a random square crop (``scale`` of the shorter side) of another photo's
    original from ``data_root``'s ``split`` (never the sample's own photo),
    resized to ``gt``'s size. Run it on the original after the crop and
    before :class:`RandomRetouchWarp`.

    Required keys: ``gt`` (H, W, 3) uint8, ``original_mask`` (H, W[, 1])
    uint8. Modified keys: ``gt``. Added key: ``background`` (the sample id
    of the background; '' when the sample was left as it was).

    Args:
        data_root (str): A built dataset (tools/build_dataset.py).
        split (str): Its split whose originals are the backgrounds: the
            one the model trains on ('fit'), so no other photo leaks in.
        prob (float): Chance of swapping a sample's background.
        scale (tuple[float]): Range of the background crop's side.
        feather (float): Softening of the mask's edge, px at ``gt``'s size.
    """

    def __init__(self, data_root: str, split: str = 'fit', prob: float = 0.5,
                 scale=(0.5, 1.0), feather: float = 1.0) -> None:
        if not is_number(feather) or feather < 0:
            raise InputError('RandomBackgroundSwap: feather must be 0 or more '
                             f'px, got {feather!r}')
        self.data_root = data_root
        self.split = split
        self.prob = check_probability('RandomBackgroundSwap', 'prob', prob)
        self.scale = check_range('RandomBackgroundSwap', 'scale', scale, 0, 1,
                                 above_low=True)
        self.feather = float(feather)
        self._ids: List[str] = []  # read at the first draw (see _sample_ids)
        self._cache: Dict[str, np.ndarray] = {}  # per worker, 0.8 MB each

    def _sample_ids(self) -> List[str]:
        """The split's sample ids, read at the first draw, not at
        construction: the dataset carves fit.txt when it first loads,
        after its pipeline is built."""
        if self._ids:
            return self._ids
        list_file = osp.join(self.data_root, f'{self.split}.txt')
        try:
            with open(list_file, encoding='utf-8') as f:
                ids = [line.strip() for line in f if line.strip()]
        except OSError as e:
            raise InputError(f'{list_file}: no list of background photos '
                             f'({e.strerror}); build the dataset first '
                             '(tools/build_dataset.py)') from None
        if len({_photo_of(i) for i in ids}) < 2:
            raise InputError(f'{list_file}: a background swap needs at '
                             'least two photos')
        self._ids = ids
        return ids

    def _original(self, sample_id: str) -> np.ndarray:
        if sample_id not in self._cache:
            path = osp.join(self.data_root, 'original', f'{sample_id}.png')
            image = cv2.imread(path, cv2.IMREAD_COLOR)
            if image is None:
                raise InputError(f'{path}: missing or not an image')
            self._cache[sample_id] = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        return self._cache[sample_id]

    def transform(self, results: Dict) -> Dict:
        results['background'] = ''
        if np.random.rand() >= self.prob:
            return results
        own = _photo_of(str(results.get('key', '')))
        choices = [i for i in self._sample_ids() if _photo_of(i) != own]
        sample_id = choices[np.random.randint(len(choices))]
        source = self._original(sample_id)
        h, w = results['gt'].shape[:2]
        sh, sw = source.shape[:2]
        side = max(1, int(round(min(sh, sw) * np.random.uniform(*self.scale))))
        top = np.random.randint(0, sh - side + 1)
        left = np.random.randint(0, sw - side + 1)
        crop = source[top:top + side, left:left + side]
        background = cv2.resize(
            crop, (w, h),
            interpolation=cv2.INTER_AREA if side > max(h, w)
            else cv2.INTER_CUBIC).astype(np.float32)
        alpha = results['original_mask'].reshape(h, w).astype(
            np.float32) / 255
        if self.feather > 0:
            alpha = cv2.GaussianBlur(alpha, (0, 0), self.feather)
        alpha = alpha[..., None]
        person = results['gt'].astype(np.float32)
        results['gt'] = np.clip(np.rint(alpha * person + (1 - alpha) *
                                        background), 0, 255).astype(np.uint8)
        results['background'] = sample_id
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(data_root={self.data_root!r}, '
                f'split={self.split!r}, prob={self.prob}, '
                f'scale={self.scale}, feather={self.feather})')
