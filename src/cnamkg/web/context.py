"""Access to the application's settings and store from a request."""

from __future__ import annotations

from flask import current_app

from cnamkg.settings import Settings
from cnamkg.store.base import Store


def settings() -> Settings:
    """The settings of the running application."""
    value: Settings = current_app.extensions["cnamkg.settings"]
    return value


def store() -> Store:
    """The store of the running application."""
    value: Store = current_app.extensions["cnamkg.store"]
    return value
