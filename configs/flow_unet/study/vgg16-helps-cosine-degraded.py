# Study (issue 20): vgg16-helps-cosine.py trained on photos the way they
# reach a user: a quarter of the warps bold (phone-app slimming, moves to
# 4-5% of the person's height) and the distorted input degraded after the
# warp (JPEG once or twice, rescaling, noise, palettes, blur:
# RandomInputDegradation's default chances). The original and the flow are
# untouched. Its curve beside vgg16-helps-cosine's, from the same
# checkpoint at the same minutes, is the degradations' cost on clean
# validation photos.
_base_ = ['./vgg16-helps-cosine.py']

warp = 4  # RandomRetouchWarp in the recipe's train pipeline
pipeline = _base_.train_dataloader.dataset.pipeline
train_dataloader = dict(dataset=dict(pipeline=pipeline[:warp] + [
    dict(pipeline[warp], preset=dict(moderate=0.75, bold=0.25)),
    dict(type='RandomInputDegradation'),
] + pipeline[warp + 1:]))
