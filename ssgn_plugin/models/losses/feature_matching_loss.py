from typing import Sequence

import torch.nn.functional as F
from mmagic.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class FeatureMatchingLoss(nn.Module):
    """pix2pixHD's discriminator feature-matching loss (Wang et al. 2018,
    eq. 4): the L1 distance between the discriminator's intermediate
    features of the generated and of the real image, at every layer of
    every scale.

    As in the official code, each layer's mean L1 is weighted
    ``loss_weight * (4 / (n_layers + 1)) / num_scales``, where
    ``n_layers + 1`` is the number of intermediate features per scale (all
    but the last entry, which is the prediction) and ``num_scales`` the
    number of scales given. The real features are the target: no gradient
    flows into them.

    Args:
        loss_weight (float): lambda_feat (10 in pix2pixHD).
    """

    def __init__(self, loss_weight: float = 10.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, fake_feats: Sequence[Sequence[Tensor]],
                real_feats: Sequence[Sequence[Tensor]]) -> Tensor:
        """
        Args:
            fake_feats: Per scale, the discriminator's features of (input,
                generated image), the prediction last.
            real_feats: The same for (input, real image).

        Returns:
            Tensor: A scalar.
        """
        if len(fake_feats) != len(real_feats):
            raise ValueError(f'{len(fake_feats)} fake and {len(real_feats)} '
                             'real scales')
        scale_weight = 1.0 / len(fake_feats)
        loss = 0.0
        for fake, real in zip(fake_feats, real_feats):
            layer_weight = 4.0 / (len(fake) - 1)
            for f, r in zip(fake[:-1], real[:-1]):
                loss = loss + scale_weight * layer_weight * F.l1_loss(
                    f, r.detach())
        return loss * self.loss_weight
