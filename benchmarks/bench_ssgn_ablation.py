"""Which of the SSGN fidelity changes moves what: SSGN trained stack by stack
at one budget with all of them, and again with each one undone, every stage
scored on the built-in test split at its own scale (Tables 2-4).

    python benchmarks/bench_ssgn_ablation.py [--iters 100]
        [--work-dir work_dirs/ssgn_ablation] [--variants all ungated ...]

Variants (the settings that undo one change):

- ``all``: the configs as they are;
- ``no_reference_resolution``: Table 1's weights on the 256 px sums
  (``model.generator_loss.reference_resolution=None``);
- ``ungated``: a new stack's encoder Downsample not gated at 0
  (``model.generator.gate_new_stacks=False``);
- ``patch_dg``: D^G with the PatchGAN score map instead of one pooled score
  (``model.global_discriminator.head=patch``).

The other changes cannot move this table, so they are not trained: the loss
schedule's per-process epochs (one process here), bicubic enlarging in the
crops (the CPU configs' crops only shrink: 397-512 px of the 512 px photos
to 256) and scoring each stage at its own scale, which ``all`` is scored
both ways to show.

Resumable: finished stages are skipped (tools/train_stacked.py) and each
variant's scores are kept in WORK_DIR/<variant>/. The table lands in
WORK_DIR/ablation.md and .json. About 6 minutes a variant on 2 idle cores
at 100 iterations a stage, plus 1-2 minutes of scoring.
"""
import argparse
import json
import os.path as osp
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / 'tools'))

import demo  # noqa: E402
from ssgn_plugin.utils import atomic_write_text  # noqa: E402

VARIANTS = {
    'all': [],
    'no_reference_resolution': [
        'model.generator_loss.reference_resolution=None'],
    'ungated': ['model.generator.gate_new_stacks=False'],
    'patch_dg': ['model.global_discriminator.head=patch'],
}
DO_NOTHING = 'Distorted input (do nothing)'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--iters', type=int, default=100,
                        help='iterations a stage (the demo budget: 100)')
    parser.add_argument('--work-dir', default='work_dirs/ssgn_ablation')
    parser.add_argument('--variants', nargs='+', default=list(VARIANTS),
                        choices=list(VARIANTS))
    return parser.parse_args(argv)


def scores(work, variant, options, own_scale):
    """{stage: (PSNR, PSNR inside levels >= 1, do-nothing PSNR, do-nothing
    inside)} of a trained variant, from (or into) its comparison.json."""
    out = osp.join(work, variant, 'stacks_own' if own_scale else 'stacks_256')
    table = osp.join(out, 'comparison.json')
    if not osp.isfile(table):
        stages = [f'SSGN_x{s}={config}:'
                  f'{demo.last_checkpoint(osp.join(work, variant, f"ssgn_x{s}"))}'
                  for s, config in zip(demo.SCALES, demo.STAGES)]
        extra = ['model.test_cfg.score_scale=own'] if own_scale else []
        demo.run(demo.test_cli.main, [
            '--compare', *stages, '--out-dir', out, '--title',
            f'SSGN ablation: {variant}',
            *(['--cfg-options', *options, *extra] if options or extra
              else [])])
    with open(table) as f:
        rows = json.load(f)['rows']
    result, nothing = {}, None
    for row in rows:  # each stage follows its scale's do-nothing row
        if row['Method'] == DO_NOTHING:
            nothing = row
            continue
        result[row['Method']] = (row['PSNR'], row['PSNR_distorted'],
                                 nothing['PSNR'], nothing['PSNR_distorted'])
    return result


def main(argv=None):
    args = parse_args(argv)
    work = args.work_dir
    results = {}
    for variant in args.variants:
        options = VARIANTS[variant]
        print(f'== {variant}: {" ".join(options) or "as configured"}',
              flush=True)
        demo.run(demo.stacked_cli.main, [
            *demo.STAGES, '--work-root', osp.join(work, variant),
            '--cfg-options', *demo.schedule(args.iters), *options])
        results[variant] = scores(work, variant, options, own_scale=True)
        if variant == 'all':
            results['all, scored at 256 px'] = scores(
                work, variant, options, own_scale=False)

    stages = [f'SSGN_x{s}' for s in demo.SCALES]
    first = next(iter(results.values()))
    lines = [
        f'# SSGN ablation: {args.iters} iterations a stage, built-in test '
        'split',
        '',
        'PSNR of each stage at its own scale (inside distortion levels '
        '>= 1 in brackets), and doing nothing at each scale.',
        '',
        '| variant | ' + ' | '.join(stages) + ' |',
        '|---|' + '---|' * len(stages)]
    for variant, row in results.items():
        lines.append(f'| {variant} | ' + ' | '.join(
            f'{row[s][0]:.2f} ({row[s][1]:.2f})' for s in stages) + ' |')
    lines.append('| do nothing | ' + ' | '.join(
        f'{first[s][2]:.2f} ({first[s][3]:.2f})' for s in stages) + ' |')
    if 'all, scored at 256 px' in results:
        at_256 = results['all, scored at 256 px']
        lines.append('| do nothing at 256 px | ' + ' | '.join(
            f'{at_256[s][2]:.2f} ({at_256[s][3]:.2f})' for s in stages)
            + ' |')
    text = '\n'.join(lines) + '\n'
    print(text)
    atomic_write_text(osp.join(work, 'ablation.md'), text)
    atomic_write_text(osp.join(work, 'ablation.json'), json.dumps(
        dict(iters=args.iters, results=results), indent=1) + '\n')


if __name__ == '__main__':
    main()
