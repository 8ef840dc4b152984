"""Third-party noise is silenced where it starts, and nothing else: the
known FutureWarnings at import, MediaPipe's native log lines when a graph
starts; our own warnings, and lines nobody listed, still show."""
import os
import subprocess
import sys

from helpers import REPO

from ssgn_plugin.utils.third_party_noise import (KNOWN_NATIVE_LINES,
                                                 is_known_native_line,
                                                 native_noise_filtered)


def _python(code):
    """Run ``code`` in a fresh interpreter with Python's own warning
    settings, which a user's console has."""
    return subprocess.run(
        [sys.executable, '-c', code], cwd=REPO,
        capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHONPATH=REPO))


def test_import_shows_no_known_warning_but_ours():
    proc = _python(
        'import warnings\n'
        'import ssgn_plugin\n'
        'import mmagic.models\n'
        "warnings.warn('our own FutureWarning', FutureWarning)\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert 'our own FutureWarning' in proc.stderr
    warnings = [line for line in proc.stderr.splitlines()
                if 'Warning:' in line]
    assert warnings == [line for line in warnings
                        if 'our own FutureWarning' in line]


def test_native_lines_are_dropped_and_others_pass(capfd):
    known = ('INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n'
             'W0000 00:00:1796457868.731151    5603 '
             'inference_feedback_manager.cc:114] Feedback manager requires '
             'a model with a single signature inference. Disabling support '
             'for feedback tensors.\n')
    assert all(is_known_native_line(line) for line in known.splitlines())
    with native_noise_filtered():
        os.write(2, known.encode())
        os.write(2, b'E0000 something went wrong in a graph\n')
        print('a Python warning meanwhile', file=sys.stderr)
    # (pytest captures sys.stderr apart from file descriptor 2: in any
    # order)
    assert sorted(capfd.readouterr().err.splitlines()) == [
        'E0000 something went wrong in a graph',
        'a Python warning meanwhile']


def test_mediapipe_starts_without_its_log_lines():
    """The real thing: the pose and selfie graphs' first images."""
    proc = _python(
        'import numpy as np\n'
        'from ssgn_plugin.datasets.semantic.mediapipe_person import (\n'
        '    MediaPipePersonMask, MediaPipePose)\n'
        'image = dict(img=np.zeros((64, 64, 3), np.uint8))\n'
        "MediaPipePose(on_missing='empty').transform(dict(image))\n"
        "MediaPipePersonMask(source='selfie').transform(dict(image))\n"
        "print('done')\n")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout == 'done\n'
    assert not [line for line in proc.stderr.splitlines()
                if any(p.search(line) for p in KNOWN_NATIVE_LINES)]
    # the empty image's own warning is ours: it still shows
    assert 'no person found; using empty maps' in proc.stderr
