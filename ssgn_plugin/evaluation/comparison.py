"""Evaluate several trained methods on one test set and compare them, as
Table 5 (methods) and Tables 2-4 (SSGN's stacks) of the paper do, with the
do-nothing baseline (the distorted input scored as the output) as the first
row, parameters and inference time beside the quality columns, and each
method's training cost where its checkpoint records it
(``TrainingCostHook``)."""
import csv
import io
import json
import os.path as osp
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook

from ssgn_plugin.engine.hooks.training_cost_hook import TrainingCost
from ssgn_plugin.utils import InputError, atomic_write_text
from .metrics.image_pair_metric import to_hwc_uint8
from .metrics.warped_region import to_flow_map

# Column order of the tables; other metrics follow in name order.
COLUMN_ORDER = ('PSNR', 'SSIM', 'LPIPS', 'FID', 'PSNR_distorted',
                'SSIM_distorted', 'WorseImageShare', 'WorseImageShare_0.05dB',
                'Unchanged_unwarped',
                'EPE_warped', 'EPE_unwarped', 'EPE', 'PSNR_L1', 'PSNR_L2',
                'PSNR_L3', 'SSIM_L1', 'SSIM_L2', 'SSIM_L3')
LOWER_IS_BETTER = ('LPIPS', 'FID', 'L1', 'EPE', 'WorseImageShare')
# What the less familiar columns mean, written under the table.
COLUMN_LEGEND = (
    ('WorseImageShare', '`WorseImageShare`: share of the test images whose '
     'PSNR is below the distorted input\'s (`_0.05dB`: by more than 0.05 dB)'),
    ('Unchanged_unwarped', '`Unchanged_unwarped`: share of the pixels '
     'outside the warped region that keep the input\'s 8-bit value'),
    ('EPE', '`EPE`: end-point error of the predicted flow in pixels (the '
     'do-nothing row: a zero flow; blank: the method predicts no flow)'),
    ('Train images', '`Train images`: training images behind the weights '
     '(all stages of a stacked training); `Train CPU min`: CPU minutes of '
     'the training process and its data workers, validation left out; '
     '`Train img/s`: training images a second of wall time (blank: the '
     'checkpoint records no training cost)'),
)
# The training cost of each method (TrainingCost), after the other columns
# when any checkpoint records one, and how the Markdown table shows them.
TRAINING_COLUMNS = ('Train images', 'Train CPU min', 'Train img/s')
COLUMN_FORMATS = {'Train images': '{:,}', 'Train CPU min': '{:.1f}',
                  'Train img/s': '{:.3f}'}


@dataclass
class MethodResult:
    """One evaluated method: metrics, size, speed, and the images of the
    samples kept for the comparison grid (key -> dict of HWC uint8 arrays:
    ``input``, ``output``, ``gt``, and when known ``levels`` (H, W), the
    predicted ``flow`` and the ground-truth ``gt_flow``, (H, W, 2) float32
    pixels). ``trainable_params``: what its training trained (an SSGN
    stage: its own stack); ``size``: the scored images' 'HxW' (SSGN_xS
    scored at its own scale: 1/S of the others); ``training``: its
    training cost as its checkpoint records it (None: not recorded)."""
    name: str
    metrics: Dict[str, float]
    params: int
    seconds_per_image: float
    images: Dict[str, Dict[str, np.ndarray]] = field(default_factory=dict)
    trainable_params: Optional[int] = None
    size: Optional[str] = None
    training: Optional[TrainingCost] = None


def image_keys(cfg: Config) -> Dict[str, str]:
    """Where a config's test samples keep the output, original and input
    images: read from its first image-pair metric (pix2pix and our models
    name them differently); and the predicted and ground-truth flows
    (``flow``, ``gt_flow``), from its DedistortionEPE if it has one."""
    metrics = cfg.test_evaluator.get('metrics', cfg.test_evaluator)
    metrics = metrics if isinstance(metrics, list) else [metrics]
    keys = dict(pred='pred_img', gt='gt_img', input='img',
                flow='pred_flow', gt_flow='gt_flow')
    for metric in metrics:
        if metric['type'] == 'DedistortionEPE':
            keys.update(flow=metric.get('pred_key', 'pred_flow'),
                        gt_flow=metric.get('gt_key', 'gt_flow'))
            break
    for metric in metrics:
        if metric['type'] == 'DedistortionEPE':
            continue
        if 'pred_key' in metric or metric['type'].startswith('Dedistortion'):
            keys.update(pred=metric.get('pred_key', 'pred_img'),
                        gt=metric.get('gt_key', 'gt_img'),
                        input=metric.get('input_key', 'img'))
            break
    return keys


class CollectTestOutputs(Hook):
    """Times the test iterations and keeps the images of the first
    ``num_keep`` samples for the comparison grid."""

    def __init__(self, keys: Dict[str, str], num_keep: int) -> None:
        self.keys, self.num_keep = keys, num_keep
        self.images: Dict[str, Dict[str, np.ndarray]] = {}
        self.seconds, self.count = 0.0, 0
        self.size: Optional[str] = None  # of the scored outputs, 'HxW'

    def before_test_iter(self, runner, batch_idx, data_batch=None) -> None:
        self._start = time.perf_counter()

    def after_test_iter(self, runner, batch_idx, data_batch=None,
                        outputs=None) -> None:
        self.seconds += time.perf_counter() - self._start
        self.count += len(outputs)
        if self.size is None and outputs:
            first = outputs[0].output if 'output' in outputs[0] else outputs[0]
            h, w = first.get(self.keys['pred']).shape[-2:]
            self.size = f'{h}x{w}'
        for sample in outputs:
            if len(self.images) >= self.num_keep:
                break
            output = sample.output if 'output' in sample else sample
            kept = dict(output=to_hwc_uint8(output.get(self.keys['pred'])),
                        gt=to_hwc_uint8(sample.get(self.keys['gt'])))
            if self.keys['input'] in sample:
                kept['input'] = to_hwc_uint8(sample.get(self.keys['input']))
            if 'distortion_levels' in sample:
                kept['levels'] = sample.distortion_levels.cpu().numpy(
                ).reshape(kept['gt'].shape[:2])
            # flows, (H, W, 2) pixels, for the colour-wheel tiles
            if self.keys['flow'] in output:
                kept['flow'] = to_flow_map(output.get(self.keys['flow']))
            if self.keys['gt_flow'] in sample:
                kept['gt_flow'] = to_flow_map(sample.get(
                    self.keys['gt_flow']))
            self.images[_sample_key(sample.metainfo, len(self.images))] = kept


def _sample_key(metainfo: dict, index: int) -> str:
    """What names a test sample alike for every method: the dataset's
    ``key`` (PackDedistortionInputs keeps it), else the input's file name
    (mmagic's PackInputs keeps ``img_path``), else its index."""
    if 'key' in metainfo:
        return metainfo['key']
    if 'img_path' in metainfo:
        return osp.splitext(osp.basename(metainfo['img_path']))[0]
    return str(index)


class KeepTestMetrics(Hook):
    """Keeps the metrics of the test epoch: mmagic's ``MultiTestLoop`` passes
    them to the hooks but, unlike MMEngine's ``TestLoop``, returns nothing."""

    def __init__(self):
        self.metrics = None

    def after_test_epoch(self, runner, metrics=None) -> None:
        self.metrics = metrics


class KeepTrainingCost(Hook):
    """Keeps the training cost that the tested checkpoint records, read as
    the runner loads it (None when it records none)."""

    def __init__(self):
        self.cost: Optional[TrainingCost] = None

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self.cost = TrainingCost.from_checkpoint(checkpoint)


def check_checkpoint_fits(model: torch.nn.Module, checkpoint: str) -> None:
    """A clear error when a checkpoint holds another model's weights
    (MMEngine would load what matches and only log a warning)."""
    from mmengine.runner.checkpoint import _load_checkpoint
    # silent: MMEngine prints each load (logger=None) and the model's
    # own load names the file already
    state = _load_checkpoint(checkpoint, map_location='cpu',
                             logger='silent')
    state = state.get('state_dict', state)
    state = {k[len('module.'):] if k.startswith('module.') else k: v
             for k, v in state.items()}
    # as checkpoints store it: without (distributed) wrappers' 'module.'
    from mmengine.runner.checkpoint import get_state_dict
    expected = get_state_dict(model)
    missing = [k for k in expected if k not in state]
    mismatched = [k for k in expected if k in state and
                  tuple(state[k].shape) != tuple(expected[k].shape)]
    if missing or mismatched:
        example = (missing + mismatched)[0]
        raise InputError(
            f'checkpoint {checkpoint} does not fit {type(model).__name__}: '
            f'{len(missing)} of {len(expected)} weights missing, '
            f'{len(mismatched)} of another shape (e.g. {example}); is it a '
            'checkpoint of another model or config?')


def _unwrapped(model: torch.nn.Module) -> torch.nn.Module:
    """The model inside a distributed wrapper (``--launcher pytorch``)."""
    from mmengine.model import is_model_wrapper
    return model.module if is_model_wrapper(model) else model


def inference_params(model: torch.nn.Module) -> int:
    """Parameters used at inference: all but the discriminators'."""
    model = _unwrapped(model)
    return sum(p.numel() for name, p in model.named_parameters()
               if 'discriminator' not in name.split('.')[0])


def stage_params(model: torch.nn.Module) -> Tuple[int, int]:
    """(parameters, trainable parameters) of a model as tested. A stacked
    generator (SSGN: ``active_scales`` and ``stack_modules``) counts its
    active stacks, and as trainable the newest one's, the only one its
    stage trains (Sec. 4.2.2; stack x8 owns the inner parts); other models
    count :func:`inference_params`, all trainable."""
    generator = getattr(_unwrapped(model), 'generator', None)
    generator = getattr(generator, 'module', generator)  # DDP wrapper
    if not hasattr(generator, 'stack_modules') or not hasattr(
            generator, 'active_scales'):
        params = inference_params(model)
        return params, params

    def count(scales):
        seen = {id(p): p for s in scales for m in generator.stack_modules(s)
                for p in m.parameters()}
        return sum(p.numel() for p in seen.values())

    scales = generator.active_scales
    return count(scales), count(scales[-1:])


def check_checkpoint_file(checkpoint: str) -> None:
    """An :class:`InputError` when there is no file ``checkpoint``."""
    if not osp.isfile(checkpoint):
        raise InputError(f'checkpoint file not found: {checkpoint}')


def check_test_set(cfg: Config) -> int:
    """The number of samples of ``cfg``'s test set, its dataset built as
    the runner builds it (the split file read, every sample's files
    found, the transforms' settings checked), without a model: a missing
    or empty test set is found in seconds, before anything is scored."""
    import copy
    from mmengine.registry import DATASETS, DefaultScope
    dataset_cfg = copy.deepcopy(cfg.test_dataloader.dataset)
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmengine')):
        dataset = DATASETS.build(dataset_cfg)
    if not len(dataset):
        raise InputError(f'test set {dataset_cfg.get("data_root")}: no '
                         'samples')
    return len(dataset)


def evaluate_checkpoint(cfg: Config, checkpoint: str, name: str,
                        num_keep: int = 0,
                        verbose: bool = False) -> MethodResult:
    """Run a config's test loop on a checkpoint with the MMEngine Runner
    (with a progress bar, or MMEngine's console log when ``verbose``)."""
    from ssgn_plugin.engine import build_runner
    check_checkpoint_file(checkpoint)
    cfg = cfg.copy()
    cfg.load_from = checkpoint
    # several runners in one process need distinct logger/visualizer names
    cfg.experiment_name = f'test_{name}_{time.strftime("%Y%m%d_%H%M%S")}'
    runner = build_runner(cfg, verbose=verbose)
    check_checkpoint_fits(runner.model, checkpoint)
    keeper = KeepTestMetrics()
    collector = CollectTestOutputs(image_keys(cfg), num_keep)
    training = KeepTrainingCost()
    for hook in (keeper, collector, training):
        runner.register_hook(hook, priority='VERY_LOW')
    metrics = runner.test() or keeper.metrics
    if not metrics:
        raise InputError(f'{name}: the test produced no metrics')
    params, trainable = stage_params(runner.model)
    return MethodResult(
        name=name,
        metrics={k: float(v) for k, v in metrics.items()},
        params=params,
        seconds_per_image=collector.seconds / max(collector.count, 1),
        images=collector.images,
        trainable_params=trainable,
        size=collector.size,
        training=training.cost)


def _columns(results: Sequence[MethodResult]) -> List[str]:
    # A metric that only the do-nothing baseline has (EPE when no method
    # predicts a flow) still gets its column.
    names = {k[:-len('_input')] if k.endswith('_input') else k
             for r in results for k in r.metrics if not k.endswith('_count')}
    first = [c for c in COLUMN_ORDER if c in names]
    return first + sorted(names - set(first))


def _region_counts(results: Sequence[MethodResult]) -> Dict[str, int]:
    """How many test samples each region score averages over (the same for
    every method and metric: they see the same samples)."""
    counts = {}
    for r in results:
        for k, v in r.metrics.items():
            if k.endswith('_count'):
                region = k[:-len('_count')].split('_', 1)[1]
                counts.setdefault(region, int(v))
    return counts


def training_columns(results: Sequence[MethodResult]) -> List[str]:
    """:data:`TRAINING_COLUMNS` when any result records its training cost,
    else none."""
    return list(TRAINING_COLUMNS) if any(
        r.training is not None for r in results) else []


def _training_cells(cost: Optional[TrainingCost]) -> Dict:
    """A method's training columns (none when its cost is unknown; blank
    images a second when it took no time)."""
    if cost is None:
        return {}
    cells = {'Train images': cost.images, 'Train CPU min': cost.cpu_minutes}
    if cost.images_per_second is not None:
        cells['Train img/s'] = cost.images_per_second
    return cells


def _sizes(results: Sequence[MethodResult]) -> List[Optional[str]]:
    """The scored image sizes, in order of first appearance."""
    return list(dict.fromkeys(r.size for r in results))


DO_NOTHING = 'Distorted input (do nothing)'


def comparison_rows(results: Sequence[MethodResult]) -> List[Dict]:
    """Table rows: the do-nothing baseline first (the ``_input`` twins of
    the first method's metrics), then one row per method. Methods scored at
    different sizes (SSGN's stages, each at its own scale) each follow the
    do-nothing baseline at their size, from the ``_input`` twins of the
    methods of that size. A method whose checkpoint records its training
    cost has the :data:`TRAINING_COLUMNS`; the do-nothing rows have none."""
    columns = _columns(results)
    rows = []
    for size in _sizes(results):  # the table's Size column tells them apart
        same = [r for r in results if r.size == size]
        baseline = dict(Method=DO_NOTHING, Params=0,
                        Trainable=0, Size=size,
                        **{'s/img': 0.0})
        for c in columns:
            for r in same:  # every method scores the same inputs
                if f'{c}_input' in r.metrics:
                    baseline[c] = r.metrics[f'{c}_input']
                    break
        rows.append(baseline)
        for r in same:
            row = dict(Method=r.name, Params=r.params,
                       Trainable=r.params if r.trainable_params is None else
                       r.trainable_params, Size=r.size,
                       **{'s/img': r.seconds_per_image})
            row.update({c: r.metrics[c] for c in columns if c in r.metrics})
            row.update(_training_cells(r.training))
            rows.append(row)
    return rows


def _fmt(value, column: str = '') -> str:
    if value is not None and column in COLUMN_FORMATS:
        return COLUMN_FORMATS[column].format(value)
    if isinstance(value, int):
        return f'{value / 1e6:.2f}M' if value else '-'
    if isinstance(value, float):
        return f'{value:.4f}'
    return '' if value is None else str(value)


def _write_table(out_dir: str, stem: str, title: str, note: str,
                 columns: Sequence[str], rows: Sequence[Dict],
                 better: Dict[str, str], footer: Sequence[str]) -> Dict:
    """Write ``rows`` as ``<stem>.md`` (titled, arrows on the scored
    columns, ``footer`` paragraphs under it), ``.json`` and ``.csv``;
    return the paths."""
    lines = [f'# {title}', '']
    if note:
        lines += [note, '']
    lines.append('| ' + ' | '.join(
        c + (f' {better[c]}' if c in better else '') for c in columns) + ' |')
    lines.append('|' + '---|' * len(columns))
    for row in rows:
        lines.append('| ' + ' | '.join(_fmt(row.get(c), c) for c in columns)
                     + ' |')
    for paragraph in footer:
        lines += ['', paragraph]
    paths = {k: osp.join(out_dir, f'{stem}.{k}')
             for k in ('md', 'json', 'csv')}
    atomic_write_text(paths['md'], '\n'.join(lines) + '\n')
    atomic_write_text(paths['json'], json.dumps(
        dict(title=title, note=note, rows=rows), indent=2) + '\n')
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, '') for c in columns})
    atomic_write_text(paths['csv'], buffer.getvalue())
    return paths


def _better(results: Sequence[MethodResult]) -> Dict[str, str]:
    return {c: '↓' if any(c.startswith(k) for k in LOWER_IS_BETTER)
            else '↑' for c in _columns(results)}


def _footer(results: Sequence[MethodResult], columns: Sequence[str]):
    counts = _region_counts(results)
    footer = []
    if counts:
        footer.append(
            'Region scores (`_distorted`: distortion level >= 1; '
            '`_L1` .. `_L3`: one level; `_warped`: |gt flow| > 0.5 px, '
            '`_unwarped`: the rest, where the flow is valid) average '
            'over the test samples that have such pixels: ' + ', '.join(
                f'{region} {n}' for region, n in counts.items()) + '.')
    legend = [text for column, text in COLUMN_LEGEND if column in columns]
    if legend:
        footer.append('; '.join(legend) + '.')
    return footer


def write_comparison(results: Sequence[MethodResult], out_dir: str,
                     title: str = 'Comparison', note: str = '',
                     stem: str = 'comparison') -> Dict:
    """Write ``<stem>.md``, ``<stem>.json`` and ``<stem>.csv`` into
    ``out_dir``; return the paths."""
    sized = ['Size'] if len(_sizes(results)) > 1 else []
    columns = (['Method'] + sized + _columns(results) +
               ['Params', 'Trainable', 's/img'] + training_columns(results))
    return _write_table(out_dir, stem, title, note, columns,
                        comparison_rows(results), _better(results),
                        _footer(results, columns))


# The gains a variant table adds to each method's row: the method's score
# minus the do-nothing row's of the same variant.
GAIN_COLUMNS = ('PSNR', 'PSNR_distorted')
VARIANT_COLUMNS = ('PSNR', 'PSNR_distorted', 'SSIM', 'LPIPS',
                   'WorseImageShare', 'WorseImageShare_0.05dB',
                   'Unchanged_unwarped', 'EPE_warped')


def write_variant_comparison(variants: Dict[str, Sequence[MethodResult]],
                             out_dir: str, title: str = 'Variants',
                             note: str = '') -> Dict:
    """One table over test-set variants (issue 20: the same test photos
    clean, as JPEG 75, at half size, as 256-colour palettes, warped by a
    held-out family): for each variant (name -> its methods' results, in
    order) the do-nothing row and each method's, with ``Variant`` first,
    the scores of :data:`VARIANT_COLUMNS` and the gains over doing nothing
    (``ΔPSNR``, ``ΔPSNR_distorted``). Writes ``variants.md/.json/.csv``
    into ``out_dir``; returns the paths."""
    everything = [r for results in variants.values() for r in results]
    # the do-no-harm and gain columns only; each variant's own comparison
    # has them all
    present = _columns(everything)
    scores = [c for c in VARIANT_COLUMNS if c in present]
    gains = [f'Δ{c}' for c in GAIN_COLUMNS if c in scores]
    columns = ['Variant', 'Method'] + scores + gains + ['s/img']
    rows = []
    for variant, results in variants.items():
        for row in comparison_rows(results):
            row = dict(row, Variant=variant)
            if row['Method'] == DO_NOTHING:  # one per scored size
                baseline = row
            else:
                for c in GAIN_COLUMNS:
                    if c in row and c in baseline:
                        row[f'Δ{c}'] = row[c] - baseline[c]
            rows.append(row)
    better = dict(_better(everything), **{g: '↑' for g in gains})
    footer = ['`ΔPSNR`, `ΔPSNR_distorted`: the method\'s score minus doing '
              'nothing\'s on the same variant, in dB.'] + _footer(
                  everything, columns)
    return _write_table(out_dir, 'variants', title, note, columns, rows,
                        better, footer)
