"""End to end through tools/train.py and tools/test.py, as a user runs them:
the plumbing config (mmagic's Pix2Pix), shrunk to 32 px and 8 channels."""
import csv
import json
import os.path as osp

import pytest

from helpers import (CROP_INDEX, REPO, TEST_SCORES, adam_steps,
                     load_checkpoint, run_tool, tiny_data_options)

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
    # what the weights cost (TrainingCostHook, added by tools/train.py)
    cost = load_checkpoint(work_dir / 'iter_4.pth')['meta']['training_cost']
    assert cost['images'] == 4
    assert cost['wall_seconds'] > 0 and cost['cpu_seconds'] > 0

    proc = run_tool('train.py', CONFIG, '--work-dir', work_dir, '--resume',
                    '--cfg-options', *tiny(synthetic_pairs),
                    'train_cfg.max_iters=6', 'train_cfg.val_interval=6',
                    'default_hooks.checkpoint.interval=2')
    assert 'work: resumed at iteration 4' in proc.stdout
    # Adam kept counting from its restored state: 6 steps, not 2
    assert _adam_steps(work_dir / 'iter_6.pth', 'generators') == (6, {6.0})
    assert _adam_steps(work_dir / 'iter_6.pth', 'discriminators') == (6, {6.0})
    # the cost went on from the resumed checkpoint's
    resumed = load_checkpoint(work_dir / 'iter_6.pth')['meta'][
        'training_cost']
    assert resumed['images'] == 6
    assert resumed['wall_seconds'] > cost['wall_seconds']
    assert resumed['cpu_seconds'] > cost['cpu_seconds']

    out = tmp_path / 'metrics.json'
    proc = run_tool('test.py', CONFIG, work_dir / 'iter_6.pth', '--work-dir',
                    work_dir, '--out', out, '--cfg-options',
                    *tiny(synthetic_pairs))
    metrics = json.loads(out.read_text())
    assert set(metrics) == TEST_SCORES
    assert 5 < metrics['PSNR'] < 100 and 0 < metrics['SSIM'] < 1
    assert f"PSNR: {metrics['PSNR']:.4f}" in proc.stdout

    # the comparison reads the training cost from the checkpoint
    out_dir = tmp_path / 'results'
    run_tool('test.py', '--compare', f'tiny={CONFIG}:{work_dir}/iter_6.pth',
             '--out-dir', out_dir, '--out-name', 'tiny_comparison',
             '--grid-rows', '1', '--cfg-options', *tiny(synthetic_pairs))
    with open(out_dir / 'tiny_comparison.csv') as f:
        rows = list(csv.DictReader(f))
    assert [(r['Method'], r['Train images']) for r in rows] == [
        ('Distorted input (do nothing)', ''), ('tiny', '6')]
    assert float(rows[1]['Train CPU min']) == pytest.approx(
        resumed['cpu_seconds'] / 60, rel=1e-3)
    assert (out_dir / 'tiny_comparison.png').is_file()


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


def _run_in_process(cli_module, *args):
    """(exit status, the one error line) of a tool run in this process (a
    fresh interpreter takes ~20 s to import everything)."""
    import contextlib
    import io
    from ssgn_plugin.cli.runner_setup import run_cli
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = run_cli(cli_module.main, [str(a) for a in args])
    err = stderr.getvalue()
    lines = [line for line in err.splitlines() if line.startswith('error: ')]
    assert len(lines) == 1 and 'Traceback' not in err, err[-3000:]
    return status, lines[0]


def _tiny_checkpoint(path):
    """Weights of the tiny plumbing model, as tools/test.py loads them."""
    import torch
    from mmagic.registry import MODELS
    from mmengine.config import Config
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict({'model.generator.num_down': 5,
                         'model.generator.base_channels': 8,
                         'model.discriminator.base_channels': 8})
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                    meta={}), path)
    return path


@pytest.mark.parametrize('tool, option, problem', [
    ('train', 'model.generator.base_channel=16',
     "UnetGenerator.__init__() got an unexpected keyword argument "
     "'base_channel'"),
    ('train', 'train_dataloader.dataset.pipeline.0.type=LoadImageChekced',
     'LoadImageChekced is not in the mmagic::transform registry'),
    ('test', 'model.generator.base_channel=16',
     "UnetGenerator.__init__() got an unexpected keyword argument "
     "'base_channel'"),
    ('test', 'test_dataloader.dataset.pipeline.1.type=LoadImageChekced',
     'LoadImageChekced is not in the mmagic::transform registry'),
])
def test_bad_cfg_option_is_one_line_naming_it(synthetic_pairs, tmp_path,
                                              tool, option, problem):
    """Issue 21, defect 5: an unknown type or an argument the class does
    not take gave a 50-line traceback."""
    from ssgn_plugin.cli import test as test_cli
    from ssgn_plugin.cli import train as train_cli
    options = ['--cfg-options', *tiny(synthetic_pairs),
               f'experiment_name=bad_option_{tool}_{option[:5]}', option]
    if tool == 'train':
        status, line = _run_in_process(
            train_cli, CONFIG, '--work-dir', tmp_path / 'w', *options)
    else:
        status, line = _run_in_process(
            test_cli, CONFIG, _tiny_checkpoint(tmp_path / 'tiny.pth'),
            '--work-dir', tmp_path / 'w', *options)
    assert status == 2
    assert line == f'error: --cfg-options {option}: {problem}'


def test_transform_setting_out_of_range_is_one_line(synthetic_pairs,
                                                    tmp_path):
    """Issue 22, defect 6: a crop of size 0 ended in OpenCV's assertion at
    the first training step; the transform refuses it when it is built."""
    from ssgn_plugin.cli import train as train_cli
    status, line = _run_in_process(
        train_cli, CONFIG, '--work-dir', tmp_path / 'w', '--cfg-options',
        *tiny(synthetic_pairs), 'experiment_name=bad_crop_size',
        f'train_dataloader.dataset.pipeline.{CROP_INDEX}.size=0')
    assert status == 2
    assert line == ('error: PairedRandomResizedCrop: size must be a whole '
                    'number of pixels of at least 1, got 0')


def test_test_out_that_cannot_be_written_stops_before_the_evaluation(
        tmp_path, monkeypatch):
    """Issue 21, defect 6: --out naming a folder ran the whole evaluation,
    then failed with IsADirectoryError, the metrics lost."""
    from ssgn_plugin.cli import test as test_cli

    def evaluate(*args, **kwargs):
        raise AssertionError('evaluated before --out was checked')

    monkeypatch.setattr(
        'ssgn_plugin.evaluation.comparison.evaluate_checkpoint', evaluate)
    checkpoint = tmp_path / 'model.pth'
    checkpoint.write_bytes(b'')
    folder = tmp_path / 'results'
    folder.mkdir()
    assert _run_in_process(test_cli, CONFIG, checkpoint, '--out', folder) == (
        2, f'error: --out {folder}: is a folder; name the metrics file, '
        f'e.g. {folder / "metrics.json"}')
    blocker = tmp_path / 'a_file'
    blocker.write_text('keep')
    assert _run_in_process(test_cli, CONFIG, checkpoint, '--out',
                           blocker / 'metrics.json') == (
        2, f'error: --out {blocker / "metrics.json"}: {blocker}: exists and '
        'is not a folder')
    assert blocker.read_text() == 'keep'
