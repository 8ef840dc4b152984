# Stage 1 of SSGN-flow (flow-guided SSGN, ours): as configs/ssgn_x8.py (CPU
# size, 256 px, the same schedule), with the flow output
# (configs/_base_/models/ssgn_flow.py) and fresh warps drawn on the fly for
# every training sample (the test split stays the built pairs). Train all
# four stages with
#   python tools/train_stacked.py configs/ssgn_flow_x{8,4,2,1}.py
_base_ = ['./ssgn_x8.py', './_base_/models/ssgn_flow.py']

model = dict(
    generator=_base_.flow_output,
    flow_loss=_base_.flow_loss,
    test_cfg=_base_.flow_test_cfg)
train_dataloader = dict(dataset=dict(
    maps=_base_.fresh_warp_maps, pipeline=_base_.fresh_warp_pipeline))
