# SSGN (Fu et al., ACM MM 2021) as the paper describes it: the generator of
# Fig. 2 (eq. 1-3) with the paper's 64 -> 16 down-sampling part for 1024 px
# inputs, four PatchGAN discriminators shared by all scales, the generator
# loss of eq. 12 with Table 1's weights and Sec. 4.2.1's reductions, Adam
# with lr 2e-4 for each network. Stage configs set the active stacks.

# Table 1 (weights) and Sec. 4.2.1 (reductions), one dict per period; the
# LossScheduleHook below says where the second period begins.
loss_periods = [
    dict(  # the first 3 epochs: converge on the whole image
        weights=dict(gan=50, l1=1000, kp=50, ct=50, e=50, dr_f=0.05,
                     dr_e=0.05),
        reductions=dict(gan='mean', l1='mean', kp='mean', ct='mean',
                        e='mean', dr_f='sum', dr_e='sum')),
    dict(  # the rest: converge on local regions
        weights=dict(gan=50, l1=0.05, kp=0.05, ct=0.05, e=0.05, dr_f=0.02,
                     dr_e=0.02),
        reductions=dict(gan='mean', l1='sum', kp='sum', ct='sum', e='sum',
                        dr_f='sum', dr_e='sum')),
]

# Each discriminator judges x^s (6 channels) concatenated with an image (3).
discriminator = dict(in_channels=9, base_channels=64, num_down=3,
                     norm_cfg=dict(type='IN'))
model = dict(
    type='SSGN',
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    generator=dict(
        type='SSGNGenerator',
        in_channels=6,  # distorted RGB, mask, key-point and contour heatmap
        out_channels=3,
        base_channels=64,
        num_stacks=4,  # 1 = SSGN_x8 ... 4 = SSGN_x1; set by each stage
        down_depth=2,  # 64x64 -> 16x16 for a 1024 px input
        num_res_blocks=5,
        norm_cfg=dict(type='IN')),
    # D^G judges the whole image: one pooled score per image, seeing every
    # pixel of the scale (a patch head would see 54 px, like D^L).
    global_discriminator=dict(type='GlobalDiscriminator', head='pooled',
                              **discriminator),
    local_discriminator=dict(
        type='LocalDiscriminator',
        num_patches=16,  # pn
        patch_size=0.25,  # a quarter of each scale's side
        **dict(discriminator, num_down=2)),
    keypoint_discriminator=dict(type='KeypointDiscriminator', **discriminator),
    contour_discriminator=dict(type='ContourDiscriminator', **discriminator),
    generator_loss=dict(
        type='SSGNGeneratorLoss',
        periods=loss_periods,
        use_sgl=True,  # semantically-guided loss L_GS
        use_drl=True),  # discriminative restoration loss L_GD
    discriminator_loss=dict(type='LeastSquaresDiscriminatorLoss',
                            loss_weight=0.5),
    test_cfg=dict(all_scales=False))

# One Adam per network, named as the model's attributes.
adam = dict(type='OptimWrapper',
            optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=adam,
    global_discriminator=adam,
    local_discriminator=adam,
    keypoint_discriminator=adam,
    contour_discriminator=adam)

custom_hooks = [
    # Table 1: the second period of loss weights begins after 3 epochs.
    dict(type='LossScheduleHook', milestones=[3], by_epoch=True),
    # Sec. 4.2.2: freeze the finished stacks, record the stage.
    dict(type='StackedTrainingHook'),
    # distorted | restored | original (| edges) of two fixed validation
    # samples, under the work dir's vis_data/ (and in TensorBoard)
    dict(type='DedistortionVisualizationHook', interval=500, num_samples=2),
]

val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')
