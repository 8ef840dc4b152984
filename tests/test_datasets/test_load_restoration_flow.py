import numpy as np
import pytest

from ssgn_plugin.datasets.flow_files import read_flow, write_flow
from ssgn_plugin.datasets.transforms import LoadRestorationFlow
from ssgn_plugin.utils import InputError


def test_loads_flow_and_validity(tmp_path):
    flow = np.random.default_rng(0).normal(size=(5, 7, 2)).astype(np.float32)
    valid = np.ones((5, 7), bool)
    valid[0, 0] = False
    write_flow(str(tmp_path), 's0', flow, valid)
    out = LoadRestorationFlow()(dict(
        flow_path=str(tmp_path / 'flow' / 's0.npy'),
        flow_valid_path=str(tmp_path / 'flow_valid' / 's0.png'),
        img=np.zeros((5, 7, 3), np.uint8)))
    assert out['gt_flow'].dtype == np.float32
    assert np.allclose(out['gt_flow'], flow, atol=2e-3)  # float16 on disk
    assert out['gt_flow_valid'].shape == (5, 7, 1)
    assert out['gt_flow_valid'][0, 0, 0] == 0 and out['gt_flow_valid'].sum(
    ) == 34


def test_bad_flow_files_are_named(tmp_path):
    bad = tmp_path / 'bad.npy'
    bad.write_bytes(b'not a numpy file')
    with pytest.raises(InputError, match='bad.npy'):
        read_flow(str(bad))
    wrong = tmp_path / 'wrong.npy'
    np.save(wrong, np.zeros((4, 4, 3), np.float16))
    with pytest.raises(InputError, match='H x W x 2'):
        read_flow(str(wrong))
    ok = tmp_path / 'ok.npy'
    np.save(ok, np.zeros((4, 4, 2), np.float16))
    with pytest.raises(InputError, match='the image 5x4'):
        LoadRestorationFlow()(dict(flow_path=str(ok),
                                   img=np.zeros((4, 5, 3), np.uint8)))
