"""Settings from ``auditkit.toml``: thresholds and choices a compliance team decides once.

Looked up in order: ``--config FILE``, ``AUDITKIT_CONFIG``, ``./auditkit.toml``; missing
file = defaults. Commands announce the file in force on stderr (``auditkit/cli/common.py``),
because a settings file can name report templates and the trail key.

Every value is checked against the schema below before anything runs: unknown keys, wrong
types, out-of-range numbers, rule ids that no installed plugin provides and rule parameters
of the wrong type are refused with a message naming the file and the key, so a typo never
silently keeps a default (``disable = "SPC001"`` is refused, not read as no rule).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditkit.errors import AuditkitError

if TYPE_CHECKING:
    from auditkit.plugin_manager import CheckRegistry

CONFIG_ENV = "AUDITKIT_CONFIG"
DEFAULT_FILE = "auditkit.toml"
SECTIONS = {"scoring", "sampling", "checks", "rules", "reports", "trail"}


@dataclass(frozen=True)
class ScoringSettings:
    pass_threshold: float = 0.95
    measure: str = "code"  # "code" (code-over-code) or "encounter" (record-over-record)


@dataclass(frozen=True)
class SamplingSettings:
    generator: str = "pcg64"
    extrapolation_basis: str = "cms"  # "cms": one-sided 90% lower limit; "oig": two-sided 90%


@dataclass(frozen=True)
class Settings:
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    disabled_rules: frozenset[str] = frozenset()
    rule_parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    template_dirs: tuple[Path, ...] = ()
    trail_key_file: Path | None = None
    source: Path | None = None


def settings_file(explicit: Path | None = None) -> tuple[Path | None, str]:
    """The settings file in force and where its name came from."""
    if explicit is not None:
        return Path(explicit), "--config"
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env), f"${CONFIG_ENV}"
    local = Path(DEFAULT_FILE)
    if local.exists():
        return local, "found in the working directory"
    return None, "defaults"


class _Reader:
    """Typed access to one file's values; every complaint names the file and the key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, message: str) -> AuditkitError:
        return AuditkitError(f"{self.path}: {key} {message}")

    def table(self, raw: Mapping[str, Any], key: str, allowed: set[str] | None) -> dict[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table ([{key}]), not {_shown(value)}")
        if allowed is not None:
            unknown = sorted(set(value) - allowed)
            if unknown:
                raise self.fail(
                    key,
                    f"has unknown setting(s) {', '.join(unknown)}; known: "
                    f"{', '.join(sorted(allowed))}",
                )
        return value

    def choice(
        self, raw: Mapping[str, Any], key: str, section: str, choices: tuple[str, ...]
    ) -> str:
        value = raw.get(key, choices[0])
        if not isinstance(value, str) or value not in choices:
            raise self.fail(
                f"{section}.{key}",
                f"must be one of {', '.join(repr(c) for c in choices)}, not {_shown(value)}",
            )
        return value

    def strings(self, raw: Mapping[str, Any], key: str, section: str) -> list[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(f"{section}.{key}", f"must be a list of strings, not {_shown(value)}")
        return value


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _scoring(reader: _Reader, raw: dict[str, Any]) -> ScoringSettings:
    section = reader.table(raw, "scoring", {"pass_threshold", "measure"})
    threshold = section.get("pass_threshold", 0.95)
    # bool is an int in Python: `true` must not become a 100% threshold
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise reader.fail("scoring.pass_threshold", f"must be a number, not {_shown(threshold)}")
    if not 0 < threshold <= 1:
        raise reader.fail("scoring.pass_threshold", f"must be in (0, 1], not {threshold}")
    measure = reader.choice(section, "measure", "scoring", ("code", "encounter"))
    return ScoringSettings(float(threshold), measure)


def _sampling(reader: _Reader, raw: dict[str, Any]) -> SamplingSettings:
    section = reader.table(raw, "sampling", {"generator", "extrapolation_basis"})
    generator = reader.choice(section, "generator", "sampling", ("pcg64", "ratstats"))
    basis = reader.choice(section, "extrapolation_basis", "sampling", ("cms", "oig"))
    return SamplingSettings(generator, basis)


def _disabled_rules(
    reader: _Reader, raw: dict[str, Any], registry: CheckRegistry
) -> frozenset[str]:
    section = reader.table(raw, "checks", {"disable"})
    disabled = reader.strings(section, "disable", "checks")
    unknown = sorted({rule_id for rule_id in disabled if rule_id not in registry.rules})
    if unknown:
        raise reader.fail(
            "checks.disable", f"names rule(s) no installed plugin provides: {', '.join(unknown)}"
        )
    return frozenset(disabled)


def _parameter_matches(default: Any, value: Any) -> bool:
    """A value fits a parameter when it has its default's type (an int where a float fits)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if default is None:
        return True
    return isinstance(value, type(default))


def _rule_parameters(
    reader: _Reader, raw: dict[str, Any], registry: CheckRegistry
) -> dict[str, dict[str, Any]]:
    rules = reader.table(raw, "rules", None)
    parameters: dict[str, dict[str, Any]] = {}
    for given_id, values in rules.items():
        rule_id = given_id.upper()
        key = f"rules.{given_id}"
        if not isinstance(values, dict):
            raise reader.fail(key, f"must be a table ([{key}]), not {_shown(values)}")
        entry = registry.rules.get(rule_id)
        if entry is None:
            raise reader.fail(key, "names no installed rule")
        declared = {parameter.name: parameter for parameter in entry.rule.parameters}
        for name, value in values.items():
            parameter = declared.get(name)
            if parameter is None:
                raise reader.fail(
                    f"{key}.{name}",
                    f"is not a parameter of {rule_id} (it takes "
                    f"{', '.join(sorted(declared)) or 'none'})",
                )
            if not _parameter_matches(parameter.default, value):
                raise reader.fail(
                    f"{key}.{name}",
                    f"must be a {type(parameter.default).__name__} like the default "
                    f"{parameter.default!r}, not {_shown(value)}",
                )
        parameters[rule_id] = dict(values)
    return parameters


def _template_dirs(reader: _Reader, raw: dict[str, Any]) -> tuple[Path, ...]:
    section = reader.table(raw, "reports", {"template_dirs"})
    folders = tuple(
        reader.path.parent / d for d in reader.strings(section, "template_dirs", "reports")
    )
    for folder in folders:
        if not folder.is_dir():
            raise reader.fail("reports.template_dirs", f"names {folder}, which is not a folder")
    return folders


def _trail_key_file(reader: _Reader, raw: dict[str, Any]) -> Path | None:
    section = reader.table(raw, "trail", {"key_file"})
    value = section.get("key_file")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise reader.fail("trail.key_file", f"must be a file name, not {_shown(value)}")
    return reader.path.parent / Path(value).expanduser()


def load_settings(path: Path | None = None, registry: CheckRegistry | None = None) -> Settings:
    """Read and validate the settings file in force (defaults when there is none).

    ``registry`` (default: the installed plugins) is what rule ids are checked against.
    """
    path, _origin = settings_file(path)
    if path is None:
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuditkitError(f"{path}: config file not found") from None
    except IsADirectoryError:
        raise AuditkitError(f"{path}: is a folder, not a settings file") from None
    except PermissionError:
        raise AuditkitError(f"{path}: cannot read the settings file: permission denied") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AuditkitError(f"{path}: not valid TOML: {exc}") from None
    reader = _Reader(path)
    unknown = sorted(set(raw) - SECTIONS)
    if unknown:
        raise AuditkitError(
            f"{path}: unknown setting(s) at the top level: {', '.join(unknown)}; "
            f"known sections: {', '.join(sorted(SECTIONS))}"
        )
    if registry is None:
        from auditkit.plugin_manager import registry as installed  # plugins load lazily

        registry = installed()
    return Settings(
        scoring=_scoring(reader, raw),
        sampling=_sampling(reader, raw),
        disabled_rules=_disabled_rules(reader, raw, registry),
        rule_parameters=_rule_parameters(reader, raw, registry),
        template_dirs=_template_dirs(reader, raw),
        trail_key_file=_trail_key_file(reader, raw),
        source=path,
    )
