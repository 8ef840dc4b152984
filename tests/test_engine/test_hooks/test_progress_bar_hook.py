"""ProgressBarHook and the quiet Runner console, on a toy model that
trains in a blink: the bar counts the iterations (from where a resumed run
starts), the validation's, and gives one line of plain scores; the console
handler of MMEngine's logger shows warnings only while its file gets
everything."""
import io
import logging
import os.path as osp

import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from torch.utils.data import Dataset

from ssgn_plugin.engine import (ProgressBarHook, QuietConsoleRunner,
                                log_file)


class _Points(Dataset):

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return dict(inputs=torch.full((2, ), float(i)),
                    data_samples=torch.tensor(float(i)))


class _Line(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(inputs).squeeze(1)
        if mode == 'loss':
            return dict(loss=((out - data_samples)**2).mean())
        return list(out)


class _Scores(BaseMetric):

    def process(self, data_batch, data_samples):
        self.results.append(len(data_samples))

    def compute_metrics(self, results):
        return dict(PSNR=21.5, PSNR_input=20.0, SSIM_distorted=0.5)


def _runner(work_dir, max_iters, stream, resume=False):
    loader = dict(dataset=_Points(), batch_size=1, num_workers=0,
                  sampler=dict(type='DefaultSampler', shuffle=False),
                  collate_fn=dict(type='default_collate'))
    return QuietConsoleRunner(
        model=_Line(), work_dir=str(work_dir), default_scope='mmagic',
        experiment_name=f'toy_{max_iters}_{resume}',
        train_dataloader=loader, val_dataloader=loader,
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.01)),
        train_cfg=dict(by_epoch=False, max_iters=max_iters,
                       val_interval=max_iters),
        val_cfg=dict(), val_evaluator=dict(type=_Scores),
        default_hooks=dict(checkpoint=dict(type='CheckpointHook',
                                           interval=max_iters),
                           logger=dict(type='LoggerHook', interval=1)),
        log_processor=dict(by_epoch=False),
        custom_hooks=[ProgressBarHook(stream=stream)], resume=resume,
        cfg=dict(toy_setting='only in the log file'))


def test_bars_count_iterations_and_validation(tmp_path, capsys):
    work = tmp_path / 'toy'
    stream = io.StringIO()
    runner = _runner(work, 3, stream)
    runner.train()
    text = stream.getvalue()
    assert 'toy train' in text and '3/3' in text
    assert 'toy val' in text
    # one line of the plain scores; the variants stay in the log file
    scores = [line for line in text.splitlines()
              if 'val at iteration' in line]
    assert len(scores) == 1 and 'PSNR 21.5' in scores[0]
    assert 'PSNR_input' not in text and 'SSIM_distorted' not in text

    # the console got neither the environment, the config, nor the
    # iterations' lines; the log file has them all
    out = capsys.readouterr().out
    assert 'toy_setting' not in out and 'Iter(train)' not in out
    with open(log_file(runner)) as f:
        log = f.read()
    assert 'System environment' in log and 'toy_setting' in log
    assert 'Iter(train) [3/3]' in log

    # a resumed run counts on from where it starts
    stream = io.StringIO()
    _runner(work, 5, stream, resume=True).train()
    text = stream.getvalue()
    assert 'toy: resumed at iteration 3' in text
    assert '3/5' in text and '5/5' in text and '0/5' not in text


def test_quiet_console_keeps_warnings_and_the_file(tmp_path, capsys):
    runner = _runner(tmp_path / 'w', 1, io.StringIO())
    runner.train()
    logger = runner.logger
    logger.warning('something is wrong')
    logger.info('an info line')
    out, err = capsys.readouterr()
    # a warning reaches the console (stderr), MMEngine's known noise (the
    # toy metric has no prefix) and info lines do not
    assert 'something is wrong' in err and 'something' not in out
    assert 'The prefix is not set' not in out + err
    assert 'an info line' not in out + err
    with open(log_file(runner)) as f:
        log = f.read()
    assert 'The prefix is not set in metric class _Scores' in log
    assert 'something is wrong' in log and 'an info line' in log

    console = [h for h in logger.handlers if type(h) is logging.StreamHandler]
    files = [h for h in logger.handlers
             if isinstance(h, logging.FileHandler)]
    assert console and all(h.level == logging.WARNING for h in console)
    assert files and all(h.level == logging.INFO for h in files)
    assert osp.dirname(log_file(runner)).startswith(str(tmp_path / 'w'))
    assert isinstance(logger, MMLogger)
