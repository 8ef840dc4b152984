"""Person key points and mask from MediaPipe's legacy Pose solution.

The paper uses OpenPose for key points and U^2-Net for the mask; neither
ships usable weights in a package registry. mediapipe 0.10.21 ships its
pose detector, pose landmarker (33 landmarks, ``model_complexity=1``, the
only one inside the wheel) and selfie segmenter inside the wheel, so both
maps are computed offline. Landmark indices follow MediaPipe's
BlazePose topology (0 nose, 11/12 shoulders, 23/24 hips, ...; odd = left).
"""
import warnings
from typing import Dict, Optional

import numpy as np
from mmagic.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ssgn_plugin.utils import InputError
from ssgn_plugin.utils.third_party_noise import native_noise_filtered

NUM_LANDMARKS = 33


class NoPersonFound(InputError):
    """The detector found no person in an image."""


class _PoseRunner:
    """One MediaPipe Pose graph per process, created on first use (the
    graphs cannot be pickled into data-loader or builder workers)."""

    def __init__(self, min_detection_confidence: float):
        self.min_detection_confidence = min_detection_confidence
        self._pose = None

    def __call__(self, rgb: np.ndarray):
        if self._pose is None:
            import mediapipe as mp
            self._pose = mp.solutions.pose.Pose(
                static_image_mode=True,
                model_complexity=1,
                enable_segmentation=True,
                min_detection_confidence=self.min_detection_confidence)
        # the graph logs how it starts on its first image, and its landmark
        # stage once more on the first image with a person in it
        with native_noise_filtered():
            return self._pose.process(np.ascontiguousarray(rgb))

    def __getstate__(self):
        return dict(min_detection_confidence=self.min_detection_confidence,
                    _pose=None)


def _handle_missing(on_missing: str, what: str, path: Optional[str]):
    message = f'{path or "image"}: {what}'
    if on_missing == 'raise':
        raise NoPersonFound(message)
    warnings.warn(message + '; using empty maps')


@TRANSFORMS.register_module()
class MediaPipePose(BaseTransform):
    """Detect a person's 33 key points and soft mask in ``results[key]``.

    Added keys: ``keypoints`` (33, 3) float32 rows of x, y in pixels and
    visibility in [0, 1]; ``pose_segmentation`` (H, W) float32 person
    probability, which :class:`MediaPipePersonMask` turns into the mask.

    Args:
        key (str): The RGB uint8 image to look at (``img``: the distorted
            photo, as at inference).
        min_detection_confidence (float): MediaPipe's person threshold.
        on_missing (str): 'raise' a :class:`NoPersonFound`, or 'empty':
            warn and give all-invisible key points and an empty mask.
    """

    def __init__(self, key: str = 'img',
                 min_detection_confidence: float = 0.5,
                 on_missing: str = 'raise') -> None:
        if on_missing not in ('raise', 'empty'):
            raise InputError(f"MediaPipePose: on_missing must be 'raise' or "
                             f"'empty', got {on_missing!r}")
        self.key = key
        self.on_missing = on_missing
        self._run = _PoseRunner(min_detection_confidence)

    def transform(self, results: Dict) -> Dict:
        rgb = results[self.key]
        h, w = rgb.shape[:2]
        found = self._run(rgb)
        keypoints = np.zeros((NUM_LANDMARKS, 3), np.float32)
        segmentation = np.zeros((h, w), np.float32)
        if found.pose_landmarks is None:
            _handle_missing(self.on_missing, 'no person found',
                            results.get('img_path'))
        else:
            for i, mark in enumerate(found.pose_landmarks.landmark):
                keypoints[i] = (mark.x * w, mark.y * h, mark.visibility)
            if found.segmentation_mask is not None:
                segmentation = np.asarray(found.segmentation_mask, np.float32)
        results['keypoints'] = keypoints
        results['pose_segmentation'] = segmentation
        return results


@TRANSFORMS.register_module()
class MediaPipePersonMask(BaseTransform):
    """The person mask m_i: ``mask`` (H, W, 1) uint8, 255 on the person.

    Args:
        source (str): 'pose' thresholds the ``pose_segmentation`` of
            :class:`MediaPipePose` (run it first): the person alone.
            'selfie' runs MediaPipe's selfie segmenter on ``results[key]``:
            faster, but it also keeps things the person holds or leans on.
        threshold (float): Probability above which a pixel is the person.
    """

    def __init__(self, source: str = 'pose', key: str = 'img',
                 threshold: float = 0.5) -> None:
        if source not in ('pose', 'selfie'):
            raise InputError("MediaPipePersonMask: source must be 'pose' or "
                             f"'selfie', got {source!r}")
        self.source, self.key, self.threshold = source, key, threshold
        self._selfie = None

    def __getstate__(self):
        return dict(self.__dict__, _selfie=None)

    def transform(self, results: Dict) -> Dict:
        if self.source == 'pose':
            if 'pose_segmentation' not in results:
                raise KeyError('MediaPipePersonMask(source="pose") needs '
                               'MediaPipePose earlier in the pipeline')
            probability = results['pose_segmentation']
        else:
            rgb = np.ascontiguousarray(results[self.key])
            if self._selfie is None:
                import mediapipe as mp
                self._selfie = mp.solutions.selfie_segmentation.\
                    SelfieSegmentation(model_selection=0)
                # the graph starts, and logs how, on its first image
                with native_noise_filtered():
                    found = self._selfie.process(rgb)
            else:
                found = self._selfie.process(rgb)
            probability = np.asarray(found.segmentation_mask, np.float32)
        results['mask'] = np.where(probability > self.threshold, 255,
                                   0).astype(np.uint8)[..., None]
        return results
