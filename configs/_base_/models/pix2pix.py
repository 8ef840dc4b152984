# mmagic's Pix2Pix (Isola et al. 2017) as mmagic configures it: U-Net
# generator with batch norm and dropout, 70x70 PatchGAN discriminator on
# (input, image), pixel loss weight 100. Domains: distorted -> original.
model = dict(
    type='Pix2Pix',
    data_preprocessor=dict(
        type='DataPreprocessor',
        data_keys=['img_original', 'img_distorted']),
    generator=dict(
        type='UnetGenerator',
        in_channels=3,
        out_channels=3,
        num_down=8,  # a 256 px input reaches 1x1 at the bottom
        base_channels=64,
        norm_cfg=dict(type='BN'),
        use_dropout=True,
        init_cfg=dict(type='normal', gain=0.02)),
    discriminator=dict(
        type='PatchDiscriminator',
        in_channels=6,
        base_channels=64,
        num_conv=3,
        norm_cfg=dict(type='BN'),
        init_cfg=dict(type='normal', gain=0.02)),
    loss_config=dict(pixel_loss_weight=100.0),
    default_domain='original',
    reachable_domains=['original'],
    related_domains=['original', 'distorted'])

# Pix2Pix reads its images as img_<domain>. The samples also keep the
# distorted image as `img` (the metrics' do-nothing baseline), the
# distortion levels (their region scores) and, when the dataset loads it,
# the ground-truth flow and its validity (the warped region of
# UnchangedPixelShare, DedistortionEPE); PackInputs skips absent keys.
pix2pix_data_keys = [
    'img_distorted', 'img_original', 'img', 'distortion_levels', 'gt_flow',
    'gt_flow_valid'
]
pix2pix_scores = dict(
    gt_key='img_original', pred_key='fake_original', input_key='img')
pix2pix_keys = [
    dict(
        type='KeyMapper',
        mapping=dict(img_distorted='img', img_original='gt'),
        remapping=dict(img_distorted='img_distorted',
                       img_original='img_original')),
    dict(
        type='PackInputs',
        keys=['img_distorted', 'img_original'],
        data_keys=pix2pix_data_keys),
]

optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generators=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
    discriminators=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))))

# With the semantic maps as input channels (the -maps configs): they are
# stacked onto the image before the KeyMapper, so the generator sees 6
# channels and the discriminator (input, image) 9; mmagic's DataPreprocessor
# scales all six to [-1, 1] alike (it finds no channel order for
# img_distorted and converts none).
pix2pix_keys_with_maps = [
    dict(
        type='ConcatInputMaps',
        maps=['mask', 'keypoint_heatmap', 'contour_heatmap'],
        key='img',
        out_key='img_with_maps'),
    dict(
        type='KeyMapper',
        mapping=dict(img_distorted='img_with_maps', img_original='gt'),
        remapping=dict(img_distorted='img_distorted',
                       img_original='img_original')),
    dict(
        type='PackInputs',
        keys=['img_distorted', 'img_original'],
        data_keys=pix2pix_data_keys),
]
