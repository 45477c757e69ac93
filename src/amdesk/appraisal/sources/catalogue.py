"""Imports every module of registered sources (each part of the library keeps its own module)."""

from . import activity  # noqa: F401
