# Study (issue 28, the paper's method on the same data): SSGN's stacked
# generator with our flow head and the squared flow error
# (ssgn-flow-squared.py: 4 stacks trained jointly, 128 px, batches of 8
# fresh warps) on the CCP fit photos, scored on the CCP validation split.
_base_ = ['./ssgn-flow-squared.py']

ccp_root = 'data/ccp'
train_dataloader = dict(dataset=dict(data_root=ccp_root))
val_dataloader = dict(dataset=dict(data_root=ccp_root))
test_dataloader = dict(dataset=dict(data_root=ccp_root))
