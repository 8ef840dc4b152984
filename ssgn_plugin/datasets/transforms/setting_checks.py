"""Checks of a transform's settings when it is built, from a config or a
``--cfg-options`` override of one.

A value out of range is refused there, by an :class:`InputError` of one
line ``'<Transform>: <setting> must ..., got <value>'`` that the tools
print as it is (MMEngine's registry re-raises it with its type), instead
of a traceback, or an OpenCV assertion at the first training step (a crop
of size 0), or a training that quietly does something else (a chance
above 1).
"""
import numbers
from typing import Collection, Optional, Tuple

from ssgn_plugin.utils import InputError


def is_number(value) -> bool:
    # bool is an int to Python, never a setting's number
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_probability(owner: str, name: str, value) -> float:
    """``value`` as a float, if it is a chance: a number in [0, 1]."""
    if not is_number(value) or not 0 <= value <= 1:
        raise InputError(f'{owner}: {name} must be in [0, 1], got {value!r}')
    return float(value)


def check_range(owner: str, name: str, value, low: float, high: float,
                above_low: bool = False) -> Tuple[float, float]:
    """``value`` as a (min, max) pair of floats, if it is one with
    ``low <= min <= max <= high`` (``low < min`` when ``above_low``)."""
    pair = tuple(value) if isinstance(value, (list, tuple)) else (value, )
    if len(pair) != 2 or not all(is_number(v) for v in pair) or \
            not low <= pair[0] <= pair[1] <= high or \
            (above_low and pair[0] == low):
        bound = '<' if above_low else '<='
        raise InputError(f'{owner}: {name} must be a (min, max) range with '
                         f'{low} {bound} min <= max <= {high}, got {value!r}')
    return float(pair[0]), float(pair[1])


def check_count(owner: str, name: str, value, least: int = 1,
                what: str = '') -> int:
    """``value``, if it is a whole number of at least ``least`` (of
    ``what``, e.g. 'pixels', for the message)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) \
            or value < least:
        unit = f' {what}' if what else ''
        raise InputError(f'{owner}: {name} must be a whole number{unit} of '
                         f'at least {least}, got {value!r}')
    return int(value)


def check_choice(owner: str, name: str, value,
                 choices: Collection[str],
                 optional: bool = False) -> Optional[str]:
    """``value``, if it is one of ``choices`` (or None, when
    ``optional``)."""
    if (value is None and optional) or (isinstance(value, str) and
                                        value in choices):
        return value
    raise InputError(f'{owner}: {name} must be one of '
                     f'{", ".join(map(repr, choices))}, got {value!r}')


def check_names(owner: str, name: str, value) -> Tuple[str, ...]:
    """``value`` as a tuple, if it is a list of key names. A string alone
    is refused: ``keys=img`` would be read as the keys 'i', 'm', 'g'."""
    if not isinstance(value, (list, tuple)) or \
            not all(isinstance(v, str) for v in value):
        raise InputError(f'{owner}: {name} must be a list of key names, '
                         f'got {value!r}')
    return tuple(value)
