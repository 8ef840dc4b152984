"""Restore your own photos with a trained de-distortion model.

    python tools/restore.py PHOTO_OR_FOLDER --work-dir work_dirs/ssgn_x1
    python tools/restore.py PHOTO --config CFG --checkpoint CKPT --out-dir out

Each restored photo keeps the input's resolution, file format and mode
(grayscale, 16-bit, alpha) and is written under --out-dir with the input's
name; inputs are never overwritten. --save-edge and --save-change add the
edge output and a heat map of what changed beside it.
"""
import argparse
import glob
import os
import os.path as osp
import warnings
from typing import List, Optional

import numpy as np

from ssgn_plugin.utils import InputError
from .runner_setup import run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n', 1)[1])
    parser.add_argument('inputs', nargs='+', help='photos or folders')
    parser.add_argument('--work-dir', help='a training work dir: its config '
                        'and last checkpoint are used')
    parser.add_argument('--config', help='model config')
    parser.add_argument('--checkpoint', help='model checkpoint')
    parser.add_argument('--out-dir', default='restored')
    parser.add_argument('--device', default='cpu', help='cpu or cuda')
    parser.add_argument('--tile', type=int, default=None,
                        help='tile side in px (bounds memory); default: the '
                        'training resolution, at least 512')
    parser.add_argument('--overlap', type=int, default=64)
    parser.add_argument('--save-edge', action='store_true',
                        help='also write <name>_edge.png')
    parser.add_argument('--save-change', action='store_true',
                        help='also write <name>_change.png, a heat map of '
                        'the change')
    return parser.parse_args(argv)


def find_model(args) -> tuple:
    """(config, checkpoint) from --config/--checkpoint or --work-dir."""
    if args.work_dir:
        if not osp.isdir(args.work_dir):
            raise InputError(f'work dir not found: {args.work_dir}')
        configs = sorted(glob.glob(osp.join(args.work_dir, '*.py')))
        last = osp.join(args.work_dir, 'last_checkpoint')
        if not configs or not osp.isfile(last):
            raise InputError(f'{args.work_dir} has no config (*.py) and '
                             'last_checkpoint; is it a training work dir?')
        with open(last) as f:
            checkpoint = f.read().strip()
        return args.config or configs[0], args.checkpoint or checkpoint
    if not (args.config and args.checkpoint):
        raise InputError('give --work-dir, or --config and --checkpoint')
    return args.config, args.checkpoint


def list_inputs(inputs: List[str]) -> List[tuple]:
    """(path, relative output name) of every file to restore."""
    from ssgn_plugin.datasets.photo_reader import PHOTO_EXTENSIONS
    found = []
    for item in inputs:
        if osp.isdir(item):
            for root, _, files in sorted(os.walk(item)):
                for name in sorted(files):
                    if name.lower().endswith(PHOTO_EXTENSIONS):
                        path = osp.join(root, name)
                        found.append((path, osp.relpath(path, item)))
        elif osp.isfile(item):
            found.append((item, osp.basename(item)))
        else:
            raise InputError(f'no such file or folder: {item}')
    return found


def main(argv: Optional[List[str]] = None) -> List[str]:
    args = parse_args(argv)
    config, checkpoint = find_model(args)
    files = list_inputs(args.inputs)
    if not files:
        raise InputError(f'no photos found in {" ".join(args.inputs)}')

    from tqdm import tqdm
    from ssgn_plugin.apis import PhotoRestorer
    from ssgn_plugin.datasets.photo_reader import PhotoReadError, read_photo
    from ssgn_plugin.visualization.photo_writer import (write_change_map,
                                                         write_like)
    restorer = PhotoRestorer(config, checkpoint, device=args.device,
                             tile=args.tile, overlap=args.overlap)
    written, failed = [], []
    for path, rel in tqdm(files, desc='restoring', unit='photo'):
        out = osp.join(args.out_dir, rel)
        if osp.realpath(out) == osp.realpath(path):
            raise InputError(f'{out} would overwrite its input; choose '
                             'another --out-dir')
        try:
            photo = read_photo(path)
        except PhotoReadError as e:
            failed.append(str(e))
            tqdm.write(f'skipped {e}')
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = restorer.restore(photo.rgb, name=path)
        if not result['person_found']:
            tqdm.write(f'warning: {path}: no person found; restored with '
                       'empty semantic maps')
        for w in caught:
            if 'no person found' not in str(w.message):
                warnings.warn(w.message)
        write_like(out, result['image'], photo, source=path)
        stem = osp.splitext(out)[0]
        if args.save_edge and 'edge' in result:
            write_like(stem + '_edge.png', result['edge'], None)
        if args.save_change:
            write_change_map(stem + '_change.png', result['change'])
        written.append(out)
    print(f'restored {len(written)} photo(s) into {args.out_dir}'
          + (f'; {len(failed)} unreadable, skipped' if failed else ''))
    return written


def cli() -> int:
    return run_cli(main)
