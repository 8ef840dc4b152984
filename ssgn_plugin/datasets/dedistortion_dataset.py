import os
import os.path as osp
from typing import List, Optional, Sequence

from mmengine.dataset import BaseDataset
from mmagic.registry import DATASETS

from ssgn_plugin.utils import InputError
from .validation_split import FIT_SPLIT, VAL_SPLIT, write_validation_split

IMG_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.webp', '.tif', '.tiff')
# Maps that are not images: the restoration flow and the warp record.
MAP_EXTENSIONS = IMG_EXTENSIONS + ('.npy', '.json')


@DATASETS.register_module()
class DedistortionDataset(BaseDataset):
    """Pairs of distorted and original photos, with their semantic maps.

    The folder layout (``tools/build_dataset.py`` writes it; a folder of your
    own pairs needs only ``distorted/`` and ``original/``)::

        data_root/
            distorted/<id>.png     model input x_i
            original/<id>.png      ground truth y_i
            <map>/<id>.png         one folder per name in ``maps``
                                   (``flow`` is .npy, ``warp`` .json)
            train.txt, test.txt    optional split files, one id per line
            fit.txt, val.txt       the train split cut into what a model
                                   trains on and what choices are made on
                                   (written on first use, see
                                   :mod:`.validation_split`)

    Each item is a dict with ``key`` (the id), ``img_path`` (distorted),
    ``gt_path`` (original) and ``<map>_path`` for every map, the keys that
    mmagic's ``LoadImageFromFile(key=...)`` reads.

    Args:
        data_root (str): The dataset folder.
        split (str, optional): Name of the split file (``'train'`` reads
            ``train.txt``). None takes every image in ``distorted/``.
        maps (Sequence[str]): Map folders to load beside the pair, e.g.
            ``('mask', 'keypoint_heatmap', 'contour_heatmap', 'edge')``.
        pipeline (list): Data transforms.
        test_mode (bool): Whether the dataset is used for testing.
    """

    METAINFO = dict(dataset_type='dedistortion', task_name='de-distortion')

    def __init__(self,
                 data_root: str,
                 split: Optional[str] = None,
                 maps: Sequence[str] = (),
                 pipeline: list = [],
                 test_mode: bool = False,
                 **kwargs):
        self.split = split
        self.maps = tuple(maps)
        super().__init__(
            data_root=data_root,
            pipeline=pipeline,
            test_mode=test_mode,
            **kwargs)

    def _find(self, folder: str, sample_id: str) -> Optional[str]:
        """Path of ``folder/<sample_id>.<ext>`` for a known extension."""
        for ext in MAP_EXTENSIONS:
            path = osp.join(self.data_root, folder, sample_id + ext)
            if osp.isfile(path):
                return path
        return None

    def _sample_ids(self) -> List[str]:
        if not osp.isdir(self.data_root):
            raise InputError(f'dataset folder not found: {self.data_root}')
        if self.split is not None:
            split_file = osp.join(self.data_root, f'{self.split}.txt')
            if self.split in (FIT_SPLIT, VAL_SPLIT) and not osp.isfile(
                    split_file):
                write_validation_split(self.data_root)
            if not osp.isfile(split_file):
                raise InputError(f'split file not found: {split_file}')
            with open(split_file, encoding='utf-8') as f:
                ids = [line.strip() for line in f if line.strip()]
            if not ids:
                raise InputError(f'split file lists no samples: {split_file}')
            return ids
        distorted = osp.join(self.data_root, 'distorted')
        if not osp.isdir(distorted):
            raise InputError(
                f'no distorted/ folder in dataset folder {self.data_root}')
        ids = sorted(
            osp.splitext(name)[0] for name in os.listdir(distorted)
            if name.lower().endswith(IMG_EXTENSIONS))
        if not ids:
            raise InputError(f'no images found in {distorted} '
                             f'(looked for {", ".join(IMG_EXTENSIONS)})')
        return ids

    def load_data_list(self) -> List[dict]:
        data_list = []
        for sample_id in self._sample_ids():
            info = dict(key=sample_id)
            for folder, key in [('distorted', 'img'), ('original', 'gt')] + [
                    (name, name) for name in self.maps
            ]:
                path = self._find(folder, sample_id)
                if path is None:
                    raise InputError(
                        f'sample {sample_id!r} has no image in '
                        f'{osp.join(self.data_root, folder)}')
                info[f'{key}_path'] = path
            data_list.append(info)
        return data_list
