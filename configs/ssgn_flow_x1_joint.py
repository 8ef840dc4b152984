# The released SSGN-flow model (ssgn_plugin's model zoo, configs/ssgn/
# metafile.yml): the generator of configs/ssgn_flow_x1.py (all four stacks,
# CPU widths, 256 px), its four stacks trained together from scratch with
# the flow objective alone (SSGN objective='flow': end-point error over
# every pixel, 10x inside the warped regions, flow gradients, the gate and
# the composed image's L1; no discriminator), on fresh warps drawn on the
# fly from the built-in train photos. Stacked training (Sec. 4.2.2) and the
# paper's adversarial terms are what configs/ssgn_flow_x8.py ... x1.py
# reproduce; this config spends a small CPU budget on the flow alone.
_base_ = ['./ssgn_flow_x1.py']

model = dict(
    objective='flow',
    flow_loss=dict(
        weights=dict(epe=1.0, gradient=1.0, gate=1.0, image=10.0)),
    # Chosen on the train split's built pairs (0.05, 0.2, 0.3, 0.5 tried):
    # after 750 iterations the gate is rarely sure, and every lower
    # threshold let some images get worse.
    test_cfg=dict(gate_threshold=0.5))
load_from = None

custom_hooks = [
    dict(type='LossScheduleHook', milestones=[3], by_epoch=True),
    # nothing frozen: the four stacks learn together
    dict(type='StackedTrainingHook', frozen_stacks=0,
         require_previous_stage=False),
    dict(type='DedistortionVisualizationHook', interval=1000, num_samples=2),
]

optim_wrapper = dict(generator=dict(optimizer=dict(lr=5e-4)))
train_cfg = dict(by_epoch=False, max_iters=24000, val_interval=2000)
default_hooks = dict(checkpoint=dict(interval=1000, max_keep_ckpts=4),
                     logger=dict(interval=50))
# validation also follows the flow itself (end-point error in and outside
# the warped regions beside a zero flow's): the gate keeps PSNR at the
# input's until the flow is right, so PSNR alone shows no progress
val_evaluator = dict(metrics=_base_.val_metrics + [dict(type='DedistortionEPE')])
