# Study (issue 20, the scale): the moves the model cannot see. At the 512 px
# of a built pair the validation moves average 1-3 px (0.25-0.75 px at the
# 128 px the model runs at); only one close-up's (10 px) were large enough,
# and it held 63% of the pooled EPE ratio's weight. So the model runs on the
# person's square at 256 px instead, and trains on 128 px crops of 0.4-0.6
# of the square centred on the body: a crop shows the body at the scale
# the model sees it at 256 px, where the moves are twice as large, for the
# price of a 128 px step (zoom-crops.py from issue 19, which ran 6 minutes
# from scratch, here continued from the background swap's 104 minutes).
# Same learning rate as its control, -background-restart.py. Run with
# --init-from vgg16-helps-cosine-background.
_base_ = ['./vgg16-helps-cosine-background-restart.py']

resolution = 256
model = dict(working_size=resolution)
crop = 3  # PairedRandomResizedCrop in the recipe's train pipeline
_pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(dataset=dict(pipeline=_pipeline[:crop] + [
    dict(_pipeline[crop], size=128, scale=(0.4, 0.6),
         centre_on='original_mask')
] + _pipeline[crop + 1:]))
