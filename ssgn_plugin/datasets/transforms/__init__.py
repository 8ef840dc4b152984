from .concat_input_maps import ConcatInputMaps
from .distortion_matrix import (DistortionMatrix, distortion_matrix,
                                expand_to_pixels, grade_regions,
                                region_psnr_ssim)
from .load_distortion_levels import LoadDistortionLevels
from .load_image_checked import LoadImageChecked
from .load_restoration_flow import LoadRestorationFlow
from .pack_dedistortion_inputs import SAMPLE_MAPS, PackDedistortionInputs
from .paired_flip import PairedFlip
from .paired_random_resized_crop import PairedRandomResizedCrop
from .paired_random_rotation import PairedRandomRotation
from .random_background_swap import RandomBackgroundSwap
from .random_input_degradation import (DEGRADATION_KINDS,
                                       RandomInputDegradation,
                                       apply_degradation)
from .random_photometric_jitter import (RandomPhotometricJitter,
                                        photometric_jitter)
from .random_retouch_warp import LoadOriginalKeypoints, RandomRetouchWarp

__all__ = [
    'ConcatInputMaps',
    'DistortionMatrix', 'distortion_matrix', 'expand_to_pixels',
    'grade_regions', 'region_psnr_ssim', 'LoadDistortionLevels',
    'LoadImageChecked', 'LoadOriginalKeypoints', 'LoadRestorationFlow',
    'PairedFlip', 'RandomRetouchWarp', 'RandomInputDegradation',
    'DEGRADATION_KINDS', 'apply_degradation',
    'PackDedistortionInputs', 'SAMPLE_MAPS', 'PairedRandomResizedCrop',
    'PairedRandomRotation', 'RandomPhotometricJitter', 'photometric_jitter',
    'RandomBackgroundSwap'
]
