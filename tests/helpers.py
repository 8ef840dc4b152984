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
