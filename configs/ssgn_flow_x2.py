# Stage 3 of SSGN-flow: as configs/ssgn_x2.py, with the flow output; the
# x2 stack refines the x4 flow (taken up x2) with its own correction,
# starting from the last checkpoint of configs/ssgn_flow_x4.py.
_base_ = ['./ssgn_flow_x4.py']

model = dict(generator=dict(num_stacks=3))
load_from = 'work_dirs/ssgn_flow_x4/iter_%d.pth' % _base_.stage_iters
