"""Fixtures of the actions tests (defined in :mod:`actionkit`)."""

from __future__ import annotations

from actionkit import backend, client, server, settings, store, tokens

__all__ = ["backend", "client", "server", "settings", "store", "tokens"]
