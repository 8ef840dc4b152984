"""--add-flow gives an existing build its restoration flow from the warp
records, resumably."""
import json

import cv2
import numpy as np
import pytest

from ssgn_plugin.cli.build_dataset import main as build_main
from ssgn_plugin.datasets.flow_files import add_flow, read_flow
from ssgn_plugin.datasets.warping import random_warp, unwarp
from ssgn_plugin.utils import InputError
from .test_warping.test_body_part_warp import stick_figure


def old_build(root, count=2):
    """A build of format 2: pairs, masks and warp records, no flow."""
    image, keypoints, mask = stick_figure()
    image = cv2.GaussianBlur(image, (0, 0), 2.0)
    (root / 'manifest.json').write_text('{}')
    for folder in ('original', 'distorted', 'mask', 'warp'):
        (root / folder).mkdir(parents=True)
    expected = {}
    for k in range(count):
        sample_id = f'p_w{k}'
        distorted, params, g = random_warp(image, keypoints, mask, k)
        warped_mask = cv2.remap(mask, g[..., 0], g[..., 1], cv2.INTER_NEAREST)
        cv2.imwrite(str(root / 'original' / f'{sample_id}.png'), image)
        cv2.imwrite(str(root / 'distorted' / f'{sample_id}.png'), distorted)
        cv2.imwrite(str(root / 'mask' / f'{sample_id}.png'), warped_mask)
        (root / 'warp' / f'{sample_id}.json').write_text(json.dumps(
            dict(id=sample_id, warp=params)))
        expected[sample_id] = (image, distorted, mask)
    return expected


def test_add_flow_writes_flows_that_undo_the_warps_and_resumes(tmp_path):
    expected = old_build(tmp_path)
    counts = build_main(['--add-flow', str(tmp_path)])
    assert counts == dict(samples=2, added=2, skipped=0)
    for sample_id, (image, distorted, mask) in expected.items():
        flow = read_flow(str(tmp_path / 'flow' / f'{sample_id}.npy'))
        moved = np.linalg.norm(flow, axis=-1) > 0.5
        assert moved.any()
        err = lambda a: np.abs(a.astype(float) - image)[moved].mean()  # noqa
        assert err(unwarp(distorted, flow)) < 0.5 * err(distorted)
        valid = cv2.imread(str(tmp_path / 'flow_valid' / f'{sample_id}.png'),
                           0)
        assert (valid == 255).mean() > 0.999
        # the original's mask, moved back from the distorted one
        original_mask = cv2.imread(
            str(tmp_path / 'original_mask' / f'{sample_id}.png'), 0)
        assert np.mean((original_mask > 127) != (mask > 127)) < 0.01
    # a rerun (an interrupted run continued) skips what is there
    (tmp_path / 'flow' / 'p_w1.npy').unlink()
    assert add_flow(str(tmp_path), progress=False) == dict(
        samples=2, added=1, skipped=1)


def test_add_flow_refuses_a_folder_that_is_not_a_build(tmp_path):
    with pytest.raises(InputError, match='not a dataset made by'):
        add_flow(str(tmp_path), progress=False)
