# Study (issue 19): a curriculum, strong warps first (larger moves a young
# network can see), then the moderate ones the test split has. One worker
# draws every sample, so the switch comes after 1500 training images.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:4] + [
    dict(_base_.fresh_warp, warmup_preset='strong', warmup_samples=1500)
] + _base_.train_pipeline[5:]))
