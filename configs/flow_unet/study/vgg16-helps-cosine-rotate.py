# Study (issue 20, the fit gap): vgg16-helps-cosine.py with a new shape for
# every draw of a training photo (PairedRandomRotation of the original, its
# mask and key points before the crop: +-10 degrees, aspect 0.87-1.15,
# zoomed to leave no empty corner). That run learnt its 59 fit photos by
# heart past about 19,000 images; crops and flips keep each photo's
# outlines, a turn and a stretch do not, and an affine map keeps straight
# lines straight, so the warp stays the only bend in a pair. Run with
# --init-from vgg16 and compare with vgg16-helps-cosine at equal minutes.
_base_ = ['./vgg16-helps-cosine.py']

crop = 3  # PairedRandomResizedCrop in the recipe's train pipeline
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:crop] + [
    dict(type='PairedRandomRotation', keys=['gt', 'original_mask'],
         degrees=10, stretch=(0.87, 1.15))
] + _base_.train_pipeline[crop:]))
