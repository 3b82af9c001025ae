"""auditkit: healthcare coding-compliance audits, offline and reproducible.

Plugins implement hooks with ``@auditkit.hookimpl`` (see :mod:`auditkit.hookspecs`).
"""

from importlib.metadata import PackageNotFoundError, version

from auditkit.hookspecs import hookimpl

try:
    __version__ = version("auditkit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__", "hookimpl"]
