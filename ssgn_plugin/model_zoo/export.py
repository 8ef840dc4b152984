"""Put a trained model into the model zoo and pin its hash: the library
part of ``tools/export_zoo_model.py`` (its command line:
:mod:`ssgn_plugin.cli.export_zoo_model`).

:func:`export_zoo_model` writes ``<zoo>/<NAME>/NAME.py`` (the config,
self-contained: no ``_base_``, ``load_from`` cleared), ``NAME.pth`` (the
model's weights only, floating-point tensors in float16,
``{'state_dict': ..., 'meta': ...}``) and ``metafile.yml`` (the model card
with the weights' SHA-256 pinned). ``<zoo>`` is the checkout's
``ssgn_plugin/model_zoo``, so ``pip install .`` ships the model. The same
checkpoint gives the same bytes. Exporting again keeps the card's
description, metadata and default mark; its scores are dropped when the
weights changed (they were scored on the old ones) unless new ones are
given.
"""
import io
import os.path as osp
from typing import Dict, Optional, Tuple

import torch

from ssgn_plugin.utils import InputError, atomic_write_bytes, \
    atomic_write_text
from . import registry
from .registry import (METAFILE, NAME_PATTERN, ZooEntry, file_sha256,
                       read_metafile)

# The scores of tools/test.py's metrics that the card keeps: the image
# scores and, with the ``_input`` suffix, the do-nothing row.
CARD_SCORES = ('PSNR', 'PSNR_input', 'PSNR_distorted',
               'PSNR_distorted_input', 'SSIM', 'SSIM_input',
               'SSIM_distorted', 'SSIM_distorted_input', 'LPIPS',
               'LPIPS_input', 'WorseImageShare', 'EPE_warped',
               'EPE_warped_input')
FP16_MAX = 65504.0


def resolve_checkpoint(source: str) -> str:
    """A checkpoint file, or a work dir's last checkpoint."""
    if osp.isdir(source):
        last = osp.join(source, 'last_checkpoint')
        if not osp.isfile(last):
            raise InputError(f'{source} has no last_checkpoint; give the '
                             'checkpoint file (iter_N.pth) itself')
        with open(last) as f:
            checkpoint = f.read().strip()
        if not osp.isabs(checkpoint) and not osp.isfile(checkpoint):
            checkpoint = osp.join(source, osp.basename(checkpoint))
        return checkpoint
    if not osp.isfile(source):
        raise InputError(f'checkpoint or work dir not found: {source}')
    return source


def half_state_dict(state: Dict[str, torch.Tensor],
                    checkpoint: str) -> Dict[str, torch.Tensor]:
    """Floating-point tensors in float16, others (counters) as they are.

    Raises:
        InputError: naming the checkpoint when a weight is not finite or
            beyond float16's range (it would load as inf).
    """
    half = {}
    for key, value in state.items():
        value = value.detach().cpu()
        if value.is_floating_point():
            if not torch.isfinite(value).all():
                raise InputError(f'checkpoint {checkpoint}: {key} holds NaN '
                                 'or inf; the run diverged')
            if value.numel() and value.abs().max() > FP16_MAX:
                raise InputError(f'checkpoint {checkpoint}: {key} exceeds '
                                 'float16\'s range')
            value = value.to(torch.float16)
        half[key] = value.contiguous().clone()
    return half


def model_weights(config, checkpoint: str
                  ) -> Tuple[Dict[str, torch.Tensor], Dict, int]:
    """(the weights the config's model has, in float16; the checkpoint's
    meta; the model's inference parameter count). The checkpoint must fit
    the model (the restorer's own check)."""
    import ssgn_plugin  # noqa: F401  (registers the components)
    from mmagic.registry import MODELS
    from mmengine.registry import init_default_scope
    from mmengine.runner.checkpoint import get_state_dict
    from ssgn_plugin.compat.local_checkpoint_loader import \
        load_checkpoint_file
    from ssgn_plugin.evaluation.comparison import (check_checkpoint_fits,
                                                   inference_params)
    init_default_scope(config.get('default_scope', 'mmagic'))
    model = MODELS.build(config.model)
    check_checkpoint_fits(model, checkpoint)
    state = load_checkpoint_file(checkpoint, map_location='cpu')
    meta = state.get('meta') if isinstance(state.get('meta'), dict) else {}
    weights = state.get('state_dict', state)
    weights = {k[len('module.'):] if k.startswith('module.') else k: v
               for k, v in weights.items()}
    # only what the model loads: no optimizer state, no message hub
    weights = {k: weights[k] for k in get_state_dict(model)}
    return half_state_dict(weights, checkpoint), meta, inference_params(
        model)


def serialize(weights: Dict[str, torch.Tensor], meta: Dict) -> bytes:
    """The weights file's bytes. Saved through a buffer, so that the zip's
    inner folder name does not depend on a temporary file name and the
    same weights give the same bytes."""
    buffer = io.BytesIO()
    torch.save(dict(state_dict=weights, meta=meta), buffer)
    return buffer.getvalue()


def _card_scores(scores: Optional[Dict]) -> Optional[Dict[str, float]]:
    if scores is None:
        return None
    kept = {k: round(float(scores[k]), 4) for k in CARD_SCORES
            if k in scores}
    return kept or {k: round(float(v), 4) for k, v in scores.items()
                    if isinstance(v, (int, float))}


def export_zoo_model(source: str, config_file: str, name: str,
                     zoo_root: Optional[str] = None,
                     description: Optional[str] = None,
                     default: Optional[bool] = None,
                     scores: Optional[Dict[str, float]] = None,
                     metadata: Optional[Dict[str, str]] = None) -> ZooEntry:
    """Write zoo entry ``name`` from a checkpoint (or a work dir's last one)
    and its training config.

    Args:
        source (str): Checkpoint file or training work dir.
        config_file (str): The config it was trained with.
        name (str): The entry's name (letters, digits, ``_.-``).
        zoo_root (str, optional): Where ``<name>/`` goes. Default: the
            package's ``model_zoo`` folder.
        description (str, optional): One line for the card.
        default (bool, optional): Mark it the default model.
        scores (dict, optional): tools/test.py's metrics of this model on
            the built-in test split (:data:`CARD_SCORES` are kept).
        metadata (dict, optional): Card fields (training data, wall time,
            machine, ...), added to what an earlier export wrote.

    Returns:
        ZooEntry: the entry as the registry reads it back.
    """
    from mmengine.config import Config
    if not NAME_PATTERN.match(name or ''):
        raise InputError(f'zoo name {name!r}: use letters, digits, _ . -')
    checkpoint = resolve_checkpoint(source)
    if not osp.isfile(config_file):
        raise InputError(f'config file not found: {config_file}')
    cfg = Config.fromfile(config_file)
    # no training state to find: the weights are the zoo's own
    cfg.load_from = None
    cfg.resume = False
    weights, meta, params = model_weights(cfg, checkpoint)
    iteration = meta.get('iter')
    data = serialize(weights, dict(
        zoo_name=name, source_config=osp.basename(config_file),
        iter=int(iteration) if iteration is not None else -1))

    folder = osp.join(zoo_root or registry.ZOO_ROOTS[0], name)
    metafile = osp.join(folder, METAFILE)
    old = read_metafile(metafile) if osp.isfile(metafile) else None
    atomic_write_text(osp.join(folder, name + '.py'), cfg.dump())
    atomic_write_bytes(osp.join(folder, name + '.pth'), data)
    sha256 = file_sha256(osp.join(folder, name + '.pth'))

    card_meta = dict(old.metadata) if old else {}
    card_meta.update({
        'Source Config': osp.basename(config_file),
        'Iterations': int(iteration) if iteration is not None else None,
        'Parameters': params,
        'Weights Format': 'float16 state_dict',
    })
    card_meta.update(metadata or {})
    results = _card_scores(scores)
    if results is None and old is not None and old.sha256 == sha256:
        results = old.scores  # the same weights: their scores still hold
    if description is None:
        description = old.description if old else (
            f'{cfg.model.type} trained with {osp.basename(config_file)} '
            f'at {cfg.get("resolution", 256)} px')
    if default is None:
        default = old.default if old else False
    card = dict(Models=[dict(
        Name=name,
        Config=name + '.py',
        Weights=name + '.pth',
        Sha256=sha256,
        Resolution=int(cfg.get('resolution', 256)),
        Default=bool(default),
        Description=' '.join(description.split()),
        Metadata=card_meta,
        Results=[dict(Task='Image De-distortion',
                      Dataset='built-in test split',
                      Metrics=results)] if results else [],
    )])
    import yaml
    atomic_write_text(metafile, yaml.safe_dump(card, sort_keys=False,
                                               allow_unicode=True))
    return read_metafile(metafile)
