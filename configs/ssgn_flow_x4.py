# Stage 2 of SSGN-flow: as configs/ssgn_x4.py, with the flow output; the
# x4 stack refines the x8 flow (taken up x2) with its own correction,
# starting from the last checkpoint of configs/ssgn_flow_x8.py.
_base_ = ['./ssgn_flow_x8.py']

model = dict(generator=dict(num_stacks=2))
load_from = 'work_dirs/ssgn_flow_x8/iter_%d.pth' % _base_.stage_iters
