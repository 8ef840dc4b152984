"""`--builtin --size 1024` builds data/builtin-1024, the folder the 1024 px
configs read, with the built-in settings at that size."""
import pytest

from ssgn_plugin.cli import build_dataset as cli


@pytest.mark.parametrize('size, out', [(512, 'data/builtin'),
                                       (1024, 'data/builtin-1024')])
def test_builtin_size_picks_the_folder(monkeypatch, size, out):
    import ssgn_plugin.datasets.builtin_photos as builtin
    import ssgn_plugin.datasets.dataset_builder as builder
    calls = {}
    monkeypatch.setattr(builtin, 'gather_builtin_photos',
                        lambda *args: dict(fake=True))

    def fake_build(src, dst, settings, **kwargs):
        calls.update(src=src, dst=dst, settings=settings)
        return dict(counts=dict(samples=1, train=1, test=0, photos_used=1,
                                photos=1, skipped=0, unsupported=0))

    monkeypatch.setattr(builder, 'build_dataset', fake_build)
    cli.main(['--builtin', '--size', str(size)])
    assert calls['dst'] == out and calls['settings'].size == size
    assert calls['settings'].warps_per_photo == \
        cli.BUILTIN_SETTINGS['warps_per_photo']


def test_1024_configs_read_the_1024_build():
    from mmengine.config import Config
    for config in ('configs/ssgn/ssgn_x8_1024px.py',
                   'configs/ssgn/ssgn_flow_x1_1024px.py',
                   'configs/pix2pix/pix2pix_unet-bn_1xb1_dedistortion-1024.py',
                   'configs/pix2pixhd/pix2pixhd_local-in_1xb1_dedistortion-1024.py',
                   'configs/bicyclegan/bicyclegan_unet-in_1xb2_dedistortion-1024.py'):
        cfg = Config.fromfile(config)
        for loader in ('train', 'val', 'test'):
            assert cfg[f'{loader}_dataloader'].dataset.data_root == \
                'data/builtin-1024', (config, loader)
