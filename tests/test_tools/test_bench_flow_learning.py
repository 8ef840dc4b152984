"""benchmarks/bench_flow_learning.py on a tiny synthetic set: curves,
resume, the do-nothing first point, CSV and plot; the score by move."""
import csv
import os
import os.path as osp
import subprocess
import sys

import pytest
from helpers import REPO, load_script

RECIPE = osp.join(REPO, 'configs/flow_unet/flow-unet_1xb8_fresh-128px.py')


def _tiny_variant(tmp_path, data_root):
    config = tmp_path / 'tiny.py'
    config.write_text(f'''
_base_ = [{RECIPE!r}]
resolution = 16
data_root = {data_root!r}
model = dict(working_size=16, generator=dict(channels=(8, 8, 16)))
crop = 3
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root,
                 pipeline=_base_.train_pipeline[:crop] + [
                     dict(_base_.train_pipeline[crop], size=32)] +
                 _base_.train_pipeline[crop + 1:]))
eval_crop = len(_base_.load)
val_dataloader = dict(dataset=dict(
    data_root=data_root, pipeline=_base_.eval_pipeline[:eval_crop] + [
        dict(_base_.eval_pipeline[eval_crop], size=32)] +
    _base_.eval_pipeline[eval_crop + 1:]))
''')
    return str(config)


def _run(*args):
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'benchmarks/bench_flow_learning.py'),
         *args], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def test_curve_resume_and_plot(tmp_path, synthetic_pairs):
    config = _tiny_variant(tmp_path, synthetic_pairs)
    out = str(tmp_path / 'study')
    stdout = _run(config, '--minutes', '0.05', '--every', '0.02',
                  '--out', out)
    with open(osp.join(out, 'tiny', 'curve.csv')) as f:
        rows = list(csv.DictReader(f))
    at_half = [r for r in rows if float(r['threshold']) == 0.5]
    # the untrained model first: no move, exactly the do-nothing scores
    assert float(at_half[0]['images']) == 0
    assert float(at_half[0]['epe_ratio']) == 1.0
    assert float(at_half[0]['psnr_whole_change']) == 0.0
    # then scores while training, to the budget, with images a second
    assert len(at_half) >= 3
    assert float(at_half[-1]['minutes']) >= 0.05
    assert float(at_half[-1]['images']) > 0
    assert float(at_half[-1]['images_per_s']) > 0
    assert 0 <= float(at_half[-1]['gate_ap']) <= 1
    assert osp.isfile(osp.join(out, 'curves.png'))
    assert osp.isfile(osp.join(out, 'curves.csv'))
    assert 'tiny' in stdout.splitlines()[-1]
    # the validation split came from the train photos, not the test split
    with open(osp.join(synthetic_pairs, 'val.txt')) as f:
        val = f.read().split()
    with open(osp.join(synthetic_pairs, 'test.txt')) as f:
        assert not set(val) & set(f.read().split())
    # a rerun with the same budget resumes and trains no further; a larger
    # one continues the same curve
    _run(config, '--minutes', '0.05', '--out', out)
    with open(osp.join(out, 'tiny', 'curve.csv')) as f:
        assert list(csv.DictReader(f)) == rows
    _run(config, '--minutes', '0.08', '--every', '0.02', '--out', out)
    with open(osp.join(out, 'tiny', 'curve.csv')) as f:
        longer = list(csv.DictReader(f))
    assert longer[:len(rows)] == rows
    assert float(longer[-1]['images']) > float(at_half[-1]['images'])
    # the release's gate threshold, chosen on the validation rows: one that
    # leaves no more than 5% of them worse
    stdout = _run('--plot', '--choose-threshold', 'tiny', '--out', out)
    chosen = stdout.strip().splitlines()[-1]
    assert chosen.startswith('tiny: gate threshold ')
    threshold = float(chosen.split()[3])
    final = [r for r in longer if r['minutes'] == longer[-1]['minutes']
             and float(r['threshold']) == threshold]
    assert float(final[0]['worse_share']) <= 0.05
    # --plot with variants named draws and summarises only those, and
    # keeps every variant's rows in curves.csv
    other = tmp_path / 'study' / 'other'
    other.mkdir()
    with open(osp.join(out, 'tiny', 'curve.csv')) as f:
        (other / 'curve.csv').write_text(f.read().replace('tiny,', 'other,'))
    summary = _run('--plot', '--out', out).strip().splitlines()
    assert [line.split()[0] for line in summary] == ['other', 'tiny']
    summary = _run('--plot', config, '--out', out).strip().splitlines()
    assert [line.split()[0] for line in summary] == ['tiny']
    with open(osp.join(out, 'curves.csv')) as f:
        assert {r['variant'] for r in csv.DictReader(f)} == {'tiny', 'other'}


def test_by_move_of_a_model_that_predicts_no_move(tmp_path, synthetic_pairs):
    # an untrained FlowUNet predicts no move (its flow head starts at
    # zero): in every bin of moves its EPE ratio is 1 and it predicts none
    # of the move, and the bins share out all the moved pixels
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmagic.registry import MODELS
    import ssgn_plugin  # noqa: F401
    init_default_scope('mmagic')
    bench = load_script('benchmarks/bench_flow_learning.py',
                        'bench_flow_learning')
    config = _tiny_variant(tmp_path, synthetic_pairs)
    model = MODELS.build(Config.fromfile(config).model)
    model.init_weights()
    os.makedirs(tmp_path / 'study' / 'tiny')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(study=dict(train_seconds=0.0))),
               tmp_path / 'study' / 'tiny' / 'latest.pth')
    with pytest.raises(SystemExit, match='no .*missing.*best.pth'):
        bench.by_move(config, str(tmp_path / 'missing'), 'best')
    rows = bench.by_move(config, str(tmp_path / 'study'))
    assert len(rows) == len(bench.MOVE_BINS) - 1
    assert sum(r['share'] for r in rows) == pytest.approx(1.0)
    filled = [r for r in rows if r['share'] > 0]
    assert filled
    for row in filled:
        assert row['epe_ratio'] == pytest.approx(1.0)
        assert row['along'] == pytest.approx(0.0)
    # --score: the same checkpoint on the validation split of a built
    # dataset named by --val-root (here the config's own): no move scores
    # exactly the do-nothing row at every gate threshold
    scored = bench.score_checkpoint(config, str(tmp_path / 'study'),
                                    val_root=synthetic_pairs)
    assert [r['threshold'] for r in scored] == list(bench.THRESHOLDS)
    for row in scored:
        assert row['epe_ratio'] == pytest.approx(1.0)
        assert row['psnr_whole_change'] == 0.0


@pytest.mark.parametrize('args, message', [
    (['x', '--every', '0'], '--every must be a positive number of minutes, '
     'not 0'),
    (['x', '--every', '-1'], '--every must be a positive number'),
    (['x', '--minutes', '-5'], '--minutes must be a positive number of '
     'minutes, not -5'),
    (['x', '--out', 'FILE'], '--out FILE: not a folder'),
    (['--plot', '--out', 'EMPTY'], 'no curves in EMPTY: run variants first'),
    (['--plot', 'unknown', '--out', 'CURVES'], 'no curve of unknown in '
     'CURVES'),
    (['--choose-threshold', 'tiny', '--out', 'EMPTY'], 'no curves in EMPTY'),
    (['--choose-threshold', 'unknown', '--out', 'CURVES'],
     '--choose-threshold: no curve of unknown in CURVES'),
    (['--score', 'x', '--val-root', 'EMPTY'], '--val-root EMPTY: not a '
     'built dataset'),
    (['x', '--gate-from', 'truth'], '--gate-from and --min-move go with '
     '--score'),
    (['--score', 'x', '--min-move', '-1'], '--min-move must be >= 0 pixels'),
    ([], 'name the VARIANTs to run, or --plot'),
])
def test_bad_arguments_end_in_one_line(tmp_path, args, message):
    """Issue 30, defect 8: each of these ended in a traceback, or exited 0
    having printed nothing (or written a 0-minute curve)."""
    paths = dict(FILE=tmp_path / 'file', EMPTY=tmp_path / 'empty',
                 CURVES=tmp_path / 'curves')
    paths['FILE'].write_text('')
    paths['EMPTY'].mkdir()
    (paths['CURVES'] / 'tiny').mkdir(parents=True)
    (paths['CURVES'] / 'tiny' / 'curve.csv').write_text(
        'variant,minutes,images,iters,images_per_s,threshold,epe_ratio,'
        'psnr_warped_gain,psnr_whole_change,worse_share,gate_ap,'
        'epe_ratio_groups\ntiny,0.0,0,0,0.0,0.5,1.0,0.0,0.0,0.0,0.1,1.0\n')
    args = [str(paths.get(a, a)) for a in args]
    message = message.replace('FILE', str(paths['FILE'])).replace(
        'EMPTY', str(paths['EMPTY'])).replace('CURVES', str(paths['CURVES']))
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'benchmarks/bench_flow_learning.py'),
         *args], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert 'Traceback' not in proc.stderr
    assert message in proc.stderr.strip().splitlines()[-1]
    assert not os.listdir(paths['EMPTY'])


def test_learning_rate_decays_once_the_curve_flattens():
    """decay_on_plateau: patience counts scores without a new best, a new
    best resets the count, and the rate never falls below min_lr."""
    import torch
    bench = load_script('benchmarks/bench_flow_learning.py',
                        'bench_flow_learning')
    optimizer = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))],
                                 lr=1e-3)
    plateau = dict(patience=2, factor=0.5, min_lr=3e-4)
    state = {}
    steps = [bench.decay_on_plateau(plateau, state, improved, optimizer)
             for improved in (True, False, True, False, False, False,
                              False)]
    assert steps == [False, False, False, False, True, False, True]
    assert optimizer.param_groups[0]['lr'] == 3e-4  # 1e-3 -> 5e-4 -> 3e-4
    assert state['scores_since_best'] == 0


def test_diagnoses_replace_the_gate(tmp_path, synthetic_pairs, monkeypatch):
    """--score --gate-from truth puts the true moved mask where the model's
    gate was (every threshold alike), and --min-move closes the gate where
    the predicted flow moves less: a model that moves everything 2 px with
    its gate shut changes nothing, with the true mask it changes the
    photos, and with --min-move 3 nothing again."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmagic.registry import MODELS
    import ssgn_plugin  # noqa: F401
    init_default_scope('mmagic')
    bench = load_script('benchmarks/bench_flow_learning.py',
                        'bench_flow_learning')

    def two_pixels_gate_shut(model, inputs, resolution):
        n, _, h, w = inputs.shape
        return torch.full((n, 2, h, w), 2.0), torch.zeros(n, 1, h, w)

    monkeypatch.setattr(bench, 'predict', two_pixels_gate_shut)
    valset = bench.ValidationSet(Config.fromfile(
        _tiny_variant(tmp_path, synthetic_pairs)))
    model = MODELS.build(Config.fromfile(
        _tiny_variant(tmp_path, synthetic_pairs)).model)
    shut = bench.score(model, valset, 16)
    truth = bench.score(model, valset, 16, gate_from='truth')
    small = bench.score(model, valset, 16, gate_from='truth', min_move=3.0)
    assert {r['psnr_whole_change'] for r in shut} == {0.0}
    assert len({r['psnr_whole_change'] for r in truth}) == 1
    assert truth[0]['psnr_whole_change'] != 0.0
    assert {r['psnr_whole_change'] for r in small} == {0.0}
