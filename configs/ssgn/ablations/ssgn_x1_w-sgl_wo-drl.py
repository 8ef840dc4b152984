# Ablation of Table 3, stage 4 (SSGN_x1): with the semantically-guided loss
# (SGL), without the discriminative restoration loss (DRL); from the last
# checkpoint of the same ablation's SSGN_x2.
_base_ = ['../../ssgn_x1.py']

model = dict(generator_loss=dict(use_sgl=True, use_drl=False))
load_from = 'work_dirs/ssgn_x2_w-sgl_wo-drl/iter_%d.pth' % _base_.stage_iters
