# Study (issue 28, size and cost): ccp-data-ccp.py (the released recipe on
# the CCP fit photos) with the network at 256 px instead of 128: the moves
# it sees are 256/128 times as long, fewer of them sub-pixel, at about
# (128/256)^2 of the images a second. Compare at equal minutes of one core.
_base_ = ['./ccp-data-ccp.py']

resolution = 256
model = dict(working_size=resolution)
crop = 3  # PairedRandomResizedCrop in the train pipeline
pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(dataset=dict(pipeline=pipeline[:crop] + [
    dict(pipeline[crop], size=resolution)] + pipeline[crop + 1:]))
