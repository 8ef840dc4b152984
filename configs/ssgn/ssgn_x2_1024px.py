# Stage 3 of stacked training at the paper's size: SSGN_x2 adds the x2 stack
# and trains it for 30 epochs with the earlier stacks frozen, from the last
# checkpoint of SSGN_x4 (as configs/ssgn/ssgn_x8_1024px.py).
_base_ = ['./ssgn_x4_1024px.py']

model = dict(generator=dict(num_stacks=3))
load_from = 'work_dirs/ssgn_x4_1024px/iter_%d.pth' % _base_.stage_iters
