# As pix2pixhd_local-in_1xb1_dedistortion-1024.py, with the semantic maps
# (mask, key-point and contour heatmaps) as input channels.
_base_ = ['./pix2pixhd_local-in_1xb1_dedistortion-1024.py']

input_maps = ['mask', 'keypoint_heatmap', 'contour_heatmap']
pack = dict(type='PackDedistortionInputs', input_maps=input_maps)
train_dataloader = dict(dataset=dict(pipeline=_base_.train_transforms + [pack]))
val_dataloader = dict(dataset=dict(pipeline=_base_.test_transforms + [pack]))
test_dataloader = val_dataloader

model = dict(
    generator=dict(in_channels=6),
    discriminator=dict(in_channels=9))  # input (6) + output image (3)
