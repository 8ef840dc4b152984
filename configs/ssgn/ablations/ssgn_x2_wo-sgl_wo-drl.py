# Ablation of Table 2, stage 3 (SSGN_x2): without the semantically-guided loss
# (SGL) and without the discriminative restoration loss (DRL); from the last
# checkpoint of the same ablation's SSGN_x4.
_base_ = ['../../ssgn_x2.py']

model = dict(generator_loss=dict(use_sgl=False, use_drl=False))
load_from = 'work_dirs/ssgn_x4_wo-sgl_wo-drl/iter_%d.pth' % _base_.stage_iters
