# Runtime shared by every config, after mmagic's gen_default_runtime.py.
default_scope = 'mmagic'
# Registers this project's components in mmagic's registries.
custom_imports = dict(imports=['ssgn_plugin'], allow_failed_imports=False)

randomness = dict(seed=2021, diff_rank_seed=True)
opencv_num_threads = 0
mp_start_method = 'fork'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook',
        interval=1000,
        by_epoch=False,
        max_keep_ckpts=3,
        save_optimizer=True,
        save_last=True),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

log_level = 'INFO'
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=False)
load_from = None
resume = False

# GANs update generator and discriminators in separate DDP wrappers.
model_wrapper_cfg = dict(
    type='MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=False)

# images and scalars as files under the work dir's vis_data/, and as
# TensorBoard events there (tensorboard --logdir work_dirs)
vis_backends = [dict(type='VisBackend'), dict(type='TensorboardVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)
