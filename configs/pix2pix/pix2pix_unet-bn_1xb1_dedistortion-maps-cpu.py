# mmagic's Pix2Pix with the semantic maps (mask, key-point and contour
# heatmaps) as input channels: the fair ablation against SSGN, which sees
# them too. See pix2pix_keys_with_maps in ../_base_/models/pix2pix.py.
_base_ = ['./pix2pix_unet-bn_1xb1_dedistortion-cpu.py']

train_dataloader = dict(
    dataset=dict(pipeline=_base_.train_transforms +
                 _base_.pix2pix_keys_with_maps))
val_dataloader = dict(
    dataset=dict(pipeline=_base_.test_transforms +
                 _base_.pix2pix_keys_with_maps))
test_dataloader = val_dataloader

model = dict(
    generator=dict(in_channels=6),
    discriminator=dict(in_channels=9))  # input (6) + output image (3)
