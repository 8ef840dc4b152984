"""What the weights of a checkpoint cost to train: the training images they
saw, the wall time and the CPU time of their training, recorded in the
checkpoint's meta (``meta['training_cost']``) for the comparison table
(``tools/test.py --compare``) to read."""
import time
from dataclasses import asdict, dataclass
from typing import Optional, Tuple

from mmagic.registry import HOOKS
from mmengine.dist import get_world_size
from mmengine.hooks import Hook

from ssgn_plugin.utils.process_cpu_time import process_tree_cpu_seconds

META_KEY = 'training_cost'


@dataclass(frozen=True)
class TrainingCost:
    """Training images seen, and the wall and CPU seconds it took.

    Attributes:
        images (int): Training samples seen, over all processes.
        wall_seconds (float): Wall time of the training iterations (data
            loading included, validation excluded).
        cpu_seconds (float): CPU time of the training process and its
            DataLoader workers over that time, times the number of
            processes of a distributed run (each does the same work).
    """
    images: int = 0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def cpu_minutes(self) -> float:
        return self.cpu_seconds / 60

    @property
    def images_per_second(self) -> Optional[float]:
        """Training images a second of wall time (None before any)."""
        return self.images / self.wall_seconds if self.wall_seconds else None

    def __add__(self, other: 'TrainingCost') -> 'TrainingCost':
        return TrainingCost(self.images + other.images,
                            self.wall_seconds + other.wall_seconds,
                            self.cpu_seconds + other.cpu_seconds)

    @classmethod
    def from_checkpoint(cls, checkpoint: dict) -> Optional['TrainingCost']:
        """The cost a checkpoint records, or None (a checkpoint saved
        without :class:`TrainingCostHook`, exported weights)."""
        meta = checkpoint.get('meta') if isinstance(checkpoint, dict) else None
        record = meta.get(META_KEY) if isinstance(meta, dict) else None
        if not isinstance(record, dict):
            return None
        try:
            return cls(images=int(record['images']),
                       wall_seconds=float(record['wall_seconds']),
                       cpu_seconds=float(record['cpu_seconds']))
        except (KeyError, TypeError, ValueError):
            return None


def _batch_size(data_batch) -> int:
    """Samples in one process's batch: its data samples (mmagic's
    ``PackInputs`` and ``PackDedistortionInputs``), else its inputs."""
    if isinstance(data_batch, dict):
        samples = data_batch.get('data_samples')
        if samples is None:
            samples = data_batch.get('inputs')
        return len(samples) if samples is not None else 0
    return len(data_batch) if data_batch is not None else 0


@HOOKS.register_module()
class TrainingCostHook(Hook):
    """Records the training cost of the weights in every checkpoint
    (``meta['training_cost']``: images, wall_seconds, cpu_seconds; see
    :class:`TrainingCost`) and logs it when the training ends.

    The cost is that of all the training behind the weights: a resumed run
    goes on from its checkpoint's record, and a run that starts from
    another run's weights (``load_from``: each stage of SSGN's stacked
    training from the stage before) adds its own cost to that run's. Time
    spent validating is left out; time between the last checkpoint and an
    interruption is lost with the iterations it trained.

    ``tools/train.py`` adds it to every training.
    """

    # counts an iteration before CheckpointHook (VERY_LOW) saves it
    priority = 'NORMAL'

    def __init__(self) -> None:
        self.loaded = TrainingCost()  # what the loaded checkpoint records
        self.images = 0  # seen by this run
        self._start: Optional[Tuple[float, float]] = None  # (wall, cpu)
        self._validating: Optional[Tuple[float, float]] = None
        self._validated = (0.0, 0.0)  # wall and cpu seconds validating

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        self.loaded = TrainingCost.from_checkpoint(checkpoint) or \
            TrainingCost()

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        # from the first iteration on: a resumed run first skips the
        # batches its checkpoint has trained on, which is not training
        if self._start is None:
            self._start = _clocks()

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        self.images += _batch_size(data_batch) * get_world_size()

    def before_val(self, runner) -> None:
        if self._start is not None:
            self._validating = _clocks()

    def after_val(self, runner) -> None:
        if self._validating is not None:
            self._validated = _plus(self._validated,
                                    _minus(_clocks(), self._validating))
            self._validating = None

    def cost(self) -> TrainingCost:
        """The training cost of the weights now: the loaded checkpoint's
        and this run's so far."""
        if self._start is None:
            return self.loaded
        now = _clocks()
        excluded = self._validated if self._validating is None else _plus(
            self._validated, _minus(now, self._validating))
        wall, cpu = _minus(_minus(now, self._start), excluded)
        return self.loaded + TrainingCost(
            self.images, max(wall, 0.0),
            max(cpu, 0.0) * get_world_size())

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint.setdefault('meta', {})[META_KEY] = asdict(self.cost())

    def after_train(self, runner) -> None:
        cost = self.cost()
        rate = cost.images_per_second
        runner.logger.info(
            f'Training cost of these weights: {cost.images} images, '
            f'{cost.wall_seconds / 60:.1f} wall minutes, '
            f'{cost.cpu_minutes:.1f} CPU minutes' +
            (f', {rate:.3f} images a second' if rate else ''))


def _clocks() -> Tuple[float, float]:
    """(wall, CPU) seconds now."""
    return time.perf_counter(), process_tree_cpu_seconds()


def _minus(a: Tuple[float, float], b: Tuple[float, float]):
    return a[0] - b[0], a[1] - b[1]


def _plus(a: Tuple[float, float], b: Tuple[float, float]):
    return a[0] + b[0], a[1] + b[1]
