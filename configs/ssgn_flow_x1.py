# Stage 4 of SSGN-flow: as configs/ssgn_x1.py, with the flow output; the
# x1 stack refines the x2 flow (taken up x2) with its own correction,
# starting from the last checkpoint of configs/ssgn_flow_x2.py.
_base_ = ['./ssgn_flow_x2.py']

model = dict(generator=dict(num_stacks=4))
load_from = 'work_dirs/ssgn_flow_x2/iter_%d.pth' % _base_.stage_iters
