# Study (issue 19): crops centred on the body (a random pixel of the
# person's mask), where the warps are drawn, instead of anywhere in the
# person's square.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
crop = 3  # PairedRandomResizedCrop in the recipe's train pipeline
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:crop] + [
    dict(_base_.train_pipeline[crop], centre_on='original_mask')
] + _base_.train_pipeline[crop + 1:]))
