# FlowUNet (ours, issue 19): the restorer that learns on two CPU cores. A
# plain 4-level U-Net (32-256 channels, instance norm) reads the distorted
# photo with its mask, key-point and contour heatmaps at 128 px and
# predicts the restoration flow and a gate, trained by regression alone:
# the SQUARED flow error over every pixel (10x inside the warped regions)
# and the gate's cross-entropy, on batches of 8 fresh warps from the
# built-in train photos. Every setting here was chosen from learning curves
# on the validation split (benchmarks/bench_flow_learning.py;
# docs/studies/flow-restorer-on-two-cores.md); the test split scores the
# end result only.
_base_ = [
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

resolution = 128  # side the network runs at; the moves are 0.5-3.5 px here
batch_size = 8
# tools/test.py scores the whole built sample at 256 px, as every CPU
# config here does (the comparison tables share one do-nothing row); the
# model resizes it to its working size and moves the 256 px photo.
# benchmarks/bench_flow_learning.py scores the validation split at the
# built 512 px.
test_size = 256

model = dict(
    type='FlowUNet',
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    generator=dict(
        type='FlowUNetGenerator',
        in_channels=6,  # RGB, mask, key-point and contour heatmaps
        channels=(32, 64, 128, 256),
        flow_level=0,
        semantic_conditioning='concat',
        encoder='scratch'),
    # EPE collapses to "no move" (its best answer under doubt is the median
    # move, zero on an unseen photo); the squared error's is the mean.
    flow_loss=dict(
        type='FlowRestorationLoss',
        penalty='squared',
        weights=dict(epe=1.0, gradient=0.0, gate=1.0, image=0.0),
        region_weight=10.0,
        moved_threshold=0.5),
    working_size=resolution,
    gate_threshold=0.5)

# Fresh warps at the working size: crop (0.6-1 of the person's square),
# warp, flip, pack; the model trains on the fit split (the train photos
# minus the validation photos).
fresh_warp = dict(_base_.fresh_warp)
train_pipeline = [
    dict(type='LoadImageChecked', key='gt', channel_order='rgb'),
    dict(type='LoadImageChecked', key='original_mask',
         color_type='grayscale'),
    dict(type='LoadOriginalKeypoints'),
    dict(type='PairedRandomResizedCrop', keys=['gt', 'original_mask'],
         size=resolution, scale=(0.6, 1.0)),
    fresh_warp,
    dict(type='PairedFlip', keys=_base_.aligned_keys, direction='horizontal'),
    _base_.pack,
]
# Validation and test: the built pairs whole, at test_size.
eval_pipeline = _base_.load + [
    dict(type='PairedRandomResizedCrop', keys=_base_.aligned_keys,
         size=test_size, scale=(1.0, 1.0), random_position=False),
    _base_.pack,
]

train_dataloader = dict(
    batch_size=batch_size,
    num_workers=1,  # ~60 fresh warps a second a core at 128 px: one keeps up
    persistent_workers=True,
    dataset=dict(split='fit', maps=['original_mask', 'warp'],
                 pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    dataset=dict(split='val', pipeline=eval_pipeline))
test_dataloader = dict(
    num_workers=0,
    dataset=dict(split='test', pipeline=eval_pipeline))

optim_wrapper = dict(
    type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3,
                                        betas=(0.9, 0.999)))
max_iters = 20000
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters,
                 val_interval=1000)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
val_evaluator = dict(metrics=_base_.val_metrics + [
    dict(type='DedistortionEPE'), dict(type='WorseImageShare')])
default_hooks = dict(checkpoint=dict(interval=1000, max_keep_ckpts=3),
                     logger=dict(interval=50))
model_wrapper_cfg = dict(type='MMDistributedDataParallel')
