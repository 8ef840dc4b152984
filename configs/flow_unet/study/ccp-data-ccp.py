# Study (issue 28, the data ablation): ccp-data-builtin.py's recipe and
# schedule on the 1,593 CCP fit photos instead of the 59 built-in ones (the
# backgrounds swapped in come from the CCP fit photos too), scored on the
# same CCP validation split.
_base_ = ['./ccp-data-builtin.py']

warp = 4  # RandomRetouchWarp in the recipe's train pipeline (after the crop)
train_dataloader = dict(dataset=dict(
    data_root=_base_.ccp_root,
    pipeline=_base_.train_pipeline[:warp] + [
        dict(type='RandomBackgroundSwap', data_root=_base_.ccp_root,
             split='fit', prob=0.5)
    ] + _base_.train_pipeline[warp:]))
