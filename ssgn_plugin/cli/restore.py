"""Restore your own photos with a trained de-distortion model.

    ssgn-restore PHOTO_OR_FOLDER                 (the model zoo's default)
    ssgn-restore PHOTO --model NAME              (a model of --list-models)
    python tools/restore.py PHOTO_OR_FOLDER --work-dir work_dirs/ssgn_x1
    python tools/restore.py PHOTO --config CFG --checkpoint CKPT --out-dir out

Each restored photo keeps the input's resolution, file format, mode
(grayscale, 16-bit, alpha), orientation, EXIF and ICC colour profile and is
written under --out-dir with the input's name (relative to its folder for
folders; --out-dir itself is skipped when inside one). A photo the model
left as it was (no person found, nothing moved) is the input file, copied
byte for byte. Of a photo it changed, the pixels it did not move come back
exactly in PNG, TIFF, BMP and WebP (written lossless); a JPEG is encoded
again at the input's quality and chroma subsampling, which still changes
some of them by a few levels: --format png gives them all exactly.
--save-edge and --save-change add the edge output and a heat map of what
changed beside it. Before anything is computed, every output is
checked against every input (none is overwritten, no two share a name) and
--out-dir is created and locked; the temporary files a killed run of this
tool left there (.<name>.ssgn-tmp-XXXXXXXX.tmp; no other program's) are
removed. Unreadable photos are skipped and named; exit status 2 when
none was restored. SIGTERM stops it like Ctrl-C, leaving no half file.
"""
import argparse
import glob
import os.path as osp
import warnings
from typing import Dict, List, Optional

from ssgn_plugin.utils import (InputError, check_writable_folder,
                               folder_lock, remove_stale_temp_files)
from .runner_setup import run_cli_interruptible


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n', 1)[1])
    parser.add_argument('inputs', nargs='*', help='photos or folders')
    parser.add_argument('--model', help='a model of the model zoo '
                        '(--list-models); default: the zoo\'s default model '
                        'when no --work-dir, --config or --checkpoint is '
                        'given')
    parser.add_argument('--list-models', action='store_true',
                        help='list the model zoo\'s models and exit')
    parser.add_argument('--work-dir', help='a training work dir: its config '
                        'and last checkpoint are used')
    parser.add_argument('--config', help='model config')
    parser.add_argument('--checkpoint', help='model checkpoint')
    parser.add_argument('--out-dir', default='restored')
    parser.add_argument('--format', choices=('same', 'png'), default='same',
                        help='same: each photo in its input\'s format; '
                        'png: <name>.png, lossless, so that every pixel the '
                        'model did not move is exactly the input\'s (a '
                        'JPEG written again changes some by a few levels)')
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
    args = parser.parse_args(argv)
    if not args.inputs and not args.list_models:
        parser.error('the following arguments are required: inputs')
    return args


def check_settings(args) -> None:
    """Refuse settings that would give black or striped photos (a negative
    tile or overlap) or fail only after loading the model (a device torch
    does not know)."""
    if not args.out_dir:  # else "error: : cannot create the folder"
        raise InputError("--out-dir '': an empty folder name was given; name "
                         'the folder to write the restored photos into')
    if args.tile is not None and args.tile <= 0:
        raise InputError(f'--tile {args.tile}: must be a positive number of '
                         'pixels')
    if args.overlap < 0:
        raise InputError(f'--overlap {args.overlap}: must be 0 or more '
                         'pixels')
    import torch
    try:
        device = torch.device(args.device)
    except RuntimeError:
        raise InputError(f'--device {args.device}: unknown device; use cpu, '
                         'cuda or cuda:N') from None
    if device.type == 'cuda':
        if not torch.cuda.is_available():
            raise InputError(f'--device {args.device}: CUDA is not available')
        if device.index is not None and \
                device.index >= torch.cuda.device_count():
            raise InputError(f'--device {args.device}: there are '
                             f'{torch.cuda.device_count()} CUDA devices')
    elif device.type != 'cpu':
        raise InputError(f'--device {args.device}: restore runs on cpu or '
                         'cuda')


def find_model(args) -> tuple:
    """(config, checkpoint) from --config/--checkpoint, --work-dir, or the
    model zoo (--model, else its default), the zoo's weights verified."""
    from ssgn_plugin import model_zoo
    own = args.work_dir or args.config or args.checkpoint
    if args.model and own:
        raise InputError('--model takes a zoo model; give it, or --work-dir '
                         'or --config and --checkpoint, not both')
    if not own:
        name = args.model or model_zoo.default_model()
        if name is None:
            found = model_zoo.list_models()
            raise InputError(
                'no model given and ' + (
                    f'no default among the zoo\'s {", ".join(found)}; give '
                    '--model NAME' if found else 'the model zoo of this '
                    'installation is empty') +
                ', --work-dir, or --config and --checkpoint')
        return model_zoo.zoo_paths(name)
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


def list_inputs(inputs: List[str],
                skip_dir: Optional[str] = None) -> List[tuple]:
    """(path, relative output name) of every file to restore. Folders are
    walked recursively, except ``skip_dir`` (the output folder, so that
    restored photos inside the input folder are not restored again)."""
    from ssgn_plugin.datasets.photo_reader import (PHOTO_EXTENSIONS,
                                                   walk_photo_folder)
    found = []
    for item in inputs:
        if osp.isdir(item):
            for root, files in walk_photo_folder(item, skip_dir):
                for name in files:
                    if name.lower().endswith(PHOTO_EXTENSIONS):
                        path = osp.join(root, name)
                        found.append((path, osp.relpath(path, item)))
        elif osp.isfile(item):
            found.append((item, osp.basename(item)))
        else:
            raise InputError(f'no such file or folder: {item}')
    return found


def plan_outputs(files: List[tuple], out_dir: str, save_edge: bool,
                 save_change: bool,
                 ext: Optional[str] = None) -> List[Dict[str, str]]:
    """The files each input will be written to (with the extension
    ``ext``, e.g. '.png', instead of the input's when given), checked
    before anything is written: no output may be any input (whichever
    photo it belongs to), and no two inputs may share an output (dirA/x.jpg
    and dirB/x.jpg, or p.jpg and p.png with their p_change.png, or as
    p.png)."""
    plans, owner = [], {}
    for path, rel in files:
        out = osp.join(out_dir, rel)
        stem = osp.splitext(out)[0]
        plan = dict(image=stem + ext if ext else out)
        if save_edge:
            plan['edge'] = stem + '_edge.png'
        if save_change:
            plan['change'] = stem + '_change.png'
        for target in plan.values():
            key = osp.realpath(target)
            if key in owner:
                raise InputError(
                    f'{owner[key]} and {path} would both be written to '
                    f'{target}; restore them into different --out-dir')
            owner[key] = path
        plans.append(plan)
    for path, _ in files:
        key = osp.realpath(path)
        if key == osp.realpath(owner.get(key, '')):
            raise InputError(f'{path}: restoring it into --out-dir '
                             f'{out_dir} would overwrite its input; choose '
                             'another --out-dir')
        if key in owner:
            raise InputError(
                f'{path}: the restored {owner[key]} would overwrite this '
                'input; choose another --out-dir')
    return plans


def check_output_paths(files: List[tuple],
                       plans: List[Dict[str, str]]) -> None:
    """Every planned output can be written: none is a folder, and every
    folder they go to is (or is created as) a writable folder; so a
    sub-folder of --out-dir that is a file stops the run before the first
    photo, not after some."""
    for (path, _), plan in zip(files, plans):
        for target in plan.values():
            if osp.isdir(target):
                raise InputError(f'{target}: is a folder, where the output '
                                 f'of {path} would be written; choose '
                                 'another --out-dir')
    for folder in sorted({osp.dirname(t) for plan in plans
                          for t in plan.values()}):
        check_writable_folder(folder)


def _page_count(path: str) -> int:
    from PIL import Image
    try:
        with Image.open(path) as image:
            return getattr(image, 'n_frames', 1)
    except Exception:  # read_photo has read it; the count is only a warning
        return 1


def print_models() -> None:
    """The model zoo's models: name, resolution, description, scores."""
    from ssgn_plugin import model_zoo
    from ssgn_plugin.model_zoo.registry import ZOO_ROOTS
    names = model_zoo.list_models()
    if not names:
        print('the model zoo of this installation has no models ('
              f'{", ".join(ZOO_ROOTS)}); restore with --work-dir, or '
              '--config and --checkpoint')
        return
    default = model_zoo.default_model()
    for name in names:
        entry = model_zoo.get_model_entry(name)
        mark = ' (default)' if name == default else ''
        print(f'{name}{mark}: {entry.resolution} px. {entry.description}')
        scores = ', '.join(
            f'{k} {v:.4g}' if isinstance(v, (int, float)) else f'{k} {v}'
            for k, v in entry.scores.items())
        print('    scores: ' + (scores or 'not scored yet'))


def main(argv: Optional[List[str]] = None) -> List[str]:
    args = parse_args(argv)
    if args.list_models:
        print_models()
        return []
    check_settings(args)
    config, checkpoint = find_model(args)
    files = list_inputs(args.inputs, skip_dir=args.out_dir)
    if not files:
        raise InputError(f'no photos found in {" ".join(args.inputs)}')
    plans = plan_outputs(files, args.out_dir, args.save_edge,
                         args.save_change,
                         '.png' if args.format == 'png' else None)
    # Locked, so that no other restore writes there while stale temporary
    # files (of a killed run) are removed; other programs' are never
    # touched (remove_stale_temp_files knows ours by their names).
    with folder_lock(args.out_dir):
        check_output_paths(files, plans)
        removed = sum(remove_stale_temp_files(folder) for folder in sorted(
            {osp.dirname(t) for plan in plans for t in plan.values()}))
        if removed:
            print(f'removed {removed} temporary file(s) left by an '
                  'interrupted run')
        return restore_all(args, config, checkpoint, files, plans)


def at_photo_depth(restorer, result: Dict, photo):
    """The restored image to write. A flow model's plan moves the photo's
    own 16-bit samples (``photo.samples16``: (H, W) gray, (H, W, 2) gray
    and alpha, (H, W, 3) RGB, (H, W, 4) RGBA), so that a shut gate copies
    them bit for bit and moved pixels are resampled at 16 bits; its
    (H, W, 3) uint8 result, widened, would make every sample a multiple of
    257. The alpha channel stays as it was, as for 8-bit photos. Image
    models compute 8-bit images: their result as it is."""
    import numpy as np
    samples = photo.samples16
    if restorer.flow is None or samples is None:
        return result['image']
    plan = result.get('plan')
    if plan is None:  # no person: the photo comes back unchanged
        return samples
    if samples.ndim == 3 and samples.shape[2] in (2, 4):
        color = samples[..., 0] if samples.shape[2] == 2 else samples[..., :3]
        moved = restorer.flow.apply(np.ascontiguousarray(color), plan)
        return np.dstack([moved, samples[..., -1]])
    return restorer.flow.apply(samples, plan)


def restore_all(args, config: str, checkpoint: str, files: List[tuple],
                plans: List[Dict[str, str]]) -> List[str]:
    """Restore ``files`` into their planned outputs."""
    from tqdm import tqdm
    from ssgn_plugin.apis import PhotoRestorer
    from ssgn_plugin.datasets.photo_reader import PhotoReadError, read_photo
    from ssgn_plugin.visualization.photo_writer import (copy_unchanged,
                                                         is_unchanged,
                                                         write_change_map,
                                                         write_like)
    restorer = PhotoRestorer(config, checkpoint, device=args.device,
                             tile=args.tile, overlap=args.overlap)
    written, failed = [], []
    for (path, _), plan in zip(tqdm(files, desc='restoring', unit='photo'),
                               plans):
        try:
            photo = read_photo(path)
        except PhotoReadError as e:
            failed.append(str(e))
            tqdm.write(f'skipped {e}')
            continue
        pages = _page_count(path)
        if pages > 1:
            tqdm.write(f'warning: {path}: has {pages} pages (frames); only '
                       'the first is restored')
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = restorer.restore(photo.rgb, name=path)
        if not result['person_found']:
            # flow models leave a photo without a person as it is; image
            # models restore it without the person's maps
            tqdm.write(f'warning: {path}: no person found; ' + (
                'left unchanged' if restorer.flow is not None
                else 'restored with empty semantic maps'))
        for w in caught:
            if 'no person found' not in str(w.message):
                warnings.warn(w.message)
        image = at_photo_depth(restorer, result, photo)
        fmt = 'PNG' if args.format == 'png' else None
        if is_unchanged(image, photo) and fmt in (None, photo.format):
            # the input's bytes: not decoded and encoded again (a JPEG's
            # pixels would change), its metadata all kept
            copy_unchanged(plan['image'], path)
        else:
            write_like(plan['image'], image, photo, source=path, fmt=fmt)
        if 'edge' in plan and 'edge' in result:
            write_like(plan['edge'], result['edge'], None)
        if 'change' in plan:
            write_change_map(plan['change'], result['change'])
        written.append(plan['image'])
    if not written:
        raise InputError(f'no photo restored: all {len(failed)} input(s) '
                         'could not be read')
    print(f'restored {len(written)} photo(s) into {args.out_dir}'
          + (f'; {len(failed)} unreadable, skipped' if failed else ''))
    return written


def cli(argv: Optional[List[str]] = None) -> int:
    """Run ``main``; SIGTERM ends it like Ctrl-C (no half-written file),
    with exit status 143 (130 for Ctrl-C)."""
    return run_cli_interruptible(
        main, argv, 'photos written so far are complete, rerun to finish')
