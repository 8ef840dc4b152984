class InputError(ValueError):
    """A user's input is unusable: a missing file, an empty folder, a bad
    setting.

    The command-line tools catch it and print its message as one line, so the
    message must name the file or setting and say what is wrong with it. It
    subclasses ValueError because MMEngine's registry re-raises build errors
    as ``type(e)(message)``, which a one-argument exception survives.
    """
