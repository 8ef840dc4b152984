# pix2pixHD on de-distortion pairs at CPU size (256 px): the global generator
# and 2-scale discriminator of the official 512p recipe (--netG global).
_base_ = [
    '../_base_/models/pix2pixhd.py',
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

# The baselines take the distorted image alone; the -maps configs add the
# semantic maps as input channels.
pack = dict(type='PackDedistortionInputs', input_maps=[])
train_dataloader = dict(
    dataset=dict(pipeline=_base_.train_transforms + [pack]))
val_dataloader = dict(dataset=dict(pipeline=_base_.test_transforms + [pack]))
test_dataloader = val_dataloader

# The VGG term is left out here on purpose: it needs ImageNet VGG19 weights,
# which a CPU smoke run should not depend on. The 1024 px config keeps it;
# set model.vgg_loss=dict(type='VGGPerceptualLoss', loss_weight=10.0,
# weights=...) to add it back.
model = dict(vgg_loss=None)

train_cfg = dict(by_epoch=False, max_iters=1000, val_interval=1000)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
default_hooks = dict(checkpoint=dict(interval=500))
