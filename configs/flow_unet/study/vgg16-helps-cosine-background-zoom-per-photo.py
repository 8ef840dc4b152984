# Study (issue 20, the scale): -background-zoom.py (256 px, crops of
# 0.4-0.6 of the person's square) with the per-photo flow error of
# -background-per-photo.py: the zoom alone did not learn the small moves
# (its curve stayed at 1.00 over the photo groups for 56 minutes), perhaps
# because the large ones still filled its pixel average. Run with
# --init-from vgg16-helps-cosine-background. Measured: it collapsed to no
# move within 4 minutes (EPE ratio 0.999) and was at 0.995 at 132 minutes.
_base_ = ['./vgg16-helps-cosine-background-zoom.py']

model = dict(flow_loss=dict(normalise='photo'))
