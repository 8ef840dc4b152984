adam = dict(
    optimizer=dict(betas=(
        0.5,
        0.999,
    ), lr=0.0002, type='Adam'),
    type='OptimWrapper')
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
custom_hooks = [
    dict(by_epoch=True, milestones=[
        3,
    ], type='LossScheduleHook'),
    dict(
        frozen_stacks=0,
        require_previous_stage=False,
        type='StackedTrainingHook'),
    dict(interval=1000, num_samples=2, type='DedistortionVisualizationHook'),
]
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'ssgn_plugin',
    ])
data_root = 'data/builtin'
dataset_type = 'DedistortionDataset'
default_hooks = dict(
    checkpoint=dict(
        by_epoch=False,
        interval=1000,
        max_keep_ckpts=4,
        save_last=True,
        save_optimizer=True,
        type='CheckpointHook'),
    logger=dict(interval=50, log_metric_by_epoch=False, type='LoggerHook'),
    param_scheduler=dict(type='ParamSchedulerHook'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    timer=dict(type='IterTimerHook'))
default_scope = 'mmagic'
discriminator = dict(
    base_channels=64, in_channels=9, norm_cfg=dict(type='IN'), num_down=3)
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
flow_loss = dict(
    moved_threshold=0.5,
    region_weight=10.0,
    type='FlowRestorationLoss',
    weights=dict(epe=20.0, gate=20.0, gradient=20.0, image=0.0))
flow_output = dict(
    flow_cfg=dict(
        flow_scale=4.0, gate_bias=0.0, residual_scale=0.1, use_residual=True),
    output='flow')
flow_test_cfg = dict(gate_threshold=0.05)
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
loss_periods = [
    dict(
        reductions=dict(
            ct='mean',
            dr_e='sum',
            dr_f='sum',
            e='mean',
            gan='mean',
            kp='mean',
            l1='mean'),
        weights=dict(
            ct=50, dr_e=0.05, dr_f=0.05, e=50, gan=50, kp=50, l1=1000)),
    dict(
        reductions=dict(
            ct='sum',
            dr_e='sum',
            dr_f='sum',
            e='sum',
            gan='mean',
            kp='sum',
            l1='sum'),
        weights=dict(
            ct=0.05, dr_e=0.02, dr_f=0.02, e=0.05, gan=50, kp=0.05, l1=0.05)),
]
maps = [
    'mask',
    'keypoint_heatmap',
    'contour_heatmap',
    'edge',
    'distortion_matrix',
    'flow',
    'flow_valid',
]
model = dict(
    contour_discriminator=dict(
        base_channels=32,
        in_channels=9,
        norm_cfg=dict(type='IN'),
        num_down=3,
        type='ContourDiscriminator'),
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    discriminator_loss=dict(
        loss_weight=0.5, type='LeastSquaresDiscriminatorLoss'),
    flow_loss=dict(
        moved_threshold=0.5,
        region_weight=10.0,
        type='FlowRestorationLoss',
        weights=dict(epe=1.0, gate=1.0, gradient=1.0, image=10.0)),
    generator=dict(
        base_channels=32,
        down_depth=1,
        flow_cfg=dict(
            flow_scale=4.0,
            gate_bias=0.0,
            residual_scale=0.1,
            use_residual=True),
        in_channels=6,
        norm_cfg=dict(type='IN'),
        num_res_blocks=5,
        num_stacks=4,
        out_channels=3,
        output='flow',
        type='SSGNGenerator'),
    generator_loss=dict(
        periods=[
            dict(
                reductions=dict(
                    ct='mean',
                    dr_e='sum',
                    dr_f='sum',
                    e='mean',
                    gan='mean',
                    kp='mean',
                    l1='mean'),
                weights=dict(
                    ct=50, dr_e=0.05, dr_f=0.05, e=50, gan=50, kp=50,
                    l1=1000)),
            dict(
                reductions=dict(
                    ct='sum',
                    dr_e='sum',
                    dr_f='sum',
                    e='sum',
                    gan='mean',
                    kp='sum',
                    l1='sum'),
                weights=dict(
                    ct=0.05,
                    dr_e=0.02,
                    dr_f=0.02,
                    e=0.05,
                    gan=50,
                    kp=0.05,
                    l1=0.05)),
        ],
        reference_resolution=1024,
        type='SSGNGeneratorLoss',
        use_drl=True,
        use_sgl=True),
    global_discriminator=dict(
        base_channels=32,
        head='pooled',
        in_channels=9,
        norm_cfg=dict(type='IN'),
        num_down=3,
        type='GlobalDiscriminator'),
    keypoint_discriminator=dict(
        base_channels=32,
        in_channels=9,
        norm_cfg=dict(type='IN'),
        num_down=3,
        type='KeypointDiscriminator'),
    local_discriminator=dict(
        base_channels=32,
        in_channels=9,
        norm_cfg=dict(type='IN'),
        num_down=2,
        num_patches=16,
        patch_size=0.25,
        type='LocalDiscriminator'),
    objective='flow',
    test_cfg=dict(all_scales=False, gate_threshold=0.5),
    type='SSGN')
model_wrapper_cfg = dict(
    broadcast_buffers=False,
    find_unused_parameters=True,
    type='MMSeparateDistributedDataParallel')
mp_start_method = 'fork'
narrow = dict(base_channels=32)
opencv_num_threads = 0
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    contour_discriminator=dict(
        optimizer=dict(betas=(
            0.5,
            0.999,
        ), lr=0.0002, type='Adam'),
        type='OptimWrapper'),
    generator=dict(
        optimizer=dict(betas=(
            0.5,
            0.999,
        ), lr=0.0005, type='Adam'),
        type='OptimWrapper'),
    global_discriminator=dict(
        optimizer=dict(betas=(
            0.5,
            0.999,
        ), lr=0.0002, type='Adam'),
        type='OptimWrapper'),
    keypoint_discriminator=dict(
        optimizer=dict(betas=(
            0.5,
            0.999,
        ), lr=0.0002, type='Adam'),
        type='OptimWrapper'),
    local_discriminator=dict(
        optimizer=dict(betas=(
            0.5,
            0.999,
        ), lr=0.0002, type='Adam'),
        type='OptimWrapper'))
pack = dict(
    input_maps=[
        'mask',
        'keypoint_heatmap',
        'contour_heatmap',
    ],
    type='PackDedistortionInputs')
randomness = dict(diff_rank_seed=True, seed=2021)
region_scores = dict(levels_key='distortion_levels')
resolution = 256
resume = False
stage_iters = 6000
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
    num_workers=2,
    persistent_workers=False,
    sampler=dict(shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    metrics=[
        dict(levels_key='distortion_levels', type='DedistortionPSNR'),
        dict(levels_key='distortion_levels', type='DedistortionSSIM'),
        dict(type='DedistortionLPIPS'),
        dict(type='DedistortionFID'),
        dict(type='WorseImageShare'),
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
train_cfg = dict(by_epoch=False, max_iters=24000, val_interval=2000)
train_dataloader = dict(
    batch_size=1,
    dataset=dict(
        data_root='data/builtin',
        maps=[
            'original_mask',
            'edge',
            'warp',
        ],
        pipeline=[
            dict(channel_order='rgb', key='gt', type='LoadImageChecked'),
            dict(
                color_type='grayscale',
                key='original_mask',
                type='LoadImageChecked'),
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
        ],
        split='train',
        type='DedistortionDataset'),
    num_workers=2,
    persistent_workers=False,
    sampler=dict(shuffle=True, type='InfiniteSampler'))
train_pipeline = [
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
        split='test',
        test_mode=True,
        type='DedistortionDataset'),
    num_workers=2,
    persistent_workers=False,
    sampler=dict(shuffle=False, type='DefaultSampler'))
val_evaluator = dict(
    metrics=[
        dict(levels_key='distortion_levels', type='DedistortionPSNR'),
        dict(levels_key='distortion_levels', type='DedistortionSSIM'),
        dict(type='DedistortionEPE'),
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
