"""The comparison table's do-no-harm and EPE columns (issue 12), the flows
kept for the grid, and the test evaluator that produces them."""
import json

import torch
from mmagic.structures import DataSample
from mmengine.config import Config

from ssgn_plugin.evaluation.comparison import (CollectTestOutputs,
                                               MethodResult, image_keys,
                                               write_comparison)

# What the test evaluator gives every method: the do-nothing figures
# (suffix _input) and, for flow models only, the EPE of the prediction.
DO_NOTHING = {
    'PSNR_input': 30.0, 'EPE_input': 0.4, 'EPE_warped_input': 3.0,
    'EPE_unwarped_input': 0.02, 'EPE_warped_count': 2,
    'EPE_unwarped_count': 2, 'Unchanged_unwarped_input': 1.0,
    'WorseImageShare_input': 0.0
}


def _method(name, **metrics):
    return MethodResult(name=name, metrics=dict(DO_NOTHING, **metrics),
                        params=1000, seconds_per_image=0.5)


def test_table_has_the_do_no_harm_and_epe_columns(tmp_path):
    results = [
        _method('SSGN', PSNR=22.0, Unchanged_unwarped=0.0,
                WorseImageShare=1.0),
        _method('SSGN-flow', PSNR=31.0, Unchanged_unwarped=0.995,
                WorseImageShare=0.25, EPE=0.2, EPE_warped=1.5,
                EPE_unwarped=0.01),
    ]
    paths = write_comparison(results, str(tmp_path))
    rows = json.load(open(paths['json']))['rows']
    baseline, image_model, flow_model = rows
    assert baseline['Method'].startswith('Distorted input')
    assert (baseline['EPE_warped'], baseline['EPE_unwarped']) == (3.0, 0.02)
    assert baseline['Unchanged_unwarped'] == 1.0
    assert baseline['WorseImageShare'] == 0.0
    # an image model has no EPE: blank, not zero
    assert 'EPE_warped' not in image_model and 'EPE' not in image_model
    assert image_model['Unchanged_unwarped'] == 0.0
    assert image_model['WorseImageShare'] == 1.0
    assert (flow_model['EPE_warped'], flow_model['EPE_unwarped'],
            flow_model['EPE']) == (1.5, 0.01, 0.2)
    assert flow_model['Unchanged_unwarped'] == 0.995
    assert flow_model['WorseImageShare'] == 0.25
    lines = open(paths['md']).read().splitlines()
    header = lines[2]
    for column in ('WorseImageShare ↓', 'Unchanged_unwarped ↑',
                   'EPE_warped ↓', 'EPE_unwarped ↓', 'EPE ↓'):
        assert column in header
    assert header.index('PSNR') < header.index('WorseImageShare') < \
        header.index('EPE_warped') < header.index('EPE_unwarped')
    assert '| 3.0000 | 0.0200 |' in lines[4]  # the do-nothing EPE in / out
    assert '| 1.5000 | 0.0100 |' in lines[6]
    table = '\n'.join(lines)
    assert 'warped 2' in table and '`_warped`: |gt flow| > 0.5 px' in table
    assert 'blank: the method predicts no flow' in table


def test_do_nothing_epe_without_any_flow_model(tmp_path):
    paths = write_comparison([_method('pix2pix', PSNR=26.0)], str(tmp_path))
    rows = json.load(open(paths['json']))['rows']
    assert rows[0]['EPE_warped'] == 3.0
    assert 'EPE_warped' not in rows[1]
    assert open(paths['csv']).readline().count('EPE') == 3


def test_collector_keeps_flows_for_the_grid():
    cfg = Config(dict(test_evaluator=dict(metrics=[
        dict(type='DedistortionEPE', pred_key='flow_out'),
        dict(type='DedistortionPSNR', pred_key='fake', gt_key='orig'),
    ])))
    keys = image_keys(cfg)
    assert keys == dict(pred='fake', gt='orig', input='img', flow='flow_out',
                        gt_flow='gt_flow')
    flow = torch.zeros(2, 4, 6)
    flow[0, 1, 2] = 3.0  # x of the pixel (x=2, y=1)
    sample = DataSample(metainfo=dict(key='0001'))
    sample.set_tensor_data(dict(orig=torch.zeros(3, 4, 6),
                                img=torch.zeros(3, 4, 6), gt_flow=flow))
    sample.output = DataSample()
    sample.output.set_tensor_data(dict(fake=torch.zeros(3, 4, 6),
                                       flow_out=-flow))
    collector = CollectTestOutputs(keys, num_keep=1)
    collector.before_test_iter(None, 0)
    collector.after_test_iter(None, 0, outputs=[sample])
    kept = collector.images['0001']
    assert kept['gt_flow'].shape == kept['flow'].shape == (4, 6, 2)
    assert kept['gt_flow'][1, 2, 0] == 3.0 and kept['flow'][1, 2, 0] == -3.0


def test_dataset_config_tests_every_method_with_the_new_metrics():
    base = Config.fromfile('configs/_base_/datasets/dedistortion.py')
    types = [m['type'] for m in base.test_evaluator['metrics']]
    for name in ('WorseImageShare', 'UnchangedPixelShare',
                 'DedistortionEPE'):
        assert name in types
    # pix2pix renames the image keys for the image metrics, not for EPE
    cfg = Config.fromfile(
        'configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-cpu.py')
    metrics = {m['type']: m for m in cfg.test_evaluator['metrics']}
    assert metrics['UnchangedPixelShare']['pred_key'] == 'fake_original'
    assert metrics['WorseImageShare']['gt_key'] == 'img_original'
    assert 'gt_key' not in metrics['DedistortionEPE']
    assert {'gt_flow', 'gt_flow_valid'} <= set(cfg.pix2pix_data_keys)
