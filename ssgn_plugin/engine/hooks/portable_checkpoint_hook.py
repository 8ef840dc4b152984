from mmagic.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner.checkpoint import get_state_dict, weights_to_cpu


@HOOKS.register_module()
class PortableCheckpointHook(Hook):
    """Saves a distributed run's weights under the names a one-process run
    gives them, so that its checkpoints resume, test and restore anywhere.

    MMEngine's ``Runner.save_checkpoint`` strips only the outer model
    wrapper; the GAN configs' ``MMSeparateDistributedDataParallel`` also
    wraps each network (``generator``, every discriminator) in its own DDP,
    so the weights would be saved as ``generator.module.…``. MMEngine's
    loader unwraps every wrapper and looks for ``generator.…``: a resumed
    distributed run, a test or a restore would find none of them and (with
    ``strict=False``) go on with fresh weights. This hook stores the state
    dict with every wrapper removed (``get_state_dict``), which is what a
    one-process run saves. Without a wrapper it changes nothing.

    ``tools/train.py`` and ``tools/test.py`` add it to every run with a
    distributed launcher (``ssgn_plugin.cli.runner_setup``).
    """

    priority = 'VERY_LOW'  # after hooks that swap weights in (e.g. EMA)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        if is_model_wrapper(runner.model):
            checkpoint['state_dict'] = weights_to_cpu(
                get_state_dict(runner.model))
