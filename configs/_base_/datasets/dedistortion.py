# De-distortion samples in the layout of DedistortionDataset (written by
# tools/build_dataset.py): the distorted photo is the input `img`, the
# original the target `gt`; the semantic maps of the distorted photo (mask,
# key-point and contour heatmaps), the edges of the original, the
# distortion matrix and the ground-truth restoration flow (flow/<id>.npy,
# with its validity) come along, aligned through every transform (flows as
# flows: a resize scales them, a flip negates x).
dataset_type = 'DedistortionDataset'
data_root = 'data/builtin'
resolution = 256  # side of the square training images; 1024 in the paper

maps = ['mask', 'keypoint_heatmap', 'contour_heatmap', 'edge',
        'distortion_matrix', 'flow', 'flow_valid']
aligned_keys = ['img', 'gt', 'mask', 'keypoint_heatmap', 'contour_heatmap',
                'edge', 'distortion_levels', 'gt_flow', 'gt_flow_valid']
# LoadImageChecked: mmagic's LoadImageFromFile, naming a corrupt file
load = [
    dict(type='LoadImageChecked', key='img', channel_order='rgb'),
    dict(type='LoadImageChecked', key='gt', channel_order='rgb'),
] + [
    dict(type='LoadImageChecked', key=name, color_type='grayscale')
    for name in ['mask', 'keypoint_heatmap', 'contour_heatmap', 'edge']
] + [dict(type='LoadDistortionLevels'), dict(type='LoadRestorationFlow')]

train_transforms = load + [
    dict(type='PairedRandomResizedCrop', keys=aligned_keys, size=resolution,
         scale=(0.6, 1.0)),
    dict(type='PairedFlip', keys=aligned_keys, direction='horizontal'),
]
test_transforms = load + [
    # the whole (square) sample at the working resolution
    dict(type='PairedRandomResizedCrop', keys=aligned_keys, size=resolution,
         scale=(1.0, 1.0), random_position=False),
]
# The paper's input x_i: distorted image, mask, key-point and contour heatmap.
pack = dict(type='PackDedistortionInputs',
            input_maps=['mask', 'keypoint_heatmap', 'contour_heatmap'])
train_pipeline = train_transforms + [pack]
test_pipeline = test_transforms + [pack]

# Fresh warps on the fly: the training pairs are drawn anew at every step
# (RandomRetouchWarp) from the stored originals, their person masks and key
# points, instead of the few fixed warps per photo of the build; the test
# split stays the fixed pairs. A training config switches to it with
#   train_dataloader = dict(dataset=dict(
#       maps=_base_.fresh_warp_maps, pipeline=_base_.fresh_warp_pipeline))
fresh_warp = dict(
    type='RandomRetouchWarp',
    preset='moderate',
    parts_distribution=[0.5, 0.3, 0.2],  # chances of 1, 2, 3 body parts
    liquify_share=0.5,  # liquify strokes vs MLS body-part warps
    grid=16,
    contour_sigma_ratio=0.025)
fresh_warp_maps = ['original_mask', 'edge', 'warp']
fresh_warp_pipeline = [
    dict(type='LoadImageChecked', key='gt', channel_order='rgb'),
] + [
    dict(type='LoadImageChecked', key=name, color_type='grayscale')
    for name in ['original_mask', 'edge']
] + [
    dict(type='LoadOriginalKeypoints'),
    dict(type='PairedRandomResizedCrop', keys=['gt', 'original_mask', 'edge'],
         size=resolution, scale=(0.6, 1.0)),
    fresh_warp,
    dict(type='PairedFlip', keys=aligned_keys, direction='horizontal'),
    pack,
]

train_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='train',
        maps=maps,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        split='test',
        maps=maps,
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader

# The scores of Table 5 (PSNR, SSIM, LPIPS, FID), each also for the
# distorted input scored as if it were the output (suffix `_input`: the
# do-nothing baseline); PSNR and SSIM also inside the distorted regions of
# the distortion matrix (suffixes `_distorted`, `_L1` .. `_L3`). Validation
# while training keeps to the cheap two. Models whose outputs have other
# keys set them in every metric (the pix2pix configs).
region_scores = dict(levels_key='distortion_levels')
val_metrics = [
    dict(type='DedistortionPSNR', **region_scores),
    dict(type='DedistortionSSIM', **region_scores),
]
test_metrics = val_metrics + [
    dict(type='DedistortionLPIPS'),
    dict(type='DedistortionFID'),
    # Do no harm: the share of test images whose PSNR falls below the
    # input's, and of the pixels outside the warped region (|gt_flow| <=
    # 0.5 px, or level 0 without flow) left exactly as the input's; and the
    # share worse by more than 0.05 dB (issue 20's "at most 5%").
    dict(type='WorseImageShare'),
    dict(type='WorseImageShare', margin_db=0.05),
    dict(type='UnchangedPixelShare'),
    # Flow models: end-point error of pred_flow in and outside the warped
    # region; image models get only the do-nothing (zero flow) figures.
    # It reads flows, not images: configs that rename image keys skip it.
    dict(type='DedistortionEPE'),
]
val_evaluator = dict(type='Evaluator', metrics=val_metrics)
test_evaluator = dict(type='Evaluator', metrics=test_metrics)
