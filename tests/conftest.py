import pytest


@pytest.fixture(scope='session', autouse=True)
def mmagic_scope():
    """Build components from mmagic's registries, as configs do with
    ``default_scope = 'mmagic'``."""
    import ssgn_plugin  # noqa: F401  (registers this project's components)
    from mmengine.registry import init_default_scope
    init_default_scope('mmagic')


@pytest.fixture(scope='session')
def synthetic_pairs(tmp_path_factory):
    """A tiny DedistortionDataset folder: 6 train and 2 test pairs, 32 px."""
    from ssgn_plugin.datasets.synthetic_pairs import write_synthetic_pairs
    folder = str(tmp_path_factory.mktemp('synthetic_pairs'))
    write_synthetic_pairs(folder, num=8, size=32, seed=0, num_test=2)
    return folder
