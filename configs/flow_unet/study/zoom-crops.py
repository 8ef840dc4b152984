# Study (issue 19): see the moves at 256 px for the price of 128. The model
# runs on the whole person's square at 256 px (resolution: ssgn-restore and
# the scoring resize the square to it), but trains on 128 px crops of half
# the square (0.4-0.6 of its side), centred on the body, so a training crop
# shows the body at the scale the model sees it at 256 px, where the moves
# are 1-7 px instead of 0.5-3.5; a step costs what a 128 px step costs.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
resolution = 256
model = dict(working_size=resolution)
crop = 3  # PairedRandomResizedCrop in the recipe's train pipeline
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:crop] + [
    dict(_base_.train_pipeline[crop], size=128, scale=(0.4, 0.6),
         centre_on='original_mask')
] + _base_.train_pipeline[crop + 1:]))
