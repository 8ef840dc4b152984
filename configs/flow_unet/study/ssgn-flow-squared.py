# Study (issue 19, item 5): SSGN's stacked generator (SSGN-flow, 4 stacks
# trained jointly on the flow objective) with the recipe's loss, resolution
# and batch: the squared flow error (10x inside the warped regions) and the
# gate's cross-entropy, 128 px, batches of 8 fresh warps, on the fit split.
_base_ = ['../../ssgn_flow_x1_joint.py']
resolution = 128
model = dict(flow_loss=dict(
    penalty='squared', weights=dict(epe=1.0, gradient=0.0, gate=1.0,
                                    image=0.0)))
crop = 4  # PairedRandomResizedCrop in the fresh-warp pipeline
train_dataloader = dict(
    batch_size=8,
    num_workers=1,
    persistent_workers=True,
    dataset=dict(split='fit', pipeline=_base_.fresh_warp_pipeline[:crop] + [
        dict(_base_.fresh_warp_pipeline[crop], size=resolution)
    ] + _base_.fresh_warp_pipeline[crop + 1:]))
val_dataloader = dict(dataset=dict(split='val'))
