# Ablation of Table 3, stage 1 (SSGN_x8): with the semantically-guided loss
# (SGL), without the discriminative restoration loss (DRL); CPU size as
# configs/ssgn_x8.py.
# All four stages:
#   python tools/train_stacked.py configs/ssgn/ablations/ssgn_x{8,4,2,1}_w-sgl_wo-drl.py
_base_ = ['../../ssgn_x8.py']

model = dict(generator_loss=dict(use_sgl=True, use_drl=False))
