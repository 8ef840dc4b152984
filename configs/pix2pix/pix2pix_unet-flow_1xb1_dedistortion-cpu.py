# pix2pix with the flow-guided head (FlowPix2Pix): mmagic's U-Net (6 output
# channels: flow, gate, residual, read by FlowGuidedGenerator) and 70x70
# PatchGAN with pix2pix's objective, plus the flow-restoration terms; the
# same data as SSGN-flow (fresh warps on the fly, the built test split), at
# CPU size (256 px). Beside SSGN-flow it shows how much of the gain comes
# from the head and how much from SSGN.
_base_ = [
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

model = dict(
    type='FlowPix2Pix',
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    generator=dict(
        type='FlowGuidedGenerator',
        generator=dict(
            type='UnetGenerator',
            in_channels=3,
            out_channels=6,  # 2 flow, 1 gate, 3 residual
            num_down=8,  # a 256 px input reaches 1x1 at the bottom
            base_channels=64,
            norm_cfg=dict(type='BN'),
            use_dropout=True,
            init_cfg=dict(type='normal', gain=0.02)),
        flow_scale=32.0,  # tanh output +-1 = +-32 px
        gate_gain=4.0,
        residual_scale=0.1),
    discriminator=dict(
        type='PatchDiscriminator',
        in_channels=6,  # (input, image)
        base_channels=64,
        num_conv=3,
        norm_cfg=dict(type='BN'),
        init_cfg=dict(type='normal', gain=0.02)),
    pixel_loss_weight=100.0,
    # pix2pix's L1 (100) makes a 1% image error worth 1; one pixel of
    # end-point error (10x inside the warped regions) and an undecided gate
    # are worth about as much.
    flow_loss=dict(
        type='FlowRestorationLoss',
        weights=dict(epe=1.0, gradient=1.0, gate=1.0, image=0.0)),
    size_divisor=256)

# pix2pix sees the distorted image alone (no semantic maps)
image_only = dict(type='PackDedistortionInputs', input_maps=[])
train_dataloader = dict(dataset=dict(
    maps=_base_.fresh_warp_maps,
    pipeline=_base_.fresh_warp_pipeline[:-1] + [image_only]))
val_dataloader = dict(dataset=dict(
    pipeline=_base_.test_transforms + [image_only]))
test_dataloader = val_dataloader

optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
    discriminator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))))

train_cfg = dict(by_epoch=False, max_iters=1000, val_interval=1000)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
default_hooks = dict(checkpoint=dict(interval=500))
