"""The model zoo: trained models that ship inside the installed package.

Each entry is a folder ``ssgn_plugin/model_zoo/<name>/`` holding

* ``<name>.py``: the model's config, self-contained (no ``_base_``; what
  ``Config.fromfile(...).dump()`` writes);
* ``<name>.pth``: the weights, ``{'state_dict': {key: tensor}, 'meta':
  {...}}`` with floating-point tensors in float16 (loaded into the model's
  float32 parameters), read with ``torch.load(weights_only=True)`` by the
  same loader as every other checkpoint
  (:mod:`ssgn_plugin.compat.local_checkpoint_loader`);
* ``metafile.yml``: the model card, the way mmagic's configs carry theirs
  (``Models: [{Name, Config, Weights, ...}]``), with this project's fields
  ``Sha256`` (of the weights file, checked before every use),
  ``Resolution`` (the training resolution in px), ``Description`` (one
  line), ``Default`` (the model ``ssgn-restore`` uses without ``--model``),
  ``Metadata`` (training data, iterations, wall time, machine) and
  ``Results`` (scores on the built-in test split, ``Metrics`` by name).

``tools/export_zoo_model.py`` writes all three from a training run and
pins the hash (:mod:`ssgn_plugin.model_zoo.export`).
"""
import hashlib
import os
import os.path as osp
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ssgn_plugin.utils import InputError

# Folders searched for entries; the package's own folder. Tests point it
# at a temporary zoo.
ZOO_ROOTS: List[str] = [osp.dirname(osp.abspath(__file__))]
METAFILE = 'metafile.yml'
# a zoo name is a folder and file name on every system
NAME_PATTERN = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')
REINSTALL = ('reinstall ssgn_plugin (pip install --force-reinstall '
             '--no-deps ssgn_plugin), or export the model again with '
             'tools/export_zoo_model.py')


@dataclass(frozen=True)
class ZooEntry:
    """One released model.

    Attributes:
        name (str): What ``--model`` calls it (its folder's name).
        config (str): Absolute path of its self-contained config.
        weights (str): Absolute path of its fp16 weights.
        sha256 (str): Pinned SHA-256 of the weights file (hex).
        resolution (int): Training resolution in px (the person's square
            is restored at this size).
        description (str): One line.
        scores (dict): Score name -> value on the built-in test split
            (``_input`` names are the do-nothing row); empty until scored.
        default (bool): The model used when none is named.
        metadata (dict): The rest of the model card (training data,
            iterations, wall time, machine).
        metafile (str): The metafile it was read from.
    """
    name: str
    config: str
    weights: str
    sha256: str
    resolution: int
    description: str
    scores: Dict[str, float] = field(default_factory=dict)
    default: bool = False
    metadata: Dict = field(default_factory=dict)
    metafile: str = ''


def _scores(results, metafile: str) -> Dict[str, float]:
    """``Results: [{Dataset, Task, Metrics: {name: value}}]`` as one dict;
    a second dataset's names get its name as prefix."""
    scores = {}
    for i, result in enumerate(results or []):
        metrics = (result or {}).get('Metrics') or {}
        if not isinstance(metrics, dict):
            raise InputError(f'{metafile}: Results[{i}].Metrics must map '
                             'score names to numbers')
        prefix = '' if i == 0 else f'{result.get("Dataset", i)}/'
        for key, value in metrics.items():
            scores[prefix + str(key)] = value
    return scores


def read_metafile(metafile: str) -> ZooEntry:
    """The entry a zoo folder's ``metafile.yml`` describes.

    Raises:
        InputError: naming the metafile when it is unreadable or lacks a
            field.
    """
    import yaml
    folder = osp.dirname(osp.abspath(metafile))
    try:
        with open(metafile, encoding='utf-8') as f:
            card = yaml.safe_load(f)
        model, = card['Models']
        name = model['Name']
        config = osp.join(folder, model['Config'])
        weights = osp.join(folder, model['Weights'])
        sha256 = str(model['Sha256']).lower()
        resolution = int(model['Resolution'])
    except (OSError, yaml.YAMLError, TypeError, KeyError, ValueError) as e:
        what = f'no field {e}' if isinstance(e, KeyError) else \
            str(e).replace('\n', ' ')
        raise InputError(f'model zoo metafile {metafile} is unusable '
                         f'({what}); {REINSTALL}') from None
    if name != osp.basename(folder) or not NAME_PATTERN.match(name):
        raise InputError(f'model zoo metafile {metafile}: Name {name!r} must '
                         'be its folder\'s name')
    if not re.fullmatch(r'[0-9a-f]{64}', sha256):
        raise InputError(f'model zoo metafile {metafile}: Sha256 must be 64 '
                         'hex digits')
    return ZooEntry(
        name=name, config=config, weights=weights, sha256=sha256,
        resolution=resolution,
        description=' '.join(str(model.get('Description', '')).split()),
        scores=_scores(model.get('Results'), metafile),
        default=bool(model.get('Default', False)),
        metadata=dict(model.get('Metadata') or {}),
        metafile=osp.abspath(metafile))


def _entries() -> Dict[str, ZooEntry]:
    entries = {}
    for root in ZOO_ROOTS:
        if not osp.isdir(root):
            continue
        for name in sorted(os.listdir(root)):
            metafile = osp.join(root, name, METAFILE)
            if osp.isfile(metafile) and name not in entries:
                entries[name] = read_metafile(metafile)
    return entries


def list_models() -> List[str]:
    """Names of the zoo's models, sorted; empty when none is installed."""
    return sorted(_entries())


def get_model_entry(name: str) -> ZooEntry:
    """The entry called ``name``.

    Raises:
        InputError: when there is none, naming the models there are.
    """
    entries = _entries()
    if name not in entries:
        known = ', '.join(sorted(entries)) or 'none in this installation'
        raise InputError(f'--model {name}: no such model in the model zoo '
                         f'(models: {known}; ssgn-restore --list-models)')
    return entries[name]


def default_model() -> Optional[str]:
    """The model used when none is named: the one whose metafile says
    ``Default: true`` (the first by name if several do), else the only one;
    None when the zoo is empty or no default is marked among several."""
    entries = _entries()
    marked = [n for n in sorted(entries) if entries[n].default]
    if marked:
        return marked[0]
    return next(iter(entries)) if len(entries) == 1 else None


def file_sha256(path: str) -> str:
    """SHA-256 (hex) of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def verify_weights(entry: ZooEntry) -> None:
    """Check that an entry's config and weights are there and the weights'
    SHA-256 is the pinned one.

    Raises:
        InputError: one line naming the missing or damaged file and what to
            do.
    """
    for what, path in (('config', entry.config), ('weights', entry.weights)):
        if not osp.isfile(path):
            raise InputError(f'model zoo {what} of {entry.name} missing: '
                             f'{path}; {REINSTALL}')
    actual = file_sha256(entry.weights)
    if actual != entry.sha256:
        size = osp.getsize(entry.weights)
        raise InputError(
            f'model zoo weights {entry.weights} are damaged: SHA-256 '
            f'{actual[:16]}... ({size} bytes) is not the pinned '
            f'{entry.sha256[:16]}...; {REINSTALL}')


def zoo_paths(name: str) -> Tuple[str, str]:
    """(config, weights) of the zoo model ``name``, its weights verified
    (:func:`verify_weights`)."""
    entry = get_model_entry(name)
    verify_weights(entry)
    return entry.config, entry.weights
