"""Errors a user can fix. Every message says what is wrong and what to do.

The library raises these; ``pgtext.cli`` turns them into one-line messages with
exit code 1. Anything else escaping the library is a bug and keeps its traceback.
"""


class PgtextError(Exception):
    """Base class: a problem with the user's input, files or settings."""


class InputError(PgtextError):
    """A survey export or other input table cannot be read or used."""


class CodebookError(PgtextError):
    """The codebook file is missing, malformed or inconsistent."""


class LabelsError(PgtextError):
    """A labelled training file has unknown themes, conflicts or too few examples."""


class ModelError(PgtextError):
    """A model folder is missing, incomplete or does not fit the request."""


class EmbedderError(PgtextError):
    """The embedding model cannot be found or loaded."""


class OutputError(PgtextError):
    """An output file cannot be written where the user asked."""
