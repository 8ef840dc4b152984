"""Helpers shared by the tests."""
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def run_tool(script, *args, check=True, timeout=600):
    """Run ``tools/<script>`` in a fresh interpreter, as a user would."""
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{script} {args} exited {proc.returncode}:\n'
                             f'{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}')
    return proc


def _scores():
    pairs = {f'{m}{s}' for m in ('PSNR', 'SSIM', 'LPIPS', 'FID')
             for s in ('', '_input')}
    regions = {f'{m}_{r}{s}' for m in ('PSNR', 'SSIM')
               for r in ('distorted', 'L1', 'L2', 'L3')
               for s in ('', '_input', '_count')}
    return pairs | regions


# What the configs' test evaluator reports (configs/_base_/datasets/
# dedistortion.py): Table 5's four scores with the do-nothing baseline, and
# PSNR and SSIM inside the distorted regions.
TEST_SCORES = frozenset(_scores())


def tiny_data_options(data_root, size=32):
    """--cfg-options that point every dataloader of a config on the
    de-distortion dataset at ``data_root``, crop to ``size`` px, load in
    the main process and log every iteration."""
    options = ['default_hooks.logger.interval=1',
               'train_dataloader.num_workers=0']
    for loader in ('train', 'val', 'test'):
        options += [f'{loader}_dataloader.dataset.data_root={data_root}',
                    f'{loader}_dataloader.dataset.pipeline.7.size={size}']
        if loader != 'train':
            options.append(f'{loader}_dataloader.num_workers=0')
    return options


def load_checkpoint(path):
    """A checkpoint with its meta and optimizer states."""
    import torch
    return torch.load(path, map_location='cpu', weights_only=False)


def adam_steps(state, name):
    """The step counts of optimizer ``name``'s parameters in a checkpoint."""
    return {float(s['step'])
            for s in state['optimizer'][name]['state'].values()}
