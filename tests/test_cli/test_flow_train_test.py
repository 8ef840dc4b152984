"""The flow-guided models end to end through tools/train_stacked.py,
tools/train.py and tools/test.py, trained on fresh warps drawn on the fly
from tiny synthetic pairs (tested on the built pairs)."""
import json
import os.path as osp

import pytest
from helpers import (FLOW_TEST_SCORES, FRESH_WARP_CROP_INDEX, REPO,
                     load_checkpoint, run_tool, tiny_data_options,
                     work_dir_logs)

from .test_train_stacked import tiny

FLOW_X8 = osp.join(REPO, 'configs/ssgn_flow_x8.py')
FLOW_X4 = osp.join(REPO, 'configs/ssgn_flow_x4.py')
PIX2PIX_FLOW = osp.join(
    REPO, 'configs/pix2pix/pix2pix_unet-flow_1xb1_dedistortion-cpu.py')


def tiny_flow(data_root):
    options = [o for o in tiny(data_root)
               if not o.startswith('train_dataloader.dataset.pipeline.')]
    return options + [
        f'train_dataloader.dataset.pipeline.{FRESH_WARP_CROP_INDEX}.size=32']


@pytest.mark.slow
def test_ssgn_flow_stages_train_on_fresh_warps_and_test(synthetic_pairs,
                                                        tmp_path):
    root = tmp_path / 'flow'
    proc = run_tool('train_stacked.py', FLOW_X8, FLOW_X4, '--work-root',
                    root, '--cfg-options', *tiny_flow(synthetic_pairs),
                    'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
                    'default_hooks.checkpoint.interval=2')
    log = work_dir_logs(root / 'ssgn_flow_x8', root / 'ssgn_flow_x4')
    assert 'loss_flow_epe_x8' in log and 'loss_flow_epe_x4' in log
    x4 = root / 'ssgn_flow_x4' / 'iter_2.pth'
    state = load_checkpoint(x4)['state_dict']
    assert any(k.startswith('generator.flow_output_blocks.x4.')
               for k in state)
    assert not any('image_output_blocks' in k for k in state)
    out = tmp_path / 'metrics.json'
    run_tool('test.py', FLOW_X4, x4, '--work-dir', tmp_path / 'test', '--out',
             out, '--cfg-options', *tiny_flow(synthetic_pairs))
    metrics = json.loads(out.read_text())
    assert set(metrics) == FLOW_TEST_SCORES


@pytest.mark.slow
def test_pix2pix_flow_trains_and_tests(synthetic_pairs, tmp_path):
    work = tmp_path / 'p2p'
    options = tiny_data_options(synthetic_pairs, size=32,
                                train_crop_index=FRESH_WARP_CROP_INDEX) + [
        'model.generator.generator.num_down=5',
        'model.generator.generator.base_channels=8',
        'model.discriminator.base_channels=8', 'model.size_divisor=32']
    proc = run_tool('train.py', PIX2PIX_FLOW, '--work-dir', work,
                    '--cfg-options', *options, 'train_cfg.max_iters=2',
                    'train_cfg.val_interval=2',
                    'default_hooks.checkpoint.interval=2')
    assert 'loss_flow_epe' in work_dir_logs(work)
    out = tmp_path / 'metrics.json'
    run_tool('test.py', PIX2PIX_FLOW, work / 'iter_2.pth', '--work-dir',
             tmp_path / 'test', '--out', out, '--cfg-options', *options)
    metrics = json.loads(out.read_text())
    assert set(metrics) == FLOW_TEST_SCORES
    # do no harm: two small steps from the zero init move almost nothing
    assert metrics['Unchanged_unwarped'] > 0.9
