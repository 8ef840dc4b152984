from mmagic.registry import MODELS
from torch import Tensor, nn


@MODELS.register_module()
class GaussianKLLoss(nn.Module):
    """KL divergence of the encoder's Gaussian N(mu, exp(logvar)) from the
    prior N(0, I), BicycleGAN's cVAE term:
    ``-0.5 * sum(1 + logvar - mu^2 - exp(logvar))``.

    Args:
        loss_weight (float): lambda_kl (0.01 in BicycleGAN).
        reduction (str): ``'sum'`` over batch and latent dimensions, as the
            official code does (so the term grows with the batch size), or
            ``'mean'`` over the batch.
    """

    def __init__(self, loss_weight: float = 0.01,
                 reduction: str = 'sum') -> None:
        super().__init__()
        if reduction not in ('sum', 'mean'):
            raise ValueError(f"reduction must be 'sum' or 'mean', got "
                             f'{reduction!r}')
        self.loss_weight = loss_weight
        self.reduction = reduction

    def forward(self, mu: Tensor, logvar: Tensor) -> Tensor:
        """
        Args:
            mu, logvar: (N, nz) mean and log-variance.

        Returns:
            Tensor: A scalar.
        """
        kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum()
        if self.reduction == 'mean':
            kl = kl / mu.shape[0]
        return kl * self.loss_weight
