"""An infinite training sampler that gives every photo group one share.

The built-in fit split is 59 photos in about 35 groups, and one group (the
12 frames of a studio take) holds a fifth of its pairs: a uniform sampler
spends a fifth of the training on one room and one person. This one draws a
group uniformly, then a pair of it uniformly, so a take of twelve frames
weighs what a single portrait weighs.
"""
from typing import Iterator, Optional

import torch
from mmagic.registry import DATA_SAMPLERS
from mmengine.dist import sync_random_seed
from torch.utils.data import Sampler

from .validation_split import sample_groups


@DATA_SAMPLERS.register_module()
class GroupBalancedSampler(Sampler):
    """Infinite indices of a :class:`DedistortionDataset`, each photo group
    (``photo_groups.json``; a photo without one is its own) drawn with
    the same chance. Single process, like the CPU recipes it serves.

    Args:
        dataset: A dataset with ``data_root`` and a ``key`` (sample id) in
            each data info.
        seed (int, optional): Seed of the draws (None: a synced random one).
    """

    def __init__(self, dataset, seed: Optional[int] = None) -> None:
        self.dataset = dataset
        self.seed = sync_random_seed() if seed is None else seed
        groups = sample_groups(dataset.data_root)
        keys = [dataset.get_data_info(i)['key']
                for i in range(len(dataset))]
        members = {}
        for index, key in enumerate(keys):
            members.setdefault(groups.get(key, key), []).append(index)
        # each group's pairs share one unit of weight
        weights = torch.zeros(len(keys), dtype=torch.float64)
        for indices in members.values():
            weights[indices] = 1.0 / len(indices)
        self.weights = weights / weights.sum()
        self.num_groups = len(members)

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator().manual_seed(self.seed)
        while True:
            yield from torch.multinomial(
                self.weights, len(self.weights), replacement=True,
                generator=generator).tolist()

    def __len__(self) -> int:
        return len(self.weights)

    def set_epoch(self, epoch: int) -> None:
        """Infinite: epochs do not change the draws."""
