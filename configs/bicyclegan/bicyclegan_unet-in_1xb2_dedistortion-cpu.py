# BicycleGAN on de-distortion pairs at CPU size (256 px, the official
# unet_256 / resnet_256 / basic_256_multi networks). Batch size 2, as the
# official default: each iteration splits the batch into an encoded-code
# half and a random-code half, so it must be even.
_base_ = [
    '../_base_/models/bicyclegan.py',
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

# The baselines take the distorted image alone; the -maps configs add the
# semantic maps as input channels.
pack = dict(type='PackDedistortionInputs', input_maps=[])
train_dataloader = dict(
    batch_size=2, dataset=dict(pipeline=_base_.train_transforms + [pack]))
val_dataloader = dict(dataset=dict(pipeline=_base_.test_transforms + [pack]))
test_dataloader = val_dataloader

train_cfg = dict(by_epoch=False, max_iters=1000, val_interval=1000)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
default_hooks = dict(checkpoint=dict(interval=500))
