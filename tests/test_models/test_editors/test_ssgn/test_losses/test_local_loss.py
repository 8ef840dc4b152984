import pytest
import torch

from ssgn_plugin.models.editors.ssgn.losses import LocalLoss


def test_gan_term_is_reduced_per_patch_then_summed():
    # 2 patches of 1 image, patch-major: patch 0 judged real (D = 1),
    # patch 1 judged fake (D = 0) -> per-patch GAN 0 and 1
    scores = [torch.cat([torch.ones(1, 1, 2, 2), torch.zeros(1, 1, 2, 2)])]
    fake = [torch.zeros(2, 3, 4, 4)]
    gt = [torch.cat([torch.zeros(1, 3, 4, 4), torch.ones(1, 3, 4, 4)])]
    loss = LocalLoss(weights=dict(gan=1.0, l1=1.0),
                     reductions=dict(gan='mean', l1='mean'))
    out = loss(scores, fake, gt, num_patches=2)
    assert out['loss_gl_gan'].item() == pytest.approx(0.0 + 1.0)
    assert out['loss_gl_l1'].item() == pytest.approx(0.5)  # over all patches
    loss.configure(dict(gan=3.0, l1=0.5), dict(gan='sum', l1='sum'))
    out = loss(scores, fake, gt, num_patches=2)
    assert out['loss_gl_gan'].item() == pytest.approx(3.0 * 4)
    assert out['loss_gl_l1'].item() == pytest.approx(0.5 * 48)
