# Stage 2 of SSGN-flow at the paper's size: as configs/ssgn/ssgn_x4_1024px.py
# with the flow output, from the last checkpoint of ssgn_flow_x8_1024px.py.
_base_ = ['./ssgn_flow_x8_1024px.py']

model = dict(generator=dict(num_stacks=2))
load_from = 'work_dirs/ssgn_flow_x8_1024px/iter_%d.pth' % _base_.stage_iters
