# Stage 2 of stacked training (Sec. 4.2.2): SSGN_x4 adds the x4 stack and
# trains it with the earlier stacks frozen (StackedTrainingHook), starting
# from the last checkpoint of SSGN_x8. CPU size, as configs/ssgn_x8.py.
_base_ = ['./ssgn_x8.py']

model = dict(generator=dict(num_stacks=2))
load_from = 'work_dirs/ssgn_x8/iter_%d.pth' % _base_.stage_iters
