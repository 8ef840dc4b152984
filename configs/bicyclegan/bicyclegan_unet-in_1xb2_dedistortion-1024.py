# BicycleGAN at the paper's size (1024 px). The networks are the official
# 256 px ones (the official code has no larger recipe): the 8-level U-Net
# reaches 4x4 at its bottom, the encoder averages over its last 32x32
# features (the official AvgPool2d(8) fits 256 px only), the
# discriminators' patches cover a smaller part of the image.
# Iterations at batch size 2; the learning rate is constant for the first
# half and decays linearly to 0 over the second (the official niter +
# niter_decay).
_base_ = ['./bicyclegan_unet-in_1xb2_dedistortion-cpu.py']

resolution = 1024
# The 1024 px configs read a 1024 px build (crops are then shrunk, never
# enlarged): python tools/build_dataset.py --builtin --size 1024
data_root = 'data/builtin-1024'
train_transforms = [
    dict(t, size=resolution) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.train_transforms
]
test_transforms = [
    dict(t, size=resolution) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.test_transforms
]
train_dataloader = dict(dataset=dict(
    data_root=data_root, pipeline=train_transforms + [_base_.pack]))
val_dataloader = dict(dataset=dict(
    data_root=data_root, pipeline=test_transforms + [_base_.pack]))
test_dataloader = val_dataloader

max_iters = 200000
train_cfg = dict(max_iters=max_iters, val_interval=10000)
param_scheduler = dict(
    type='LinearLR',
    start_factor=1.0,
    end_factor=0.0,
    by_epoch=False,
    begin=max_iters // 2,
    end=max_iters)
default_hooks = dict(checkpoint=dict(interval=10000))
