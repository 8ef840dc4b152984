"""End to end through tools/train.py and tools/test.py, as a user runs them:
the plumbing config (mmagic's Pix2Pix), shrunk to 32 px and 8 channels."""
import json
import os.path as osp

import pytest

from helpers import (REPO, TEST_SCORES, adam_steps, load_checkpoint,
                     run_tool, tiny_data_options)

CONFIG = osp.join(REPO, 'configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py')


def tiny(data_root):
    """--cfg-options that make the plumbing config fast on the CPU."""
    options = [
        'model.generator.num_down=5', 'model.generator.base_channels=8',
        'model.discriminator.base_channels=8'
    ]
    return options + tiny_data_options(data_root)


def _adam_steps(checkpoint, name):
    state = load_checkpoint(checkpoint)
    return state['meta']['iter'], adam_steps(state, name)


@pytest.mark.slow
def test_train_checkpoint_resume_test(synthetic_pairs, tmp_path):
    work_dir = tmp_path / 'work'
    run_tool('train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
             *tiny(synthetic_pairs), 'train_cfg.max_iters=4',
             'train_cfg.val_interval=4', 'default_hooks.checkpoint.interval=2')
    assert _adam_steps(work_dir / 'iter_4.pth', 'generators') == (4, {4.0})

    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, '--resume',
                    '--cfg-options', *tiny(synthetic_pairs),
                    'train_cfg.max_iters=6', 'train_cfg.val_interval=6',
                    'default_hooks.checkpoint.interval=2')
    assert 'resumed epoch: 0, iter: 4' in proc.stdout + proc.stderr
    # Adam kept counting from its restored state: 6 steps, not 2
    assert _adam_steps(work_dir / 'iter_6.pth', 'generators') == (6, {6.0})
    assert _adam_steps(work_dir / 'iter_6.pth', 'discriminators') == (6, {6.0})

    out = tmp_path / 'metrics.json'
    proc = run_tool('test.py', CONFIG, work_dir / 'iter_6.pth', '--work-dir',
                    work_dir, '--out', out, '--cfg-options',
                    *tiny(synthetic_pairs))
    metrics = json.loads(out.read_text())
    assert set(metrics) == TEST_SCORES
    assert 5 < metrics['PSNR'] < 100 and 0 < metrics['SSIM'] < 1
    assert f"PSNR: {metrics['PSNR']:.4f}" in proc.stdout


def _one_line_error(proc):
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = [line for line in proc.stderr.splitlines()
             if line.startswith('error: ')]
    assert len(lines) == 1 and 'Traceback' not in proc.stderr
    return lines[0]


def test_missing_config_is_one_line(tmp_path):
    missing = tmp_path / 'nope.py'
    proc = run_tool('train.py', missing, check=False)
    assert _one_line_error(proc) == f'error: config file not found: {missing}'


def test_broken_config_is_one_line(tmp_path):
    broken = tmp_path / 'broken.py'
    broken.write_text('model = dict(type=\n')
    proc = run_tool('test.py', broken, 'x.pth', check=False)
    assert _one_line_error(proc).startswith(f'error: cannot read config {broken}')


def test_empty_dataset_folder_is_one_line(tmp_path):
    empty = tmp_path / 'empty'
    (empty / 'distorted').mkdir(parents=True)
    (empty / 'train.txt').write_text('')
    proc = run_tool('train.py', CONFIG, '--work-dir', tmp_path / 'w',
                    '--cfg-options', *tiny(empty), check=False)
    assert _one_line_error(proc) == (
        f"error: split file lists no samples: {empty / 'train.txt'}")

    proc = run_tool('train.py', CONFIG, '--work-dir', tmp_path / 'w',
                    '--cfg-options', *tiny(empty),
                    'train_dataloader.dataset.split=None', check=False)
    assert _one_line_error(proc).startswith(
        f"error: no images found in {empty / 'distorted'}")


def test_missing_checkpoint_is_one_line(synthetic_pairs, tmp_path):
    proc = run_tool('test.py', CONFIG, tmp_path / 'none.pth', '--cfg-options',
                    *tiny(synthetic_pairs), check=False)
    assert _one_line_error(proc) == (
        f"error: checkpoint file not found: {tmp_path / 'none.pth'}")
