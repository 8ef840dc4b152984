# mmagic's Pix2Pix at the paper's size (1024 px). The networks are the
# official 256 px ones (unet_256, 70x70 PatchGAN: parameters unchanged): the
# 8-level U-Net reaches 4x4 at its bottom. The learning rate is constant for
# the first half and decays linearly to 0 over the second (the official
# niter + niter_decay).
_base_ = ['./pix2pix_unet-bn_1xb1_dedistortion-cpu.py']

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
train_dataloader = dict(
    dataset=dict(data_root=data_root,
                 pipeline=train_transforms + _base_.pix2pix_keys))
val_dataloader = dict(
    dataset=dict(data_root=data_root,
                 pipeline=test_transforms + _base_.pix2pix_keys))
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
