# Study (issue 20, the fit gap): vgg16-helps-cosine.py with half of the
# draws of a training photo put in front of another fit photo's background
# (RandomBackgroundSwap after the crop, before the warp): 59 x 58 pairs of
# body and background instead of 59 to learn by heart. A new look or a new
# shape per draw (the -jitter and -rotate studies) did not stop the
# validation curve turning up. Run with --init-from vgg16 and compare with
# them at equal minutes.
_base_ = ['./vgg16-helps-cosine.py']

warp = 4  # RandomRetouchWarp in the recipe's train pipeline (after the crop)
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline[:warp] + [
    dict(type='RandomBackgroundSwap', data_root=_base_.data_root,
         split='fit', prob=0.5)
] + _base_.train_pipeline[warp:]))
