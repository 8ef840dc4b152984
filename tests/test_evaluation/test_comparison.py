"""The comparison table: each SSGN stage with its own parameters, and at
its own scale beside the do-nothing baseline at that scale (Tables 2-4)."""
import pytest
import torch

from ssgn_plugin.evaluation.comparison import (MethodResult,
                                               comparison_rows,
                                               inference_params,
                                               stage_params,
                                               write_comparison)
from ssgn_plugin.models.editors.ssgn import SSGNGenerator


def _count(modules):
    return sum(p.numel() for m in modules for p in m.parameters())


def test_a_stage_counts_its_active_stacks_and_trains_the_newest():
    model = torch.nn.Module()
    model.generator = SSGNGenerator(base_channels=4, down_depth=0,
                                    num_stacks=2)
    x8 = _count(model.generator.stack_modules(8))
    x4 = _count(model.generator.stack_modules(4))
    assert stage_params(model) == (x8 + x4, x4)
    # all four stacks exist in every stage; only two run in SSGN_x4
    assert inference_params(model) > x8 + x4
    model.generator.num_stacks = 1
    assert stage_params(model) == (x8, x8)  # x8 trains the inner parts too
    plain = torch.nn.Module()
    plain.generator = torch.nn.Conv2d(3, 3, 3)
    assert stage_params(plain) == (84, 84)


def _result(name, psnr, psnr_input, size, params=10, trainable=None):
    return MethodResult(name, dict(PSNR=psnr, PSNR_input=psnr_input), params,
                        0.5, trainable_params=trainable, size=size)


def test_stages_at_their_own_scales_follow_their_do_nothing_rows(tmp_path):
    results = [_result('SSGN_x8', 20.0, 25.0, '4x4', 10, 10),
               _result('SSGN_x4', 21.0, 24.0, '8x8', 15, 5)]
    rows = comparison_rows(results)
    assert [(r['Method'], r['Size']) for r in rows] == [
        ('Distorted input (do nothing)', '4x4'), ('SSGN_x8', '4x4'),
        ('Distorted input (do nothing)', '8x8'), ('SSGN_x4', '8x8')]
    assert [r['PSNR'] for r in rows] == [25.0, 20.0, 24.0, 21.0]
    assert [(r['Params'], r['Trainable']) for r in rows] == [
        (0, 0), (10, 10), (0, 0), (15, 5)]
    md = open(write_comparison(results, str(tmp_path))['md']).read()
    assert '| Method | Size | PSNR ↑ | Params | Trainable | s/img |' in md
    assert '| SSGN_x4 | 8x8 | 21.0000 | 0.00M |' in md


def test_methods_of_one_size_share_one_do_nothing_row(tmp_path):
    results = [_result('a', 20.0, 25.0, '32x32'),
               _result('b', 22.0, 25.0, '32x32')]
    rows = comparison_rows(results)
    assert [r['Method'] for r in rows] == ['Distorted input (do nothing)',
                                           'a', 'b']
    assert rows[1]['Trainable'] == 10  # unknown: all of its parameters
    md = open(write_comparison(results, str(tmp_path))['md']).read()
    assert '| Method | PSNR ↑ | Params | Trainable | s/img |' in md


def test_grid_zooms_the_same_region_of_smaller_stage_outputs(tmp_path):
    import numpy as np

    from ssgn_plugin.visualization.comparison_grid import (
        _window_in, render_comparison_grid)
    assert _window_in((16, 32, 16), (64, 64, 3), (16, 16, 3)) == (4, 8, 4)
    assert _window_in((16, 32, 16), (64, 64, 3), (64, 64, 3)) == (16, 32, 16)
    big = np.zeros((64, 64, 3), np.uint8)
    big[32:48, 16:32] = 255  # the distorted region
    small = big[::4, ::4].copy()
    levels = (small[..., 0] > 0).astype(np.int64) * 3
    results = [
        MethodResult('SSGN_x8', {}, 1, 0.0, dict(a=dict(
            input=small, output=small, gt=small, levels=levels)),
            size='16x16'),
        MethodResult('SSGN_x1', {}, 1, 0.0, dict(a=dict(
            input=big, output=big, gt=big)), size='64x64')]
    grid = render_comparison_grid(results, str(tmp_path / 'grid.png'),
                                  tile=32)
    zooms = grid[30 + 32:30 + 64]  # under the header, the zoomed row
    # both outputs' zooms show the white region alike
    assert zooms[:, 32:64].mean() > 60
    assert np.abs(zooms[:, 32:64].astype(int) -
                  zooms[:, 64:96].astype(int)).mean() < 20


def test_the_variant_table_gives_each_method_its_gain_over_doing_nothing(
        tmp_path):
    from ssgn_plugin.evaluation.comparison import write_variant_comparison
    variants = {
        'clean': [_result('flow', 30.5, 30.0, '8x8')],
        'jpeg75': [_result('flow', 28.9, 29.0, '8x8')],
    }
    paths = write_variant_comparison(variants, str(tmp_path), title='T')
    import json
    rows = json.load(open(paths['json']))['rows']
    assert [(r['Variant'], r['Method']) for r in rows] == [
        ('clean', 'Distorted input (do nothing)'), ('clean', 'flow'),
        ('jpeg75', 'Distorted input (do nothing)'), ('jpeg75', 'flow')]
    assert 'ΔPSNR' not in rows[0] and 'ΔPSNR' not in rows[2]
    assert rows[1]['ΔPSNR'] == pytest.approx(0.5)
    assert rows[3]['ΔPSNR'] == pytest.approx(-0.1)
    md = open(paths['md']).read()
    assert '| Variant | Method | PSNR ↑ | ΔPSNR ↑ | s/img |' in md
    assert '| jpeg75 | flow | 28.9000 | -0.1000 | 0.5000 |' in md
    assert open(paths['csv']).readline().startswith('Variant,Method,PSNR')


def test_training_cost_columns_for_the_methods_whose_checkpoints_record_it(
        tmp_path):
    """Training images, CPU minutes and images a second (TrainingCostHook's
    record) after the other columns; blank for the do-nothing row and for a
    method without a record (released weights)."""
    import csv
    from ssgn_plugin.engine.hooks.training_cost_hook import TrainingCost
    trained = _result('trained', 20.0, 25.0, '8x8')
    trained.training = TrainingCost(2000, 1600.0, 3000.0)
    results = [trained, _result('released', 25.1, 25.0, '8x8')]
    rows = comparison_rows(results)
    assert [r['Method'] for r in rows] == [
        'Distorted input (do nothing)', 'trained', 'released']
    assert 'Train images' not in rows[0] and 'Train images' not in rows[2]
    assert (rows[1]['Train images'], rows[1]['Train CPU min'],
            rows[1]['Train img/s']) == (2000, 50.0, 1.25)
    paths = write_comparison(results, str(tmp_path))
    md = open(paths['md']).read().splitlines()
    assert md[2:7] == [
        '| Method | PSNR ↑ | Params | Trainable | s/img | Train images | '
        'Train CPU min | Train img/s |',
        '|---|---|---|---|---|---|---|---|',
        '| Distorted input (do nothing) | 25.0000 | - | - | 0.0000 |  |  |  |',
        '| trained | 20.0000 | 0.00M | 0.00M | 0.5000 | 2,000 | 50.0 | '
        '1.250 |',
        '| released | 25.1000 | 0.00M | 0.00M | 0.5000 |  |  |  |']
    assert any(line.startswith('`Train images`: training images') for line
               in md)
    with open(paths['csv']) as f:
        table = list(csv.DictReader(f))
    assert [(r['Train images'], r['Train CPU min']) for r in table] == [
        ('', ''), ('2000', '50.0'), ('', '')]
    # no record anywhere: no training columns
    md = open(write_comparison(results[1:], str(tmp_path))['md']).read()
    assert 'Train images' not in md and 'Train CPU' not in md
