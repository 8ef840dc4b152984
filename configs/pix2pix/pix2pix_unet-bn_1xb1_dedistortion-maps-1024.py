# As pix2pix_unet-bn_1xb1_dedistortion-1024.py, with the semantic maps as
# input channels (see pix2pix_unet-bn_1xb1_dedistortion-maps-cpu.py).
_base_ = ['./pix2pix_unet-bn_1xb1_dedistortion-1024.py']

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
