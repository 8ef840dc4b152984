"""Each baseline end to end through tools/train.py and tools/test.py, as a
user runs them, on tiny synthetic pairs with shrunk networks: train,
checkpoint, resume (iteration and every optimizer's state restored), test.
"""
import json
import os.path as osp

import pytest
import torch

from helpers import (REPO, TEST_SCORES, adam_steps, load_checkpoint,
                     run_tool, tiny_data_options)

PIX2PIXHD = osp.join(REPO, 'configs/pix2pixhd/'
                     'pix2pixhd_local-in_1xb1_dedistortion-maps-1024.py')
BICYCLEGAN = osp.join(REPO, 'configs/bicyclegan/'
                      'bicyclegan_unet-in_1xb2_dedistortion-cpu.py')
PIX2PIX_MAPS = osp.join(REPO, 'configs/pix2pix/'
                        'pix2pix_unet-bn_1xb1_dedistortion-maps-cpu.py')

SHRINK = {
    PIX2PIXHD: [
        'model.generator.base_channels=4',
        'model.generator.num_downsamples_global=2',
        'model.generator.num_blocks_global=1',
        'model.generator.num_blocks_local=1',
        'model.discriminator.base_channels=4',
        # the VGG term needs ImageNet weights a test cannot have: off,
        # explicitly
        'model.vgg_loss=None',
        # 2 iterations of the global generator alone, 2 of the local
        # enhancer alone, then both
        'model.global_iters=2', 'model.fix_global_iters=2',
    ],
    BICYCLEGAN: [
        'model.generator.num_down=5', 'model.generator.base_channels=4',
        'model.encoder.base_channels=4',
    ] + [
        f'model.discriminator_{d}.{k}'
        for d in ('vae', 'lr') for k in ('base_channels=4', 'num_layers=2')
    ],
    PIX2PIX_MAPS: [
        'model.generator.num_down=5', 'model.generator.base_channels=8',
        'model.discriminator.base_channels=8',
    ],
}


def tiny(config, data_root, *extra):
    options = SHRINK[config] + tiny_data_options(data_root)
    return ['--cfg-options', *options, *extra]


@pytest.fixture(autouse=True)
def one_thread(monkeypatch):
    # tiny networks on a shared 2-core machine: threads only contend
    monkeypatch.setenv('OMP_NUM_THREADS', '1')


def train_resume_test(config, data_root, work_dir, tmp_path):
    """Train 4 iterations (checkpoints at 2 and 4), resume to 6, test the
    last checkpoint; return the three checkpoints and the metrics."""
    schedule = ['default_hooks.checkpoint.interval=2']
    run_tool('train.py', config, '--work-dir', work_dir,
             *tiny(config, data_root, 'train_cfg.max_iters=4',
                   'train_cfg.val_interval=4', *schedule))
    proc = run_tool('train.py', config, '--work-dir', work_dir, '--resume',
                    *tiny(config, data_root, 'train_cfg.max_iters=6',
                          'train_cfg.val_interval=6', *schedule))
    assert 'resumed at iteration 4' in proc.stdout
    out = tmp_path / 'metrics.json'
    proc = run_tool('test.py', config, work_dir / 'iter_6.pth', '--work-dir',
                    work_dir, '--out', out, *tiny(config, data_root))
    metrics = json.loads(out.read_text())
    assert set(metrics) == TEST_SCORES
    assert 5 < metrics['PSNR'] < 100 and -1 < metrics['SSIM'] < 1
    assert f"PSNR: {metrics['PSNR']:.4f}" in proc.stdout
    return [load_checkpoint(work_dir / f'iter_{i}.pth') for i in (2, 4, 6)]


def weights(state, prefix):
    return {k: v for k, v in state['state_dict'].items()
            if k.startswith(prefix)}


def same(a, b):
    return all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.slow
def test_pix2pixhd_schedule_resume_test(synthetic_pairs, tmp_path):
    it2, it4, it6 = train_resume_test(PIX2PIXHD, synthetic_pairs,
                                      tmp_path / 'work', tmp_path)
    assert it6['meta']['iter'] == 6
    glob = 'generator.global_generator.body.'
    local = 'generator.backs.'
    # iterations 3-4: the local enhancer alone, the global generator fixed
    assert same(weights(it2, glob), weights(it4, glob))
    assert not same(weights(it2, local), weights(it4, local))
    # iterations 5-6 (after the resume): both
    assert not same(weights(it4, glob), weights(it6, glob))
    assert not same(weights(it4, local), weights(it6, local))
    # Adam's step counts, restored across the resume: the global generator
    # and the local enhancer trained 4 of the 6 iterations each, the global
    # head only the first 2; D's finest scale sat out the first 2
    assert adam_steps(it6, 'generator') == {2.0, 4.0}
    assert adam_steps(it6, 'discriminator') == {4.0, 6.0}


@pytest.mark.slow
def test_bicyclegan_train_resume_test(synthetic_pairs, tmp_path):
    it2, it4, it6 = train_resume_test(BICYCLEGAN, synthetic_pairs,
                                      tmp_path / 'work', tmp_path)
    assert it6['meta']['iter'] == 6
    for name in ('generator', 'encoder', 'discriminator_vae',
                 'discriminator_lr'):
        assert adam_steps(it4, name) == {4.0}, name
        assert adam_steps(it6, name) == {6.0}, name  # counted on after resume


@pytest.mark.slow
def test_bicyclegan_odd_batch_is_one_line(synthetic_pairs, tmp_path):
    proc = run_tool('train.py', BICYCLEGAN, '--work-dir', tmp_path / 'w',
                    *tiny(BICYCLEGAN, synthetic_pairs,
                          'train_dataloader.batch_size=3',
                          'train_cfg.max_iters=1'), check=False)
    assert proc.returncode == 2
    assert 'error: BicycleGAN trains on an even batch' in proc.stderr
    assert 'got 3' in proc.stderr and 'Traceback' not in proc.stderr


@pytest.mark.slow
def test_pix2pix_with_maps_train_test(synthetic_pairs, tmp_path):
    work_dir = tmp_path / 'work'
    run_tool('train.py', PIX2PIX_MAPS, '--work-dir', work_dir,
             *tiny(PIX2PIX_MAPS, synthetic_pairs, 'train_cfg.max_iters=2',
                   'train_cfg.val_interval=2',
                   'default_hooks.checkpoint.interval=2'))
    state = load_checkpoint(work_dir / 'iter_2.pth')
    first_conv = [v for k, v in state['state_dict'].items()
                  if k.startswith('generators.') and v.ndim == 4][0]
    assert first_conv.shape[1] == 6  # image + 3 maps
    assert adam_steps(state, 'generators') == {2.0}
    out = tmp_path / 'metrics.json'
    run_tool('test.py', PIX2PIX_MAPS, work_dir / 'iter_2.pth', '--work-dir',
             work_dir, '--out', out, *tiny(PIX2PIX_MAPS, synthetic_pairs))
    metrics = json.loads(out.read_text())
    # the do-nothing baseline is the 3-channel distorted image
    assert set(metrics) == TEST_SCORES
    assert metrics['PSNR_input'] > 15 and 0 < metrics['SSIM_input'] < 1
