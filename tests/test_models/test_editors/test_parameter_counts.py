"""Parameter counts of every baseline network with the official default
options, against the counts measured on the official implementations
(NVIDIA/pix2pixHD, junyanz/BicycleGAN, mmagic's Pix2Pix)."""
import os.path as osp

import pytest
from mmagic.registry import MODELS
from mmengine.config import Config

from helpers import REPO

OFFICIAL = [
    # pix2pixHD: global generator (3 in, 3 out, ngf 64, 4 downsamplings, 9
    # blocks, instance norm)
    (dict(type='GlobalGenerator'), 182_443_267),
    # local enhancer (ngf 32, 1 enhancer, 3 local blocks)
    (dict(type='LocalEnhancer'), 182_701_827),
    # multi-scale discriminator (6 in, ndf 64, 3 layers, with features)
    (dict(type='MultiscaleDiscriminator', in_channels=6), 5_535_618),
    (dict(type='MultiscaleDiscriminator', in_channels=6, num_scales=3),
     8_303_427),
    # BicycleGAN: unet_256 with z at all layers, nz 8, ngf 64, instance norm
    (dict(type='LatentUnetGenerator'), 54_794_627),
    # resnet_256 encoder, nz 8
    (dict(type='LatentEncoder'), 2_590_032),
    # basic_256_multi (2 scales, 3 input channels)
    (dict(type='MultiscaleDiscriminator', in_channels=3, padding=1,
          halve_channels_per_scale=True, return_features=False), 3_458_978),
    # mmagic's Pix2Pix networks
    (dict(type='UnetGenerator', in_channels=3, out_channels=3, num_down=8,
          base_channels=64, norm_cfg=dict(type='BN'), use_dropout=True),
     54_413_955),
    (dict(type='PatchDiscriminator', in_channels=6, base_channels=64,
          num_conv=3, norm_cfg=dict(type='BN')), 2_768_705),
]


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('cfg,official', OFFICIAL,
                         ids=[f"{c['type']}-{n}" for c, n in OFFICIAL])
def test_official_defaults(cfg, official):
    assert count(MODELS.build(cfg)) == official


# The configs build the official networks; the 1024 px pix2pixHD keeps the
# global generator's output head (reflect pad + 7x7 conv 64 -> 3) to train
# it alone first: 64 * 3 * 49 + 3 = 9,411 more.
CONFIGS = {
    'pix2pixhd/pix2pixhd_global-in_1xb1_dedistortion-cpu.py':
    dict(generator=182_443_267, discriminator=5_535_618),
    'pix2pixhd/pix2pixhd_local-in_1xb1_dedistortion-1024.py':
    dict(generator=182_701_827 + 9_411, discriminator=8_303_427),
    'bicyclegan/bicyclegan_unet-in_1xb2_dedistortion-cpu.py':
    dict(generator=54_794_627, encoder=2_590_032,
         discriminator_vae=3_458_978, discriminator_lr=3_458_978),
    'pix2pix/pix2pix_unet-bn_1xb1_dedistortion-1024.py':
    dict(generator=54_413_955, discriminator=2_768_705),
}


@pytest.mark.parametrize('config', sorted(CONFIGS))
def test_configs_build_official_networks(config):
    model = Config.fromfile(osp.join(REPO, 'configs', config)).model
    for part, official in CONFIGS[config].items():
        assert count(MODELS.build(model[part])) == official, part
