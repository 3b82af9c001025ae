"""auditkit's built-in check families, one package each, registered through the same hooks
as third-party plugins.

A family's rules are one module each, named for the rule (``spc001_invalid_code.py``), with
its cases in ``cases/<RULE>.toml``. :func:`family_checks` finds them: a new rule is one file
plus its cases, with no list to edit. Modules are imported when the family's checks are
asked for, not when the family is registered, so commands that need no checks stay quick.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from auditkit.rules import Check, SetCheck

RULE_MODULE = re.compile(r"^[a-z]{2,8}\d{3}_\w+$")


def family_checks(package: str) -> list[type[Check] | type[SetCheck]]:
    """The checks defined in a family package's rule modules, in module-name order."""
    path = importlib.import_module(package).__path__
    found: list[type[Check] | type[SetCheck]] = []
    for module_info in sorted(pkgutil.iter_modules(path), key=lambda info: info.name):
        if not RULE_MODULE.match(module_info.name):
            continue
        module = importlib.import_module(f"{package}.{module_info.name}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Check | SetCheck)
            and value.__module__ == module.__name__
        ]
    return found
