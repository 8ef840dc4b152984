# Study (issue 19): the recipe with the Charbonnier penalty (quadratic
# under 0.5 px, linear beyond): between the squared error and EPE.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
model = dict(flow_loss=dict(penalty='charbonnier', charbonnier_eps=0.5))
