"""Turn a folder of clean photos of people into de-distortion training pairs,
as the SSGN paper builds its dataset (Sec. 3.1, 4.1).

For every photo: decode it (any mode, EXIF orientation applied), cut the
square around the person and resize it to ``size``; find the person's key
points and mask; make ``warps_per_photo`` warps: Moving-Least-Squares warps
of 1-3 body parts, or liquify brush strokes along the outline
(``liquify_share``), with the exact restoration flow that undoes each;
for every warped (distorted) photo compute the model inputs as they
would be computed at inference (mask, key-point heatmap, contour heatmap of
the distorted photo), the edge target from the original, and the distortion
matrix of the pair. A test variant (:mod:`.dataset_variants`) is the same
build of the test split alone (``only_split``) with the held-out warp family
(``warp_family``) or a degraded distorted photo (``degradation``: the
detector and maps see it degraded, the distortion matrix grades the warp).
The output is the :class:`DedistortionDataset` layout::

    out/
      original/<id>.png  distorted/<id>.png  mask/<id>.png
      keypoint_heatmap/<id>.png  contour_heatmap/<id>.png  edge/<id>.png
      distortion_matrix/<id>.png   (grid x grid, levels 0-3)
      flow/<id>.npy                restoration flow (H x W x 2 float16, px)
      flow_valid/<id>.png          255 where the flow inverts the warp
      original_mask/<id>.png       the original's person mask
      warp/<id>.json               warp parameters with their seed, key points
      records/<photo id>.json      what happened to each photo
      train.txt  test.txt          sample ids; a photo's samples share a split
      manifest.json                settings, provenance, every photo's record
                                   and the SHA-256 of every source photo
      .lock                        held (flock) while a build runs

A sample id is ``<photo id>_w<k>``. Every file is written atomically and
``warp/<id>.json`` last, so a sample whose warp file exists is complete; a
photo whose record exists is done. A rerun skips both, and an interrupted
build, rerun, gives the same bytes as an uninterrupted one: all randomness
comes from seeds derived from (seed, photo path, warp index), never from
the order of work. A rerun must use the same settings and the same photos
(names and contents); a folder that is neither empty nor one of our builds,
or that another build is writing, is refused before anything is written.
"""
import hashlib
import json
import os
import os.path as osp
import re
import signal
from dataclasses import asdict, dataclass, field
from itertools import groupby
from typing import (Callable, Dict, Iterator, List, Optional, Sequence,
                    Tuple)

import cv2
import numpy as np

from ssgn_plugin.utils import (InputError, atomic_write_bytes,
                               atomic_write_text, folder_lock,
                               remove_stale_temp_files)
from ssgn_plugin.utils.atomic_write import is_temp_name
from ssgn_plugin.utils.folder_lock import LOCK_NAME
from ssgn_plugin.version import __version__
from .builtin_photos import GROUPS_FILE, SPLITS_FILE
from .photo_reader import (PHOTO_EXTENSIONS, PhotoReadError, PhotoTooLarge,
                           not_a_regular_file, read_photo, walk_photo_folder)
from .semantic import (CannyEdges, ContourHeatmap, KeypointHeatmap,
                       MediaPipePersonMask, MediaPipePose, NoPersonFound)
from .transforms import DistortionMatrix, apply_degradation
from .fixed_splits import read_split_file, split_file_path
from .flow_files import ORIGINAL_MASK_FOLDER, write_flow
from .warping import (STRENGTH_PRESETS, check_liquify_share,
                      check_parts_distribution, check_warp_family,
                      invert_backward_map, random_warp)

# Settings added after format 3, with the value every earlier build had.
SETTINGS_ADDED_LATER = dict(warp_family=None, degradation=[], only_split=None,
                            fit_warps=None, split_file=None)
MAP_FOLDERS = ('original', 'distorted', 'mask', 'keypoint_heatmap',
               'contour_heatmap', 'edge', 'distortion_matrix')
# 2: the manifest holds the source photos' hashes; 3: restoration flow
# (flow/, flow_valid/), the original's mask, 1-3 parts and liquify warps
FORMAT_VERSION = 3


@dataclass
class BuildSettings:
    """Everything that decides the bytes of a build (kept in the manifest).

    Attributes:
        warps_per_photo: Distorted samples made from each photo.
        size: Side of the square samples in pixels (1024 in the paper).
        preset: Warp strength: 'mild', 'moderate', 'strong' or 'bold'.
        seed: Seed of the warps and the split.
        test_fraction: Share of photo groups in the test split.
        grid: Distortion-matrix regions per side (16: the paper's 256).
        crop_margin: The square is at least the person's box grown by this
            fraction on every side (when the photo is big enough).
        parts_distribution: Chances of 1, 2, 3 body parts in an MLS warp.
        liquify_share: Share of warps made by liquify strokes rather than
            MLS body-part warps.
        contour_sigma_ratio: Width (sigma) of the contour heatmap as a
            share of the side (:class:`ContourHeatmap`).
        warp_family: None: MLS or liquify warps (``liquify_share``), as
            training draws them; a family's name: that family alone (the
            held-out 'skeleton' family builds a test variant).
        degradation: Degradation steps applied to every distorted photo
            after the warp (:func:`apply_degradation`: JPEG, rescale,
            palette, ...); the original and the flow stay clean.
        only_split: 'train' or 'test': build only the photos of that split
            (the splits are assigned over all photos, as in a full build).
        fit_warps: Distorted samples made from each fit photo (a train
            photo not pinned to 'val'); None: ``warps_per_photo``. Training
            draws fresh warps from the fit photos' originals, so one sample
            a photo (it stores the original, its mask and key points) is
            enough there, while the test and validation pairs are fixed.
        split_file: A fixed split (:mod:`.fixed_splits`: a committed
            split's name or a JSON file) pinning photos to 'test' or 'val';
            the photos it does not name are train photos, and the photo
            folder's own ``photo_splits.json`` is not read.
    """
    warps_per_photo: int = 4
    size: int = 512
    preset: str = 'moderate'
    seed: int = 0
    test_fraction: float = 0.25
    grid: int = 16
    crop_margin: float = 0.1
    parts_distribution: List[float] = field(
        default_factory=lambda: [0.5, 0.3, 0.2])
    liquify_share: float = 0.5
    contour_sigma_ratio: float = 0.025
    warp_family: Optional[str] = None
    degradation: List[Dict] = field(default_factory=list)
    only_split: Optional[str] = None
    fit_warps: Optional[int] = None
    split_file: Optional[str] = None

    def warps_for(self, split: str) -> int:
        """Samples made from a photo of ``split``."""
        if split == 'train' and self.fit_warps is not None:
            return self.fit_warps
        return self.warps_per_photo

    def check(self) -> None:
        """Raise :class:`InputError` naming the first unusable setting."""
        for name in ('warps_per_photo', 'size', 'seed', 'grid'):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or \
                    isinstance(value, bool):
                raise InputError(f'{name} must be an integer, not {value!r}')
        if self.warps_per_photo < 1:
            raise InputError(f'warps_per_photo must be at least 1, not '
                             f'{self.warps_per_photo}')
        if self.fit_warps is not None and (
                not isinstance(self.fit_warps, (int, np.integer))
                or isinstance(self.fit_warps, bool) or self.fit_warps < 1):
            raise InputError(f'fit_warps must be an integer of at least 1, '
                             f'not {self.fit_warps!r}')
        if self.grid < 1:
            raise InputError(f'grid must be at least 1, not {self.grid}')
        if self.size < 1:
            raise InputError(f'size must be a positive number of pixels, not '
                             f'{self.size}')
        if self.seed < 0:
            raise InputError(f'seed must be 0 or more, not {self.seed}')
        if not 0 <= self.crop_margin <= 10:
            raise InputError(f'crop_margin must be in [0, 10], not '
                             f'{self.crop_margin}')
        if self.preset not in STRENGTH_PRESETS:
            raise InputError(f'unknown warp preset {self.preset!r}; choose '
                             f'from {", ".join(STRENGTH_PRESETS)}')
        if self.size // self.grid < 11:
            raise InputError(
                f'size {self.size} is too small for a {self.grid}x{self.grid}'
                ' distortion matrix (regions need 11 px for SSIM): use '
                f'size >= {11 * self.grid}')
        if not 0 <= self.test_fraction < 1:
            raise InputError(f'test_fraction must be in [0, 1), not '
                             f'{self.test_fraction}')
        try:
            check_parts_distribution(self.parts_distribution)
            check_liquify_share(self.liquify_share)
        except ValueError as e:
            raise InputError(str(e)) from None
        if not 0 < self.contour_sigma_ratio <= 0.2:
            raise InputError('contour_sigma_ratio must be in (0, 0.2], not '
                             f'{self.contour_sigma_ratio}')
        try:
            check_warp_family(self.warp_family)
        except ValueError as e:
            raise InputError(str(e)) from None
        try:
            # a tiny photo runs every step: an unknown kind or a missing
            # setting is refused before anything is written
            apply_degradation(np.zeros((8, 8, 3), np.uint8), self.degradation)
        except KeyError as e:
            raise InputError(f'degradation {self.degradation}: a step lacks '
                             f'its setting {e}') from None
        except (ValueError, TypeError) as e:
            raise InputError(f'degradation {self.degradation}: {e}') from None
        if self.only_split not in (None, 'train', 'test'):
            raise InputError(f'only_split must be train or test, not '
                             f'{self.only_split!r}')


def photo_id(rel_path: str) -> str:
    """A file-name-safe, unique id for a photo's relative path."""
    stem = re.sub(r'[^A-Za-z0-9]+', '_', osp.splitext(rel_path)[0]).strip('_')
    digest = hashlib.sha1(rel_path.encode()).hexdigest()[:6]
    return f'{stem[-60:]}-{digest}'


def derived_seed(*parts) -> int:
    """A 32-bit seed from any parts, the same on every machine and run."""
    digest = hashlib.sha256(repr(parts).encode()).digest()
    return int.from_bytes(digest[:4], 'little')


def _is_dataset_build(folder: str) -> bool:
    """Whether ``folder`` holds a build of this builder (its manifest)."""
    try:
        with open(osp.join(folder, 'manifest.json')) as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and 'settings' in manifest


def list_photos(src_dir: str,
                out_dir: Optional[str] = None) -> Tuple[List[str], List[Dict]]:
    """Relative paths of the photos under ``src_dir`` (sorted), and records
    of the other files (unsupported formats). Hidden folders are skipped,
    and so are ``out_dir`` and every other dataset build inside
    ``src_dir``: a build's own PNGs are never photos (a rerun would be
    refused as built from other photos, another build would leak them
    across splits)."""
    if not osp.isdir(src_dir):
        raise InputError(f'photo folder not found: {src_dir}')
    photos, rejected = [], []
    for root, files in walk_photo_folder(
            src_dir, skip_dir=out_dir,
            skip=lambda d: osp.basename(d).startswith('.') or
            _is_dataset_build(d)):
        for name in files:
            rel = osp.relpath(osp.join(root, name), src_dir)
            if name.startswith('.') or rel in (GROUPS_FILE, SPLITS_FILE,
                                             'sources.json'):
                continue
            if name.lower().endswith(PHOTO_EXTENSIONS):
                photos.append(rel)
            else:
                rejected.append(dict(photo=rel, status='skipped',
                                     reason='unsupported format'))
    return sorted(photos), rejected


def hash_photos(src_dir: str, photos: Sequence[str]) -> Dict[str, str]:
    """SHA-256 of each photo's bytes, by relative path: a rerun into the
    same folder must see the same photos, not new ones with old names."""
    hashes = {}
    for rel in photos:
        if not_a_regular_file(osp.join(src_dir, rel)) is not None:
            # a FIFO would block open(); such files are skipped with their
            # reason when read (read_photo), like corrupt photos
            continue
        digest = hashlib.sha256()
        try:
            with open(osp.join(src_dir, rel), 'rb') as f:
                for block in iter(lambda: f.read(1 << 20), b''):
                    digest.update(block)
        except OSError as e:
            raise InputError(f'{osp.join(src_dir, rel)}: cannot read '
                             f'({e.strerror or e})')
        hashes[rel] = digest.hexdigest()
    return hashes


def _previous_build(out_dir: str) -> Optional[Dict]:
    """The manifest of the build in ``out_dir``, or None when the folder is
    empty (but for its lock and temporary files). Raises InputError for a
    folder that holds anything else: building there would replace its
    train.txt/test.txt and mix its files with ours."""
    manifest_path = osp.join(out_dir, 'manifest.json')
    if not osp.isfile(manifest_path):
        others = [n for n in os.listdir(out_dir)
                  if n != LOCK_NAME and not is_temp_name(n)]
        if others:
            raise InputError(
                f'{out_dir} is not empty and is not a dataset build (no '
                'manifest.json); use an empty or new output folder')
        return None
    try:
        with open(manifest_path) as f:
            previous = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f'{manifest_path}: unreadable ({e}); use an empty '
                         'or new output folder')
    if not isinstance(previous, dict) or 'settings' not in previous:
        raise InputError(f'{manifest_path} is not the manifest of a dataset '
                         'build; use an empty or new output folder')
    return previous


def _check_same_source(out_dir: str, previous: Dict,
                       hashes: Dict[str, str]) -> None:
    """Refuse to continue a build from other photos: its samples are keyed
    by the photos' relative paths, which other photos can share."""
    before = previous.get('source_sha256')
    if before is None:
        raise InputError(
            f'{out_dir} was built by an older builder that did not record '
            'its photos\' hashes; use a new output folder')
    if before == hashes:
        return
    changed = sorted(r for r in set(before) & set(hashes)
                     if before[r] != hashes[r])
    added = sorted(set(hashes) - set(before))
    removed = sorted(set(before) - set(hashes))
    what = '; '.join(f'{label}: {", ".join(names[:3])}'
                     + (f' and {len(names) - 3} more' if len(names) > 3
                        else '')
                     for label, names in [('changed', changed),
                                          ('added', added),
                                          ('removed', removed)] if names)
    raise InputError(f'{out_dir} was built from other photos ({what}); use '
                     'another output folder or the same photos')


def assign_splits(photos: Sequence[str], groups: Dict[str, str], seed: int,
                  test_fraction: float,
                  pinned: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """'train', 'test' or 'val' for each photo. Photos of one group
    (frames of a video, shots of one sitting) share a split. A group with a
    photo in ``pinned`` ({photo: split}, e.g. the built-in set's fixed
    split, so adding photos moves no photo between splits; 'val': a train
    photo kept for validation) takes that split; of the
    other groups, a shuffled order with ``seed`` puts
    ``round(test_fraction * groups)`` (at least 1 when there are two or
    more groups) into test. Every pinned photo must be one of ``photos``
    (InputError naming it otherwise)."""
    group_of = {p: groups.get(p, p) for p in photos}
    fixed = {}
    for photo, split in (pinned or {}).items():
        group = group_of.get(photo)
        if group is None:  # a typo would let the photo land in train
            raise InputError(f'{photo}: pinned to {split}, but there is no '
                             'such photo in the folder')
        if split not in ('train', 'test', 'val'):
            raise InputError(f'{photo}: split must be train, test or val, '
                             f'not {split!r}')
        if fixed.setdefault(group, split) != split:
            raise InputError(f'group {group} is pinned to two splits '
                             f'({fixed[group]} and {split})')
    unique = sorted(set(group_of.values()) - set(fixed))
    order = np.random.default_rng(seed).permutation(len(unique))
    n_test = round(test_fraction * len(unique))
    if test_fraction > 0 and len(unique) >= 2:
        n_test = max(n_test, 1)
    test_groups = {unique[i] for i in order[:n_test]}
    test_groups |= {g for g, split in fixed.items() if split == 'test'}
    return {p: 'test' if g in test_groups else fixed.get(g, 'train')
            for p, g in group_of.items()}


def person_square(rgb: np.ndarray, mask: np.ndarray, margin: float,
                  keep_top: bool = False) -> Tuple[int, int, int]:
    """(left, top, side) of the largest-possible square that holds the
    person: side = the shorter photo side, centred on the person's box (grown
    by ``margin``) and moved inside the photo; with ``keep_top``, flush with
    the box's top instead of centred vertically."""
    h, w = rgb.shape[:2]
    side = min(h, w)
    ys, xs = np.nonzero(mask.reshape(h, w))
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    grow_x, grow_y = margin * (x1 - x0), margin * (y1 - y0)
    cx = (max(x0 - grow_x, 0) + min(x1 + grow_x, w - 1)) / 2
    cy = (max(y0 - grow_y, 0) + min(y1 + grow_y, h - 1)) / 2
    left = int(np.clip(round(cx - side / 2), 0, w - side))
    top = round(max(y0 - grow_y, 0)) if keep_top else round(cy - side / 2)
    return left, int(np.clip(top, 0, h - side)), side


# Squares searched for a person when the whole photo shows none, as shares
# of the shorter photo side, and the smallest searched side in pixels.
SEARCH_SCALES = (1.0, 0.75, 0.5)
MIN_SEARCH_SIDE = 128


def search_squares(height: int, width: int) -> List[Tuple[int, int, int]]:
    """(left, top, side) of the squares :func:`person_squares` searches,
    largest first: squares of each of :data:`SEARCH_SCALES` of the shorter
    side, half a side apart (and flush with the far edges), down to
    :data:`MIN_SEARCH_SIDE` px; never the whole photo itself."""
    squares = []
    for scale in SEARCH_SCALES:
        side = int(round(min(height, width) * scale))
        if side < MIN_SEARCH_SIDE:
            break
        step = max(side // 2, 1)
        lefts = sorted(set(range(0, width - side + 1, step)) | {width - side})
        tops = sorted(set(range(0, height - side + 1, step)) | {height - side})
        squares += [(left, top, side) for top in tops for left in lefts
                    if (side, side) != (height, width)]
    return squares


def person_squares(
        rgb: np.ndarray, person_mask: Callable[[np.ndarray], np.ndarray],
        margin: float) -> Iterator[Tuple[int, int, int]]:
    """(left, top, side) of squares of ``rgb`` (H, W, 3) that hold the
    person, best first, found with ``person_mask`` (image -> (h, w[, 1])
    mask, empty when it finds nobody); take as many as needed.

    MediaPipe's person detector finds people by their face on a 224 px
    letterboxed copy of the image. So: when it finds the person on the whole
    photo, the square centred on them, then (if the person is taller than
    the square, whose centring cuts the head off) the square flush with
    their top. Then, or when it finds nobody (wide photos, group photos,
    small people), the :func:`search_squares`, largest size first and at
    each size those whose person covers the most pixels first; each is
    taken as it is, as the detector saw it."""
    mask = person_mask(rgb)
    if mask.any():
        centred = person_square(rgb, mask, margin)
        yield centred
        top = person_square(rgb, mask, margin, keep_top=True)
        if top != centred:
            yield top
    # search_squares come largest size first, so each size is one run
    for _, of_size in groupby(search_squares(*rgb.shape[:2]),
                              key=lambda square: square[2]):
        found = []
        for left, top, side in of_size:
            area = np.count_nonzero(
                person_mask(rgb[top:top + side, left:left + side]))
            if area:
                found.append((-area, (left, top, side)))
        yield from (square for _, square in sorted(found))


def find_person_square(
        rgb: np.ndarray, person_mask: Callable[[np.ndarray], np.ndarray],
        margin: float) -> Optional[Tuple[int, int, int]]:
    """The first of :func:`person_squares`; None when there is no
    person."""
    return next(person_squares(rgb, person_mask, margin), None)


class SampleMaker:
    """The per-photo work; one instance per worker process (MediaPipe's
    graphs are created lazily inside it)."""

    def __init__(self, out_dir: str, settings: BuildSettings):
        self.out_dir = out_dir
        self.settings = settings
        self.pose = MediaPipePose(key='img')
        self.distorted_pose = MediaPipePose(key='img', on_missing='empty')
        self.mask = MediaPipePersonMask(source='pose')
        self.heatmaps = [KeypointHeatmap(), ContourHeatmap(
            sigma_ratio=settings.contour_sigma_ratio)]
        self.edges = CannyEdges(key='gt')
        self.matrix = DistortionMatrix(grid=settings.grid)

    def _path(self, folder: str, sample_id: str, ext: str = '.png') -> str:
        return osp.join(self.out_dir, folder, sample_id + ext)

    def _write_png(self, folder: str, sample_id: str, image: np.ndarray):
        if image.ndim == 3 and image.shape[2] == 3:
            image = image[..., ::-1]  # OpenCV writes BGR
        ok, data = cv2.imencode('.png', np.ascontiguousarray(image))
        assert ok, 'PNG encoding of a uint8 array cannot fail'
        atomic_write_bytes(self._path(folder, sample_id), data.tobytes())

    def _detect(self, rgb: np.ndarray) -> Optional[Dict]:
        """``keypoints`` and ``mask`` of the person in ``rgb``; None when
        nobody is found."""
        try:
            found = self.mask(self.pose(dict(img=rgb)))
        except NoPersonFound:
            return None
        return found if found['mask'].any() else None

    def _person_mask(self, rgb: np.ndarray) -> np.ndarray:
        found = self._detect(rgb)
        return np.zeros(rgb.shape[:2], np.uint8) if found is None \
            else found['mask']

    def square_original(self, rgb: np.ndarray,
                        path: str) -> Tuple[np.ndarray, Dict, List[int]]:
        """The person's square of the photo at ``size`` px, the person found
        in it (``keypoints``, ``mask``) and the square's (left, top, side)
        in the photo: the first of :func:`person_squares` in which the
        detector finds the person again at ``size`` px."""
        size = self.settings.size
        for left, top, side in person_squares(rgb, self._person_mask,
                                              self.settings.crop_margin):
            interpolation = cv2.INTER_AREA if side > size else cv2.INTER_CUBIC
            square = cv2.resize(rgb[top:top + side, left:left + side],
                                (size, size), interpolation=interpolation)
            found = self._detect(square)
            if found is not None:
                return square, found, [left, top, side]
        raise NoPersonFound(f'{path}: no person found, on the whole photo '
                            'nor on any square of it')

    def make_sample(self, original: np.ndarray, keypoints: np.ndarray,
                    mask: np.ndarray, sample_id: str, seed: int,
                    provenance: Dict) -> Optional[Dict]:
        """Warp, compute every map and the restoration flow, write the
        sample; None when no body part can be warped."""
        warped = random_warp(
            original, keypoints, mask[..., 0], seed,
            preset=self.settings.preset,
            parts_distribution=self.settings.parts_distribution,
            liquify_share=self.settings.liquify_share,
            family=self.settings.warp_family)
        if warped is None:
            return None
        distorted, params, backward = warped
        flow, flow_valid = invert_backward_map(backward)
        results = dict(img=distorted, gt=original, img_path=sample_id)
        # The distortion matrix grades the warp alone, so the regions scored
        # as distorted are the same in a degraded variant as in the clean
        # build; the detector and the maps see the degraded photo, as they
        # see a user's photo.
        results = self.matrix(results)
        results['img'] = apply_degradation(distorted,
                                           self.settings.degradation)
        for transform in [self.distorted_pose, self.mask, *self.heatmaps,
                          self.edges]:
            results = transform(results)
        for folder, key in [('original', 'gt'), ('distorted', 'img'),
                            ('mask', 'mask'),
                            ('keypoint_heatmap', 'keypoint_heatmap'),
                            ('contour_heatmap', 'contour_heatmap'),
                            ('edge', 'edge'),
                            ('distortion_matrix', 'distortion_matrix')]:
            self._write_png(folder, sample_id, results[key])
        # the original's mask: fresh warps on the fly start from it
        self._write_png(ORIGINAL_MASK_FOLDER, sample_id, mask)
        write_flow(self.out_dir, sample_id, flow, flow_valid)
        levels = results['distortion_matrix']
        record = dict(
            id=sample_id,
            **provenance,
            warp=params,
            keypoints_original=np.round(keypoints, 2).tolist(),
            keypoints_distorted=np.round(results['keypoints'], 2).tolist(),
            person_found_on_distorted=bool(results['mask'].any()),
            largest_flow=round(float(np.abs(flow).max()), 3),
            flow_valid_share=round(float(flow_valid.mean()), 6),
            level_counts=np.bincount(levels.ravel(), minlength=4).tolist())
        if self.settings.degradation:
            # distorted = apply_degradation(apply_warp(original, warp), this)
            record['degradation'] = self.settings.degradation
        # last: its presence marks the sample complete
        atomic_write_text(self._path('warp', sample_id, '.json'),
                          json.dumps(record, indent=1) + '\n')
        return record

    def __call__(self, task: Tuple[str, str, str]) -> Dict:
        """Process one photo: (relative path, absolute path, split)."""
        rel, path, split = task
        pid = photo_id(rel)
        record_path = self._path('records', pid, '.json')
        if osp.isfile(record_path):
            with open(record_path) as f:
                return json.load(f)
        record = dict(photo=rel, id=pid, split=split, samples=[])
        try:
            photo = read_photo(path)
            record.update(mode=photo.mode, format=photo.format,
                          exif_transposed=photo.exif_transposed,
                          source_size=list(photo.rgb.shape[1::-1]))
            original, found, square = self.square_original(photo.rgb, path)
            record.update(person_square=square)
        except PhotoTooLarge as e:
            record.update(status='skipped', reason=f'too large: {e}')
        except PhotoReadError as e:
            record.update(status='skipped', reason=f'unreadable: {e}')
        except NoPersonFound as e:
            record.update(status='skipped', reason=f'no person: {e}')
        else:
            for k in range(self.settings.warps_for(split)):
                sample_id = f'{pid}_w{k}'
                done = self._path('warp', sample_id, '.json')
                if osp.isfile(done):
                    record['samples'].append(sample_id)
                    continue
                seed = derived_seed(self.settings.seed, rel, k)
                made = self.make_sample(
                    original, found['keypoints'], found['mask'], sample_id,
                    seed, dict(photo=rel, split=split, warp_index=k,
                               seed=seed))
                if made is None:
                    break
                record['samples'].append(sample_id)
            if record['samples']:
                record['status'] = 'ok'
            else:
                record.update(status='skipped',
                              reason='no warpable body part is visible')
        atomic_write_text(record_path, json.dumps(record, indent=1) + '\n')
        return record


_worker_maker: Optional[SampleMaker] = None


def _init_worker(out_dir: str, settings: BuildSettings) -> None:
    global _worker_maker
    # Ctrl-C reaches the whole process group: the parent reports it in one
    # line and ends the pool; each worker's own KeyboardInterrupt would
    # print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    cv2.setNumThreads(1)
    _worker_maker = SampleMaker(out_dir, settings)


def _work(task):
    return _worker_maker(task)


def build_dataset(src_dir: str,
                  out_dir: str,
                  settings: BuildSettings = BuildSettings(),
                  workers: int = 1,
                  progress: bool = True,
                  on_photo_done: Optional[Callable[[Dict], None]] = None,
                  provenance: Optional[Dict] = None) -> Dict:
    """Build (or finish building) the dataset of ``src_dir`` in ``out_dir``.

    Args:
        src_dir: Folder of photos (searched recursively). An optional
            ``photo_groups.json`` maps relative paths to group names, an
            optional ``photo_splits.json`` pins photos (and so their
            groups) to 'train', 'test' or 'val' (:func:`assign_splits`;
            ``settings.split_file`` replaces it).
        out_dir: Output folder; a previous, interrupted build there is
            continued.
        settings: The build settings; a rerun must use the same ones.
        workers: Processes (one photo each at a time).
        progress: Show a progress bar.
        on_photo_done: Called with each photo's record as it completes.
        provenance: Extra provenance for the manifest (e.g. the packages the
            built-in photos came from).

    Returns:
        The manifest.
    """
    # Everything that can be checked is checked before anything is written.
    settings.check()
    if not isinstance(workers, int) or workers < 1:
        raise InputError(f'workers must be at least 1, not {workers!r}')
    photos, rejected = list_photos(src_dir, out_dir)
    if not photos:
        raise InputError(f'no photos found in {src_dir} (looked for '
                         f'{", ".join(PHOTO_EXTENSIONS)})')
    groups = _read_photo_mapping(osp.join(src_dir, GROUPS_FILE),
                                 'group names')
    test_fraction = settings.test_fraction
    if settings.split_file is not None:
        splits_file = split_file_path(settings.split_file)
        pinned = read_split_file(splits_file)
        test_fraction = 0.0  # a fixed split: what it does not name trains
    else:
        splits_file = osp.join(src_dir, SPLITS_FILE)
        pinned = _read_photo_mapping(splits_file,
                                     'splits (train, test or val)')
    try:
        splits = assign_splits(photos, groups, settings.seed, test_fraction,
                               pinned)
    except InputError as e:  # only a pinned split can be wrong here
        raise InputError(f'{splits_file}: {e}') from None
    if settings.only_split is not None:
        # the splits above were assigned over every photo, so a photo lands
        # in the split it has in the full build
        photos = [p for p in photos if splits[p] == settings.only_split]
        if not photos:
            raise InputError(f'no photo of {src_dir} is in the '
                             f'{settings.only_split} split')
    hashes = hash_photos(src_dir, photos)
    if osp.isdir(out_dir):  # refuse a folder not ours before writing there
        _previous_build(out_dir)
    with folder_lock(out_dir):
        return _build_locked(src_dir, out_dir, settings, workers, progress,
                             on_photo_done, provenance, photos, rejected,
                             splits, hashes)


def _read_photo_mapping(path: str, what: str) -> Dict[str, str]:
    """{photo path: value} from a JSON file of the photo folder (the
    groups, the pinned splits); empty when there is no such file."""
    if not osp.isfile(path):
        return {}
    try:
        with open(path) as f:
            mapping = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f'{path}: unreadable ({e})')
    if not isinstance(mapping, dict) or not all(
            isinstance(v, str) for v in mapping.values()):
        raise InputError(f'{path}: not a mapping of photo paths to {what}')
    return mapping


def _build_locked(src_dir: str, out_dir: str, settings: BuildSettings,
                  workers: int, progress: bool,
                  on_photo_done: Optional[Callable[[Dict], None]],
                  provenance: Optional[Dict], photos: List[str],
                  rejected: List[Dict], splits: Dict[str, str],
                  hashes: Dict[str, str]) -> Dict:
    """build_dataset's work, while this process holds the folder's lock."""
    manifest_path = osp.join(out_dir, 'manifest.json')
    settings_dict = asdict(settings)
    previous = _previous_build(out_dir)
    if previous is not None:
        # a build made before a setting existed was made with its default
        if {**SETTINGS_ADDED_LATER, **previous['settings']} != settings_dict:
            raise InputError(
                f'{out_dir} was built with other settings '
                f'({previous["settings"]}); use another output folder or the '
                'same settings')
        _check_same_source(out_dir, previous, hashes)
    else:  # written now, so a rerun with other settings is caught early
        atomic_write_text(manifest_path, json.dumps(
            dict(settings=settings_dict, source_sha256=hashes,
                 complete=False), indent=1) + '\n')
    # what a killed run (ours: we hold the lock) was writing
    remove_stale_temp_files(out_dir, recursive=True)
    tasks = [(rel, osp.join(src_dir, rel), splits[rel]) for rel in photos]

    from tqdm import tqdm
    bar = tqdm(total=len(tasks), desc='photos', unit='photo',
               disable=not progress)
    records = []
    if workers > 1:
        import multiprocessing as mp
        # spawn, not fork: a process that has run torch, OpenCV or MediaPipe
        # holds thread pools whose locks a forked child inherits held (the
        # 2-worker build hung that way after a 1-worker build).
        with mp.get_context('spawn').Pool(
                workers, _init_worker, (out_dir, settings)) as pool:
            for record in pool.imap_unordered(_work, tasks):
                records.append(record)
                bar.update()
                if on_photo_done:
                    on_photo_done(record)
    else:
        maker = SampleMaker(out_dir, settings)
        for task in tasks:
            record = maker(task)
            records.append(record)
            bar.update()
            if on_photo_done:
                on_photo_done(record)
    bar.close()

    records.sort(key=lambda r: r['photo'])
    lists = {split: sorted(s for r in records if r['split'] == split
                           for s in r['samples'])
             for split in ('train', 'test', 'val')}
    # validation photos are train photos, held out of the fit split
    files = dict(train=sorted(lists['train'] + lists['val']),
                 test=lists['test'])
    if lists['val']:
        files.update(fit=lists['train'], val=lists['val'])
    for split, ids in files.items():
        atomic_write_text(osp.join(out_dir, f'{split}.txt'),
                          ''.join(i + '\n' for i in ids))
    samples = sum(len(r['samples']) for r in records)
    manifest = dict(
        format_version=FORMAT_VERSION,
        builder=f'ssgn_plugin {__version__} tools/build_dataset.py',
        source=src_dir,
        settings=settings_dict,
        provenance=provenance or {},
        # photos = photos_used + skipped; unsupported: files of other formats
        counts=dict(
            photos=len(photos), photos_used=sum(
                r.get('status') == 'ok' for r in records),
            samples=samples,
            train=len(files['train']), test=len(files['test']),
            val=len(lists['val']),
            skipped=sum(r.get('status') != 'ok' for r in records),
            unsupported=len(rejected)),
        photos=records + rejected,
        source_sha256=hashes,
        complete=True)
    atomic_write_text(manifest_path, json.dumps(manifest, indent=1) + '\n')
    return manifest
