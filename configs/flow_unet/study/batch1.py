# Study (issue 19): the recipe with batches of 1 (the released SSGN-flow's),
# the same learning rate.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
train_dataloader = dict(batch_size=1)
