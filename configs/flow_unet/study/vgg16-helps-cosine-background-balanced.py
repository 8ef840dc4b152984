# Study (issue 20, diversity per draw): -background-restart.py with every
# photo group drawn as often (GroupBalancedSampler) instead of every pair:
# the 12 frames of one studio take are a fifth of the fit pairs. Compare
# with -background-restart at equal minutes; both start from
# vgg16-helps-cosine-background's 104 minutes (--init-from).
_base_ = ['./vgg16-helps-cosine-background-restart.py']

train_dataloader = dict(sampler=dict(type='GroupBalancedSampler',
                                     _delete_=True))
