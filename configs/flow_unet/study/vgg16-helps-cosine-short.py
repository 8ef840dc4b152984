# Study (issue 20): vgg16-helps-cosine.py with its learning rate annealed
# over 1000 iterations (about 35 minutes of one core) instead of 2400.
# vgg16-helps-cosine's validation error was lowest 28 minutes into its
# continuation (EPE ratio 0.757 at 80 min) and then rose while its rate was
# still high (0.890 at 104 min): 59 fit photos, however freshly warped, are
# learnt by heart. This one reaches its low rate around that point.
# Run with --init-from vgg16, beside vgg16-helps-cosine-early.py.
_base_ = ['./vgg16-helps-cosine.py']

decay_iters = 1000
param_scheduler = dict(type='CosineAnnealingLR', T_max=decay_iters,
                       eta_min=1e-5, by_epoch=False, begin=0,
                       end=decay_iters)
