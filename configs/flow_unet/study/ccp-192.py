# Study (issue 28, size and cost): ccp-data-ccp.py (the released recipe on
# the CCP fit photos) with the network at 192 px instead of 128: the moves
# it sees are 192/128 times as long, fewer of them sub-pixel, at about
# (128/192)^2 of the images a second. Compare at equal minutes of one core:
#   taskset -c 0 python benchmarks/bench_flow_learning.py ccp-192 \
#       --minutes 60 --every 20 --threads 1 --workers 0 --out work_dirs/ccp
# The cosine rate is set in iterations, so it spans the same ~130 minutes
# of a core as the 128 px run's 4000: 1900 iterations of 8 images at the
# ~1.9 images a second expected of a 192 px step.
_base_ = ['./ccp-data-ccp.py']

resolution = 192
model = dict(working_size=resolution)
crop = 3  # PairedRandomResizedCrop in the train pipeline
pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(dataset=dict(pipeline=pipeline[:crop] + [
    dict(pipeline[crop], size=resolution)] + pipeline[crop + 1:]))
max_iters = 1900
param_scheduler = dict(T_max=max_iters, end=max_iters)
train_cfg = dict(max_iters=max_iters)
