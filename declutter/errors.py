"""The errors declutter raises; every other exception is a bug."""

from __future__ import annotations


class DeclutterError(Exception):
    """Base class of every error declutter raises on purpose."""


class InputError(DeclutterError, ValueError):
    """The input cannot be read as a page (binary, undecodable, too large)."""


class ModelError(DeclutterError):
    """A model file is missing, corrupt, or does not match its manifest."""


class DocumentTimeout(DeclutterError, TimeoutError):
    """A page took longer than its time limit (``Settings.timeout``, ``--timeout``)."""


class LabelError(DeclutterError, ValueError):
    """A labelled page (``label<TAB>line``) is malformed."""
