# Study (issue 19): the recipe at 256 px (4x the pixels; the moves are
# 1-7 px instead of 0.5-3.5).
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
resolution = 256
model = dict(working_size=resolution)
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:3] + [
    dict(_base_.train_pipeline[3], size=resolution)
] + _base_.train_pipeline[4:]))
