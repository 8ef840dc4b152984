"""FlowRestorer: a flow model runs once on the person's square at the
training resolution and the photo's own pixels move by its upsampled flow
(issue 12, item 5); and the tiled path of image models keeps its memory
bounded (issue 15, defect 21)."""
import os.path as osp
import tracemalloc
import warnings

import cv2
import numpy as np
import pytest
import torch
from mmagic.registry import MODELS
from mmengine.config import Config
from PIL import Image

from helpers import REPO

from ssgn_plugin.apis import PhotoRestorer
from ssgn_plugin.apis.flow_restorer import (BandUpsampler, FlowPlan,
                                            FlowRestorer, apply_flow)
from ssgn_plugin.datasets.dataset_builder import person_square
from ssgn_plugin.datasets.photo_reader import read_photo
from ssgn_plugin.models.base_models.base_dedistortion_model import \
    BaseDedistortionModel
from ssgn_plugin.visualization.photo_writer import write_like


class ConstantFlowStub(BaseDedistortionModel):
    """A flow model predicting one flow (dx, dy) px and one gate everywhere;
    it keeps the inputs of its last run."""
    predicts_flow = True

    def __init__(self, dx=0.0, dy=0.0, gate=0.0, **kwargs):
        super().__init__(**kwargs)
        self.dummy = torch.nn.Parameter(torch.zeros(1))
        self.dx, self.dy, self.gate = dx, dy, gate
        self.seen = None

    def forward_tensor(self, inputs):
        self.seen = inputs.clone()
        n, _, h, w = inputs.shape
        flow = inputs.new_tensor([self.dx, self.dy]).view(1, 2, 1, 1)
        return dict(pred_img=inputs[:, :3],
                    pred_flow=flow.expand(n, 2, h, w).clone(),
                    pred_gate=inputs.new_full((n, 1, h, w), self.gate))


class IdentityStub(BaseDedistortionModel):
    """An image model returning its input image, and the mask as edges."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward_tensor(self, inputs):
        return dict(pred_img=inputs[:, :3], pred_edge=inputs[:, 3:4])


MODELS.register_module(module=ConstantFlowStub, force=True)
MODELS.register_module(module=IdentityStub, force=True)

SIDE, LENGTH = 333, 517  # odd sizes: a portrait photo, W x H
R = 64  # the stub's "training resolution"


@pytest.fixture(scope='module')
def astronaut():
    """skimage's astronaut at 333 x 517 (MediaPipe finds her)."""
    from skimage import data
    return np.asarray(Image.fromarray(data.astronaut()).resize(
        (SIDE, LENGTH), Image.BICUBIC))


@pytest.fixture(scope='module')
def box(astronaut):
    """The person's square as the dataset builder cuts it."""
    from ssgn_plugin.datasets.semantic import (MediaPipePersonMask,
                                               MediaPipePose)
    found = MediaPipePersonMask()(MediaPipePose()(dict(img=astronaut)))
    left, top, side = person_square(astronaut, found['mask'], 0.1)
    assert side == SIDE and 0 < top < LENGTH - SIDE  # rows outside it
    return left, top, side


def restorer(**stub):
    return FlowRestorer(ConstantFlowStub(**stub), resolution=R)


def by_hand(pixels, box, dx, dy):
    """cv2.remap of the square by the constant flow (dx, dy) at R, scaled
    to the square's side, sampling the whole photo."""
    left, top, side = box
    scale = np.float32(side / R)
    ys, xs = np.mgrid[top:top + side, left:left + side].astype(np.float32)
    return cv2.remap(pixels, xs + np.float32(dx) * scale,
                     ys + np.float32(dy) * scale, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def test_upsampling_is_cv2_resize_in_bands():
    field = np.random.default_rng(0).normal(size=(16, 16, 3)).astype(
        np.float32)
    up = BandUpsampler(field, 77)
    bands = np.concatenate([up.rows(0, 30), up.rows(30, 31), up.rows(31, 77)])
    np.testing.assert_allclose(
        bands, cv2.resize(field, (77, 77), interpolation=cv2.INTER_LINEAR),
        atol=1e-5)


def test_zero_gate_gives_the_photo_back_bit_for_bit(astronaut, box):
    result = restorer(dx=3.0, dy=-2.0, gate=0.0).restore(astronaut)
    assert result['person_found'] and result['plan'].box == box
    np.testing.assert_array_equal(result['image'], astronaut)
    assert not result['change'].any()
    # below the threshold counts as zero
    low = restorer(dx=3.0, dy=-2.0, gate=0.04).restore(astronaut)
    np.testing.assert_array_equal(low['image'], astronaut)


def test_known_shift_moves_the_square_exactly(astronaut, box):
    dx, dy = 2.0, -1.5
    stub = restorer(dx=dx, dy=dy, gate=1.0)
    result = stub.restore(astronaut)
    left, top, side = box
    expected = astronaut.copy()
    expected[top:top + side, left:left + side] = by_hand(astronaut, box, dx,
                                                         dy)
    np.testing.assert_array_equal(result['image'], expected)
    assert (result['image'] != astronaut).any()  # it did move something
    # outside the square: untouched
    np.testing.assert_array_equal(result['image'][:top], astronaut[:top])
    np.testing.assert_array_equal(result['image'][top + side:],
                                  astronaut[top + side:])
    assert not result['change'][:top].any()
    np.testing.assert_allclose(
        result['change'],
        np.abs(result['image'].astype(np.float32) - astronaut).mean(axis=2))

    # a partial gate blends: gate * moved + (1 - gate) * photo, rounded
    half = restorer(dx=dx, dy=dy, gate=0.5).restore(astronaut)
    photo = astronaut[top:top + side].astype(np.float32)
    moved = by_hand(astronaut, box, dx, dy).astype(np.float32)
    np.testing.assert_array_equal(
        half['image'][top:top + side],
        np.clip(np.rint(photo + np.float32(0.5) * (moved - photo)), 0,
                255).astype(np.uint8))


def test_the_network_sees_the_square_as_training_data_has_it(astronaut, box):
    stub = restorer(gate=0.0)
    stub.restore(astronaut)
    seen = stub.model.seen
    assert seen.shape == (1, 6, R, R)  # RGB + mask, key points, contour
    left, top, side = box
    # the builder's square at its sample size, then the pipeline's resize
    sample = cv2.resize(astronaut[top:top + side, left:left + side],
                        (512, 512), interpolation=cv2.INTER_CUBIC)
    rgb = cv2.resize(sample, (R, R), interpolation=cv2.INTER_AREA)
    np.testing.assert_allclose(
        seen[0, :3].permute(1, 2, 0).numpy(), rgb / 127.5 - 1, atol=1e-6)
    mask = seen[0, 3]
    assert 0.1 < float((mask > 0.5).float().mean()) < 0.9  # a person
    assert 0 <= float(seen[0, 3:].min()) and float(seen[0, 3:].max()) <= 1


def test_any_dtype_and_channels_move_alike(astronaut, box):
    dx, dy = -2.5, 3.0
    plan = FlowPlan(box=box,
                    flow=np.full((R, R, 2), [dx, dy], np.float32),
                    gate=np.ones((R, R), np.float32))
    rng = np.random.default_rng(1)
    left, top, side = box
    for pixels in [
            rng.integers(0, 65536, (LENGTH, SIDE), np.uint16),  # 16-bit L
            rng.integers(0, 65536, (LENGTH, SIDE, 3), np.uint16),
            np.dstack([astronaut, rng.integers(0, 256, (LENGTH, SIDE),
                                               np.uint8)]),  # RGBA
    ]:
        moved = apply_flow(pixels, plan)
        assert moved.dtype == pixels.dtype and moved.shape == pixels.shape
        np.testing.assert_array_equal(
            moved[top:top + side], by_hand(pixels, box, dx, dy))
        np.testing.assert_array_equal(moved[:top], pixels[:top])
        np.testing.assert_array_equal(moved[top + side:],
                                      pixels[top + side:])
        shut = FlowPlan(box=box, flow=plan.flow,
                        gate=np.zeros((R, R), np.float32))
        np.testing.assert_array_equal(apply_flow(pixels, shut), pixels)


def test_16bit_and_rgba_photos_keep_their_mode(astronaut, tmp_path):
    alpha = np.tile(np.linspace(0, 255, SIDE).astype(np.uint8), (LENGTH, 1))
    gray16 = astronaut.mean(axis=2).astype(np.uint16) * 257
    Image.fromarray(np.dstack([astronaut, alpha]), 'RGBA').save(
        tmp_path / 'rgba.png')
    Image.fromarray(gray16).save(tmp_path / 'gray16.png')
    stub = restorer(dx=2.0, dy=1.0, gate=1.0)
    for name, mode in [('rgba.png', 'RGBA'), ('gray16.png', 'I;16')]:
        photo = read_photo(str(tmp_path / name))
        result = stub.restore(photo.rgb)
        out = tmp_path / 'out' / name
        out.parent.mkdir(exist_ok=True)
        write_like(str(out), result['image'], photo, source=str(tmp_path /
                                                                name))
        left, top, side = result['plan'].box
        with Image.open(tmp_path / name) as before, Image.open(out) as after:
            assert after.mode == mode and after.size == (SIDE, LENGTH)
            a, b = np.asarray(before), np.asarray(after)
        np.testing.assert_array_equal(b[:top], a[:top])
        np.testing.assert_array_equal(b[top + side:], a[top + side:])
        assert (b[top:top + side] != a[top:top + side]).any()
        if mode == 'RGBA':
            np.testing.assert_array_equal(b[..., 3], alpha)


def test_no_person_gives_the_photo_back_with_a_warning():
    noise = np.random.default_rng(0).integers(0, 255, (40, 60, 3), np.uint8)
    wall = cv2.resize(noise, (300, 200), interpolation=cv2.INTER_CUBIC)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        result = restorer(dx=5.0, gate=1.0).restore(wall, name='wall.jpg')
    assert any('wall.jpg: no person found' in str(w.message) for w in caught)
    assert not result['person_found'] and result['plan'] is None
    np.testing.assert_array_equal(result['image'], wall)
    assert result['image'] is not wall


def _config(tmp_path, model: dict, **extra):
    cfg = Config.fromfile(osp.join(REPO, 'configs/ssgn_x1.py'))
    cfg.model = model
    cfg.merge_from_dict(extra)
    config = str(tmp_path / 'stub.py')
    cfg.dump(config)
    checkpoint = str(tmp_path / 'stub.pth')
    torch.save(dict(state_dict=MODELS.build(model).state_dict(), meta={}),
               checkpoint)
    return config, checkpoint


def test_photo_restorer_runs_flow_models_at_the_training_resolution(
        astronaut, box, tmp_path):
    config, checkpoint = _config(
        tmp_path, dict(type='ConstantFlowStub', dx=2.0, dy=-1.5, gate=1.0),
        resolution=R)
    restorer = PhotoRestorer(config, checkpoint, gate_threshold=0.2)
    assert restorer.flow is not None and restorer.flow.resolution == R
    assert restorer.flow.threshold == 0.2
    result = restorer.restore(astronaut)
    assert restorer.model.seen.shape == (1, 6, R, R)  # once, not tiled
    left, top, side = box
    np.testing.assert_array_equal(result['image'][top:top + side],
                                  by_hand(astronaut, box, 2.0, -1.5))
    np.testing.assert_array_equal(result['image'][:top], astronaut[:top])


def test_tiled_image_path_stitches_exactly_in_bounded_memory(tmp_path):
    """Issue 15, defect 21: the tiles' blend used to be accumulated in
    full-size float copies (image, edges, weights, then rounding and
    clipping copies): about 50 bytes a pixel above the photo. Streamed row
    of tiles by row of tiles it is the uint8 outputs and the float32 change
    map (8 bytes a pixel) plus buffers one tile high."""
    config, checkpoint = _config(tmp_path, dict(type='IdentityStub'))
    restorer = PhotoRestorer(config, checkpoint, tile=64, overlap=16)
    h, w = 4096, 96
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (h, w, 3), np.uint8)
    mask = rng.integers(0, 256, (h, w, 1), np.uint8)
    maps = dict(mask=mask, keypoint_heatmap=np.zeros_like(mask),
                contour_heatmap=np.zeros_like(mask))
    restorer.semantic_maps = lambda rgb, name='photo': maps
    tracemalloc.start()
    try:
        result = restorer.restore(rgb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the identity, stitched from 85 x 2 overlapping tiles, is exact
    np.testing.assert_array_equal(result['image'], rgb)
    np.testing.assert_array_equal(result['edge'], mask[..., 0])
    assert not result['change'].any()
    assert peak < 12 * h * w, f'{peak / (h * w):.1f} bytes a pixel'


def test_an_untrained_ssgn_flow_gives_the_photo_back(astronaut, tmp_path):
    """The flow output's last convolutions start at zero: a freshly built
    SSGN-flow, restored through the whole path, changes no pixel."""
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')
    cfg = Config.fromfile(osp.join(REPO, 'configs/ssgn_flow_x1.py'))
    cfg.merge_from_dict({'model.generator.base_channels': 4,
                         'model.generator.down_depth': 0})
    config = str(tmp_path / 'ssgn_flow_tiny.py')
    cfg.dump(config)
    checkpoint = str(tmp_path / 'ssgn_flow_tiny.pth')
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                    meta={}), checkpoint)
    restorer = PhotoRestorer(config, checkpoint)
    assert restorer.flow is not None
    assert restorer.flow.resolution == cfg.resolution
    assert restorer.flow.threshold == cfg.model.test_cfg.gate_threshold
    result = restorer.restore(astronaut)
    assert result['person_found']
    np.testing.assert_array_equal(result['image'], astronaut)
