"""Test variants of a build: the same test photos, squares and seeds as the
clean build, with the distorted photo degraded on its way to a user or
warped by the family held out from training.

A variant is a set of :class:`BuildSettings` changes; the builder makes it
like any build, of the test split alone, into its own folder
(``tools/build_dataset.py --builtin --variant NAME`` writes
``data/builtin_NAME``). With the clean build's other settings the
degradation variants hold the clean test pairs' very warps (the seeds come
from the seed, the photo and the warp index), so their scores differ from
the clean split's by the degradation alone.

The degradations are applied to the 512 px sample, as a photo is degraded
at its own size before a restorer shrinks the person's square to its
working size; the CPU configs test at 256 px:

- ``jpeg75``: saved once as JPEG at quality 75 (Pillow, 4:2:0);
- ``half``: shrunk to a quarter of the sample's side (128 px of 512, area
  averaging) and enlarged back (bicubic): half the resolution the 256 px
  models see (half of the 512 px sample would vanish in the test
  pipeline's own shrink to 256 px);
- ``palette256``: a 256-colour median-cut palette with Floyd-Steinberg
  dithering, as GIF makers save a before/after animation;
- ``skeleton``: no degradation; the warps are the held-out skeleton family
  (:mod:`.warping.skeleton_warp`) at the build's preset, so its pairs are
  other warps than the clean build's;
- ``bold``: no degradation; the clean build's warp families at the
  ``'bold'`` preset (phone-app slimming, moves of 4-5% of the person's
  height), which the released models never train on: does a model that
  learnt moderate moves undo larger ones?
"""
import copy
import dataclasses
from typing import Dict

TEST_VARIANTS: Dict[str, Dict] = {
    'jpeg75': dict(degradation=[dict(kind='jpeg', quality=[75])]),
    'half': dict(degradation=[dict(kind='rescale', scale=0.25, down='area',
                                   up='cubic')]),
    'palette256': dict(degradation=[dict(kind='quantise', colours=256,
                                         dither=True)]),
    'skeleton': dict(warp_family='skeleton'),
    'bold': dict(preset='bold'),
}


def variant_settings(settings, variant: str):
    """``settings`` (a :class:`BuildSettings`) changed into test variant
    ``variant`` (a key of :data:`TEST_VARIANTS`): the test split alone."""
    if variant not in TEST_VARIANTS:
        raise ValueError(f'unknown test variant {variant!r}; choose from '
                         f'{", ".join(TEST_VARIANTS)}')
    return dataclasses.replace(settings, only_split='test',
                               **copy.deepcopy(TEST_VARIANTS[variant]))
