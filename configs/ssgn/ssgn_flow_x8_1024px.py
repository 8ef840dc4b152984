# Stage 1 of SSGN-flow at the paper's size: configs/ssgn/ssgn_x8_1024px.py
# (1024 px, the paper's widths and 30 epochs a stack) with the flow output
# (configs/_base_/models/ssgn_flow.py) and fresh warps on the fly at 1024 px.
# Train all four stages with
#   python tools/train_stacked.py configs/ssgn/ssgn_flow_x{8,4,2,1}_1024px.py
_base_ = ['./ssgn_x8_1024px.py', '../_base_/models/ssgn_flow.py']

model = dict(
    generator=_base_.flow_output,
    flow_loss=_base_.flow_loss,
    test_cfg=_base_.flow_test_cfg)
train_dataloader = dict(dataset=dict(
    maps=_base_.fresh_warp_maps,
    pipeline=[
        dict(t, size=_base_.resolution)
        if t['type'] == 'PairedRandomResizedCrop' else t
        for t in _base_.fresh_warp_pipeline
    ]))
