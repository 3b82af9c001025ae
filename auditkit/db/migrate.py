"""Create or upgrade the schema with the migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


# Page size of a new SQLite database. Notes (a kilobyte or more each) are most of the bytes,
# and 16 KiB pages hold them with fewer overflow pages: a bulk import of a million claim
# lines with notes runs about 20% faster than with the default 4 KiB.
SQLITE_PAGE_SIZE = 16384


def upgrade(engine: Engine) -> str:
    """Bring the schema to the newest revision; returns that revision id."""
    if engine.dialect.name == "sqlite":
        _size_new_sqlite_pages(engine)
    config = alembic_config(engine)
    command.upgrade(config, "head")
    return ScriptDirectory.from_config(config).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head() or ""


def _size_new_sqlite_pages(engine: Engine) -> None:
    """Set the page size of a SQLite database that has no tables yet (later it is fixed)."""
    with engine.connect() as connection:
        tables = connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
        if not tables:
            connection.exec_driver_sql(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")
            connection.exec_driver_sql("VACUUM")  # writes the empty file with that size
