"""mmagic 1.2.0's ``Pix2Pix.test_step`` indexes the batch's DataSample
without splitting it first (``val_step`` does), so ``tools/test.py`` fails
with "'DataSample' object is not subscriptable". Its docstring says it is the
same as ``val_step``; this makes it so."""
from mmagic.models.editors.pix2pix import Pix2Pix


def patch_pix2pix_test_step() -> None:
    Pix2Pix.test_step = Pix2Pix.val_step
