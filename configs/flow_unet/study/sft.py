# Study (issue 19): the semantic maps condition every decoder level through
# SFT layers (SFT-GAN) instead of entering as input channels.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
model = dict(generator=dict(semantic_conditioning='sft'))
