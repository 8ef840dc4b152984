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

val_evaluator = dict(metrics=[
    dict(m, **_base_.pix2pix_scores) for m in _base_.val_metrics])
# DedistortionEPE reads flows (gt_flow, pred_flow), not the image keys.
test_evaluator = dict(metrics=[
    m if m['type'] == 'DedistortionEPE' else dict(m, **_base_.pix2pix_scores)
    for m in _base_.test_metrics])
default_hooks = dict(checkpoint=dict(interval=500))
