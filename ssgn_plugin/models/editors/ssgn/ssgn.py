from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmagic.models.utils import set_requires_grad
from mmagic.registry import MODELS
from mmagic.structures import DataSample
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict
from torch import Tensor, nn

from ssgn_plugin.models.base_models import BaseDedistortionModel
from ssgn_plugin.models.flow import (close_gate, compose_flow_output,
                                     resize_flow)
from ssgn_plugin.utils import InputError
from .scale_pyramid import downscale
from .ssgn_discriminators import DISCRIMINATOR_NAMES

# What each data-sample field is for, to name it when it is missing.
_FIELDS = dict(
    gt_img='the original image (the ground truth)',
    gt_edge="the edges of the original (load the 'edge' map)",
    keypoint_heatmap="the key-point heatmap (load 'keypoint_heatmap')",
    contour_heatmap="the contour heatmap (load 'contour_heatmap')",
    distortion_levels="the distortion levels (load 'distortion_matrix')",
    gt_flow="the ground-truth restoration flow (load 'flow' with "
    'LoadRestorationFlow, or draw warps with RandomRetouchWarp)')


def _unwrap(module: nn.Module) -> nn.Module:
    """The module inside a (distributed) model wrapper."""
    return module.module if is_model_wrapper(module) else module


def _to_size(tensor: Tensor, size, mode: str) -> Tensor:
    """A (..., H, W) tensor of a data sample at ``size`` (area or nearest,
    as :func:`downscale`), in its own dtype."""
    shape = tensor.shape
    flat = tensor.reshape(-1, 1, *shape[-2:]).float()
    out = F.interpolate(flat, size=tuple(size), mode=mode)
    return out.reshape(*shape[:-2], *size).to(tensor.dtype)


def _resize(tensor: Tensor, size) -> Tensor:
    if tuple(tensor.shape[-2:]) == tuple(size):
        return tensor
    return F.interpolate(tensor, size=size, mode='bilinear',
                         align_corners=False)


@MODELS.register_module()
class SSGN(BaseDedistortionModel):
    """SSGN: stacked semantically-guided learning for image de-distortion
    (Fu et al., ACM MM 2021).

    A generator (:class:`SSGNGenerator`, 1-4 active stacks) restores the
    distorted image at every active scale; four discriminators shared by
    all scales judge its outputs: global D^G, local D^L (random patches),
    key-point D^K and contour D^C (:mod:`.ssgn_discriminators`). The
    generator minimises L_G = L_GG + L_GL + L_GS + L_GD (eq. 12,
    :class:`SSGNGeneratorLoss`); each discriminator its least-squares loss,
    summed over the active scales.

    Training data (after :class:`DedistortionDataPreprocessor`): ``inputs``
    (N, 6, H, W), the x1 tensors; the model makes every scale's x^s, y^s,
    e^s, k^s, c^s by area interpolation and the levels by nearest.

    Inference (:meth:`forward_tensor`, ``val_step``/``test_step`` through
    :meth:`predict`): ``pred_img`` is the largest active scale's image and
    ``pred_edge`` its edges, interpolated to the input size (the paper
    unifies the outputs to the largest scale); with
    ``test_cfg=dict(all_scales=True)`` also ``pred_img_x8``,
    ``pred_edge_x8``, ... for every active scale. Any image size works:
    inputs are padded to the generator's ``size_divisor`` (and
    ``min_size``) and cropped back.

    Args:
        generator (dict): Config of the generator.
        global_discriminator, local_discriminator, keypoint_discriminator,
            contour_discriminator (dict): Configs of the discriminators;
            their ``in_channels`` must be the generator's in_channels +
            out_channels (x^s and an image, concatenated).
        generator_loss (dict): Config of L_G with its schedule.
        discriminator_loss (dict): Config of the discriminators' loss.
        flow_loss (dict, optional): With a flow generator
            (``output='flow'``): the :class:`FlowRestorationLoss` added to
            L_G at every active scale, against the ground-truth restoration
            flow at that scale (``gt_flow``: load the dataset's ``flow``).
        objective (str): ``'paper'``: L_G of eq. 12 (plus the flow loss,
            if any) against the four discriminators. ``'flow'`` (flow
            generators only): the flow loss alone, no discriminator step; a
            fraction of the step's cost, for a restorer whose output is the
            input's own pixels moved (the released model).
        test_cfg (dict, optional): ``all_scales`` (bool);
            ``gate_threshold`` (float, flow generators): at inference a
            gate below it is closed, so those pixels are the input's.
        data_preprocessor (dict, optional): Defaults to
            ``DedistortionDataPreprocessor``.

    Optimizers: one per attribute, ``generator`` and the four
    discriminator names, as a ``MultiOptimWrapperConstructor`` config lists
    them.
    """

    def __init__(self,
                 generator: dict,
                 global_discriminator: dict,
                 local_discriminator: dict,
                 keypoint_discriminator: dict,
                 contour_discriminator: dict,
                 generator_loss: dict = dict(type='SSGNGeneratorLoss'),
                 discriminator_loss: dict = dict(
                     type='LeastSquaresDiscriminatorLoss'),
                 flow_loss: Optional[dict] = None,
                 objective: str = 'paper',
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.generator = MODELS.build(generator)
        self.size_divisor = self.generator.size_divisor
        configs = dict(global_discriminator=global_discriminator,
                       local_discriminator=local_discriminator,
                       keypoint_discriminator=keypoint_discriminator,
                       contour_discriminator=contour_discriminator)
        expected = self.generator.in_channels + self.generator.out_channels
        for name in DISCRIMINATOR_NAMES:
            disc = MODELS.build(configs[name])
            if disc.in_channels != expected:
                raise InputError(
                    f'model.{name}.in_channels must be {expected} (x^s with '
                    f'{self.generator.in_channels} channels and an image '
                    f'with {self.generator.out_channels}), got '
                    f'{disc.in_channels}')
            setattr(self, name, disc)
        self.generator_loss = MODELS.build(generator_loss)
        self.discriminator_loss = MODELS.build(discriminator_loss)
        self.flow_loss = MODELS.build(flow_loss) if flow_loss else None
        if self.flow_loss is not None and not self.predicts_flow:
            raise InputError("model.flow_loss needs a flow generator "
                             "(model.generator.output='flow')")
        if objective not in ('paper', 'flow'):
            raise InputError("model.objective must be 'paper' or 'flow', got "
                             f'{objective!r}')
        if objective == 'flow' and self.flow_loss is None:
            raise InputError("model.objective='flow' needs model.flow_loss")
        self.objective = objective
        self.test_cfg = dict(test_cfg or {})

    # ---------------------------------------------------------- settings
    @property
    def _generator(self) -> nn.Module:
        return _unwrap(self.generator)

    @property
    def active_discriminators(self) -> List[str]:
        """The discriminators that L_G uses: D^K and D^C only with SGL."""
        names = ['global_discriminator', 'local_discriminator']
        if self.generator_loss.use_sgl:
            names += ['keypoint_discriminator', 'contour_discriminator']
        return names

    @property
    def loss_period(self) -> int:
        return self.generator_loss.period

    @property
    def num_loss_periods(self) -> int:
        return self.generator_loss.num_periods

    def set_loss_period(self, period: int) -> None:
        """Switch L_G to the weights and reductions of ``period``."""
        self.generator_loss.set_period(period)

    # --------------------------------------------------------- inference
    @property
    def predicts_flow(self) -> bool:
        return self._generator.output == 'flow'

    def check_size(self, inputs: Tensor) -> None:
        self._generator.check_size(inputs)

    def infer(self, inputs: Tensor) -> Dict[str, Tensor]:
        """Pad inputs smaller than the generator's ``min_size`` up to it,
        then pad to ``size_divisor`` (BaseDedistortionModel), run, crop."""
        h, w = inputs.shape[-2:]
        low = self._generator.min_size
        if h >= low and w >= low:
            return super().infer(inputs)
        pad_h, pad_w = max(0, low - h), max(0, low - w)
        mode = 'reflect' if pad_h < h and pad_w < w else 'replicate'
        padded = F.pad(inputs, (0, pad_w, 0, pad_h), mode=mode)
        return {k: v[..., :h, :w] for k, v in super().infer(padded).items()}

    def forward_tensor(self, inputs: Tensor) -> Dict[str, Tensor]:
        """``pred_img`` (N, 3, H, W) in [-1, 1] and ``pred_edge``
        (N, 1, H, W) in [0, 1] of the largest active scale, and with
        ``test_cfg['all_scales']`` ``pred_img_xS``/``pred_edge_xS`` for
        every active scale S, all interpolated to the input size (with
        ``test_cfg['score_scale'] == 'own'``: to the largest active scale's
        own size, :attr:`score_scale`)."""
        self.check_size(inputs)
        outputs = self.generator(inputs)
        size = [n // self.score_scale for n in inputs.shape[-2:]]
        largest = outputs[min(outputs)]
        results = dict(pred_img=_resize(largest.img, size),
                       pred_edge=_resize(largest.edge, size))
        if largest.flow is not None:
            # Do no harm: below test_cfg.gate_threshold the gate closes, so
            # those pixels are the input's own, exactly.
            gate = close_gate(largest.gate,
                              self.test_cfg.get('gate_threshold', 0.0))
            scale = min(outputs)
            image = downscale(inputs[:, :largest.img.shape[1]], scale)
            results.update(
                pred_img=_resize(compose_flow_output(
                    image, largest.flow, gate, largest.residual), size),
                pred_flow=resize_flow(largest.flow, size),
                pred_gate=_resize(gate, size))
        if self.test_cfg.get('all_scales', False):
            for scale, out in outputs.items():
                results[f'pred_img_x{scale}'] = _resize(out.img, size)
                results[f'pred_edge_x{scale}'] = _resize(out.edge, size)
        return results

    @property
    def score_scale(self) -> int:
        """The scale factor of the test outputs: 1 (the input's size), or
        with ``test_cfg=dict(score_scale='own')`` the largest active
        scale's, so that SSGN_xS is scored at its own resolution against
        the ground truth at that resolution (Tables 2-4): 8 for SSGN_x8."""
        own = self.test_cfg.get('score_scale', 'input')
        if own not in ('input', 'own'):
            raise InputError("SSGN test_cfg.score_scale must be 'input' or "
                             f"'own', got {own!r}")
        return self._generator.active_scales[-1] if own == 'own' else 1

    @torch.no_grad()
    def predict(self, inputs: Tensor,
                data_samples: Optional[DataSample]) -> List[DataSample]:
        """As :meth:`BaseDedistortionModel.predict`; at a
        :attr:`score_scale` S > 1 the outputs are the largest active
        scale's own (1/S of the input's size, ceil), and the sample's
        images and maps come at that size too (area; levels nearest, as the
        training targets of that scale), so metrics compare like with
        like."""
        results = super().predict(inputs, data_samples)
        scale = self.score_scale
        if scale == 1:
            return results
        h, w = inputs.shape[-2:]
        size = (-(-h // scale), -(-w // scale))
        for sample in results:
            sample.output.set_tensor_data({
                k: v[..., :size[0], :size[1]]
                for k, v in sample.output.to_dict().items()
                if isinstance(v, Tensor)})
            scaled = {}
            for key in ('gt_img', 'img', 'gt_edge', 'mask',
                        'keypoint_heatmap', 'contour_heatmap',
                        'distortion_levels', 'gt_flow', 'gt_flow_valid'):
                value = sample.get(key)
                if isinstance(value, Tensor) and value.dim() >= 2 and \
                        tuple(value.shape[-2:]) != size:
                    nearest = key in ('distortion_levels', 'gt_flow_valid')
                    scaled[key] = _to_size(value, size,
                                           'nearest' if nearest else 'area')
                    if key == 'gt_flow':  # a flow in pixels of that scale
                        scaled[key] = scaled[key] / scale
            sample.set_tensor_data(scaled)
        return results

    # ---------------------------------------------------------- training
    def scale_targets(self, inputs: Tensor,
                      samples: DataSample) -> Dict[int, Dict[str, Tensor]]:
        """Per active scale s (x8 first): ``x`` x^s (N, 6, H/s, W/s),
        ``gt`` y^s, and as the losses in use need them ``edge`` e^s,
        ``keypoint`` k^s, ``contour`` c^s (area) and ``levels`` (nearest);
        with a flow loss ``flow`` (the gt flow at scale s: area, values /s)
        and ``flow_valid`` (1 where the whole block is valid)."""
        loss = self.generator_loss
        needed = {'gt_img': 'gt'}
        if self.flow_loss is not None:
            needed.update(gt_flow='flow')
        if loss.use_sgl and self.objective == 'paper':
            needed.update(gt_edge='edge', keypoint_heatmap='keypoint',
                          contour_heatmap='contour')
        if loss.use_drl and self.objective == 'paper':
            needed.update(gt_edge='edge', distortion_levels='levels')
        for field in needed:
            if samples is None or field not in samples:
                raise InputError(f'SSGN needs {field!r} in the data samples:'
                                 f' {_FIELDS[field]}')
        targets = {}
        for scale in self._generator.active_scales:
            target = dict(x=downscale(inputs, scale))
            for field, name in needed.items():
                mode = 'nearest' if field == 'distortion_levels' else 'area'
                target[name] = downscale(samples.get(field), scale, mode)
            if 'flow' in target:
                target['flow'] = target['flow'] / scale
                valid = samples.get('gt_flow_valid')
                target['flow_valid'] = None if valid is None else (
                    downscale(valid.float(), scale) > 0.999).float()
            targets[scale] = target
        return targets

    def _scores(self, name: str, target: Dict[str, Tensor], image: Tensor,
                image_patches: Tensor) -> Tensor:
        """What discriminator ``name`` says of ``image`` at one scale."""
        disc = getattr(self, name)
        if name == 'global_discriminator':
            return disc(target['x'], image)
        if name == 'local_discriminator':
            return disc(target['x_patches'], image_patches)
        if name == 'keypoint_discriminator':
            return disc(target['x'], image, target['keypoint'])
        return disc(target['x'], image, target['contour'])

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One step: each active discriminator on (input, original) as real
        and (input, output) as fake, then the generator on L_G.

        Logs every weighted term of L_G (``loss_gg_gan``, ...), their sum
        ``loss_generator``, each discriminator's loss
        (``loss_global_discriminator``, ...) and, unweighted, the mean
        absolute error of every active scale's image (``l1_x8``, ...).
        """
        if self.objective == 'flow':
            return self._train_step_flow(data, optim_wrapper)
        for name in ['generator'] + self.active_discriminators:
            if name not in optim_wrapper:
                raise InputError(f'optim_wrapper has no {name!r} entry; SSGN '
                                 'trains the generator and each '
                                 'discriminator with its own optimizer')
        data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        self.check_size(inputs)
        targets = self.scale_targets(inputs, samples)

        # The local discriminators' patches: the same places in x^s, y^s and
        # f^s, drawn once per step for discriminator and generator alike.
        local = _unwrap(self.local_discriminator)
        corners = {}
        for scale, target in targets.items():
            h, w = target['gt'].shape[-2:]
            corners[scale] = local.sample_patches(inputs.shape[0], h, w)
            target['x_patches'] = local.crop(target['x'], *corners[scale])
            target['gt_patches'] = local.crop(target['gt'], *corners[scale])

        gen_wrapper = optim_wrapper['generator']
        with gen_wrapper.optim_context(self.generator):
            outputs = self.generator(inputs)
        fakes = {s: outputs[s].img for s in targets}
        fake_patches = {s: local.crop(fakes[s], *corners[s]) for s in targets}

        log_vars = {}
        names = self.active_discriminators
        discriminators = [getattr(self, name) for name in names]
        set_requires_grad(discriminators, True)
        for name in names:
            wrapper = optim_wrapper[name]
            with wrapper.optim_context(getattr(self, name)):
                loss_d = sum(
                    self.discriminator_loss(
                        self._scores(name, t, t['gt'], t['gt_patches']),
                        self._scores(name, t, fakes[s].detach(),
                                     fake_patches[s].detach()))
                    for s, t in targets.items())
                wrapper.update_params(loss_d)
            log_vars[f'loss_{name}'] = loss_d.detach()

        # The generator; the discriminators only judge.
        set_requires_grad(discriminators, False)
        with gen_wrapper.optim_context(self.generator):
            scales = list(targets)
            per_scale = {
                name: [self._scores(name, targets[s], fakes[s],
                                    fake_patches[s]) for s in scales]
                for name in names
            }
            sgl = self.generator_loss.use_sgl
            losses = self.generator_loss(
                global_scores=per_scale['global_discriminator'],
                fakes=[fakes[s] for s in scales],
                gts=[targets[s]['gt'] for s in scales],
                local_scores=per_scale['local_discriminator'],
                fake_patches=[fake_patches[s] for s in scales],
                gt_patches=[targets[s]['gt_patches'] for s in scales],
                num_patches=local.num_patches,
                keypoint_scores=per_scale.get('keypoint_discriminator'),
                contour_scores=per_scale.get('contour_discriminator'),
                keypoint_heatmaps=[targets[s].get('keypoint') for s in scales]
                if sgl else None,
                contour_heatmaps=[targets[s].get('contour') for s in scales]
                if sgl else None,
                fake_edges=[outputs[s].edge for s in scales],
                gt_edges=[targets[s].get('edge') for s in scales],
                levels=[targets[s].get('levels') for s in scales],
                scales=scales)
            if self.flow_loss is not None:
                for s in scales:
                    losses.update(self.flow_loss(
                        outputs[s].flow, outputs[s].gate,
                        targets[s]['flow'], targets[s]['flow_valid'],
                        output=fakes[s], gt_img=targets[s]['gt'],
                        suffix=f'_x{s}'))
            loss_g = sum(losses.values())
            gen_wrapper.update_params(loss_g)
        log_vars.update({k: v.detach() for k, v in losses.items()})
        log_vars['loss_generator'] = loss_g.detach()
        with torch.no_grad():
            for s in scales:
                log_vars[f'l1_x{s}'] = (fakes[s] - targets[s]['gt']).abs().mean()
        return log_vars

    def _train_step_flow(self, data: dict,
                         optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """``objective='flow'``: the generator alone on the flow loss of
        every active scale (no discriminator is run or updated). Logs each
        term and ``l1_x8`` ... as :meth:`train_step`."""
        data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        self.check_size(inputs)
        targets = self.scale_targets(inputs, samples)
        gen_wrapper = optim_wrapper['generator']
        with gen_wrapper.optim_context(self.generator):
            outputs = self.generator(inputs)
            losses = {}
            for s, target in targets.items():
                losses.update(self.flow_loss(
                    outputs[s].flow, outputs[s].gate, target['flow'],
                    target['flow_valid'], output=outputs[s].img,
                    gt_img=target['gt'], suffix=f'_x{s}'))
            loss_g = sum(losses.values())
            gen_wrapper.update_params(loss_g)
        log_vars = {k: v.detach() for k, v in losses.items()}
        log_vars['loss_generator'] = loss_g.detach()
        with torch.no_grad():
            for s, target in targets.items():
                log_vars[f'l1_x{s}'] = (outputs[s].img -
                                        target['gt']).abs().mean()
        return log_vars
