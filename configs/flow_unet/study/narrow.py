# Study (issue 19): the recipe at half the width (16-128 channels): about a
# quarter of the arithmetic, so about four times the images in a minute.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
model = dict(generator=dict(channels=(16, 32, 64, 128)))
