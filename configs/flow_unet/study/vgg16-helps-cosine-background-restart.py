# Study (issue 20, longer): vgg16-helps-cosine-background.py continued from
# its 104 minutes with a new cosine learning rate, 5e-4 to 1e-5 over 2000
# iterations (about 72 minutes of one core). The control of
# -background-zoom.py, which changes only the scale. Run with --init-from
# vgg16-helps-cosine-background.
_base_ = ['./vgg16-helps-cosine-background.py']

optim_wrapper = dict(optimizer=dict(lr=5e-4))
decay_iters = 2000
param_scheduler = dict(type='CosineAnnealingLR', T_max=decay_iters,
                       eta_min=1e-5, by_epoch=False, begin=0,
                       end=decay_iters)
