# BicycleGAN (Zhu et al. 2017) with the official defaults: U-Net generator
# unet_256 with the code at every level (--where_add all, nz 8, ngf 64,
# instance norm, transposed-conv upsampling, no dropout), encoder
# resnet_256, two 2-scale discriminators basic_256_multi on the image alone,
# least-squares GAN, lambda_L1 10, lambda_kl 0.01 (KL summed), lambda_z 0.5.
# Domains: distorted image (3 channels; 6 with the semantic maps) -> original.
latent_channels = 8
image_discriminator = dict(
    type='MultiscaleDiscriminator',
    in_channels=3,  # not conditional: the output image alone
    base_channels=64,
    num_layers=3,
    num_scales=2,
    norm_cfg=dict(type='IN'),
    padding=1,
    halve_channels_per_scale=True,
    return_features=False,
    init_type='xavier')  # BicycleGAN's --init_type xavier --init_gain 0.02
model = dict(
    type='BicycleGAN',
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    generator=dict(
        type='LatentUnetGenerator',
        in_channels=3,
        out_channels=3,
        latent_channels=latent_channels,
        num_down=8,
        base_channels=64,
        norm_cfg=dict(type='IN'),
        use_dropout=False),
    encoder=dict(
        type='LatentEncoder',
        in_channels=3,
        latent_channels=latent_channels,
        base_channels=64,
        num_blocks=5,
        norm_cfg=dict(type='IN')),
    discriminator_vae=image_discriminator,  # D: cVAE-GAN (encoded code)
    discriminator_lr=image_discriminator,  # D2: cLR-GAN (random code)
    gan_loss=dict(type='LeastSquaresGANLoss', loss_weight=1.0),
    lr_gan_loss=dict(type='LeastSquaresGANLoss', loss_weight=1.0),
    pixel_loss=dict(type='L1Loss', loss_weight=10.0),
    kl_loss=dict(type='GaussianKLLoss', loss_weight=0.01, reduction='sum'),
    latent_loss=dict(type='L1Loss', loss_weight=0.5),
    # Test-time code: 'random' (seeded, reproducible; the ground truth never
    # feeds the prediction) or 'encoded' (E of the ground truth: an upper
    # bound, as the official test's first sample).
    test_latent='random',
    test_seed=0)

adam_optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999)))
optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=adam_optim_wrapper,
    encoder=adam_optim_wrapper,
    discriminator_vae=adam_optim_wrapper,
    discriminator_lr=adam_optim_wrapper)

# distorted | restored | original of two fixed validation samples, under
# the work dir's vis_data/ (and in TensorBoard)
custom_hooks = [
    dict(type='DedistortionVisualizationHook', interval=500, num_samples=2)
]
