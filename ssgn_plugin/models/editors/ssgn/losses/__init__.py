"""The losses of SSGN (Sec. 3.3): eq. 4-5 (L1, least-squares GAN), the
generator's terms L_GG, L_GL, L_GS, L_GD (eq. 6-11), their total (eq. 12)
with Table 1's schedule, and the discriminators' loss."""
from .basic_losses import AbsoluteErrorLoss, LeastSquaresDiscriminatorLoss
from .discriminative_restoration_loss import DiscriminativeRestorationLoss
from .global_loss import GlobalLoss
from .local_loss import LocalLoss
from .scheduled_loss import LOSS_KEYS, PAPER_LOSS_PERIODS, ScheduledLossTerm
from .semantically_guided_loss import SemanticallyGuidedLoss
from .ssgn_generator_loss import SSGNGeneratorLoss

__all__ = [
    'AbsoluteErrorLoss', 'DiscriminativeRestorationLoss', 'GlobalLoss',
    'LOSS_KEYS', 'LeastSquaresDiscriminatorLoss',
    'LocalLoss', 'PAPER_LOSS_PERIODS', 'SSGNGeneratorLoss',
    'ScheduledLossTerm', 'SemanticallyGuidedLoss'
]
