"""The four discriminators of SSGN (eq. 6-9). Each is one network shared by
all scales s: the paper writes D^G, D^L, D^K, D^C without a scale index
while x^s, y^s, f^s carry one, and a fully convolutional PatchGAN judges
local statistics that every scale shares; sharing also keeps four networks
(and optimizers) instead of sixteen, and a discriminator trained on x8
carries on into the next stage. Each judges a condition x^s (the 6-channel
input: distorted image, mask, key-point and contour heatmaps) concatenated
with an image (the ground truth y^s or the output f^s)."""
from typing import Sequence, Tuple, Union

import torch
from mmagic.registry import MODELS
from torch import Tensor

from ssgn_plugin.utils import InputError
from .patch_gan_discriminator import PatchGANDiscriminator


@MODELS.register_module()
class GlobalDiscriminator(PatchGANDiscriminator):
    """D^G (eq. 6): judges the whole image, ``Cat(x^s, f^s)``, "the overall
    difference of images": with the default ``head='pooled'`` one score per
    image that depends on every pixel of the scale (see
    :class:`PatchGANDiscriminator`), where a patch head would make it one
    more local judge beside D^L. ``head='patch'`` gives the score map.

    Shapes: condition (N, 6, H, W), image (N, 3, H, W) -> scores
    (N, 1, 1, 1) (pooled) or (N, 1, H / 2^num_down, W / 2^num_down).
    """

    def __init__(self, head: str = 'pooled', **kwargs) -> None:
        super().__init__(head=head, **kwargs)

    def forward(self, condition: Tensor, image: Tensor) -> Tensor:
        return self.judge(torch.cat([condition, image], dim=1))


@MODELS.register_module()
class LocalDiscriminator(PatchGANDiscriminator):
    """D^L (eq. 7): judges ``num_patches`` (pn, 16 or 32 in the paper)
    random square patches cropped at the same places from the input x^s,
    the output f^s and the ground truth y^s.

    Args:
        num_patches (int): pn, patches per image.
        patch_size (int | float): Side of a patch: an int is pixels, a float
            in (0, 1] a fraction of the scale's shorter side (0.25: a 256 px
            x1 image gives 64 px patches, its 32 px x8 level 8 px ones).
            Either way the side is clipped to [``min_size``, image side].
        **kwargs: The body's settings (:class:`PatchGANDiscriminator`);
            ``num_down=2`` suits small patches.

    Patches are stacked patch-major: row ``p * N + n`` is patch p of image n.
    """

    def __init__(self,
                 num_patches: int = 16,
                 patch_size: Union[int, float] = 0.25,
                 num_down: int = 2,
                 **kwargs) -> None:
        super().__init__(num_down=num_down, **kwargs)
        if isinstance(num_patches, bool) or not isinstance(
                num_patches, int) or num_patches < 1:
            raise InputError('LocalDiscriminator.num_patches must be an '
                             f'integer >= 1, got {num_patches!r}')
        valid_size = (isinstance(patch_size, int) and patch_size >= 1) or (
            isinstance(patch_size, float) and 0 < patch_size <= 1)
        if isinstance(patch_size, bool) or not valid_size:
            raise InputError(
                'LocalDiscriminator.patch_size must be pixels (an integer '
                '>= 1) or a fraction of the image side in (0, 1], got '
                f'{patch_size!r}')
        self.num_patches = num_patches
        self.patch_size = patch_size

    def patch_side(self, height: int, width: int) -> int:
        side = min(height, width)
        if isinstance(self.patch_size, float):
            wanted = int(round(self.patch_size * side))
        else:
            wanted = self.patch_size
        return max(min(wanted, side), min(self.min_size, side))

    def sample_patches(self, batch: int, height: int,
                       width: int) -> Tuple[Tensor, int]:
        """Random top-left corners (num_patches, batch, 2) as (top, left),
        and the patch side, for images of ``height`` x ``width``."""
        side = self.patch_side(height, width)
        tops = torch.randint(0, height - side + 1,
                             (self.num_patches, batch, 1))
        lefts = torch.randint(0, width - side + 1,
                              (self.num_patches, batch, 1))
        return torch.cat([tops, lefts], dim=-1), side

    @staticmethod
    def crop(tensor: Tensor, corners: Tensor, side: int) -> Tensor:
        """The patches of ``tensor`` (N, C, H, W) at ``corners``
        (P, N, 2), as (P * N, C, side, side), patch-major."""
        patches = [
            tensor[n, :, top:top + side, left:left + side]
            for per_patch in corners.tolist()
            for n, (top, left) in enumerate(per_patch)
        ]
        return torch.stack(patches)

    def forward(self, condition_patches: Tensor,
                image_patches: Tensor) -> Tensor:
        """Scores of ``Cat(X_p, F_p)`` for every patch p."""
        return self.judge(torch.cat([condition_patches, image_patches], 1))


class _HeatmapDiscriminator(PatchGANDiscriminator):

    def forward(self, condition: Tensor, image: Tensor,
                heatmap: Tensor) -> Tensor:
        """Scores of ``Cat(x^s * h^s, image * h^s)``; ``heatmap`` (N, 1, H,
        W) in [0, 1] weights every channel, so the discriminator sees only
        what lies around the body parts."""
        return self.judge(
            torch.cat([condition * heatmap, image * heatmap], dim=1))


@MODELS.register_module()
class KeypointDiscriminator(_HeatmapDiscriminator):
    """D^K (eq. 8): ``D^K(Cat(x^s * k^s, f^s * k^s))`` with k^s the key-point
    heatmap: judges the surroundings of the body's key points.

    Shapes: condition (N, 6, H, W), image (N, 3, H, W), heatmap
    (N, 1, H, W) -> scores (N, 1, H / 2^num_down, W / 2^num_down).
    """


@MODELS.register_module()
class ContourDiscriminator(_HeatmapDiscriminator):
    """D^C (eq. 9): ``D^C(Cat(x^s * c^s, f^s * c^s))`` with c^s the contour
    heatmap: judges the band around the body's outline, where warps bend
    the background.

    Shapes: as :class:`KeypointDiscriminator`.
    """


DISCRIMINATOR_NAMES: Sequence[str] = ('global_discriminator',
                                      'local_discriminator',
                                      'keypoint_discriminator',
                                      'contour_discriminator')
