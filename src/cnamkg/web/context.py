"""Access to the application's settings and store from a request."""

from __future__ import annotations

from flask import current_app

from cnamkg.query.examples import Example
from cnamkg.query.runner import QueryRunner
from cnamkg.settings import Settings
from cnamkg.store.base import Store


def settings() -> Settings:
    """The settings of the running application."""
    value: Settings = current_app.extensions["cnamkg.settings"]
    return value


def examples() -> list[Example]:
    """The example queries of the running application."""
    value: list[Example] = current_app.extensions["cnamkg.examples"]
    return value


def runner() -> QueryRunner:
    """The query runner of the running application."""
    value: QueryRunner = current_app.extensions["cnamkg.runner"]
    return value


def store() -> Store:
    """The store of the running application."""
    value: Store = current_app.extensions["cnamkg.store"]
    return value
