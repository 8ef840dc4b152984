# Study (issue 20, the scale): -background-restart.py with the squared flow
# error averaged per photo, each photo's over what no move would cost it
# (FlowRestorationLoss normalise='photo'), instead of over every pixel of
# the batch. Squared, a 10 px move costs a hundred times a 1 px one, so the
# pixel average learnt the close-ups' large moves, and under 1 px at 128 px
# (57% of the validation split's moved pixels) its flow is worse than none
# (bench_flow_learning.py --by-move). Same learning rate and schedule as
# its control; run with --init-from vgg16-helps-cosine-background.
# Measured (docs/studies/moves-and-per-photo-loss.md): the steadiest curve
# over photo groups (0.928-0.940 from 136 to 176 minutes), no harm to the
# small moves, less of the large ones undone; a tie with the default at
# the release's scale.
_base_ = ['./vgg16-helps-cosine-background-restart.py']

model = dict(flow_loss=dict(normalise='photo'))
