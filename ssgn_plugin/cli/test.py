"""Evaluate checkpoints on a test set, as mmagic's ``tools/test.py`` does,
or compare several methods in one table and picture.

    python tools/test.py CONFIG CHECKPOINT [--out metrics.json]
    python tools/test.py --compare ssgn=CFG:CKPT pix2pix=CFG:CKPT ... \
        --out-dir results/

A comparison writes ``comparison.md/.json/.csv`` (Table 5 of the paper:
the do-nothing baseline first, then each method with its parameters,
seconds per image and, where its checkpoint records them, its training
images, CPU minutes and images a second) and ``comparison_grid.png`` (Fig.
7: input, each method, ground truth, the most distorted region enlarged);
``--out-name NAME`` names them ``NAME.md/.json/.csv`` and ``NAME.png``.
Each method's test logs go to ``WORK_DIR/<name>`` with ``--work-dir``, else
to ``OUT_DIR/<name>``. The four stages of SSGN compared this way give
Tables 2-4.

    python tools/test.py --compare NAME=CFG:CKPT ... \
        --variants clean=data/builtin jpeg75=data/builtin_jpeg75 ...

compares them on each test-set variant (``tools/build_dataset.py
--builtin --variant ...`` builds them; each replaces the configs'
``test_dataloader.dataset.data_root``): one comparison per variant in
``OUT_DIR/<variant>/``, and ``variants.md/.json/.csv`` (every variant's
do-nothing and method rows in one table, with each method's PSNR gains)
and ``variants_grid.png`` (one photo per variant).
"""
import argparse
import json
import os.path as osp
from typing import Dict, List, Optional, Tuple

from ssgn_plugin.utils import (InputError, atomic_write_text,
                               check_writable_folder)
from .runner_setup import add_common_args, config_errors, load_config, run_cli


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split('\n', 1)[1])
    parser.add_argument('config', nargs='?', help='config file path')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint file')
    parser.add_argument(
        '--out', help='write the metrics to this JSON file as well')
    parser.add_argument(
        '--compare', nargs='+', metavar='NAME=CONFIG:CHECKPOINT',
        help='evaluate several methods into one comparison')
    parser.add_argument(
        '--variants', nargs='+', metavar='NAME=DATA_ROOT',
        help='with --compare: score the methods on each of these test sets')
    parser.add_argument('--out-dir', default='work_dirs/comparison',
                        help='where a comparison is written')
    parser.add_argument(
        '--out-name', metavar='NAME',
        help="a comparison's file names: NAME.md, NAME.json, NAME.csv and "
        'the grid NAME.png (default: comparison.md/.json/.csv and '
        'comparison_grid.png)')
    parser.add_argument('--title', default='De-distortion on the test split')
    parser.add_argument('--grid-rows', type=int, default=4,
                        help='test images in the comparison grid')
    add_common_args(parser)
    args = parser.parse_args(argv)
    if args.variants and not args.compare:
        parser.error('--variants needs --compare')
    if args.out_name is not None and not args.compare:
        parser.error('--out-name needs --compare')
    if not args.compare and not (args.config and args.checkpoint):
        parser.error('give CONFIG CHECKPOINT, or --compare')
    return args


def _parse_method(spec: str):
    name, sep, rest = spec.partition('=')
    config, sep2, checkpoint = rest.rpartition(':')
    if not (sep and sep2 and name and config and checkpoint):
        raise InputError(f'--compare {spec!r}: expected NAME=CONFIG:CHECKPOINT')
    return name, config, checkpoint


def _parse_methods(specs: List[str]) -> List[Tuple[str, str, str]]:
    """(name, config, checkpoint) of every ``--compare`` entry; a name
    given twice is refused (it would name two rows of the table)."""
    methods = []
    for spec in specs:
        method = _parse_method(spec)
        if method[0] in [m[0] for m in methods]:
            raise InputError(f'--compare {method[0]}: named twice')
        methods.append(method)
    return methods


def _parse_variant(spec: str):
    name, sep, root = spec.partition('=')
    if not (sep and name and root):
        raise InputError(f'--variants {spec!r}: expected NAME=DATA_ROOT')
    if not osp.isdir(root):
        raise InputError(f'--variants {name}: {root}: no such dataset folder '
                         '(tools/build_dataset.py --builtin --variant '
                         f'{name} builds the built-in ones)')
    return name, root


def _parse_variants(specs: List[str]) -> Dict[str, str]:
    """{name: data root} of every ``--variants`` entry, each name once."""
    variants = {}
    for spec in specs:
        name, root = _parse_variant(spec)
        if name in variants:
            raise InputError(f'--variants {name}: named twice')
        variants[name] = root
    return variants


def comparison_files(out_name: Optional[str]) -> Tuple[str, str]:
    """(stem of the tables, file name of the grid) of a comparison:
    ``--out-name`` NAME gives NAME and NAME.png, none the defaults."""
    if out_name is None:
        return 'comparison', 'comparison_grid.png'
    if not out_name or out_name in ('.', '..') or osp.basename(
            out_name) != out_name or '\\' in out_name:
        raise InputError(f'--out-name {out_name!r}: expected a file name '
                         'without a folder, e.g. ccp_comparison (--out-dir '
                         'says where)')
    return out_name, out_name + '.png'


def check_out_file(path: str) -> None:
    """``--out`` can be written: not a folder, in a writable folder
    (created now). Checked before the evaluation, whose metrics would be
    lost when writing them failed after it."""
    if not path:  # else skipped: the metrics would not be written
        raise InputError("--out '': an empty file name was given; name the "
                         'metrics file')
    if osp.isdir(path):
        raise InputError(f'--out {path}: is a folder; name the metrics file, '
                         f'e.g. {osp.join(path, "metrics.json")}')
    try:
        check_writable_folder(osp.dirname(path) or '.')
    except InputError as e:
        raise InputError(f'--out {path}: {e}') from None


def main(argv: Optional[List[str]] = None):
    args = parse_args(argv)
    if args.compare:
        if not args.out_dir:  # else "error: : cannot create the folder"
            raise InputError("--out-dir '': an empty folder name was given; "
                             'name the folder to write the comparison into')
        comparison_files(args.out_name)
        check_writable_folder(args.out_dir)
    elif args.out is not None:
        check_out_file(args.out)
    if not args.compare:
        from ssgn_plugin.evaluation.comparison import evaluate_checkpoint
        cfg = load_config(args.config, args)
        with config_errors(args.config, args.cfg_options):
            result = evaluate_checkpoint(
                cfg, args.checkpoint,
                osp.splitext(osp.basename(args.config))[0],
                verbose=args.verbose)
        for name, value in result.metrics.items():
            print(f'{name}: {value:.4f}')
        if args.out:
            atomic_write_text(args.out, json.dumps(result.metrics, indent=2)
                              + '\n')
        return result.metrics

    plans = plan_comparisons(args)
    if args.variants:
        return compare_variants(args, plans)
    _, out_dir, _, entries = plans[0]
    results = compare(args, out_dir, entries)
    stem, _ = comparison_files(args.out_name)
    with open(osp.join(out_dir, f'{stem}.md')) as f:
        print('\n' + f.read())
    return results


def _check_entry(args, name: str, config: str, cfg, checkpoint: str,
                 variant: Optional[str]) -> None:
    """Raise an :class:`InputError` naming the ``--compare`` (or, for its
    test set, ``--variants``) entry whose checkpoint is missing or whose
    test set is missing, empty or unreadable."""
    from ssgn_plugin.evaluation import comparison
    try:
        comparison.check_checkpoint_file(checkpoint)
    except InputError as e:
        raise InputError(f'--compare {name}: {e}') from None
    entry = f'--variants {variant}' if variant else f'--compare {name}'
    try:
        with config_errors(config, args.cfg_options):
            comparison.check_test_set(cfg)
    except InputError as e:
        raise InputError(f'{entry}: {e}') from None


def plan_comparisons(args) -> List[tuple]:
    """What ``--compare`` evaluates, once or once per ``--variants`` test
    set: (variant, out_dir, data_root, [(name, config, cfg, checkpoint),
    ...]), variant and data_root None without ``--variants``.

    Every entry is checked here, before the first method is scored, as
    ``--out`` is: a malformed or repeated entry, a config that cannot be
    read, a missing checkpoint, a test set that is missing or empty, an
    output folder that cannot be written. Found while scoring, each came
    after minutes of scoring the entries before it.

    Each method's test run logs into ``<logs>/<name>``: ``logs`` is
    ``--work-dir`` when given (``<variant>`` below it with ``--variants``),
    else the comparison's own folder.
    """
    methods = _parse_methods(args.compare)
    variants = _parse_variants(args.variants) if args.variants else {
        None: None}
    plans = []
    for variant, root in variants.items():
        out_dir = args.out_dir if variant is None else osp.join(
            args.out_dir, variant)
        check_writable_folder(out_dir)
        logs = out_dir if not args.work_dir else args.work_dir if \
            variant is None else osp.join(args.work_dir, variant)
        entries = []
        for name, config, checkpoint in methods:
            cfg = load_config(config, argparse.Namespace(
                **dict(vars(args), work_dir=osp.join(logs, name))))
            if root is not None:
                cfg.test_dataloader.dataset.data_root = root
            _check_entry(args, name, config, cfg, checkpoint, variant)
            entries.append((name, config, cfg, checkpoint))
        plans.append((variant, out_dir, root, entries))
    return plans


def compare(args, out_dir: str, entries: List[tuple],
            data_root: Optional[str] = None):
    """Evaluate the planned methods (:func:`plan_comparisons`; on
    ``data_root`` when given) and write their comparison and grid into
    ``out_dir``."""
    from ssgn_plugin.evaluation.comparison import (evaluate_checkpoint,
                                                   write_comparison)
    from ssgn_plugin.visualization import render_comparison_grid
    results = []
    for name, config, cfg, checkpoint in entries:
        with config_errors(config, args.cfg_options):
            results.append(evaluate_checkpoint(cfg, checkpoint, name,
                                               num_keep=args.grid_rows,
                                               verbose=args.verbose))
        print(f'{name}: ' + ', '.join(
            f'{k} {v:.4f}' for k, v in results[-1].metrics.items()))
    title = args.title if data_root is None else \
        f'{args.title} ({data_root})'
    stem, grid_name = comparison_files(args.out_name)
    paths = write_comparison(results, out_dir, title=title, stem=stem)
    grid = osp.join(out_dir, grid_name)
    render_comparison_grid(results, grid, max_rows=args.grid_rows)
    print(f'wrote {", ".join(paths.values())} and {grid}')
    return results


def compare_variants(args, plans: List[tuple]):
    """``--compare`` on each ``--variants`` test set (planned by
    :func:`plan_comparisons`), then one table and one grid over them."""
    from ssgn_plugin.evaluation.comparison import write_variant_comparison
    from ssgn_plugin.visualization import render_variant_grid
    scored = {}
    for name, out_dir, root, entries in plans:
        print(f'== {name}: {root}')
        scored[name] = compare(args, out_dir, entries, root)
    paths = write_variant_comparison(scored, args.out_dir, title=args.title,
                                     note='Test sets: ' + ', '.join(
                                         f'{name} `{root}`'
                                         for name, _, root, _ in plans) + '.')
    grid = osp.join(args.out_dir, 'variants_grid.png')
    render_variant_grid(scored, grid)
    with open(paths['md']) as f:
        print('\n' + f.read())
    print(f'wrote {", ".join(paths.values())} and {grid}')
    return scored


def cli() -> int:
    return run_cli(main)
