# Ablation of Table 2, stage 1 (SSGN_x8): without the semantically-guided loss
# (SGL) and without the discriminative restoration loss (DRL); CPU size as
# configs/ssgn_x8.py.
# All four stages:
#   python tools/train_stacked.py configs/ssgn/ablations/ssgn_x{8,4,2,1}_wo-sgl_wo-drl.py
_base_ = ['../../ssgn_x8.py']

model = dict(generator_loss=dict(use_sgl=False, use_drl=False))
