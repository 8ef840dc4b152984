aligned_keys = [
    'img',
    'gt',
    'mask',
    'keypoint_heatmap',
    'contour_heatmap',
    'edge',
    'distortion_levels',
    'gt_flow',
    'gt_flow_valid',
]
batch_size = 8
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'ssgn_plugin',
    ])
data_root = 'data/builtin'
dataset_type = 'DedistortionDataset'
default_hooks = dict(
    checkpoint=dict(
        by_epoch=False,
        interval=400,
        max_keep_ckpts=3,
        save_last=True,
        save_optimizer=True,
        type='CheckpointHook'),
    logger=dict(interval=50, log_metric_by_epoch=False, type='LoggerHook'),
    param_scheduler=dict(type='ParamSchedulerHook'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    timer=dict(type='IterTimerHook'))
default_scope = 'mmagic'
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
eval_pipeline = [
    dict(channel_order='rgb', key='img', type='LoadImageChecked'),
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
    dict(
        color_type='grayscale',
        key='keypoint_heatmap',
        type='LoadImageChecked'),
    dict(
        color_type='grayscale', key='contour_heatmap',
        type='LoadImageChecked'),
    dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
    dict(type='LoadDistortionLevels'),
    dict(type='LoadRestorationFlow'),
    dict(
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        random_position=False,
        scale=(
            1.0,
            1.0,
        ),
        size=256,
        type='PairedRandomResizedCrop'),
    dict(
        input_maps=[
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
        ],
        type='PackDedistortionInputs'),
]
fresh_warp = dict(
    contour_sigma_ratio=0.025,
    grid=16,
    liquify_share=0.5,
    parts_distribution=[
        0.5,
        0.3,
        0.2,
    ],
    preset='moderate',
    type='RandomRetouchWarp')
fresh_warp_maps = [
    'original_mask',
    'edge',
    'warp',
]
fresh_warp_pipeline = [
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='original_mask', type='LoadImageChecked'),
    dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
    dict(type='LoadOriginalKeypoints'),
    dict(
        keys=[
            'gt',
            'original_mask',
            'edge',
        ],
        scale=(
            0.6,
            1.0,
        ),
        size=256,
        type='PairedRandomResizedCrop'),
    dict(
        contour_sigma_ratio=0.025,
        grid=16,
        liquify_share=0.5,
        parts_distribution=[
            0.5,
            0.3,
            0.2,
        ],
        preset='moderate',
        type='RandomRetouchWarp'),
    dict(
        direction='horizontal',
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        type='PairedFlip'),
    dict(
        input_maps=[
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
        ],
        type='PackDedistortionInputs'),
]
load = [
    dict(channel_order='rgb', key='img', type='LoadImageChecked'),
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
    dict(
        color_type='grayscale',
        key='keypoint_heatmap',
        type='LoadImageChecked'),
    dict(
        color_type='grayscale', key='contour_heatmap',
        type='LoadImageChecked'),
    dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
    dict(type='LoadDistortionLevels'),
    dict(type='LoadRestorationFlow'),
]
load_from = None
log_level = 'INFO'
log_processor = dict(by_epoch=False, type='LogProcessor', window_size=10)
maps = [
    'mask',
    'keypoint_heatmap',
    'contour_heatmap',
    'edge',
    'distortion_matrix',
    'flow',
    'flow_valid',
]
max_iters = 2400
model = dict(
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    flip_average=True,
    flow_loss=dict(
        gate_target='helps',
        moved_threshold=0.5,
        penalty='squared',
        region_weight=10.0,
        type='FlowRestorationLoss',
        weights=dict(epe=1.0, gate=1.0, gradient=0.0, image=0.0)),
    gate_threshold=0.5,
    generator=dict(
        channels=(
            32,
            64,
            128,
            256,
        ),
        encoder='vgg16',
        flow_level=0,
        in_channels=6,
        semantic_conditioning='concat',
        type='FlowUNetGenerator'),
    type='FlowUNet',
    working_size=128)
model_wrapper_cfg = dict(
    broadcast_buffers=False,
    find_unused_parameters=False,
    type='MMDistributedDataParallel')
mp_start_method = 'fork'
opencv_num_threads = 0
optim_wrapper = dict(
    optimizer=dict(betas=(
        0.9,
        0.999,
    ), lr=0.001, type='Adam'),
    type='OptimWrapper')
pack = dict(
    input_maps=[
        'mask',
        'keypoint_heatmap',
        'contour_heatmap',
    ],
    type='PackDedistortionInputs')
param_scheduler = dict(
    T_max=2400,
    begin=0,
    by_epoch=False,
    end=2400,
    eta_min=1e-05,
    type='CosineAnnealingLR')
randomness = dict(diff_rank_seed=True, seed=2021)
region_scores = dict(levels_key='distortion_levels')
resolution = 128
resume = False
test_cfg = dict(type='MultiTestLoop')
test_dataloader = dict(
    batch_size=1,
    dataset=dict(
        data_root='data/builtin',
        maps=[
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_matrix',
            'flow',
            'flow_valid',
        ],
        pipeline=[
            dict(channel_order='rgb', key='img', type='LoadImageChecked'),
            dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
            dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
            dict(
                color_type='grayscale',
                key='keypoint_heatmap',
                type='LoadImageChecked'),
            dict(
                color_type='grayscale',
                key='contour_heatmap',
                type='LoadImageChecked'),
            dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
            dict(type='LoadDistortionLevels'),
            dict(type='LoadRestorationFlow'),
            dict(
                keys=[
                    'img',
                    'gt',
                    'mask',
                    'keypoint_heatmap',
                    'contour_heatmap',
                    'edge',
                    'distortion_levels',
                    'gt_flow',
                    'gt_flow_valid',
                ],
                random_position=False,
                scale=(
                    1.0,
                    1.0,
                ),
                size=256,
                type='PairedRandomResizedCrop'),
            dict(
                input_maps=[
                    'mask',
                    'keypoint_heatmap',
                    'contour_heatmap',
                ],
                type='PackDedistortionInputs'),
        ],
        split='test',
        test_mode=True,
        type='DedistortionDataset'),
    num_workers=0,
    persistent_workers=False,
    sampler=dict(shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    metrics=[
        dict(levels_key='distortion_levels', type='DedistortionPSNR'),
        dict(levels_key='distortion_levels', type='DedistortionSSIM'),
        dict(type='DedistortionLPIPS'),
        dict(type='DedistortionFID'),
        dict(type='WorseImageShare'),
        dict(margin_db=0.05, type='WorseImageShare'),
        dict(type='UnchangedPixelShare'),
        dict(type='DedistortionEPE'),
    ],
    type='Evaluator')
test_metrics = [
    dict(levels_key='distortion_levels', type='DedistortionPSNR'),
    dict(levels_key='distortion_levels', type='DedistortionSSIM'),
    dict(type='DedistortionLPIPS'),
    dict(type='DedistortionFID'),
    dict(type='WorseImageShare'),
    dict(margin_db=0.05, type='WorseImageShare'),
    dict(type='UnchangedPixelShare'),
    dict(type='DedistortionEPE'),
]
test_pipeline = [
    dict(channel_order='rgb', key='img', type='LoadImageChecked'),
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
    dict(
        color_type='grayscale',
        key='keypoint_heatmap',
        type='LoadImageChecked'),
    dict(
        color_type='grayscale', key='contour_heatmap',
        type='LoadImageChecked'),
    dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
    dict(type='LoadDistortionLevels'),
    dict(type='LoadRestorationFlow'),
    dict(
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        random_position=False,
        scale=(
            1.0,
            1.0,
        ),
        size=256,
        type='PairedRandomResizedCrop'),
    dict(
        input_maps=[
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
        ],
        type='PackDedistortionInputs'),
]
test_size = 256
test_transforms = [
    dict(channel_order='rgb', key='img', type='LoadImageChecked'),
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
    dict(
        color_type='grayscale',
        key='keypoint_heatmap',
        type='LoadImageChecked'),
    dict(
        color_type='grayscale', key='contour_heatmap',
        type='LoadImageChecked'),
    dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
    dict(type='LoadDistortionLevels'),
    dict(type='LoadRestorationFlow'),
    dict(
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        random_position=False,
        scale=(
            1.0,
            1.0,
        ),
        size=256,
        type='PairedRandomResizedCrop'),
]
train_cfg = dict(max_iters=2400, type='IterBasedTrainLoop', val_interval=400)
train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        data_root='data/builtin',
        maps=[
            'original_mask',
            'warp',
        ],
        pipeline=[
            dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
            dict(
                color_type='grayscale',
                key='original_mask',
                type='LoadImageChecked'),
            dict(type='LoadOriginalKeypoints'),
            dict(
                keys=[
                    'gt',
                    'original_mask',
                ],
                scale=(
                    0.6,
                    1.0,
                ),
                size=128,
                type='PairedRandomResizedCrop'),
            dict(
                data_root='data/builtin',
                prob=0.5,
                split='fit',
                type='RandomBackgroundSwap'),
            dict(
                contour_sigma_ratio=0.025,
                grid=16,
                liquify_share=0.5,
                parts_distribution=[
                    0.5,
                    0.3,
                    0.2,
                ],
                preset='moderate',
                type='RandomRetouchWarp'),
            dict(
                direction='horizontal',
                keys=[
                    'img',
                    'gt',
                    'mask',
                    'keypoint_heatmap',
                    'contour_heatmap',
                    'edge',
                    'distortion_levels',
                    'gt_flow',
                    'gt_flow_valid',
                ],
                type='PairedFlip'),
            dict(
                input_maps=[
                    'mask',
                    'keypoint_heatmap',
                    'contour_heatmap',
                ],
                type='PackDedistortionInputs'),
        ],
        split='fit',
        type='DedistortionDataset'),
    num_workers=1,
    persistent_workers=True,
    sampler=dict(shuffle=True, type='InfiniteSampler'))
train_pipeline = [
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='original_mask', type='LoadImageChecked'),
    dict(type='LoadOriginalKeypoints'),
    dict(
        keys=[
            'gt',
            'original_mask',
        ],
        scale=(
            0.6,
            1.0,
        ),
        size=128,
        type='PairedRandomResizedCrop'),
    dict(
        contour_sigma_ratio=0.025,
        grid=16,
        liquify_share=0.5,
        parts_distribution=[
            0.5,
            0.3,
            0.2,
        ],
        preset='moderate',
        type='RandomRetouchWarp'),
    dict(
        direction='horizontal',
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        type='PairedFlip'),
    dict(
        input_maps=[
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
        ],
        type='PackDedistortionInputs'),
]
train_transforms = [
    dict(channel_order='rgb', key='img', type='LoadImageChecked'),
    dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
    dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
    dict(
        color_type='grayscale',
        key='keypoint_heatmap',
        type='LoadImageChecked'),
    dict(
        color_type='grayscale', key='contour_heatmap',
        type='LoadImageChecked'),
    dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
    dict(type='LoadDistortionLevels'),
    dict(type='LoadRestorationFlow'),
    dict(
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        scale=(
            0.6,
            1.0,
        ),
        size=256,
        type='PairedRandomResizedCrop'),
    dict(
        direction='horizontal',
        keys=[
            'img',
            'gt',
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_levels',
            'gt_flow',
            'gt_flow_valid',
        ],
        type='PairedFlip'),
]
val_cfg = dict(type='MultiValLoop')
val_dataloader = dict(
    batch_size=1,
    dataset=dict(
        data_root='data/builtin',
        maps=[
            'mask',
            'keypoint_heatmap',
            'contour_heatmap',
            'edge',
            'distortion_matrix',
            'flow',
            'flow_valid',
        ],
        pipeline=[
            dict(channel_order='rgb', key='img', type='LoadImageChecked'),
            dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
            dict(color_type='grayscale', key='mask', type='LoadImageChecked'),
            dict(
                color_type='grayscale',
                key='keypoint_heatmap',
                type='LoadImageChecked'),
            dict(
                color_type='grayscale',
                key='contour_heatmap',
                type='LoadImageChecked'),
            dict(color_type='grayscale', key='edge', type='LoadImageChecked'),
            dict(type='LoadDistortionLevels'),
            dict(type='LoadRestorationFlow'),
            dict(
                keys=[
                    'img',
                    'gt',
                    'mask',
                    'keypoint_heatmap',
                    'contour_heatmap',
                    'edge',
                    'distortion_levels',
                    'gt_flow',
                    'gt_flow_valid',
                ],
                random_position=False,
                scale=(
                    1.0,
                    1.0,
                ),
                size=256,
                type='PairedRandomResizedCrop'),
            dict(
                input_maps=[
                    'mask',
                    'keypoint_heatmap',
                    'contour_heatmap',
                ],
                type='PackDedistortionInputs'),
        ],
        split='val',
        test_mode=True,
        type='DedistortionDataset'),
    num_workers=0,
    persistent_workers=False,
    sampler=dict(shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    metrics=[
        dict(levels_key='distortion_levels', type='DedistortionPSNR'),
        dict(levels_key='distortion_levels', type='DedistortionSSIM'),
        dict(type='DedistortionEPE'),
        dict(type='WorseImageShare'),
    ],
    type='Evaluator')
val_metrics = [
    dict(levels_key='distortion_levels', type='DedistortionPSNR'),
    dict(levels_key='distortion_levels', type='DedistortionSSIM'),
]
vis_backends = [
    dict(type='VisBackend'),
    dict(type='TensorboardVisBackend'),
]
visualizer = dict(
    type='Visualizer',
    vis_backends=[
        dict(type='VisBackend'),
        dict(type='TensorboardVisBackend'),
    ])
warp = 4
