from typing import Dict, Optional

import torch.nn.functional as F
from mmagic.registry import MODELS
from mmengine.optim import OptimWrapper
from torch import Tensor

from ssgn_plugin.models.base_models import BaseDedistortionModel
from ssgn_plugin.models.flow import (close_gate, compose_flow_output,
                                     resize_flow)
from ssgn_plugin.utils import InputError


@MODELS.register_module()
class FlowUNet(BaseDedistortionModel):
    """Flow-guided restoration by plain regression: a U-Net
    (:class:`FlowUNetGenerator`) predicts where each pixel came from and a
    gate, trained on the flow and the gate alone (no GAN, no image terms):
    the photo's own pixels are moved back, so nothing needs to be painted.

    The network works at ``working_size``: an input of another size (a
    built sample at 512 px, a test image) is resized to it (area), and the
    predicted flow (values scaled) and gate are resized back, so the photo
    is moved at its own resolution, as ``ssgn-restore`` moves a user's
    photo. Training batches come at the working size already.

    Args:
        generator (dict): A :class:`FlowUNetGenerator` config.
        flow_loss (dict): A :class:`FlowRestorationLoss` config.
        working_size (int, optional): Side the network runs at; None runs
            it at the input's size.
        gate_threshold (float): At inference a gate below it is closed:
            those pixels are the input's, bit for bit.
        flip_average (bool): At inference also run the mirrored input and
            average the two flows (the mirrored one mirrored back, its x
            negated) and gates: a warp's flow mirrors with the photo, the
            network's errors need not. Twice the inference time.
    """

    predicts_flow = True

    def __init__(self,
                 generator: dict,
                 flow_loss: dict = dict(type='FlowRestorationLoss',
                                        penalty='squared'),
                 working_size: Optional[int] = None,
                 gate_threshold: float = 0.5,
                 flip_average: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         size_divisor=1, init_cfg=init_cfg)
        self.generator = MODELS.build(generator)
        self.flow_loss = MODELS.build(flow_loss)
        self.working_size = working_size
        self.gate_threshold = gate_threshold
        self.flip_average = flip_average
        if working_size is None:
            self.size_divisor = self.generator.size_divisor
        elif working_size % self.generator.size_divisor:
            raise InputError(
                f'FlowUNet: working_size {working_size} is not divisible by '
                f'{self.generator.size_divisor}, which the generator needs')

    def forward_tensor(self, inputs: Tensor) -> Dict[str, Tensor]:
        """(N, C, H, W) -> ``pred_img`` (N, 3, H, W) in [-1, 1],
        ``pred_flow`` (N, 2, H, W) pixels of H, W and ``pred_gate``
        (N, 1, H, W), the gate closed below ``gate_threshold``."""
        size = tuple(inputs.shape[-2:])
        small = inputs
        if self.working_size and size != (self.working_size, ) * 2:
            small = F.interpolate(inputs, size=(self.working_size, ) * 2,
                                  mode='area')
        flow, gate = self.predict_flow(small)
        if tuple(flow.shape[-2:]) != size:
            flow = resize_flow(flow, size)
            gate = F.interpolate(gate, size=size, mode='bilinear',
                                 align_corners=False)
        # Do no harm: below the threshold the pixels are the input's own.
        gate = close_gate(gate, self.gate_threshold)
        image = inputs[:, :self.generator.image_channels]
        return dict(pred_img=compose_flow_output(image, flow, gate),
                    pred_flow=flow, pred_gate=gate)

    def predict_flow(self, inputs: Tensor):
        """The generator's (flow (N, 2, h, w), gate (N, 1, h, w)) at the
        input's size, averaged with the mirrored input's if
        ``flip_average``."""
        out = self.generator(inputs)
        if not self.flip_average:
            return out.flow, out.gate
        mirrored = self.generator(inputs.flip(-1))
        mirrored_flow = mirrored.flow.flip(-1) * mirrored.flow.new_tensor(
            [-1.0, 1.0]).view(1, 2, 1, 1)
        return ((out.flow + mirrored_flow) / 2,
                (out.gate + mirrored.gate.flip(-1)) / 2)

    def train_step(self, data: dict,
                   optim_wrapper: OptimWrapper) -> Dict[str, Tensor]:
        """One regression step: the flow and gate terms of
        :class:`FlowRestorationLoss` on a batch of (fresh) warps."""
        data = self.data_preprocessor(data, True)
        inputs, samples = data['inputs'], data['data_samples']
        if 'gt_flow' not in samples:
            raise InputError('FlowUNet needs gt_flow in the data samples '
                             "(load 'flow' with LoadRestorationFlow, or draw "
                             'warps with RandomRetouchWarp)')
        with optim_wrapper.optim_context(self):
            out = self.generator(inputs)
            losses = self.flow_loss(out.flow, out.gate, samples.gt_flow,
                                    samples.get('gt_flow_valid'))
            loss = sum(losses.values())
        optim_wrapper.update_params(loss)
        log_vars = {k: v.detach() for k, v in losses.items()}
        log_vars['loss'] = loss.detach()
        return log_vars
