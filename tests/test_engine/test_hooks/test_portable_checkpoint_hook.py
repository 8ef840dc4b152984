from types import SimpleNamespace

import torch.distributed as dist
from mmagic.registry import HOOKS, MODELS
from mmengine.model import MMSeparateDistributedDataParallel


def _model():
    disc = dict(base_channels=4, num_down=1)
    return MODELS.build(dict(
        type='SSGN',
        generator=dict(type='SSGNGenerator', base_channels=4, down_depth=0,
                       num_stacks=1),
        global_discriminator=dict(type='GlobalDiscriminator', **disc),
        local_discriminator=dict(type='LocalDiscriminator', **disc),
        keypoint_discriminator=dict(type='KeypointDiscriminator', **disc),
        contour_discriminator=dict(type='ContourDiscriminator', **disc)))


def test_distributed_checkpoints_keep_one_process_names(tmp_path):
    """A distributed SSGN wraps every network in its own DDP; Runner saves
    ``generator.module.…``, which MMEngine's loader (it unwraps, then looks
    for ``generator.…``) would not find on resume, test or restore."""
    expected = set(_model().state_dict())
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store',
                            rank=0, world_size=1)
    try:
        wrapped = MMSeparateDistributedDataParallel(_model())
        # what Runner.save_checkpoint stores: the outer wrapper stripped
        checkpoint = dict(state_dict=wrapped.module.state_dict())
        assert any('.module.' in k for k in checkpoint['state_dict'])
        hook = HOOKS.build(dict(type='PortableCheckpointHook'))
        hook.before_save_checkpoint(SimpleNamespace(model=wrapped),
                                    checkpoint)
        assert set(checkpoint['state_dict']) == expected
    finally:
        dist.destroy_process_group()
    # one process: nothing to change
    plain = _model()
    checkpoint = dict(state_dict=plain.state_dict())
    hook.before_save_checkpoint(SimpleNamespace(model=plain), checkpoint)
    assert set(checkpoint['state_dict']) == expected
