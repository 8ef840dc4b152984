# Ablation of Table 3, stage 2 (SSGN_x4): with the semantically-guided loss
# (SGL), without the discriminative restoration loss (DRL); from the last
# checkpoint of the same ablation's SSGN_x8.
_base_ = ['../../ssgn_x4.py']

model = dict(generator_loss=dict(use_sgl=True, use_drl=False))
load_from = 'work_dirs/ssgn_x8_w-sgl_wo-drl/iter_%d.pth' % _base_.stage_iters
