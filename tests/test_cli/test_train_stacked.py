"""SSGN end to end through tools/train_stacked.py, tools/train.py and
tools/test.py, as a user runs them: the CPU stage configs shrunk to 32 px
and 4 channels on tiny synthetic pairs."""
import json
import os.path as osp

import torch

import pytest
from helpers import (REPO, TEST_SCORES, adam_steps, load_checkpoint,
                     run_tool, tiny_data_options, work_dir_logs)

from ssgn_plugin.utils import InputError

X8 = osp.join(REPO, 'configs/ssgn_x8.py')
X4 = osp.join(REPO, 'configs/ssgn_x4.py')
OPTIMIZERS = ('generator', 'global_discriminator', 'local_discriminator',
              'keypoint_discriminator', 'contour_discriminator')
# modules of stack x8 in a state dict (down_depth=0: no sampling parts)
X8_KEYS = ('generator.scale_in_blocks.x8.', 'generator.decoders.x8.',
           'generator.image_output_blocks.x8.', 'generator.edge_output_blocks.x8.',
           'generator.feature_processing_part.')
X4_KEYS = tuple(k.replace('x8', 'x4') for k in X8_KEYS[:4]) + (
    'generator.encoder_downsamples.x4.', )


def tiny(data_root):
    options = [
        'model.generator.base_channels=4', 'model.generator.down_depth=0',
        'model.local_discriminator.num_patches=2',
        # the loss schedule's second period from iteration 3
        'custom_hooks.0.milestones=[3]', 'custom_hooks.0.by_epoch=False',
    ]
    for disc in ('global', 'local', 'keypoint', 'contour'):
        options += [f'model.{disc}_discriminator.base_channels=4',
                    f'model.{disc}_discriminator.num_down=1']
    return options + tiny_data_options(data_root)


def _part(state, prefixes):
    return {k: v for k, v in state['state_dict'].items()
            if k.startswith(prefixes)}


@pytest.mark.slow
def test_stacked_training_resume_and_test(synthetic_pairs, tmp_path):
    root = tmp_path / 'stacked'
    proc = run_tool('train_stacked.py', X8, X4, '--work-root', root,
                    '--cfg-options', *tiny(synthetic_pairs),
                    'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                    'default_hooks.checkpoint.interval=2')
    x8_last = root / 'ssgn_x8' / 'iter_2.pth'
    assert '[ssgn_x8] starting\n' in proc.stdout
    assert f'[ssgn_x4] starting from {x8_last}' in proc.stdout
    x8 = load_checkpoint(x8_last)
    assert x8['meta']['ssgn_stage'] == dict(num_stacks=1, name='SSGN_x8',
                                            frozen_stacks=0)
    x4 = load_checkpoint(root / 'ssgn_x4' / 'iter_2.pth')
    assert x4['meta']['ssgn_stage'] == dict(num_stacks=2, name='SSGN_x4',
                                            frozen_stacks=1)
    for name in OPTIMIZERS:
        assert adam_steps(x4, name) == {2.0}, name

    # Resume SSGN_x4 with tools/train.py for a longer run: the stage, the
    # iteration, every optimizer and the loss period come back.
    proc = run_tool('train.py', X4, '--work-dir', root / 'ssgn_x4',
                    '--resume', '--cfg-options', *tiny(synthetic_pairs),
                    'train_cfg.max_iters=4', 'train_cfg.val_interval=4',
                    'default_hooks.checkpoint.interval=2')
    assert 'ssgn_x4: resumed at iteration 2' in proc.stdout
    assert 'Iteration 3: loss period 1' in work_dir_logs(root / 'ssgn_x4')
    x4 = load_checkpoint(root / 'ssgn_x4' / 'iter_4.pth')
    assert x4['meta']['iter'] == 4 and x4['meta']['ssgn_stage']['name'] == \
        'SSGN_x4'
    for name in OPTIMIZERS:  # Adam kept counting: 4 steps, not 2
        assert adam_steps(x4, name) == {4.0}, name
    # stack x8 stayed as SSGN_x8 left it through both runs; stack x4 trained
    frozen, trained = _part(x8, X8_KEYS), _part(x4, X8_KEYS)
    assert len(frozen) > 20 and frozen.keys() == trained.keys()
    assert all(torch.equal(frozen[k], trained[k]) for k in frozen)
    new_before, new_after = _part(x8, X4_KEYS), _part(x4, X4_KEYS)
    assert all(not torch.equal(new_before[k], new_after[k])
               for k in new_before if k.endswith('weight'))

    out = tmp_path / 'metrics.json'
    run_tool('test.py', X4, root / 'ssgn_x4' / 'iter_4.pth', '--work-dir',
             tmp_path / 'test', '--out', out, '--cfg-options',
             *tiny(synthetic_pairs), 'model.test_cfg.all_scales=True')
    metrics = json.loads(out.read_text())
    assert set(metrics) == TEST_SCORES
    assert 5 < metrics['PSNR'] < 100 and 0 < metrics['SSIM'] < 1


def _stage_dir(root, name, saved, last):
    """A stage work dir with checkpoints at ``saved`` iterations, the
    last_checkpoint marker at ``last``."""
    folder = root / name
    folder.mkdir(parents=True)
    for it in saved:
        (folder / f'iter_{it}.pth').write_bytes(b'')
    if last is not None:
        (folder / 'last_checkpoint').write_text(str(folder / f'iter_{last}.pth'))


def test_train_stacked_skips_finished_resumes_interrupted(tmp_path,
                                                         monkeypatch):
    """The decisions of tools/train_stacked.py, with the training itself
    replaced by a recorder that writes the checkpoint a run would."""
    from ssgn_plugin.cli import train, train_stacked
    root = tmp_path / 'work'
    _stage_dir(root, 'ssgn_x8', [2, 4], last=4)  # finished (max_iters 4)
    _stage_dir(root, 'ssgn_x4', [2], last=2)  # interrupted
    runs = []

    def fake_train(argv):
        runs.append(argv)
        work_dir = argv[argv.index('--work-dir') + 1]
        name = osp.basename(work_dir)
        if not osp.isdir(work_dir):
            _stage_dir(root, name, [], None)
        (root / name / 'iter_4.pth').write_bytes(b'')
        (root / name / 'last_checkpoint').write_text(
            str(root / name / 'iter_4.pth'))

    monkeypatch.setattr(train, 'main', fake_train)
    configs = [osp.join(REPO, f'configs/ssgn_{s}.py') for s in ('x8', 'x4',
                                                                'x2')]
    train_stacked.main([*configs, '--work-root', str(root), '--cfg-options',
                        'train_cfg.max_iters=4'])
    assert [osp.basename(argv[0]) for argv in runs] == ['ssgn_x4.py',
                                                        'ssgn_x2.py']
    x4, x2 = runs
    assert x4[x4.index('--resume') + 1] == str(root / 'ssgn_x4' / 'iter_2.pth')
    assert 'load_from=' not in ' '.join(x4)
    assert '--resume' not in x2
    assert x2[-2:] == ['train_cfg.max_iters=4',
                       f"load_from={root / 'ssgn_x4' / 'iter_4.pth'}"]

    # A stage that stops short of max_iters stops the chain.
    monkeypatch.setattr(train, 'main', lambda argv: None)
    _stage_dir(root, 'ssgn_x1', [1], last=1)
    with pytest.raises(InputError, match='ssgn_x1 did not reach iteration 4'):
        train_stacked.main([configs[0], osp.join(REPO, 'configs/ssgn_x1.py'),
                            '--work-root', str(root), '--cfg-options',
                            'train_cfg.max_iters=4'])


def test_train_stacked_missing_config_is_one_line(tmp_path):
    missing = tmp_path / 'nope.py'
    proc = run_tool('train_stacked.py', missing, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == \
        f'error: config file not found: {missing}'
