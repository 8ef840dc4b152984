"""Silence the known noise of third-party packages where it starts, and
nothing else: each filter matches one known message of one package, so
that our own warnings and errors, and any other message of theirs, still
reach the console.
"""
import contextlib
import logging
import os
import re
import sys
import tempfile
import warnings
from typing import Iterator

# (category, message regex, module regex) of Python warnings that third-party
# packages give at every import or run of this project, about their own
# code; none says anything about the user's settings.
KNOWN_WARNINGS = (
    # diffusers 0.24 (mmagic imports it) on torch >= 2.2, at import
    (FutureWarning, r'`torch\.utils\._pytree\._register_pytree_node` is '
     r'deprecated', r'diffusers\.'),
    # mmagic's Pix2Pix passes reduce='mean' to F.l1_loss (this project's
    # code passes neither argument), at its first training step
    (UserWarning, r'size_average and reduce args will be deprecated',
     r'torch\.nn\.functional'),
)

# Warnings that MMEngine logs (on the console, too) in every run of this
# project's configs, none about anything the user can or should change:
# our metrics keep their plain names (a prefix would rename every score),
# MMEngine's own CheckpointHook uses its deprecated FileClient, and the
# configs train at a constant learning rate (no parameter scheduler).
KNOWN_LOG_MESSAGES = tuple(re.compile(p) for p in (
    r'The prefix is not set in metric class \w+\.$',
    r'"FileClient" will be deprecated in future\.',
    r'"HardDiskBackend" is the alias of "LocalBackend"',
    r'`save_param_scheduler` is True but `self\.param_schedulers` is None',
))

# Lines that MediaPipe's native code (TensorFlow Lite, absl) writes straight
# to file descriptor 2 when a graph starts, whatever GLOG_minloglevel or
# TF_CPP_MIN_LOG_LEVEL say (mediapipe 0.10.21 logs through absl before
# absl::InitializeLog, which Python cannot call).
KNOWN_NATIVE_LINES = tuple(re.compile(p) for p in (
    r'INFO: Created TensorFlow Lite XNNPACK delegate for CPU\.$',
    r'WARNING: All log messages before absl::InitializeLog\(\) is called '
    r'are written to STDERR$',
    r'[IW]\d{4} [\d:. ]+\d+ inference_feedback_manager\.cc:\d+\] Feedback '
    r'manager requires a model with a single signature inference\. '
    r'Disabling support for feedback tensors\.$',
    r'[IW]\d{4} [\d:. ]+\d+ landmark_projection_calculator\.cc:\d+\] Using '
    r'NORM_RECT without IMAGE_DIMENSIONS is only supported for the square '
    r'ROI\.',
))


def filter_known_warnings() -> None:
    """Ignore the :data:`KNOWN_WARNINGS` (the filters go first, so that a
    later ``warnings.simplefilter('always')`` of a caller still wins)."""
    for category, message, module in KNOWN_WARNINGS:
        warnings.filterwarnings('ignore', message=message, category=category,
                                module=module)


class KnownLogNoise(logging.Filter):
    """Drops the :data:`KNOWN_LOG_MESSAGES` from a logging handler (the
    console's: the log file keeps them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(p.match(message) for p in KNOWN_LOG_MESSAGES)


def is_known_native_line(line: str) -> bool:
    return any(p.match(line.strip()) for p in KNOWN_NATIVE_LINES)


@contextlib.contextmanager
def native_noise_filtered() -> Iterator[None]:
    """Run a block with file descriptor 2 going to a temporary file, then
    write what it got back to stderr without the
    :data:`KNOWN_NATIVE_LINES`. For the first image a MediaPipe graph
    processes, when its native code logs how it set itself up; everything
    else written meanwhile (a Python warning, an error of the native code)
    still comes out, after the block."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        # no file descriptor 2 to redirect: nothing can be filtered
        yield
        return
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            try:
                sys.stderr.flush()
            except (OSError, ValueError):
                pass
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            text = caught.read().decode('utf-8', 'replace')
            kept = ''.join(line for line in text.splitlines(keepends=True)
                           if not is_known_native_line(line))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()
