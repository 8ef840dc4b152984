# Stage 1 of stacked training (Sec. 4.2.2): SSGN_x8, the x8 stack with the
# inner parts, at CPU size: 256 px crops (x8 = 32 px), half the paper's
# widths and one down-sampling step (the paper's two would leave a 4x4
# core at 256 px; one gives 8x8). configs/ssgn/ssgn_x8_1024px.py is the
# paper's size. Train all stages in order with tools/train_stacked.py.
_base_ = [
    './_base_/models/ssgn.py',
    './_base_/datasets/dedistortion.py',
    './_base_/default_runtime.py',
]

resolution = 256  # the dataset config's crop side
narrow = dict(base_channels=32)
model = dict(
    generator=dict(num_stacks=1, base_channels=32, down_depth=1),
    global_discriminator=narrow,
    local_discriminator=narrow,
    keypoint_discriminator=narrow,
    contour_discriminator=narrow,
    # Table 1's weights were tuned at 1024 px: rescale every sum-reduced
    # term to the paper's pixel count at its scale, so that the sums keep
    # their balance with the (mean) GAN terms at 256 px.
    generator_loss=dict(reference_resolution=1024))

# Frozen stacks get no gradients: distributed runs must not wait for them.
model_wrapper_cfg = dict(find_unused_parameters=True)

# 6000 iterations: from about 11 min (x8, 0.11 s an iteration) to about
# 2 h (x1, 1.24 s) on 2 CPU cores (benchmarks/bench_train_step.py)
stage_iters = 6000
train_cfg = dict(by_epoch=False, max_iters=stage_iters,
                 val_interval=stage_iters // 4)
default_hooks = dict(checkpoint=dict(interval=stage_iters // 4))
