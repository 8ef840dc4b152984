# Stage 4 of stacked training (Sec. 4.2.2): SSGN_x1 adds the x1 stack and
# trains it with the earlier stacks frozen (StackedTrainingHook), starting
# from the last checkpoint of SSGN_x2. CPU size, as configs/ssgn_x8.py.
_base_ = ['./ssgn_x2.py']

model = dict(generator=dict(num_stacks=4))
load_from = 'work_dirs/ssgn_x2/iter_%d.pth' % _base_.stage_iters
