# Study (issue 28, size and cost): ccp-data-ccp.py (the released recipe on
# the CCP fit photos) with the network at 256 px instead of 128: the moves
# it sees are 256/128 times as long, fewer of them sub-pixel, at about
# (128/256)^2 of the images a second. Compare at equal minutes of one core:
#   taskset -c 0 python benchmarks/bench_flow_learning.py ccp-256 \
#       --minutes 60 --every 20 --threads 1 --workers 0 --out work_dirs/ccp
# The cosine rate is set in iterations, so it spans the same ~130 minutes
# of a core as the 128 px run's 4000: 1100 iterations of 8 images at the
# ~1.1 images a second a 256 px step made in the two-core study.
_base_ = ['./ccp-data-ccp.py']

resolution = 256
model = dict(working_size=resolution)
crop = 3  # PairedRandomResizedCrop in the train pipeline
pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(dataset=dict(pipeline=pipeline[:crop] + [
    dict(pipeline[crop], size=resolution)] + pipeline[crop + 1:]))
max_iters = 1100
param_scheduler = dict(T_max=max_iters, end=max_iters)
train_cfg = dict(max_iters=max_iters)
