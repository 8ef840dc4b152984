# Stage 4 of stacked training at the paper's size: SSGN_x1 adds the x1 stack
# and trains it for 30 epochs with the earlier stacks frozen, from the last
# checkpoint of SSGN_x2 (as configs/ssgn/ssgn_x8_1024px.py).
_base_ = ['./ssgn_x2_1024px.py']

model = dict(generator=dict(num_stacks=4))
load_from = 'work_dirs/ssgn_x2_1024px/iter_%d.pth' % _base_.stage_iters
