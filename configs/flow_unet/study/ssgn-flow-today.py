# Study (issue 19): today's released recipe (ssgn-flow-cpu-256: SSGN-flow,
# 4 stacks trained jointly, EPE + gradient + gate + image L1, batch 1,
# 256 px), on the fit split (the validation photos held out).
_base_ = ['../../ssgn_flow_x1_joint.py']
# as released: the end-point error (the SSGN-flow configs now square it)
model = dict(flow_loss=dict(penalty='epe'))
train_dataloader = dict(dataset=dict(split='fit'))
val_dataloader = dict(dataset=dict(split='val'))
