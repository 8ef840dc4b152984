from typing import Optional

import numpy as np
from mmagic.datasets.transforms import LoadImageFromFile
from mmagic.registry import TRANSFORMS

from ssgn_plugin.utils import InputError


@TRANSFORMS.register_module()
class LoadImageChecked(LoadImageFromFile):
    """mmagic's ``LoadImageFromFile`` (same arguments and keys), with one
    line naming the file when it cannot be read.

    mmagic's loader passes OpenCV's ``None`` for an undecodable file on to
    ``cvtColor`` or ``ndim``, so a corrupt image inside a dataset stops a
    training run with a traceback that never names the file. This loader
    raises :class:`InputError` ``'<path>: <problem>'`` instead.

    Added keys: ``<key>`` (H, W, C) as mmagic's loader adds it, with
    ``ori_<key>_shape``, ``<key>_channel_order`` and ``<key>_color_type``.
    """

    def _load_image(self, filename: str) -> np.ndarray:
        try:
            img: Optional[np.ndarray] = super()._load_image(filename)
        except InputError:
            raise
        except FileNotFoundError:
            raise InputError(f'{filename}: no such file') from None
        except Exception as e:  # noqa: BLE001  (cv2.error, None.ndim, ...)
            raise InputError(f'{filename}: not an image file, or corrupt '
                             f'({type(e).__name__})') from None
        if img is None or not isinstance(img, np.ndarray) or img.size == 0:
            raise InputError(f'{filename}: not an image file, or corrupt')
        return img
