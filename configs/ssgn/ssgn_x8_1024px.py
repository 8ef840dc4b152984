# Stage 1 of stacked training at the paper's size (Sec. 4.2): SSGN_x8 on
# 1024 px images (x8 = 128 px), the paper's widths and its 64 -> 16
# down-sampling part (configs/_base_/models/ssgn.py), 30 epochs a stack over
# the paper's 11474 training images at batch size 1. The CPU-size stages are
# configs/ssgn_x8.py ... ssgn_x1.py. Train all four in order with
#   python tools/train_stacked.py configs/ssgn/ssgn_x{8,4,2,1}_1024px.py
_base_ = [
    '../_base_/models/ssgn.py',
    '../_base_/datasets/dedistortion.py',
    '../_base_/default_runtime.py',
]

resolution = 1024
# The 1024 px configs read a 1024 px build (crops are then shrunk, never
# enlarged): python tools/build_dataset.py --builtin --size 1024
data_root = 'data/builtin-1024'
train_dataloader = dict(dataset=dict(data_root=data_root, pipeline=[
    dict(t, size=resolution) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.train_pipeline
]))
val_dataloader = dict(dataset=dict(data_root=data_root, pipeline=[
    dict(t, size=resolution) if t['type'] == 'PairedRandomResizedCrop' else t
    for t in _base_.test_pipeline
]))
test_dataloader = val_dataloader

model = dict(generator=dict(num_stacks=1))

# Frozen stacks get no gradients: distributed runs must not wait for them.
model_wrapper_cfg = dict(find_unused_parameters=True)

# Iterations of one epoch of the paper's training set at batch size 1. The
# LossScheduleHook converts its 3-epoch milestone with the real dataset's
# length; only the stage length below assumes the paper's.
epoch_iters = 11474
stage_iters = 30 * epoch_iters
train_cfg = dict(by_epoch=False, max_iters=stage_iters,
                 val_interval=epoch_iters)
default_hooks = dict(
    checkpoint=dict(interval=epoch_iters),
    logger=dict(interval=100))
