"""Imports every module of registered sources (each part of the library keeps its own module)."""

from . import activity, clients, key_clients, planning, service  # noqa: F401
