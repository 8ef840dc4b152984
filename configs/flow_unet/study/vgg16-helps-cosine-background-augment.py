# Study (issue 20, the fit gap): every change of a training photo at once:
# a new shape (PairedRandomRotation), half of the draws in front of another
# fit photo's background (RandomBackgroundSwap) and a new look for the
# whole composite (RandomPhotometricJitter), each as in its own study
# config. Run with --init-from vgg16 and compare with them at equal
# minutes.
_base_ = ['./vgg16-helps-cosine.py']

crop, warp = 3, 4  # the crop and the warp in the recipe's train pipeline
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:crop] + [
    dict(type='PairedRandomRotation', keys=['gt', 'original_mask'],
         degrees=10, stretch=(0.87, 1.15))
] + _base_.train_pipeline[crop:warp] + [
    dict(type='RandomBackgroundSwap', data_root=_base_.data_root,
         split='fit', prob=0.5),
    dict(type='RandomPhotometricJitter', keys=['gt'])
] + _base_.train_pipeline[warp:]))
