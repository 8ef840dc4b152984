# Study (issue 20, the fit gap): vgg16-helps-cosine.py with a new look for
# every draw of a training photo (RandomPhotometricJitter on the original
# before the warp: exposure, contrast, colour, one in ten grey). That run
# learnt its 59 fit photos by heart past about 19,000 images (fit EPE
# ratio 0.73 against 0.89 on the validation split at 104 minutes); a photo
# whose look changes at every draw is harder to learn by heart, while the
# geometry, and so the flow to learn, is the same. Run with --init-from
# vgg16, as vgg16-helps-cosine was, and compare their curves at equal
# minutes.
_base_ = ['./vgg16-helps-cosine.py']

warp = 4  # RandomRetouchWarp in the recipe's train pipeline (after the crop)
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:warp] + [
    dict(type='RandomPhotometricJitter', keys=['gt'])
] + _base_.train_pipeline[warp:]))
