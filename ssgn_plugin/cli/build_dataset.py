"""Build a de-distortion dataset from a folder of photos of people, or the
built-in default from photos that ship inside registry packages."""
import argparse
import os.path as osp
from typing import List, Optional

from ssgn_plugin.datasets.dataset_variants import (TEST_VARIANTS,
                                                   variant_settings)
from ssgn_plugin.datasets.package_assets import default_cache_dir
from ssgn_plugin.datasets.warping.body_part_warp import STRENGTH_PRESETS
from .runner_setup import run_cli_interruptible

BUILTIN_PHOTOS = 'data/builtin_photos'
BUILTIN_DATASET = 'data/builtin'
# The built-in default: small enough for a CPU, fixed seed and split; 3
# warps a photo (training can draw fresh warps on the fly) keep the build
# of its ~80 photos near 4 minutes with 2 workers.
BUILTIN_SETTINGS = dict(warps_per_photo=3, size=512, preset='moderate',
                        seed=0, test_fraction=0.25)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('photos', nargs='?',
                        help='folder of photos (jpg, png, webp, bmp, tif); '
                        'searched recursively')
    parser.add_argument('out', nargs='?', help='output dataset folder')
    parser.add_argument(
        '--builtin', action='store_true',
        help=f'gather the built-in photos into {BUILTIN_PHOTOS} and build '
        f'{BUILTIN_DATASET} with fixed settings (other options ignored, but '
        f'--size N other than 512 builds {BUILTIN_DATASET}-N, as the 1024 px '
        'configs read it, --variant and --workers)')
    parser.add_argument(
        '--variant', choices=list(TEST_VARIANTS),
        help='build a test variant: the test split alone, its distorted '
        'photos saved as JPEG at quality 75 (jpeg75), shrunk to a quarter of '
        'the side and back (half: half of the 256 px the models see), in a '
        '256-colour dithered palette (palette256), or warped by the skeleton '
        'family held out from training (skeleton); with --builtin into '
        f'{BUILTIN_DATASET}_VARIANT')
    parser.add_argument('--warps', type=int, default=4,
                        help='distorted samples per photo')
    parser.add_argument(
        '--fit-warps', type=int, default=None, metavar='N',
        help='distorted samples per fit photo (a train photo not pinned to '
        'val; default --warps): training draws fresh warps from the '
        'originals, so 1 stores what it needs')
    parser.add_argument(
        '--split-file', metavar='NAME_OR_JSON', default=None,
        help='a fixed split: a JSON file {photo: test|val|train} or the name '
        'of one that ships with the package (ccp: Clothing Co-Parsing, '
        'docs/datasets.md); the photos it does not name train, and '
        '--test-fraction is not used')
    parser.add_argument('--size', type=int, default=512,
                        help='side of the square samples (1024 in the paper)')
    parser.add_argument('--preset', default=None,
                        choices=list(STRENGTH_PRESETS),
                        help='warp strength (default moderate; bold: moves '
                        'of 4-5%% of the person\'s height)')
    parser.add_argument('--parts', type=float, nargs='+',
                        default=[0.5, 0.3, 0.2], metavar='P',
                        help='chances of 1, 2, 3 body parts in an MLS warp')
    parser.add_argument('--liquify-share', type=float, default=0.5,
                        help='share of warps made by liquify strokes (the '
                        'rest: MLS body-part warps)')
    parser.add_argument('--contour-sigma', type=float, default=0.025,
                        help='contour heatmap sigma as a share of the side')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--test-fraction', type=float, default=0.25,
                        help='share of photos (groups) in the test split')
    parser.add_argument('--grid', type=int, default=16,
                        help='distortion-matrix regions per side')
    parser.add_argument('--workers', type=int, default=1,
                        help='processes; 2 uses both cores of a small machine')
    parser.add_argument(
        '--cache-dir', default=default_cache_dir(),
        help='where the built-in photos\' packages are downloaded once '
        '(default $SSGN_CACHE_DIR/downloads, ~/.cache/ssgn_plugin/downloads)')
    parser.add_argument(
        '--add-flow', metavar='OUT',
        help='add the restoration flow (flow/, flow_valid/, original_mask/) '
        'to an existing build OUT from its warp records, resumably; nothing '
        'else is built')
    args = parser.parse_args(argv)
    if not args.builtin and not args.add_flow and not (args.photos and
                                                       args.out):
        parser.error('give PHOTOS and OUT, --builtin or --add-flow OUT')
    if args.add_flow and args.variant:
        parser.error('--variant builds a dataset; --add-flow adds to one')
    if args.variant and args.preset is not None and \
            TEST_VARIANTS[args.variant].get('preset', args.preset) != \
            args.preset:
        parser.error(f'--variant {args.variant} builds at the '
                     f'{TEST_VARIANTS[args.variant]["preset"]} preset; drop '
                     f'--preset {args.preset}')
    if args.split_file is not None and args.builtin:
        parser.error('--split-file is for a folder of photos; --builtin has '
                     'its own fixed split')
    if args.preset is None:
        args.preset = 'moderate'
    return args


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    if args.add_flow:
        from ssgn_plugin.datasets.flow_files import add_flow
        counts = add_flow(args.add_flow)
        print(f"{args.add_flow}: flow added to {counts['added']} of "
              f"{counts['samples']} samples ({counts['skipped']} had it)")
        return counts
    from ssgn_plugin.datasets.dataset_builder import (BuildSettings,
                                                      build_dataset)
    if args.builtin:
        from ssgn_plugin.datasets.builtin_photos import gather_builtin_photos
        print(f'gathering the built-in photos into {BUILTIN_PHOTOS}')
        sources = gather_builtin_photos(BUILTIN_PHOTOS, args.cache_dir)
        src, out = BUILTIN_PHOTOS, BUILTIN_DATASET
        settings = BuildSettings(**BUILTIN_SETTINGS)
        if args.size != BUILTIN_SETTINGS['size']:
            out = f'{BUILTIN_DATASET}-{args.size}'
            settings.size = args.size
        provenance = dict(builtin_sources=sources)
    else:
        src, out = args.photos, args.out
        settings = BuildSettings(
            warps_per_photo=args.warps, size=args.size, preset=args.preset,
            seed=args.seed, test_fraction=args.test_fraction, grid=args.grid,
            parts_distribution=args.parts, liquify_share=args.liquify_share,
            contour_sigma_ratio=args.contour_sigma,
            fit_warps=args.fit_warps, split_file=args.split_file)
        provenance = None
    if args.variant:
        settings = variant_settings(settings, args.variant)
        if args.builtin:
            out = f'{out}_{args.variant}'
    manifest = build_dataset(src, out, settings, workers=args.workers,
                             provenance=provenance)
    counts = manifest['counts']
    ignored = (f", {counts['unsupported']} other files ignored"
               if counts['unsupported'] else '')
    val = f", {counts['val']} of them val" if counts.get('val') else ''
    print(f"{out}: {counts['samples']} samples ({counts['train']} train"
          f"{val}, {counts['test']} test) from {counts['photos_used']} of "
          f"{counts['photos']} photos; {counts['skipped']} skipped{ignored}, "
          f"reasons in {osp.join(out, 'manifest.json')}")
    if not counts['samples']:
        from ssgn_plugin.utils import InputError
        raise InputError(
            f'no usable photo in {src}: none of its {counts["photos"]} photos '
            f'gave a sample (reasons in {osp.join(out, "manifest.json")})')
    return manifest


def cli() -> int:
    # every file is written atomically and a rerun continues the build
    return run_cli_interruptible(
        main, None, 'the samples written so far are complete, rerun the '
        'same command to finish the build')
