"""Weights and reductions of the generator's loss terms (Table 1, Sec.
4.2.1), shared by the terms of eq. 6-11 and switched by a schedule."""
from typing import Dict, List, Optional, Sequence, Tuple

from torch import Tensor, nn

from ssgn_plugin.utils import InputError
from ssgn_plugin.models.losses.loss_functions import check_reduction

# Table 1's columns: alpha_GAN, alpha_L1, alpha_KP, alpha_CT, alpha_E,
# alpha_DR_f, alpha_DR_e.
LOSS_KEYS: Tuple[str, ...] = ('gan', 'l1', 'kp', 'ct', 'e', 'dr_f', 'dr_e')

# Table 1 with the reductions of Sec. 4.2.1: the first 3 epochs converge on
# the whole image (means), the rest on local regions (sums).
PAPER_LOSS_PERIODS = (
    dict(weights=dict(gan=50, l1=1000, kp=50, ct=50, e=50, dr_f=0.05,
                      dr_e=0.05),
         reductions=dict(gan='mean', l1='mean', kp='mean', ct='mean',
                         e='mean', dr_f='sum', dr_e='sum')),
    dict(weights=dict(gan=50, l1=0.05, kp=0.05, ct=0.05, e=0.05, dr_f=0.02,
                      dr_e=0.02),
         reductions=dict(gan='mean', l1='sum', kp='sum', ct='sum', e='sum',
                         dr_f='sum', dr_e='sum')),
)


def check_period(period: dict, setting: str,
                 keys: Sequence[str] = LOSS_KEYS) -> None:
    """An :class:`InputError` naming ``setting`` unless ``period`` has a
    number weight and a reduction for each of ``keys`` and nothing else."""
    if not isinstance(period, dict) or set(period) != {'weights',
                                                       'reductions'}:
        raise InputError(f'{setting} must be dict(weights=..., '
                         f'reductions=...), got {period!r}')
    for part in ('weights', 'reductions'):
        given = period[part]
        if not isinstance(given, dict) or set(given) != set(keys):
            raise InputError(
                f'{setting}.{part} must have exactly the keys '
                f'{sorted(keys)}, got {sorted(given) if isinstance(given, dict) else given!r}')
    for key in keys:
        weight = period['weights'][key]
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) \
                or weight < 0:
            raise InputError(f'{setting}.weights.{key} must be a number >= 0,'
                             f' got {weight!r}')
        check_reduction(period['reductions'][key],
                        f'{setting}.reductions.{key}')


class ScheduledLossTerm(nn.Module):
    """A loss term whose weights and reductions (one per key of Table 1 it
    uses, ``KEYS``) can change during training (:meth:`configure`).

    Args:
        weights (dict, optional): Weight per key; defaults to Table 1's
            first period.
        reductions (dict, optional): 'mean' or 'sum' per key; defaults to
            Sec. 4.2.1's first period.
    """

    KEYS: Tuple[str, ...] = ()

    def __init__(self,
                 weights: Optional[Dict[str, float]] = None,
                 reductions: Optional[Dict[str, str]] = None) -> None:
        super().__init__()
        first = PAPER_LOSS_PERIODS[0]
        self.weights: Dict[str, float] = {}
        self.reductions: Dict[str, str] = {}
        self.configure(
            weights if weights is not None else first['weights'],
            reductions if reductions is not None else first['reductions'])

    def configure(self, weights: Dict[str, float],
                  reductions: Dict[str, str]) -> None:
        """Take this term's keys from a whole period's (or its own)
        weights and reductions."""
        name = type(self).__name__
        period = dict(weights={k: weights.get(k) for k in self.KEYS},
                      reductions={k: reductions.get(k) for k in self.KEYS})
        check_period(period, name, self.KEYS)
        self.weights = period['weights']
        self.reductions = period['reductions']

    def rescaled(self, key: str, value: Tensor,
                 pixel_factor: Optional[float]) -> Tensor:
        """``value`` (one scale's reduced ``key`` term) times
        ``pixel_factor`` when ``key`` is sum-reduced: a sum grows with the
        pixel count, so the factor (the reference pixel count of the scale
        over its actual one, :class:`SSGNGeneratorLoss`'s
        ``reference_resolution``) brings it back to the size Table 1's
        weights were tuned at. Means do not grow; they stay as they are."""
        if pixel_factor is None or self.reductions[key] != 'sum':
            return value
        return value * pixel_factor


def per_scale(pixel_factors: Optional[Sequence[float]],
              num_scales: int) -> List[Optional[float]]:
    """One pixel factor per scale: the given ones, or None (no rescaling)
    for each of ``num_scales``."""
    if pixel_factors is None:
        return [None] * num_scales
    if len(pixel_factors) != num_scales:
        raise ValueError(f'{len(pixel_factors)} pixel factors for '
                         f'{num_scales} scales')
    return list(pixel_factors)
