"""tools/test.py --compare: what the table and the grid show, with the
evaluation of each checkpoint replaced by known results (the runner's test
loop is tested in test_train_test.py)."""
import csv
import json
import os.path as osp
import re

import cv2
import numpy as np
import pytest

from helpers import REPO

CONFIG = osp.join(REPO,
                  'configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py')
TILE = 192  # render_comparison_grid's default tile
HEADER, GAP = 30, 6

INPUT_METRICS = dict(PSNR_input=18.25, SSIM_input=0.5, LPIPS_input=0.4)
METHODS = {
    'alpha': dict(metrics=dict(PSNR=21.5, SSIM=0.61, LPIPS=0.3,
                               **INPUT_METRICS),
                  params=1234567, seconds=0.05),
    'beta': dict(metrics=dict(PSNR=23.0, SSIM=0.7, LPIPS=0.25,
                              **INPUT_METRICS),
                 params=2500000, seconds=0.125),
}
SAMPLES = ['s0', 's1', 's2']


def _colour(method, row, part):
    """A distinct flat colour for each tile of the grid."""
    base = {'input': 10, 'gt': 40, 'alpha': 120, 'beta': 200}[
        method if part == 'output' else part]
    return (base + 10 * row, 255 - base - 5 * row, (37 * row + base) % 256)


def _flat(colour, size=64):
    return np.full((size, size, 3), colour, np.uint8)


@pytest.fixture
def compared(tmp_path, monkeypatch):
    from ssgn_plugin.cli import test as test_cli
    from ssgn_plugin.evaluation import comparison

    calls = []

    def evaluate(cfg, checkpoint, name, num_keep=0, verbose=False):
        calls.append((name, checkpoint, num_keep))
        spec = METHODS[name]
        images = {key: dict(input=_flat(_colour(name, i, 'input')),
                            gt=_flat(_colour(name, i, 'gt')),
                            output=_flat(_colour(name, i, 'output')))
                  for i, key in enumerate(SAMPLES)}
        return comparison.MethodResult(
            name=name, metrics=spec['metrics'], params=spec['params'],
            seconds_per_image=spec['seconds'], images=images, size='64x64')

    monkeypatch.setattr(comparison, 'evaluate_checkpoint', evaluate)
    # checked before any evaluation: checkpoints that exist, and no test
    # set (the evaluation that would read it is replaced)
    for n in METHODS:
        (tmp_path / f'{n}.pth').touch()
    monkeypatch.setattr(comparison, 'check_test_set', lambda cfg: 3)
    out = tmp_path / 'comparison'
    test_cli.main(['--compare', *(f'{n}={CONFIG}:{tmp_path}/{n}.pth'
                                  for n in METHODS),
                   '--out-dir', str(out), '--grid-rows', '2',
                   '--title', 'Tiny'])
    assert calls == [(n, f'{tmp_path}/{n}.pth', 2) for n in METHODS]
    return out


def test_table(compared):
    md = (compared / 'comparison.md').read_text().splitlines()
    assert md[0] == '# Tiny'
    assert md[2:6] == [
        '| Method | PSNR ↑ | SSIM ↑ | LPIPS ↓ | Params | Trainable | s/img |',
        '|---|---|---|---|---|---|---|',
        '| Distorted input (do nothing) | 18.2500 | 0.5000 | 0.4000 | - | - '
        '| 0.0000 |',
        '| alpha | 21.5000 | 0.6100 | 0.3000 | 1.23M | 1.23M | 0.0500 |',
    ]
    assert md[6] == ('| beta | 23.0000 | 0.7000 | 0.2500 | 2.50M | 2.50M | '
                     '0.1250 |')
    rows = json.loads((compared / 'comparison.json').read_text())['rows']
    assert [r['Method'] for r in rows] == [
        'Distorted input (do nothing)', 'alpha', 'beta']
    assert rows[1]['PSNR'] == 21.5 and rows[2]['LPIPS'] == 0.25
    assert rows[0]['PSNR'] == 18.25 and rows[0]['Params'] == 0
    with open(compared / 'comparison.csv') as f:
        table = list(csv.DictReader(f))
    assert [r['Method'] for r in table] == [r['Method'] for r in rows]
    assert float(table[2]['SSIM']) == 0.7
    assert int(table[1]['Params']) == 1234567


def test_grid(compared):
    grid = cv2.imread(str(compared / 'comparison_grid.png'))[..., ::-1]
    columns = ['input', 'alpha', 'beta', 'gt']
    # a header, then 2 rows (--grid-rows 2 of 3 samples) of a full view
    # over the enlarged most distorted region, each followed by a gap
    assert grid.shape == (HEADER + 2 * (2 * TILE + GAP), 4 * TILE, 3)
    for row in range(2):
        top = HEADER + row * (2 * TILE + GAP)
        for col, name in enumerate(columns):
            # input and ground truth come from the first method
            method, part = (('alpha', name) if name in ('input', 'gt')
                            else (name, 'output'))
            colour = _colour(method, row, part)
            left = col * TILE
            zoom = grid[top + TILE:top + 2 * TILE, left:left + TILE]
            assert (zoom == colour).all(), (row, name)
            view = grid[top:top + TILE, left:left + TILE].reshape(-1, 3)
            # all but the window's red frame
            assert (view == colour).all(1).mean() > 0.9, (row, name)
        gap = grid[top + 2 * TILE:top + 2 * TILE + GAP]
        assert (gap == 255).all()


def test_variants_score_every_method_on_every_test_set(tmp_path, monkeypatch):
    """--variants: each method on each data root (the configs' test
    data_root replaced), one comparison per variant and one table and grid
    over them, with each method's gain over doing nothing."""
    from ssgn_plugin.cli import test as test_cli
    from ssgn_plugin.evaluation import comparison

    roots = {'clean': tmp_path / 'builtin', 'jpeg75': tmp_path / 'jpeg'}
    for root in roots.values():
        root.mkdir()
    seen = []

    def evaluate(cfg, checkpoint, name, num_keep=0, verbose=False):
        root = cfg.test_dataloader.dataset.data_root
        seen.append((name, root))
        shift = 0.0 if root == str(roots['clean']) else -1.0
        metrics = dict(PSNR=21.5 + shift, PSNR_input=20.0 + 2 * shift)
        images = {key: dict(input=_flat(_colour('input', i, 'input')),
                            gt=_flat(_colour('gt', i, 'gt')),
                            output=_flat(_colour(name, i, 'output')))
                  for i, key in enumerate(SAMPLES)}
        return comparison.MethodResult(name, metrics, 10, 0.5, images,
                                       size='64x64')

    monkeypatch.setattr(comparison, 'evaluate_checkpoint', evaluate)
    (tmp_path / 'a.pth').touch()
    monkeypatch.setattr(comparison, 'check_test_set', lambda cfg: 3)
    out = tmp_path / 'variants'
    test_cli.main(['--compare', f'alpha={CONFIG}:{tmp_path}/a.pth',
                   '--variants', *(f'{n}={r}' for n, r in roots.items()),
                   '--out-dir', str(out), '--grid-rows', '1'])
    assert seen == [('alpha', str(r)) for r in roots.values()]
    for name in roots:
        assert (out / name / 'comparison.md').is_file()
        assert (out / name / 'comparison_grid.png').is_file()
    rows = json.loads((out / 'variants.json').read_text())['rows']
    assert [(r['Variant'], r['Method']) for r in rows] == [
        ('clean', 'Distorted input (do nothing)'), ('clean', 'alpha'),
        ('jpeg75', 'Distorted input (do nothing)'), ('jpeg75', 'alpha')]
    assert rows[1]['ΔPSNR'] == pytest.approx(1.5)
    assert rows[3]['ΔPSNR'] == pytest.approx(2.5)
    grid = cv2.imread(str(out / 'variants_grid.png'))
    assert grid.shape == (HEADER + 2 * (2 * TILE + GAP), 3 * TILE, 3)


def test_a_missing_variant_folder_is_named(tmp_path, capsys):
    from ssgn_plugin.cli import test as test_cli
    with pytest.raises(SystemExit):
        test_cli.parse_args(['--variants', f'x={tmp_path}'])
    assert '--variants needs --compare' in capsys.readouterr().err
    with pytest.raises(Exception, match=r'--variants half: .*nowhere: no '
                       r'such dataset folder.*--variant half'):
        test_cli.main(['--compare', f'a={CONFIG}:{tmp_path}/a.pth',
                       '--variants', f'half={tmp_path}/nowhere',
                       '--out-dir', str(tmp_path / 'o')])
    with pytest.raises(Exception, match='--variants a: named twice'):
        test_cli.main(['--compare', f'a={CONFIG}:{tmp_path}/a.pth',
                       '--variants', f'a={tmp_path}', f'a={tmp_path}',
                       '--out-dir', str(tmp_path / 'o')])


def _no_scoring(monkeypatch):
    """Make scoring a method fail the test: every entry must be checked
    before the first is scored."""
    from ssgn_plugin.evaluation import comparison

    def evaluate(cfg, checkpoint, name, num_keep=0, verbose=False):
        raise AssertionError(f'{name} was scored before every entry was '
                             'checked')

    monkeypatch.setattr(comparison, 'evaluate_checkpoint', evaluate)


def test_every_entry_is_checked_before_the_first_is_scored(
        synthetic_pairs, tmp_path, monkeypatch):
    """Issue 22, defect 7: a missing checkpoint or an empty test split of a
    later entry was found after minutes of scoring the earlier ones."""
    from ssgn_plugin.cli import test as test_cli
    from ssgn_plugin.utils import InputError
    _no_scoring(monkeypatch)
    (tmp_path / 'a.pth').touch()
    methods = [f'a={CONFIG}:{tmp_path}/a.pth', f'b={CONFIG}:{tmp_path}/b.pth']
    with pytest.raises(InputError, match='^' + re.escape(
            f'--compare b: checkpoint file not found: {tmp_path}/b.pth')):
        test_cli.main(['--compare', *methods, '--out-dir',
                       str(tmp_path / 'o'), '--cfg-options',
                       f'test_dataloader.dataset.data_root={synthetic_pairs}'])
    empty = tmp_path / 'empty'
    empty.mkdir()
    (empty / 'test.txt').write_text('')
    with pytest.raises(InputError, match='^' + re.escape(
            f'--variants empty: split file lists no samples: '
            f'{empty}/test.txt')):
        test_cli.main(['--compare', methods[0], '--variants',
                       f'clean={synthetic_pairs}', f'empty={empty}',
                       '--out-dir', str(tmp_path / 'o')])


def test_a_method_named_twice_is_refused(tmp_path, monkeypatch):
    """Issue 22, defect 10: two rows named x8, where --variants refuses a
    repeated name."""
    from ssgn_plugin.cli import test as test_cli
    _no_scoring(monkeypatch)
    for n in 'AB':
        (tmp_path / f'{n}.pth').touch()
    with pytest.raises(Exception, match='^--compare x8: named twice$'):
        test_cli.main(['--compare', f'x8={CONFIG}:{tmp_path}/A.pth',
                       f'x8={CONFIG}:{tmp_path}/B.pth',
                       '--out-dir', str(tmp_path / 'o')])


def test_an_empty_out_dir_is_named(tmp_path):
    """Issue 22, defect 10: --out-dir '' said "error: : cannot create the
    folder"."""
    from ssgn_plugin.cli import test as test_cli
    with pytest.raises(Exception, match="^--out-dir '': an empty folder "
                       'name was given'):
        test_cli.main(['--compare', f'a={CONFIG}:{tmp_path}/a.pth',
                       '--out-dir', ''])


def test_out_name_names_the_tables_and_the_grid(tmp_path, monkeypatch):
    """--out-name ccp_comparison writes ccp_comparison.md/.json/.csv and the
    grid ccp_comparison.png, nothing under the default names; --work-dir
    takes each method's test logs out of that folder (docs/results)."""
    from ssgn_plugin.cli import test as test_cli
    from ssgn_plugin.evaluation import comparison
    logs = []

    def evaluate(cfg, checkpoint, name, num_keep=0, verbose=False):
        logs.append(cfg.work_dir)
        images = {key: dict(input=_flat(_colour('input', i, 'input')),
                            gt=_flat(_colour('gt', i, 'gt')),
                            output=_flat(_colour(name, i, 'output')))
                  for i, key in enumerate(SAMPLES)}
        return comparison.MethodResult(name, METHODS[name]['metrics'], 10,
                                       0.5, images, size='64x64')

    monkeypatch.setattr(comparison, 'evaluate_checkpoint', evaluate)
    monkeypatch.setattr(comparison, 'check_test_set', lambda cfg: 3)
    (tmp_path / 'a.pth').touch()
    out = tmp_path / 'results'
    test_cli.main(['--compare', f'alpha={CONFIG}:{tmp_path}/a.pth',
                   '--out-dir', str(out), '--out-name', 'ccp_comparison',
                   '--grid-rows', '1', '--work-dir', str(tmp_path / 'logs')])
    assert logs == [str(tmp_path / 'logs' / 'alpha')]
    assert sorted(p.name for p in out.iterdir()) == [
        'ccp_comparison.csv', 'ccp_comparison.json', 'ccp_comparison.md',
        'ccp_comparison.png']
    assert (out / 'ccp_comparison.md').read_text().startswith(
        '# De-distortion on the test split\n')
    grid = cv2.imread(str(out / 'ccp_comparison.png'))
    assert grid.shape == (HEADER + 2 * TILE + GAP, 3 * TILE, 3)


def test_a_bad_out_name_is_one_line(tmp_path, monkeypatch, capsys):
    from ssgn_plugin.cli import test as test_cli
    _no_scoring(monkeypatch)
    (tmp_path / 'a.pth').touch()
    for name in ('', 'docs/ccp', '..'):
        with pytest.raises(Exception, match='^' + re.escape(
                f'--out-name {name!r}: expected a file name without a '
                'folder, e.g. ccp_comparison (--out-dir says where)') + '$'):
            test_cli.main(['--compare', f'a={CONFIG}:{tmp_path}/a.pth',
                           '--out-dir', str(tmp_path / 'o'),
                           '--out-name', name])
    assert not (tmp_path / 'o').exists()  # refused before anything
    with pytest.raises(SystemExit):
        test_cli.parse_args([CONFIG, 'a.pth', '--out-name', 'x'])
    assert '--out-name needs --compare' in capsys.readouterr().err
