import re

# torch's DataLoader re-raises an exception of a worker process in the main
# process as ``type(e)(text)``, the text being 'Caught <type> in DataLoader
# worker process <n>.' followed by the worker's whole traceback, whose last
# line is '<module>.<type>: <message>'.
_WORKER_TRACEBACK = re.compile(
    r'^Caught \w+ in DataLoader worker process \d+\.\n'
    r'Original Traceback \(most recent call last\):\n', re.S)


def _unwrap(message: str) -> str:
    """The worker's own message out of a DataLoader's re-raise text."""
    if not _WORKER_TRACEBACK.match(message):
        return message
    last = message.rstrip('\n').rsplit('\n', 1)[-1]
    return re.sub(r'^[\w.]+: ', '', last, count=1)


class InputError(ValueError):
    """A user's input is unusable: a missing file, an empty folder, a bad
    setting.

    The command-line tools catch it and print its message as one line, so the
    message must name the file or setting and say what is wrong with it. It
    subclasses ValueError because MMEngine's registry re-raises build errors
    as ``type(e)(message)``, which a one-argument exception survives. One
    raised in a DataLoader worker (a corrupt image in a dataset) comes back
    with the worker's traceback as its message; the traceback is dropped, so
    the message stays the one line the worker raised.
    """

    def __init__(self, *args) -> None:
        if len(args) == 1 and isinstance(args[0], str):
            args = (_unwrap(args[0]), )
        super().__init__(*args)
