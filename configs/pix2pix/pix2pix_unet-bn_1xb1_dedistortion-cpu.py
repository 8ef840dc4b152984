# mmagic's Pix2Pix on de-distortion pairs at CPU size (256 px).
_base_ = [
    '../_base_/models/pix2pix.py',
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

train_pipeline = _base_.train_transforms + _base_.pix2pix_keys
test_pipeline = _base_.test_transforms + _base_.pix2pix_keys
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

train_cfg = dict(by_epoch=False, max_iters=1000, val_interval=1000)
val_cfg = dict(type='MultiValLoop')
test_cfg = dict(type='MultiTestLoop')

metrics = [
    dict(
        type=name,
        gt_key='img_original',
        pred_key='fake_original',
        input_key='img_distorted')
    for name in ('DedistortionPSNR', 'DedistortionSSIM')
]
val_evaluator = dict(type='Evaluator', metrics=metrics)
test_evaluator = val_evaluator
default_hooks = dict(checkpoint=dict(interval=500))
