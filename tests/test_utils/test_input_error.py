import pytest

from ssgn_plugin.datasets.photo_reader import PhotoReadError
from ssgn_plugin.utils import InputError


@pytest.mark.parametrize('error', [InputError, PhotoReadError])
def test_dataloader_worker_reraise_keeps_the_one_line(error):
    from torch._utils import ExceptionWrapper
    try:
        raise error('/data/x.png: not an image file, or corrupt')
    except InputError:
        wrapped = ExceptionWrapper(where='in DataLoader worker process 3')
    with pytest.raises(error) as info:
        wrapped.reraise()
    assert str(info.value) == '/data/x.png: not an image file, or corrupt'


def test_other_messages_are_kept():
    text = 'Caught nothing: a message that mentions a traceback\nsecond line'
    assert str(InputError(text)) == text
    assert InputError('a', 'b').args == ('a', 'b')
