# Ablation of Table 2, stage 2 (SSGN_x4): without the semantically-guided loss
# (SGL) and without the discriminative restoration loss (DRL); from the last
# checkpoint of the same ablation's SSGN_x8.
_base_ = ['../../ssgn_x4.py']

model = dict(generator_loss=dict(use_sgl=False, use_drl=False))
load_from = 'work_dirs/ssgn_x8_wo-sgl_wo-drl/iter_%d.pth' % _base_.stage_iters
