# Stage 3 of stacked training (Sec. 4.2.2): SSGN_x2 adds the x2 stack and
# trains it with the earlier stacks frozen (StackedTrainingHook), starting
# from the last checkpoint of SSGN_x4. CPU size, as configs/ssgn_x8.py.
_base_ = ['./ssgn_x4.py']

model = dict(generator=dict(num_stacks=3))
load_from = 'work_dirs/ssgn_x4/iter_%d.pth' % _base_.stage_iters
