# Study (issue 20, the scale): -background-restart.py with the squared flow
# error averaged per photo, each photo's over what no move would cost it
# (FlowRestorationLoss normalise='photo'), instead of over every pixel of
# the batch. Squared, a 10 px move costs a hundred times a 1 px one, so the
# pixel average learnt the close-ups' large moves and left the small ones
# (most of them at 128 px: 0.25-0.75 px) at no move. Same learning rate
# and schedule as its control; run with --init-from
# vgg16-helps-cosine-background.
_base_ = ['./vgg16-helps-cosine-background-restart.py']

model = dict(flow_loss=dict(normalise='photo'))
