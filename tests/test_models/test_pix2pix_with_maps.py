"""mmagic's Pix2Pix fed the semantic maps as extra channels (the -maps
configs): the pipeline, mmagic's DataPreprocessor with 6 channels, and a
training and a test step."""
import os.path as osp

import pytest
import torch
from mmagic.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper, OptimWrapperDict

from helpers import CROP_INDEX, REPO

CONFIG = osp.join(REPO, 'configs/pix2pix/'
                  'pix2pix_unet-bn_1xb1_dedistortion-maps-cpu.py')


def build(synthetic_pairs, split='test'):
    cfg = Config.fromfile(CONFIG)
    loader = cfg.train_dataloader if split == 'train' else cfg.val_dataloader
    loader.dataset.data_root = synthetic_pairs
    loader.dataset.pipeline[CROP_INDEX].size = 32
    cfg.model.generator.update(num_down=5, base_channels=8)
    cfg.model.discriminator.base_channels = 8
    return DATASETS.build(loader.dataset), MODELS.build(cfg.model)


def test_six_channels_through_mmagic_preprocessor(synthetic_pairs):
    dataset, model = build(synthetic_pairs)
    item = dataset[0]
    image = item['inputs']['img_distorted']
    assert image.shape == (6, 32, 32)
    sample = item['data_samples']
    assert sample.img.shape == (3, 32, 32)  # for the do-nothing baseline
    assert torch.equal(image[:3], sample.img)
    assert torch.equal(image[3:4], sample.mask.to(image.dtype))

    for training in (True, False):
        data = model.data_preprocessor(pseudo_collate([item]), training)
        x = data['inputs']['img_distorted']
        assert x.shape == (1, 6, 32, 32)
        # every channel scaled alike to [-1, 1]; no channel dropped or moved
        diff = (x[0] - (image.float() / 127.5 - 1)).abs().amax(dim=(1, 2))
        assert diff.tolist() == pytest.approx([0] * 6, abs=1e-6), training
        kept = data['data_samples'].img_distorted
        assert kept.shape[-3] == 6


def test_train_and_test_step_with_maps(synthetic_pairs):
    from mmengine import MessageHub
    MessageHub.get_current_instance().update_info('iter', 0)
    dataset, model = build(synthetic_pairs, 'train')
    assert model.generators['original'].model.model[0].in_channels == 6
    optims = OptimWrapperDict(
        generators=OptimWrapper(torch.optim.Adam(
            model.generators.parameters(), lr=2e-4)),
        discriminators=OptimWrapper(torch.optim.Adam(
            model.discriminators.parameters(), lr=2e-4)))
    log = model.train_step(pseudo_collate([dataset[0]]), optims)
    assert log['loss_pixel'] > 0 and log['loss_gan_d_real'] > 0
    test_set, _ = build(synthetic_pairs)
    out, = model.test_step(pseudo_collate([test_set[0]]))
    assert out.fake_original.shape == (3, 32, 32)
    assert out.img.shape == (3, 32, 32)
