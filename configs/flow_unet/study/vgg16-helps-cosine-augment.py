# Study (issue 20, the fit gap): both of vgg16-helps-cosine-jitter.py's new
# look and vgg16-helps-cosine-rotate.py's new shape for every draw of a
# training photo. Run with --init-from vgg16 and compare with the three at
# equal minutes.
_base_ = ['./vgg16-helps-cosine.py']

crop, warp = 3, 4  # the crop and the warp in the recipe's train pipeline
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:crop] + [
    dict(type='PairedRandomRotation', keys=['gt', 'original_mask'],
         degrees=10, stretch=(0.87, 1.15))
] + _base_.train_pipeline[crop:warp] + [
    dict(type='RandomPhotometricJitter', keys=['gt'])
] + _base_.train_pipeline[warp:]))
