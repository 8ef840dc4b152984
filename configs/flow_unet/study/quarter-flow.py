# Study (issue 19): the flow predicted at 1/4 of the working size and
# upsampled (FALdetector, RAFT): the decoder stops two levels early.
_base_ = ['../flow-unet_1xb8_fresh-128px.py']
model = dict(generator=dict(flow_level=2))
