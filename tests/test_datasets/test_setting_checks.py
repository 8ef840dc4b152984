"""Every transform refuses a setting out of range when it is built, as a
config (or ``--cfg-options``) builds it, with one line naming the
transform and the setting (issue 22, defect 6: ``jpeg_prob=-1``,
``jpeg_quality=(0,200)`` and ``preset=extreme`` ended in tracebacks, a
crop of ``size=0`` in OpenCV's assertion at the first training step)."""
import re

import pytest
from mmagic.registry import TRANSFORMS

from ssgn_plugin.utils import InputError

PRESETS = "'mild', 'moderate', 'strong', 'bold'"
# What each transform needs besides the setting under test.
REQUIRED = dict(
    PairedFlip=dict(keys=['img']),
    PairedRandomResizedCrop=dict(keys=['img'], size=32),
    PairedRandomRotation=dict(keys=['gt']),
    RandomBackgroundSwap=dict(data_root='dataset'),
)


@pytest.mark.parametrize('transform, setting, message', [
    ('RandomInputDegradation', dict(jpeg_prob=-1),
     'jpeg_prob must be in [0, 1], got -1'),
    ('RandomInputDegradation', dict(jpeg_quality=(0, 200)),
     'jpeg_quality must be a (min, max) range with 1 <= min <= max <= 100, '
     'got (0, 200)'),
    ('RandomInputDegradation', dict(jpeg_quality=90),
     'jpeg_quality must be a (min, max) range with 1 <= min <= max <= 100, '
     'got 90'),
    ('RandomRetouchWarp', dict(preset='extreme'),
     f"preset must be one of {PRESETS}, got 'extreme'"),
    ('RandomRetouchWarp', dict(preset=dict(moderate=1, extreme=1)),
     f"a preset of the mix must be one of {PRESETS}, got 'extreme'"),
    ('RandomRetouchWarp', dict(warmup_preset='huge'),
     f"warmup_preset must be one of {PRESETS}, got 'huge'"),
    ('RandomRetouchWarp', dict(warmup_samples=-1),
     'warmup_samples must be a whole number of at least 0, got -1'),
    ('RandomRetouchWarp', dict(liquify_share=1.5),
     'liquify_share must be in [0, 1], got 1.5'),
    ('RandomRetouchWarp', dict(parts_distribution=[-1, 0]),
     'parts_distribution must list the (non-negative) chances of 1, 2, ... '
     'parts, with a positive sum; got [-1, 0]'),
    ('RandomRetouchWarp', dict(grid=0),
     'grid must be a whole number of at least 1, got 0'),
    ('RandomRetouchWarp', dict(attempts=0),
     'attempts must be a whole number of at least 1, got 0'),
    ('RandomRetouchWarp', dict(contour_sigma_ratio=0),
     'contour_sigma_ratio must be in (0, 0.2], got 0'),
    ('PairedRandomResizedCrop', dict(size=0),
     'size must be a whole number of pixels of at least 1, got 0'),
    ('PairedRandomResizedCrop', dict(size=32.5),
     'size must be a whole number of pixels of at least 1, got 32.5'),
    ('PairedRandomResizedCrop', dict(keys='img'),
     "keys must be a list of key names, got 'img'"),
    ('PairedFlip', dict(flip_ratio=2),
     'flip_ratio must be in [0, 1], got 2'),
    ('PairedFlip', dict(direction='diagonal'),
     "direction must be one of 'horizontal', 'vertical', got 'diagonal'"),
    ('PairedRandomRotation', dict(keys='gt'),
     "keys must be a list of key names, got 'gt'"),
    ('RandomBackgroundSwap', dict(feather=-1),
     'feather must be 0 or more px, got -1'),
    ('RandomBackgroundSwap', dict(scale=0.5),
     'scale must be a (min, max) range with 0 < min <= max <= 1, got 0.5'),
    ('RandomPhotometricJitter', dict(gain='0.1'),
     "gain must be in [0, 1], got '0.1'"),
    ('DistortionMatrix', dict(grid=0),
     'grid must be a whole number of at least 1, got 0'),
    ('DistortionMatrix', dict(thresholds=[(30, )]),
     'thresholds must be a list of (PSNR, SSIM) pairs, got [(30,)]'),
    ('ConcatInputMaps', dict(maps='mask'),
     "maps must be a list of key names, got 'mask'"),
    ('PackDedistortionInputs', dict(input_maps='mask'),
     "input_maps must be a list of key names, got 'mask'"),
])
def test_a_setting_out_of_range_is_refused_in_one_line(transform, setting,
                                                       message):
    cfg = dict(REQUIRED.get(transform, {}), type=transform, **setting)
    # MMEngine's registry re-raises it as its own type, with the class and
    # module before it (which the tools drop)
    with pytest.raises(InputError,
                       match=re.escape(f'{transform}: {message}') + '$'):
        TRANSFORMS.build(cfg)
