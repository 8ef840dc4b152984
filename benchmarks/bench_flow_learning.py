"""Learning curves of flow restorers at equal CPU time (issue 19).

    python benchmarks/bench_flow_learning.py VARIANT [VARIANT ...]
        --minutes N [--every M] [--out work_dirs/flow_study]
    python benchmarks/bench_flow_learning.py --plot [--table MIN ...]
        [--choose-threshold VARIANT] [--out ...]
    python benchmarks/bench_flow_learning.py --fit-gap VARIANT
    python benchmarks/bench_flow_learning.py --by-move VARIANT
    python benchmarks/bench_flow_learning.py --score VARIANT
        [--checkpoint best] [--val-root data/builtin]
        [--gate-from truth] [--min-move PX]

VARIANT is a config: a path, or the name of a file in
configs/flow_unet/study/ (``epe`` for configs/flow_unet/study/epe.py), or
``recipe`` for configs/flow_unet/flow-unet_1xb8_fresh-128px.py. Each variant
trains from its config (model, optimizer, train dataloader: fresh warps on
the fit split) for N minutes of wall-clock TRAINING time (the data loading
it waits for included, the scoring not), and every M minutes scores the
validation split, photos carved from the train photos that it never trains
on (:mod:`ssgn_plugin.datasets.validation_split`; never the test split):

- ``epe_ratio``: end-point error of the predicted flow inside the warped
  region (|gt flow| > 0.5 px) over that of no flow (1.0: no better than
  doing nothing), pooled over the pixels;
- ``epe_ratio_groups``: the same ratio per photo group (the frames of a
  take are one), averaged over the groups: the pooled ratio weighs each
  photo by its moved pixels, and large moves on one close-up decide it;
- ``psnr_warped_gain``: PSNR of the restored photo inside the warped region
  minus the distorted photo's, mean over images (dB);
- ``psnr_whole_change``: the same over the whole photo;
- ``worse_share``: share of images whose whole-photo PSNR fell by more than
  0.05 dB;
- ``gate_ap``: average precision of the gate as a per-pixel "was this
  warped" detector;
- ``images_per_s``: training images a second so far.

Scoring is the product's: the model sees each built 512 px validation pair
resized to its config's ``resolution`` (as ``ssgn-restore`` resizes the
person's square), and its flow and gate, upsampled, move the 512 px photo;
the scores are at 512 px, so variants of any resolution compare. The
restored photo is rounded to 8 bits, as a saved photo is. Every score row is
kept for the gate thresholds 0.05 ... 0.7; the curves and summaries compare
every variant at one threshold, 0.5 (the release picks its own on the
validation rows).

A variant resumes from ``OUT/VARIANT/latest.pth`` (model, optimizer, time and
images so far); a larger --minutes continues its curve. ``best.pth`` is
the checkpoint of its lowest EPE ratio so far (early stopping: past some
point the validation error rises while training goes on).
A config with ``plateau = dict(patience=P, factor=F, min_lr=M)`` (and
``param_scheduler = []``) decays its learning rate by F after P scores
without a new best (``lr`` column of the curve).
``--choose-threshold`` reads the scores of that checkpoint. Results:
``OUT/VARIANT/curve.csv``, ``OUT/curves.csv`` (all variants),
``OUT/curves.png`` (variants overlaid) and one summary line per variant.
Nothing else heavy should run beside a timed run. Two variants can run at
once on two cores, each pinned to its own (``taskset -c 0 ... --threads 1
--workers 0`` and ``taskset -c 1 ...``): each then has one core's time.
"""
import argparse
import csv
import io
import os
import os.path as osp
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

STUDY_DIR = REPO / 'configs/flow_unet/study'
RECIPE = REPO / 'configs/flow_unet/flow-unet_1xb8_fresh-128px.py'
THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7)
MOVED = 0.5  # px: the warped region, as the flow loss and metrics define it
WORSE_DB = 0.05
CURVE_THRESHOLD = 0.5
COLUMNS = ['variant', 'minutes', 'images', 'iters', 'images_per_s',
           'threshold', 'epe_ratio', 'psnr_warped_gain', 'psnr_whole_change',
           'worse_share', 'gate_ap', 'epe_ratio_groups', 'lr']


def config_path(variant: str) -> Path:
    if variant == 'recipe':
        return RECIPE
    path = Path(variant)
    if path.suffix == '.py':
        return path if path.is_absolute() else REPO / path
    return STUDY_DIR / f'{variant}.py'


def variant_name(variant: str) -> str:
    return 'recipe' if variant == 'recipe' else config_path(variant).stem


def average_precision(scores, labels) -> float:
    """AP of ``scores`` ranking the positives of ``labels`` (1-d numpy)."""
    import numpy as np
    order = np.argsort(-scores, kind='stable')
    hits = labels[order].astype(np.float64)
    if hits.sum() == 0:
        return float('nan')
    precision = np.cumsum(hits) / np.arange(1, hits.size + 1)
    return float((precision * hits).sum() / hits.sum())


def gate_threshold_of(model):
    if hasattr(model, 'gate_threshold'):
        return model.gate_threshold
    return dict(getattr(model, 'test_cfg', None) or {}).get(
        'gate_threshold', 0.0)


def set_gate_threshold(model, value) -> None:
    """Open the gate fully (0) or set it, for a FlowUNet / FlowPix2Pix
    (``gate_threshold``) or an SSGN (``test_cfg.gate_threshold``)."""
    if hasattr(model, 'gate_threshold'):
        model.gate_threshold = value
    if isinstance(getattr(model, 'test_cfg', None), dict):
        model.test_cfg['gate_threshold'] = value


class ValidationSet:
    """The built validation pairs at their own size, packed for the model:
    the ``split`` of the config's validation dataset, or of the built
    dataset ``data_root`` (another dataset's validation split)."""

    def __init__(self, cfg, split='val', limit=None, data_root=None):
        from mmagic.registry import DATASETS
        from mmengine.dataset import pseudo_collate
        dataset_cfg = cfg.val_dataloader.dataset
        data_root = data_root or dataset_cfg.data_root
        pack = [t for t in dataset_cfg.pipeline
                if t['type'] == 'PackDedistortionInputs'][-1]
        dataset = DATASETS.build(dict(
            type='DedistortionDataset', data_root=data_root,
            split=split, maps=['mask', 'keypoint_heatmap', 'contour_heatmap',
                               'flow', 'flow_valid'],
            test_mode=True,
            pipeline=[t for t in cfg.load if t['type'] != 'LoadDistortionLevels'
                      and t.get('key') != 'edge'] + [pack]))
        count = min(len(dataset), limit or len(dataset))
        self.batches = [pseudo_collate([dataset[i]]) for i in range(count)]
        # each pair's photo group (the frames of a take share one)
        from ssgn_plugin.datasets.validation_split import sample_groups
        groups = sample_groups(data_root)
        self.groups = [groups.get(dataset.get_data_info(i)['key'], '')
                       for i in range(count)]

    def __len__(self):
        return len(self.batches)


def predict(model, inputs, resolution):
    """``model``'s flow (N, 2, H, W) and gate (N, 1, H, W) for ``inputs``
    (N, C, H, W), which it sees resized to ``resolution``, as
    ``ssgn-restore`` resizes the person's square."""
    import torch.nn.functional as F
    from ssgn_plugin.models.flow import resize_flow
    size = tuple(inputs.shape[-2:])
    small = F.interpolate(inputs, size=(resolution, ) * 2, mode='area') \
        if size != (resolution, ) * 2 else inputs
    out = model.infer(small)
    return (resize_flow(out['pred_flow'], size),
            F.interpolate(out['pred_gate'], size=size, mode='bilinear',
                          align_corners=False))


def score(model, valset, resolution, gate_from='model', min_move=0.0):
    """Rows of scores (one per gate threshold) of ``model`` on ``valset``,
    each model input resized to ``resolution``.

    Two diagnoses of where the restored photo loses (not the product's
    rule): ``gate_from='truth'`` replaces the gate by the true moved mask
    (|gt flow| > 0.5 px; the ceiling a perfect gate gives this flow, the
    same at every threshold), and ``min_move`` closes the gate wherever the
    predicted flow moves less than that many pixels (at 512 px).
    """
    import numpy as np
    import torch
    from ssgn_plugin.evaluation.metrics.psnr import _psnr as psnr_of_mse
    from ssgn_plugin.models.flow import close_gate, compose_flow_output
    saved = gate_threshold_of(model)
    set_gate_threshold(model, 0.0)
    model.eval()
    by_group = {}  # group: [EPE sum, no-flow EPE sum] over moved pixels
    per_t = {t: dict(warped=[], whole=[]) for t in THRESHOLDS}
    gates, labels = [], []
    try:
        with torch.no_grad():
            for batch, group in zip(valset.batches, valset.groups):
                data = model.data_preprocessor(batch, False)
                inputs, sample = data['inputs'], data['data_samples']
                flow, gate = predict(model, inputs, resolution)
                gt_flow = sample.gt_flow
                valid = sample.gt_flow_valid > 0
                move = gt_flow.norm(dim=1, keepdim=True)  # no flow's EPE
                moved = (move > MOVED) & valid
                if gate_from == 'truth':
                    gate = moved.to(gate.dtype)
                if min_move > 0:
                    gate = gate * (flow.norm(dim=1, keepdim=True) >=
                                   min_move).to(gate.dtype)
                epe = (flow - gt_flow).norm(dim=1, keepdim=True)
                totals = by_group.setdefault(group, [0.0, 0.0])
                totals[0] += float(epe[moved].sum())
                totals[1] += float(move[moved].sum())
                gates.append(gate[:, :, ::2, ::2].flatten().numpy())
                labels.append(moved[:, :, ::2, ::2].flatten().numpy())
                image, gt = inputs[:, :3], sample.gt_img
                to255 = model.data_preprocessor.destruct
                gt255, in255 = to255(gt).round(), to255(image).round()
                region = moved.expand_as(gt)

                def psnr(a, where=None):
                    # DedistortionPSNR's own definition (100 dB cap)
                    err = (a - gt255) ** 2
                    return psnr_of_mse(float(
                        err[where].mean() if where is not None
                        else err.mean()))

                has_region = bool(region.any())
                for t in THRESHOLDS:
                    restored = to255(compose_flow_output(
                        image, flow, close_gate(gate, t))).round()
                    per_t[t]['whole'].append(psnr(restored) - psnr(in255))
                    if has_region:
                        per_t[t]['warped'].append(
                            psnr(restored, region) - psnr(in255, region))
    finally:
        set_gate_threshold(model, saved)
    ap = average_precision(np.concatenate(gates), np.concatenate(labels))
    # pooled over pixels, a photo with large moves outweighs the rest (one
    # close-up face held 63% of the validation split's moved pixels)
    epe_sum, zero_sum = np.sum(list(by_group.values()), axis=0)
    ratio_groups = float(np.mean([e / z for e, z in by_group.values()
                                  if z > 0]))
    rows = []
    for t in THRESHOLDS:
        whole = np.array(per_t[t]['whole'])
        rows.append(dict(
            threshold=t, epe_ratio=float(epe_sum / max(zero_sum, 1e-9)),
            psnr_warped_gain=float(np.mean(per_t[t]['warped'])),
            psnr_whole_change=float(whole.mean()),
            worse_share=float((whole < -WORSE_DB).mean()), gate_ap=ap,
            epe_ratio_groups=ratio_groups))
    return rows


def build_schedulers(cfg, optim_wrapper):
    """The config's iteration-based ``param_scheduler`` (a dict or a list),
    stepped after every iteration as MMEngine's ParamSchedulerHook does."""
    from mmengine.registry import PARAM_SCHEDULERS
    specs = cfg.get('param_scheduler') or []
    if isinstance(specs, dict):
        specs = [specs]
    return [PARAM_SCHEDULERS.build(dict(spec, optimizer=optim_wrapper))
            for spec in specs]


def decay_on_plateau(plateau, state, improved, optim_wrapper):
    """The config's ``plateau = dict(patience=P, factor=F, min_lr=M)``: a
    learning rate that decays once the validation curve flattens. After P
    scores in a row without a new best EPE ratio, every group's rate is
    multiplied by F (not below M) and the count starts again. The rate lives
    in the optimizer's state, so a resumed run keeps it; the count lives in
    ``state``. Returns True when the rate decayed."""
    if improved:
        state['scores_since_best'] = 0
        return False
    state['scores_since_best'] = state.get('scores_since_best', 0) + 1
    if state['scores_since_best'] < plateau['patience']:
        return False
    state['scores_since_best'] = 0
    for group in optim_wrapper.param_groups:
        group['lr'] = max(group['lr'] * plateau['factor'],
                          plateau.get('min_lr', 0.0))
    return True


def save_checkpoint(path, model, optim_wrapper, schedulers, state):
    """Atomically: MMEngine's layout (``state_dict``, ``optimizer``,
    ``param_schedulers``, ``meta``), so tools/export_zoo_model.py and
    ``load_from`` read it."""
    import torch
    from ssgn_plugin.utils import atomic_write_bytes
    buffer = io.BytesIO()
    torch.save(dict(state_dict=model.state_dict(),
                    optimizer=optim_wrapper.state_dict(),
                    param_schedulers=[s.state_dict() for s in schedulers],
                    meta=dict(iter=state['iters'], study=state)), buffer)
    atomic_write_bytes(path, buffer.getvalue())


def write_csv(path, rows):
    from ssgn_plugin.utils import atomic_write_text
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (f'{v:.4f}' if isinstance(v, float) else v)
                         for k, v in row.items() if k in COLUMNS})
    atomic_write_text(path, out.getvalue())


def run_variant(variant, minutes, every, out_root, seed=0, workers=None,
                init_from=None):
    import numpy as np
    import torch
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.runner import Runner
    from mmagic.registry import MODELS
    from ssgn_plugin.utils import atomic_write_text

    name = variant_name(variant)
    cfg = Config.fromfile(str(config_path(variant)))
    work = osp.join(out_root, name)
    os.makedirs(work, exist_ok=True)
    atomic_write_text(osp.join(work, 'config.py'), cfg.pretty_text)
    resolution = int(cfg.resolution)

    torch.manual_seed(seed)
    np.random.seed(seed)
    model = MODELS.build(cfg.model)
    model.init_weights()
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    schedulers = build_schedulers(cfg, optim_wrapper)
    ckpt_path = osp.join(work, 'latest.pth')
    state = dict(train_seconds=0.0, images=0, iters=0, rows=[])
    if osp.isfile(ckpt_path):
        ckpt = torch.load(ckpt_path, map_location='cpu', weights_only=True)
        model.load_state_dict(ckpt['state_dict'])
        optim_wrapper.load_state_dict(ckpt['optimizer'])
        for scheduler, saved in zip(schedulers,
                                    ckpt.get('param_schedulers', [])):
            scheduler.load_state_dict(saved)
        state = ckpt['meta']['study']
        print(f'{name}: resumed at {state["train_seconds"] / 60:.1f} min, '
              f'{state["images"]} images', flush=True)
    elif init_from:
        # a continuation: another variant's weights and optimizer, and its
        # minutes and images so far (the curves share one axis), but a new
        # curve, learning-rate schedule and loss from this config
        source = osp.join(out_root, variant_name(init_from), 'latest.pth')
        if not osp.isfile(source):
            raise SystemExit(f'{name}: --init-from {init_from}: no '
                             f'{source}; run that variant first')
        ckpt = torch.load(source, map_location='cpu', weights_only=True)
        model.load_state_dict(ckpt['state_dict'])
        try:
            optim_wrapper.load_state_dict(ckpt['optimizer'])
        except ValueError as e:  # e.g. saved when VGG16 was a parameter
            print(f'{name}: a fresh optimizer: {source} holds another '
                  f"model's parameter groups ({e})", flush=True)
        for scheduler in schedulers:  # the loaded state reset the lr
            for group, lr in zip(optim_wrapper.param_groups,
                                 scheduler.base_values):
                group[scheduler.param_name] = lr
        done = ckpt['meta']['study']
        state.update(train_seconds=done['train_seconds'],
                     images=done['images'], iters=done['iters'],
                     init_from=variant_name(init_from),
                     start_seconds=done['train_seconds'],
                     start_images=done['images'])
        print(f'{name}: starts from {variant_name(init_from)} at '
              f'{state["train_seconds"] / 60:.1f} min, {state["images"]} '
              f'images', flush=True)
    plateau = cfg.get('plateau')
    if plateau and schedulers:
        raise SystemExit(f'{name}: the config sets both param_scheduler and '
                         'plateau; a rate that decays on a flat validation '
                         'curve needs param_scheduler = []')
    valset = ValidationSet(cfg)
    budget = minutes * 60

    def evaluate():
        rows = score(model, valset, resolution)
        # this variant's own images a second (a continuation's too)
        ips = (state['images'] - state.get('start_images', 0)) / max(
            state['train_seconds'] - state.get('start_seconds', 0), 1e-9)
        lr = optim_wrapper.param_groups[0]['lr']
        for row in rows:
            row.update(variant=name, minutes=state['train_seconds'] / 60,
                       images=state['images'], iters=state['iters'],
                       images_per_s=ips, lr=lr)
        state['rows'] += rows
        mine = [r for r in rows if r['threshold'] == CURVE_THRESHOLD][0]
        print(f'{name}: {mine["minutes"]:5.1f} min {state["images"]:6d} img '
              f'({ips:4.1f}/s)  EPE ratio {mine["epe_ratio"]:.3f} (groups '
              f'{mine["epe_ratio_groups"]:.3f})  warped '
              f'{mine["psnr_warped_gain"]:+.2f} dB  whole '
              f'{mine["psnr_whole_change"]:+.3f} dB  worse '
              f'{mine["worse_share"]:.0%}  gate AP {mine["gate_ap"]:.3f}',
              flush=True)
        # early stopping: the fit split is 59 photos, and past some point
        # the validation error rises while the training goes on (issue 20)
        improved = mine['epe_ratio'] < state.get('best_epe_ratio',
                                                 float('inf'))
        if improved:
            state.update(best_epe_ratio=mine['epe_ratio'],
                         best_minutes=mine['minutes'])
            save_checkpoint(osp.join(work, 'best.pth'), model, optim_wrapper,
                            schedulers, state)
        if plateau and decay_on_plateau(plateau, state, improved,
                                        optim_wrapper):
            print(f'{name}: no better score in {plateau["patience"]}: '
                  f'learning rate {lr:.2e} -> '
                  f'{optim_wrapper.param_groups[0]["lr"]:.2e}', flush=True)
        save_checkpoint(ckpt_path, model, optim_wrapper, schedulers, state)
        write_csv(osp.join(work, 'curve.csv'), state['rows'])

    if not state['rows']:
        evaluate()  # the untrained model: no move, the do-nothing point
    if state['train_seconds'] < budget:
        loader_cfg = cfg.train_dataloader
        if workers is not None:
            loader_cfg.num_workers = workers
            loader_cfg.persistent_workers = workers > 0
        loader = Runner.build_dataloader(loader_cfg,
                                         seed=seed + state['iters'])
        next_eval = (int(state['train_seconds'] / (every * 60)) + 1) * every \
            * 60
        model.train()
        start = time.perf_counter()
        base = state['train_seconds']
        for batch in loader:
            model.train_step(batch, optim_wrapper)
            for scheduler in schedulers:
                scheduler.step()
            state['iters'] += 1
            state['images'] += len(batch['inputs'])
            state['train_seconds'] = base + time.perf_counter() - start
            if state['train_seconds'] >= min(next_eval, budget):
                evaluate()
                model.train()
                next_eval += every * 60
                base = state['train_seconds']
                start = time.perf_counter()
                if state['train_seconds'] >= budget:
                    break
    return state['rows']


def load_variant(variant, out_root, checkpoint='latest'):
    """(config, model, checkpoint dict) of ``variant`` with the weights of
    its ``OUT/VARIANT/<checkpoint>.pth``."""
    import torch
    from mmengine.config import Config
    from mmagic.registry import MODELS
    cfg = Config.fromfile(str(config_path(variant)))
    model = MODELS.build(cfg.model)
    path = osp.join(out_root, variant_name(variant), f'{checkpoint}.pth')
    if not osp.isfile(path):
        raise SystemExit(f'{variant_name(variant)}: no {path}; run that '
                         'variant first')
    ckpt = torch.load(path, map_location='cpu', weights_only=True)
    model.load_state_dict(ckpt['state_dict'])
    return cfg, model, ckpt


def fit_gap(variant, out_root, checkpoint='latest', val_root=None):
    """Score a variant's checkpoint on the built pairs of the photos it
    trains on (the fit split, as many pairs as the validation split has)
    and on the validation split: a fit score far below the validation
    score is a model that learnt its photos, not warps. Returns
    {split: the row at CURVE_THRESHOLD}."""
    cfg, model, ckpt = load_variant(variant, out_root, checkpoint)
    valset = ValidationSet(cfg, data_root=val_root)
    rows = {}
    fit_root = cfg.train_dataloader.dataset.data_root
    for split, data in (('fit', ValidationSet(cfg, 'fit', len(valset),
                                              data_root=fit_root)),
                        ('val', valset)):
        rows[split] = [r for r in score(model, data, int(cfg.resolution))
                       if r['threshold'] == CURVE_THRESHOLD][0]
    minutes = ckpt['meta']['study']['train_seconds'] / 60
    print(f'{variant_name(variant)} {checkpoint} ({minutes:.1f} min): ' +
          ', '.join(f'{split} EPE ratio {row["epe_ratio"]:.3f} (groups '
                    f'{row["epe_ratio_groups"]:.3f})'
                    for split, row in rows.items()))
    return rows


def score_checkpoint(variant, out_root, checkpoint='latest', val_root=None,
                     gate_from='model', min_move=0.0):
    """Score a variant's checkpoint on the validation split of its config
    or of the built dataset ``val_root`` (e.g. a model trained and chosen
    on one dataset, scored on another's validation photos). Prints and
    returns the rows, one per gate threshold (``gate_from`` and
    ``min_move``: see :func:`score`)."""
    cfg, model, ckpt = load_variant(variant, out_root, checkpoint)
    root = val_root or cfg.val_dataloader.dataset.data_root
    rows = score(model, ValidationSet(cfg, data_root=root),
                 int(cfg.resolution), gate_from=gate_from, min_move=min_move)
    minutes = ckpt['meta']['study']['train_seconds'] / 60
    how = (' (the true moved mask as the gate)' if gate_from == 'truth'
           else '') + (f' (no move under {min_move:g} px)' if min_move else '')
    print(f'{variant_name(variant)} {checkpoint} ({minutes:.1f} min), the '
          f'validation split of {root}{how}:')
    for row in rows:
        print(f'  gate {row["threshold"]:<4}  EPE ratio '
              f'{row["epe_ratio"]:.3f} (groups {row["epe_ratio_groups"]:.3f})'
              f'  warped {row["psnr_warped_gain"]:+.3f} dB  whole '
              f'{row["psnr_whole_change"]:+.4f} dB  worse '
              f'{row["worse_share"]:.0%}  gate AP {row["gate_ap"]:.3f}')
    return rows


MOVE_BINS = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, float('inf'))


def by_move(variant, out_root, checkpoint='latest', val_root=None):
    """How much of a move a variant's checkpoint undoes, by the move's
    size at the size the model sees (px at ``resolution``; the warped
    region starts at 0.5 px of a 512 px pair, 0.125 px at 128): per bin
    of :data:`MOVE_BINS`, the share of the validation split's moved
    pixels, the EPE ratio (model / no flow) and the share of the move the
    flow predicts along the true direction (the flow's projection on it
    over the move, both summed over the pixels as the EPE ratio sums
    them; 1 the whole move, 0 none). Returns the rows, one per bin."""
    import numpy as np
    import torch
    cfg, model, ckpt = load_variant(variant, out_root, checkpoint)
    model.eval()
    resolution = int(cfg.resolution)
    sums = np.zeros((len(MOVE_BINS) - 1, 4))  # pixels, EPE, |gt|, along
    with torch.no_grad():
        for batch in ValidationSet(cfg, data_root=val_root).batches:
            data = model.data_preprocessor(batch, False)
            sample = data['data_samples']
            flow, _ = predict(model, data['inputs'], resolution)
            gt = sample.gt_flow
            move = gt.norm(dim=1)
            moved = (move > MOVED) & (sample.gt_flow_valid[:, 0] > 0)
            seen = move * resolution / gt.shape[-1]  # px the model sees
            epe = (flow - gt).norm(dim=1)
            along = (flow * gt).sum(1) / move.clamp(min=1e-9)
            for k, (low, high) in enumerate(zip(MOVE_BINS, MOVE_BINS[1:])):
                inside = moved & (seen > low) & (seen <= high)
                sums[k] += [float(inside.sum()), float(epe[inside].sum()),
                            float(move[inside].sum()),
                            float(along[inside].sum())]
    minutes = ckpt['meta']['study']['train_seconds'] / 60
    print(f'{variant_name(variant)} {checkpoint} ({minutes:.1f} min), the '
          f'validation split by the move the model sees at {resolution} '
          'px:')
    rows = []
    for k, (low, high) in enumerate(zip(MOVE_BINS, MOVE_BINS[1:])):
        pixels, epe, move, along = sums[k]
        rows.append(dict(low=low, high=high,
                         share=pixels / max(sums[:, 0].sum(), 1),
                         epe_ratio=epe / move if move else float('nan'),
                         along=along / move if move else float('nan')))
        print(f'  {low:5.3f}-{high:<5.4g} px  {rows[-1]["share"]:6.1%} of '
              f'the moved pixels  EPE ratio {rows[-1]["epe_ratio"]:.3f}  '
              f'move predicted {rows[-1]["along"]:+.1%}')
    return rows


def at_threshold(rows, name, threshold=CURVE_THRESHOLD):
    return [r for r in rows if r['variant'] == name
            and abs(float(r['threshold']) - threshold) < 1e-6]


def collect(out_root):
    rows = []
    for name in sorted(os.listdir(out_root)):
        path = osp.join(out_root, name, 'curve.csv')
        if osp.isfile(path):
            with open(path, encoding='utf-8') as f:
                rows += list(csv.DictReader(f))
    return rows


def plot(out_root, rows):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from ssgn_plugin.utils import atomic_write_bytes
    panels = [('epe_ratio', 'EPE ratio (model / no flow), warped region, '
               'pooled'),
              ('epe_ratio_groups', 'EPE ratio, mean over photo groups'),
              ('psnr_whole_change', 'whole-photo PSNR change (dB)'),
              ('gate_ap', 'gate AP')]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    colours = plt.get_cmap('tab20').colors
    for k, name in enumerate(sorted({r['variant'] for r in rows})):
        mine = at_threshold(rows, name)
        ips = float(mine[-1]['images_per_s']) if mine else 0
        for ax, (key, title) in zip(axes.flat, panels):
            # scores from before a column existed have it empty: no point
            have = [r for r in mine if r.get(key)]
            ax.plot([float(r['minutes']) for r in have],
                    [float(r[key]) for r in have], marker='o', ms=3,
                    color=colours[k % len(colours)],
                    linestyle=('-', '--')[k // len(colours) % 2],
                    label=f'{name} ({ips:.1f} img/s)')
            ax.set_title(title)
            ax.set_xlabel('minutes of training; gate threshold 0.5')
            ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', dpi=90)
    atomic_write_bytes(osp.join(out_root, 'curves.png'), buffer.getvalue())


def summary(rows):
    lines = []
    for name in sorted({r['variant'] for r in rows}):
        mine = at_threshold(rows, name)
        last = mine[-1]
        best = min(mine, key=lambda r: float(r['epe_ratio']))
        lines.append(
            f'{name:<24} {float(last["minutes"]):5.1f} min '
            f'{int(last["images"]):6d} img {float(last["images_per_s"]):5.1f}'
            f' img/s  EPE ratio {float(last["epe_ratio"]):.3f} (best '
            f'{float(best["epe_ratio"]):.3f})  warped '
            f'{float(last["psnr_warped_gain"]):+.2f} dB  whole '
            f'{float(last["psnr_whole_change"]):+.3f} dB  worse '
            f'{float(last["worse_share"]):.0%}  gate AP '
            f'{float(last["gate_ap"]):.3f}')
    return lines


def choose_threshold(rows, name, max_worse=0.05, minutes=None):
    """The gate threshold to release ``name`` with, from its score on
    the validation split at ``minutes`` (default: its last; ``best.pth``'s
    for the checkpoint with the lowest EPE ratio): the largest PSNR gain
    inside the warped region among the thresholds that leave the whole
    photo no worse on average and at most ``max_worse`` of the images
    worse by more than 0.05 dB; of equal gains, the lowest threshold (it
    opens the gate wherever it is as sure). Returns (threshold, its row)."""
    mine = [r for r in rows if r['variant'] == name]
    at = max(float(r['minutes']) for r in mine) if minutes is None else \
        min((float(r['minutes']) for r in mine),
            key=lambda m: abs(m - minutes))
    final = [r for r in mine if float(r['minutes']) == at]
    safe = [r for r in final if float(r['worse_share']) <= max_worse
            and float(r['psnr_whole_change']) >= -5e-5]
    best = max(safe, key=lambda r: (round(float(r['psnr_warped_gain']), 4),
                                    -float(r['threshold'])))
    return float(best['threshold']), best


def markdown_table(rows, marks=(2, 4, 6)):
    """The README's table: each variant's EPE ratio at the same minutes
    (the score nearest each mark, within half a minute), images a second,
    and its last gate AP."""
    head = ('| variant | images a second | ' + ' | '.join(
        f'EPE ratio at {m} min' for m in marks) + ' | images at '
        f'{marks[-1]} min | gate AP at {marks[-1]} min |')
    lines = [head, '|' + ' --- |' * (len(marks) + 4)]
    for name in sorted({r['variant'] for r in rows}):
        mine = at_threshold(rows, name)

        def near(m):
            best = min(mine, key=lambda r: abs(float(r['minutes']) - m))
            return best if abs(float(best['minutes']) - m) <= 0.5 else None
        cells = [near(m) for m in marks]
        last = cells[-1] or mine[-1]
        lines.append(
            f'| {name} | {float(last["images_per_s"]):.1f} | ' + ' | '.join(
                f'{float(c["epe_ratio"]):.3f}' if c else '' for c in cells) +
            f' | {int(last["images"])} | {float(last["gate_ap"]):.3f} |')
    return lines


def check_args(parser, args):
    """One line (``parser.error``) for settings that cannot make a curve,
    before anything is loaded or written."""
    if args.every <= 0:
        parser.error(f'--every must be a positive number of minutes, not '
                     f'{args.every:g}')
    if args.minutes <= 0:
        parser.error(f'--minutes must be a positive number of minutes, not '
                     f'{args.minutes:g}')
    if osp.exists(args.out) and not osp.isdir(args.out):
        parser.error(f'--out {args.out}: not a folder')
    if args.val_root is not None and not osp.isfile(
            osp.join(args.val_root, 'manifest.json')):
        parser.error(f'--val-root {args.val_root}: not a built dataset (no '
                     'manifest.json)')
    if (args.gate_from != 'model' or args.min_move) and not args.score:
        parser.error('--gate-from and --min-move go with --score')
    if args.min_move < 0:
        parser.error(f'--min-move must be >= 0 pixels, not {args.min_move:g}')
    modes = [m for m in ('fit_gap', 'by_move', 'score', 'plot')
             if getattr(args, m)]
    if len(modes) > 1:
        parser.error('choose one of ' + ', '.join(
            '--' + m.replace('_', '-') for m in modes))
    if not modes and not args.variants and not args.choose_threshold:
        parser.error('name the VARIANTs to run, or --plot, --score, '
                     '--fit-gap, --by-move or --choose-threshold')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('variants', nargs='*')
    parser.add_argument('--minutes', type=float, default=4.0)
    parser.add_argument('--every', type=float, default=1.0,
                        help='minutes of training between scores')
    parser.add_argument('--out', default=str(REPO / 'work_dirs/flow_study'))
    parser.add_argument('--init-from', metavar='VARIANT', default=None,
                        help='start a variant that has no checkpoint yet '
                        "from VARIANT's latest.pth (weights, optimizer, "
                        'minutes and images so far)')
    parser.add_argument('--fit-gap', metavar='VARIANT',
                        help="score VARIANT's latest.pth (or --checkpoint "
                        'best) on fit-split pairs beside the validation '
                        'split: is it learning its photos by heart?')
    parser.add_argument('--by-move', metavar='VARIANT',
                        help="score VARIANT's latest.pth (or --checkpoint "
                        'best) on the validation split by the size of the '
                        'move: which moves does it undo?')
    parser.add_argument('--score', metavar='VARIANT',
                        help="score VARIANT's latest.pth (or --checkpoint "
                        'best) on the validation split (of --val-root)')
    parser.add_argument('--gate-from', choices=('model', 'truth'),
                        default='model',
                        help='--score with the true moved mask as the gate: '
                        'what a perfect gate would make of this flow')
    parser.add_argument('--min-move', type=float, default=0.0, metavar='PX',
                        help='--score with the gate closed wherever the '
                        'flow moves less than PX pixels (at 512 px)')
    parser.add_argument('--val-root', metavar='DATA_ROOT', default=None,
                        help='--score, --fit-gap and --by-move on the '
                        'validation split of this built dataset instead of '
                        'the config\'s')
    parser.add_argument('--checkpoint', default=None,
                        choices=('latest', 'best'),
                        help='the checkpoint --fit-gap, --by-move and --score '
                        'score (default '
                        'latest) and --choose-threshold chooses for '
                        '(default best.pth where there is one, else the '
                        'last score)')
    parser.add_argument('--threads', type=int, default=None,
                        help='torch threads (default: torch\'s, one a '
                        'core); 1 for a run pinned to one core')
    parser.add_argument('--workers', type=int, default=None,
                        help='DataLoader workers instead of the config\'s '
                        '(0: samples drawn in the training process)')
    parser.add_argument('--plot', action='store_true',
                        help='only redraw the plot and the summary (of '
                        'the variants named, where some are)')
    parser.add_argument('--choose-threshold', metavar='VARIANT',
                        help='print the gate threshold to release VARIANT '
                        'with, chosen on its last validation score')
    parser.add_argument('--table', type=float, nargs='+', metavar='MIN',
                        help='also print a Markdown table of every '
                        'variant\'s EPE ratio at these minutes')
    args = parser.parse_args(argv)
    check_args(parser, args)
    import cv2
    cv2.setNumThreads(1)
    import torch
    if args.threads:
        torch.set_num_threads(args.threads)
    import ssgn_plugin  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    os.makedirs(args.out, exist_ok=True)
    one = dict(checkpoint=args.checkpoint or 'latest', val_root=args.val_root)
    if args.fit_gap:
        fit_gap(args.fit_gap, args.out, **one)
        return
    if args.by_move:
        by_move(args.by_move, args.out, **one)
        return
    if args.score:
        score_checkpoint(args.score, args.out, gate_from=args.gate_from,
                         min_move=args.min_move, **one)
        return
    if not args.plot:
        for variant in args.variants:
            if not config_path(variant).is_file():
                parser.error(f'no config for variant {variant!r}: '
                             f'{config_path(variant)}')
        for variant in args.variants:
            run_variant(variant, args.minutes, args.every, args.out,
                        workers=args.workers, init_from=args.init_from)
    rows = collect(args.out)
    if rows:
        write_csv(osp.join(args.out, 'curves.csv'), rows)
    if args.plot and args.variants:  # only these curves
        names = {variant_name(v) for v in args.variants}
        missing = sorted(names - {r['variant'] for r in rows})
        if missing:
            parser.error(f'no curve of {", ".join(missing)} in {args.out}')
        rows = [r for r in rows if r['variant'] in names]
    if not rows and (args.plot or args.choose_threshold):
        parser.error(f'no curves in {args.out}: run variants first')
    if args.choose_threshold and not at_threshold(
            rows, variant_name(args.choose_threshold)):
        parser.error(f'--choose-threshold: no curve of '
                     f'{variant_name(args.choose_threshold)} in {args.out}')
    if rows:
        plot(args.out, rows)
        print('\n'.join(summary(rows)))
        if args.table:
            print('\n'.join(markdown_table(rows, args.table)))
        if args.choose_threshold:
            # for the best checkpoint where there is one (early stopping):
            # best.pth holds the first lowest EPE ratio of the curve
            name = variant_name(args.choose_threshold)
            minutes = None
            if args.checkpoint != 'latest' and osp.isfile(
                    osp.join(args.out, name, 'best.pth')):
                minutes = float(min(at_threshold(rows, name), key=lambda r:
                                    float(r['epe_ratio']))['minutes'])
            threshold, row = choose_threshold(rows, args.choose_threshold,
                                              minutes=minutes)
            print(f'{args.choose_threshold}: gate threshold {threshold} (at '
                  f'{float(row["minutes"]):.1f} min: warped '
                  f'{float(row["psnr_warped_gain"]):+.3f} dB, whole '
                  f'{float(row["psnr_whole_change"]):+.4f} dB, worse '
                  f'{float(row["worse_share"]):.0%})')


if __name__ == '__main__':
    os.environ.setdefault('PYTHONWARNINGS', 'ignore')
    main()
