# Flow-guided output for SSGN (ours, beyond the paper): each stack predicts
# where every pixel came from and moves the input's own pixels back
# (SSGNGenerator output='flow'), coarse to fine; the untouched pixels stay
# exactly as they were. An SSGN config merges these settings into its model
# (MMEngine refuses one key from two bases):
#   model = dict(generator=_base_.flow_output, flow_loss=_base_.flow_loss,
#                test_cfg=_base_.flow_test_cfg)
#
# The flow terms (FlowRestorationLoss) are added to L_G at every active
# scale. Their weights against Table 1's: the image L1 of Table 1 (1000,
# mean, in the first period) makes a 1% error of the composed image worth
# 10; one pixel of end-point error over the whole image, weighted 10 times
# inside the warped regions, is worth `epe` = 20, and the gate's
# cross-entropy (about 0.7 when undecided) `gate` x 0.7 = 14: so the flow
# terms lead while the paper's terms keep the output sharp and plausible.
flow_output = dict(
    output='flow',
    flow_cfg=dict(
        flow_scale=4.0,  # a unit of the 1x1 conv = 4 px at its scale
        residual_scale=0.1,  # at most 5% of the [-1, 1] range
        use_residual=True,
        gate_bias=0.0))
# The flow error is squared (issue 19): with the end-point error a network
# learns to predict no move at all, the median move of a photo it cannot
# yet read (benchmarks/bench_flow_learning.py: the EPE variant stays at
# exactly the error of no flow).
flow_loss = dict(
    type='FlowRestorationLoss',
    penalty='squared',
    weights=dict(epe=20.0, gradient=20.0, gate=20.0, image=0.0),
    region_weight=10.0,
    moved_threshold=0.5)
# at inference a gate under 5% closes: those pixels stay the input's
flow_test_cfg = dict(gate_threshold=0.05)
