# Study (issue 19): the recipe with today's loss, the end-point error.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
model = dict(flow_loss=dict(penalty='epe'))
