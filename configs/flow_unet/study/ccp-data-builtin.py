# Study (issue 28, the data ablation): the released recipe
# (flow-unet-vgg16_1xb8_fresh-128px.py: frozen VGG16, helps gate, cosine
# rate, background swap on half the draws) FROM SCRATCH on the 59 built-in
# fit photos, scored on the CCP validation split (200 photos never trained
# on; docs/datasets.md builds data/ccp). Its twin ccp-data-ccp.py is the
# same recipe on the 1,593 CCP fit photos: run both for the same minutes,
# each pinned to its own core, and their curves show what 27 times the
# photos buy:
#   taskset -c 0 python benchmarks/bench_flow_learning.py ccp-data-builtin \
#       --minutes 120 --every 10 --threads 1 --workers 0 --out work_dirs/ccp
#   taskset -c 1 python benchmarks/bench_flow_learning.py ccp-data-ccp \
#       --minutes 120 --every 10 --threads 1 --workers 0 --out work_dirs/ccp
# The cosine rate spans 4000 iterations (32,000 images, about 130 minutes
# of a core), past the ~19,000 images where 59 photos were learnt by heart.
_base_ = ['../flow-unet-vgg16_1xb8_fresh-128px.py']

ccp_root = 'data/ccp'
max_iters = 4000
param_scheduler = dict(T_max=max_iters, end=max_iters)
train_cfg = dict(max_iters=max_iters)
val_dataloader = dict(dataset=dict(data_root=ccp_root))
test_dataloader = dict(dataset=dict(data_root=ccp_root))
