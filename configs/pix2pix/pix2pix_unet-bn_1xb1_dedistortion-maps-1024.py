# As pix2pix_unet-bn_1xb1_dedistortion-1024.py, with the semantic maps as
# input channels (see pix2pix_unet-bn_1xb1_dedistortion-maps-cpu.py).
_base_ = ['./pix2pix_unet-bn_1xb1_dedistortion-1024.py']

train_dataloader = dict(
    dataset=dict(pipeline=_base_.train_transforms +
                 _base_.pix2pix_keys_with_maps))
val_dataloader = dict(
    dataset=dict(pipeline=_base_.test_transforms +
                 _base_.pix2pix_keys_with_maps))
test_dataloader = val_dataloader

model = dict(
    generator=dict(in_channels=6),
    discriminator=dict(in_channels=9))  # input (6) + output image (3)

# the distorted image alone (`img`) is the do-nothing baseline
metrics = [
    dict(
        type=name,
        gt_key='img_original',
        pred_key='fake_original',
        input_key='img')
    for name in ('DedistortionPSNR', 'DedistortionSSIM')
]
val_evaluator = dict(type='Evaluator', metrics=metrics)
test_evaluator = val_evaluator
