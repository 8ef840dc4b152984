"""A tiny SSGN-flow model (weights as built) and a temporary model zoo
entry made from it with the export tool, for tests that must not depend on
the released weights."""
import os.path as osp

import torch
from mmengine.config import Config

from helpers import REPO

# The released model's config at 4 channels and a 64 px training
# resolution: the same model type, restored through the flow path.
TINY_OPTIONS = {
    'model.generator.base_channels': 4,
    'model.generator.down_depth': 0,
    'resolution': 64,
    **{f'model.{d}_discriminator.base_channels': 4
       for d in ('global', 'local', 'keypoint', 'contour')},
}


def write_tiny_flow(folder, seed=0):
    """(config, checkpoint) of configs/ssgn_flow_x1_joint.py made tiny, its
    weights as built (``seed``) in an MMEngine-style checkpoint."""
    from mmagic.registry import MODELS
    cfg = Config.fromfile(osp.join(REPO, 'configs/ssgn_flow_x1_joint.py'))
    cfg.merge_from_dict(TINY_OPTIONS)
    config = osp.join(str(folder), 'tiny_flow.py')
    cfg.dump(config)
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    checkpoint = osp.join(str(folder), 'iter_3.pth')
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(iter=3, epoch=0),
                    optimizer=dict(state={}, param_groups=[])), checkpoint)
    return config, checkpoint


def make_zoo_entry(zoo_root, name='tiny_flow', default=True, work=None,
                   **kwargs):
    """Export the tiny flow model as zoo entry ``name`` under ``zoo_root``;
    returns the ZooEntry."""
    from ssgn_plugin.model_zoo.export import export_zoo_model
    work = work or osp.join(str(zoo_root), '..', f'{name}_training')
    import os
    os.makedirs(work, exist_ok=True)
    config, checkpoint = write_tiny_flow(work)
    return export_zoo_model(checkpoint, config, name, zoo_root=str(zoo_root),
                            default=default, **kwargs)
