"""Command-line entry points: ``tools/*.py`` and the ``ssgn-*`` console
scripts call the ``main`` functions here."""
