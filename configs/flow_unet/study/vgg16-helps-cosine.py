# Study (issue 20): the released model (vgg16.py) continued from its 52
# minutes with the two changes its stall and its gate asked for:
# - the gate learns where the predicted flow helps (gate_target='helps'),
#   not where the warp moved: the 'moved' gate's AP was 0.17, so wherever
#   it opened the flow was as often wrong as right;
# - a cosine learning rate from 1e-3 to 1e-5 over 2400 iterations (about
#   85 minutes of one core), where the constant rate had stalled at an EPE
#   ratio of 0.83-0.88 after 36 minutes.
# Run with --init-from vgg16 (the weights and the optimizer, not the
# curve), beside vgg16-helps-cosine-degraded.py, each on its own core.
_base_ = ['./vgg16.py']

model = dict(flow_loss=dict(gate_target='helps'))
decay_iters = 2400
param_scheduler = dict(type='CosineAnnealingLR', T_max=decay_iters,
                       eta_min=1e-5, by_epoch=False, begin=0,
                       end=decay_iters)
