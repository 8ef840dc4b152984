"""The losses of flow-guided restoration: the predicted flow against the
ground-truth restoration flow, the gate against where the warp moved
pixels, and the composed image against the original.

Why these terms and weights (the defaults; each is a config setting):

- ``epe``: the flow error over EVERY valid pixel: the zeros of the
  untouched 90% of a photo teach "do not move", which is what keeps a
  restorer from harming them. Inside the warped region (|gt| >
  ``moved_threshold``) each pixel weighs ``region_weight`` (10) times more:
  the region is about a tenth of the photo, so both halves of the task
  count about equally. How an error is charged is the ``penalty``:
  ``'epe'`` (the end-point error |pred - gt| in pixels, the default),
  ``'squared'`` (|pred - gt|^2) or ``'charbonnier'`` (sqrt(|pred - gt|^2 +
  eps^2) - eps). The choice matters more than anything else here: under
  uncertainty the best answer to a per-pixel absolute error is the median
  of what the pixel might be, and on a photo the network has not seen the
  median move is zero, so an EPE-trained network learns to predict no
  move at all (issue 19: its error inside the warped regions stayed that of
  no flow after 6000 images). The squared error's best answer is the mean,
  which is not zero where a warp is likely; Charbonnier sits between.
  ``normalise`` says what the error is averaged over: ``'pixels'`` (every
  pixel of the batch alike, the default) or ``'photo'`` (each photo's
  error divided by what no move would cost it, then the photos averaged).
  Under the squared penalty a close-up whose moves are 10 px costs a
  hundred times one whose moves are 1 px, so a pixel average learns the
  close-ups (issue 20: one close-up held 63% of the validation split's
  moved pixels and all of the model's gain) and its flow under 1 px of
  the working size is worse than none; per photo, "no move" costs every
  photo 1, and the flow stops harming the small moves but predicts less
  of the large ones.
- ``gradient``: L1 of the difference of the flows' spatial gradients. EPE
  alone lets a smooth blob of roughly the right size stand in for the
  warp; its gradients must also follow the warp's shape (the flow of a
  liquify stroke or an MLS band has sharp-ish edges where it fades).
- ``gate``: binary cross-entropy of the gate against its target, the
  restorer's own "touch this pixel" mask; trained directly it closes over
  untouched pixels, so they are copied bit for bit. The target
  (``gate_target``) is either where the warp moved pixels (|gt| >
  ``moved_threshold``, ``'moved'``) or where the predicted flow helps
  (``'helps'``: the predicted flow lands nearer the truth than no move
  does, |pred - gt| < |gt|, with the prediction detached). A 'moved' gate
  opens wherever a warp is likely, also where the flow is still wrong
  there, and a wrong flow is harm; a 'helps' gate learns the chance that
  moving this pixel makes it better, so a threshold of 0.5 opens where
  moving is more likely to help than to hurt (issue 19: the released
  'moved' gate's AP was 0.17 and its open-gate photo lost 8.6 dB).
- ``image``: L1 of the composed image against the original (images in
  [-1, 1]); the residual learns only through it.
"""
from typing import Dict, Optional

import torch
import torch.nn.functional as F
from mmagic.registry import MODELS
from torch import Tensor, nn

DEFAULT_WEIGHTS = dict(epe=1.0, gradient=1.0, gate=1.0, image=10.0)


def moved_mask(gt_flow: Tensor, threshold: float) -> Tensor:
    """(N, 1, H, W) float 1 where the ground truth moves more than
    ``threshold`` pixels."""
    return (gt_flow.norm(dim=1, keepdim=True) > threshold).float()


def end_point_error(pred: Tensor, gt: Tensor) -> Tensor:
    """(N, 1, H, W) Euclidean distance of two (N, 2, H, W) flows."""
    return (pred - gt).norm(dim=1, keepdim=True)


PENALTIES = ('epe', 'squared', 'charbonnier')
GATE_TARGETS = ('moved', 'helps')
NORMALISATIONS = ('pixels', 'photo')


def gate_target_mask(pred_flow: Tensor, gt_flow: Tensor, target: str,
                     moved_threshold: float) -> Tensor:
    """(N, 1, H, W) float target of the gate for (N, 2, H, W) flows:
    ``'moved'``: 1 where |gt| > ``moved_threshold``; ``'helps'``: 1 where
    the (detached) prediction is nearer the truth than no move,
    |pred - gt| < |gt|, which never holds where nothing moved (gt = 0)."""
    if target == 'moved':
        return moved_mask(gt_flow, moved_threshold)
    error = end_point_error(pred_flow.detach(), gt_flow)
    return (error < gt_flow.norm(dim=1, keepdim=True)).float()


def flow_penalty(diff: Tensor, penalty: str, eps: float = 0.5) -> Tensor:
    """(N, 1, H, W) cost of (N, 2, H, W) flow differences ``diff`` in
    pixels: ``'epe'`` |d|, ``'squared'`` |d|^2, ``'charbonnier'``
    sqrt(|d|^2 + eps^2) - eps (quadratic under ``eps`` px, linear beyond)."""
    if penalty == 'epe':
        return diff.norm(dim=1, keepdim=True)
    squared = (diff * diff).sum(dim=1, keepdim=True)
    if penalty == 'squared':
        return squared
    return (squared + eps * eps).sqrt() - eps


def _gradients(flow: Tensor):
    return (flow[..., :, 1:] - flow[..., :, :-1],
            flow[..., 1:, :] - flow[..., :-1, :])


@MODELS.register_module()
class FlowRestorationLoss(nn.Module):
    """The terms of flow-guided restoration, each weighted (module
    docstring says why).

    Args:
        weights (dict): Weights of ``epe``, ``gradient``, ``gate`` and
            ``image``; 0 switches a term off.
        region_weight (float): Weight of a warped pixel in the EPE relative
            to an untouched one.
        moved_threshold (float): Pixels whose gt flow is longer than this
            (in pixels) are in the warped region.
        penalty (str): How a flow error is charged in the ``epe`` and
            ``gradient`` terms: ``'epe'``, ``'squared'`` or
            ``'charbonnier'`` (:func:`flow_penalty`).
        charbonnier_eps (float): Pixels under which Charbonnier is
            quadratic.
        gate_target (str): What the gate learns: ``'moved'`` (where the
            warp moved pixels) or ``'helps'`` (where the predicted flow is
            nearer the truth than no move); :func:`gate_target_mask`.
        normalise (str): What the ``epe`` term averages over:
            ``'pixels'`` (all weighted pixels of the batch) or
            ``'photo'`` (each photo's weighted error over its weighted
            cost of no move, averaged over the photos).
        photo_floor (float): Least cost of no move a photo is divided by
            under ``normalise='photo'`` (in the penalty's units, px^2 for
            ``'squared'``), so a photo whose warp barely moved anything is
            not weighted without bound.
    """

    def __init__(self,
                 weights: Optional[dict] = None,
                 region_weight: float = 10.0,
                 moved_threshold: float = 0.5,
                 penalty: str = 'epe',
                 charbonnier_eps: float = 0.5,
                 gate_target: str = 'moved',
                 normalise: str = 'pixels',
                 photo_floor: float = 0.01) -> None:
        super().__init__()
        if normalise not in NORMALISATIONS:
            raise ValueError(f'FlowRestorationLoss: normalise must be one '
                             f'of {NORMALISATIONS}, got {normalise!r}')
        self.normalise = normalise
        self.photo_floor = photo_floor
        if penalty not in PENALTIES:
            raise ValueError(f'FlowRestorationLoss: penalty must be one of '
                             f'{PENALTIES}, got {penalty!r}')
        if gate_target not in GATE_TARGETS:
            raise ValueError(f'FlowRestorationLoss: gate_target must be one '
                             f'of {GATE_TARGETS}, got {gate_target!r}')
        self.gate_target = gate_target
        self.penalty = penalty
        self.charbonnier_eps = charbonnier_eps
        unknown = set(weights or {}) - set(DEFAULT_WEIGHTS)
        if unknown:
            raise ValueError(f'FlowRestorationLoss: unknown weights '
                             f'{sorted(unknown)}; known: '
                             f'{sorted(DEFAULT_WEIGHTS)}')
        self.weights = dict(DEFAULT_WEIGHTS, **(weights or {}))
        self.region_weight = region_weight
        self.moved_threshold = moved_threshold

    def forward(self,
                pred_flow: Tensor,
                gate: Tensor,
                gt_flow: Tensor,
                valid: Optional[Tensor] = None,
                output: Optional[Tensor] = None,
                gt_img: Optional[Tensor] = None,
                suffix: str = '') -> Dict[str, Tensor]:
        """
        Args:
            pred_flow, gt_flow: (N, 2, H, W) in pixels of this size.
            gate: (N, 1, H, W) in [0, 1].
            valid: (N, 1, H, W) 1 where the gt flow is exact (default all).
            output, gt_img: (N, C, H, W) composed image and original, for
                the image term.
            suffix: Appended to the returned keys (e.g. ``'_x4'``).

        Returns:
            dict: ``loss_flow_epe``, ``loss_flow_gradient``,
            ``loss_flow_gate``, ``loss_flow_image`` (those with a nonzero
            weight), each weighted.
        """
        if valid is None:
            valid = torch.ones_like(gate)
        moved = moved_mask(gt_flow, self.moved_threshold)
        losses = {}
        w = self.weights
        if w['epe']:
            weight = valid * (1 + (self.region_weight - 1) * moved)
            cost = flow_penalty(pred_flow - gt_flow, self.penalty,
                                self.charbonnier_eps)
            if self.normalise == 'pixels':
                term = (cost * weight).sum() / weight.sum().clamp(min=1)
            else:
                # the same weighted average, one per photo, over what the
                # photo's no move (a zero prediction) would cost it
                no_move = flow_penalty(-gt_flow, self.penalty,
                                       self.charbonnier_eps)
                term = ((cost * weight).sum((1, 2, 3)) /
                        ((no_move * weight).sum((1, 2, 3)) +
                         self.photo_floor * weight.sum((1, 2, 3)))).mean()
            losses['loss_flow_epe'] = w['epe'] * term
        if w['gradient']:
            terms = []
            for pred_d, gt_d, axis in zip(_gradients(pred_flow),
                                          _gradients(gt_flow), (-1, -2)):
                both = valid.narrow(axis, 1, valid.shape[axis] - 1) * \
                    valid.narrow(axis, 0, valid.shape[axis] - 1)
                if self.penalty == 'epe':  # L1, as before
                    cost = (pred_d - gt_d).abs().sum(dim=1, keepdim=True)
                else:
                    cost = flow_penalty(pred_d - gt_d, self.penalty,
                                        self.charbonnier_eps)
                terms.append((cost * both).sum() /
                             (2 * both.sum()).clamp(min=1))
            losses['loss_flow_gradient'] = w['gradient'] * sum(terms)
        if w['gate']:
            target = gate_target_mask(pred_flow, gt_flow, self.gate_target,
                                      self.moved_threshold)
            bce = F.binary_cross_entropy(gate.clamp(1e-6, 1 - 1e-6), target,
                                         reduction='none')
            losses['loss_flow_gate'] = w['gate'] * (bce * valid).sum() / \
                valid.sum().clamp(min=1)
        if w['image'] and output is not None and gt_img is not None:
            losses['loss_flow_image'] = w['image'] * F.l1_loss(output, gt_img)
        return {k + suffix: v for k, v in losses.items()}
