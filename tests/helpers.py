"""Helpers shared by the tests."""
import os.path as osp
import subprocess
import sys

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


def load_script(path, name):
    """The module of the repository's script ``path`` (e.g.
    ``tools/demo.py``), imported under ``name`` in this process."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, osp.join(REPO, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def work_dir_logs(*work_dirs):
    """What MMEngine's loggers wrote in these work dirs
    (``<work_dir>/<timestamp>/<timestamp>.log``), oldest run first: the
    tools print a progress bar instead (``--verbose`` prints it all)."""
    import glob
    text = []
    for work_dir in work_dirs:
        for path in sorted(glob.glob(osp.join(str(work_dir), '*', '*.log'))):
            with open(path, encoding='utf-8') as f:
                text.append(f.read())
    return '\n'.join(text)


def _scores(flow=False):
    pairs = {f'{m}{s}' for m in ('PSNR', 'SSIM', 'LPIPS', 'FID',
                                 'Unchanged_unwarped', 'WorseImageShare',
                                 'WorseImageShare_0.05dB')
             for s in ('', '_input')}
    regions = {f'{m}_{r}{s}' for m in ('PSNR', 'SSIM')
               for r in ('distorted', 'L1', 'L2', 'L3')
               for s in ('', '_input', '_count')}
    # the zero flow's end-point error for every method, the flow's own for
    # flow models
    epe = {f'EPE{r}{s}' for r in ('', '_warped', '_unwarped')
           for s in (('', '_input') if flow else ('_input', ))}
    epe |= {'EPE_warped_count', 'EPE_unwarped_count'}
    return pairs | regions | epe


# What the configs' test evaluator reports (configs/_base_/datasets/
# dedistortion.py): Table 5's four scores with the do-nothing baseline,
# PSNR and SSIM inside the distorted regions, the share of unchanged pixels
# outside the warped region and of images made worse, and end-point errors.
TEST_SCORES = frozenset(_scores())
FLOW_TEST_SCORES = frozenset(_scores(flow=True))


# Where PairedRandomResizedCrop sits in the dataset config's pipelines
# (configs/_base_/datasets/dedistortion.py): after the 8 loaders of the
# built pairs, after the 4 of the fresh-warp pipeline.
CROP_INDEX = 8
FRESH_WARP_CROP_INDEX = 4


def tiny_data_options(data_root, size=32, train_crop_index=CROP_INDEX):
    """--cfg-options that point every dataloader of a config on the
    de-distortion dataset at ``data_root``, crop to ``size`` px, load in
    the main process and log every iteration. Configs that train on fresh
    warps pass ``train_crop_index=FRESH_WARP_CROP_INDEX``."""
    options = ['default_hooks.logger.interval=1',
               'train_dataloader.num_workers=0']
    for loader in ('train', 'val', 'test'):
        index = train_crop_index if loader == 'train' else CROP_INDEX
        options += [f'{loader}_dataloader.dataset.data_root={data_root}',
                    f'{loader}_dataloader.dataset.pipeline.{index}.size={size}']
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


def write_png(path, samples, icc=None, exif=None):
    """A PNG of uint8 or uint16 (H, W[, C]) samples, C = 1 to 4 (gray,
    gray + alpha, RGB, RGBA), with an iCCP (``icc``) and an eXIf chunk
    (``exif``, TIFF bytes) when given. Encoded here, unfiltered, so that
    tests of the photo writer do not make their inputs with it: Pillow
    writes no 16-bit colour, OpenCV no gray + alpha and no ICC profile."""
    import struct
    import zlib

    import numpy as np

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack(
            '>I', zlib.crc32(kind + data))

    h, w = samples.shape[:2]
    channels = 1 if samples.ndim == 2 else samples.shape[2]
    size = samples.dtype.itemsize
    rows = samples.astype(f'>u{size}').reshape(h, -1).view(np.uint8)
    rows = np.concatenate([np.zeros((h, 1), np.uint8), rows], axis=1)
    png = chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8 * size,
                                     {1: 0, 2: 4, 3: 2, 4: 6}[channels], 0,
                                     0, 0))
    if icc:
        png += chunk(b'iCCP', b'test\0\0' + zlib.compress(icc))
    if exif:
        png += chunk(b'eXIf', exif)
    png += chunk(b'IDAT', zlib.compress(rows.tobytes())) + chunk(b'IEND',
                                                                 b'')
    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + png)
