# Study (issue 19): the combination first planned as the release, which
# buys the most images and the most visible moves in a minute: the squared
# error, half the widths (narrow), zoom-crops (128 px crops of half the
# square for a model that runs at 256 px) and a cosine learning rate. It
# ran 12 minutes (10,000 images) without leaving the error of no flow; the
# frozen VGG16 encoder (vgg16.py) did in 4 minutes, and was released.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']

resolution = 256  # the working size: the whole person's square
train_crop = 128
model = dict(working_size=resolution,
             generator=dict(channels=(16, 32, 64, 128)))
crop = 3  # PairedRandomResizedCrop in the recipe's train pipeline
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:crop] + [
    dict(_base_.train_pipeline[crop], size=train_crop, scale=(0.4, 0.6),
         centre_on='original_mask')
] + _base_.train_pipeline[crop + 1:]))

max_iters = 10000  # 80,000 images: about 1.5 h on one core
param_scheduler = dict(type='CosineAnnealingLR', T_max=max_iters,
                       eta_min=5e-5, by_epoch=False)
train_cfg = dict(max_iters=max_iters, val_interval=1000)
