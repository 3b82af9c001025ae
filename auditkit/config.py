"""Settings from ``auditkit.toml``: thresholds and choices a compliance team decides once.

Looked up in order: ``--config FILE``, ``AUDITKIT_CONFIG``, ``./auditkit.toml``; missing
file = defaults. Unknown keys are refused so a typo never silently keeps a default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditkit.errors import AuditkitError

CONFIG_ENV = "AUDITKIT_CONFIG"
DEFAULT_FILE = "auditkit.toml"


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
    source: Path | None = None


def _check_keys(section: str, given: dict[str, Any], allowed: set[str], path: Path) -> None:
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise AuditkitError(f"{path}: unknown setting(s) in [{section}]: {', '.join(unknown)}")


def _scoring(raw: dict[str, Any], path: Path) -> ScoringSettings:
    _check_keys("scoring", raw, {"pass_threshold", "measure"}, path)
    threshold = raw.get("pass_threshold", 0.95)
    if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
        raise AuditkitError(f"{path}: [scoring] pass_threshold must be a number in (0, 1]")
    measure = raw.get("measure", "code")
    if measure not in ("code", "encounter"):
        raise AuditkitError(f"{path}: [scoring] measure must be 'code' or 'encounter'")
    return ScoringSettings(float(threshold), measure)


def _sampling(raw: dict[str, Any], path: Path) -> SamplingSettings:
    _check_keys("sampling", raw, {"generator", "extrapolation_basis"}, path)
    generator = raw.get("generator", "pcg64")
    if generator not in ("pcg64", "ratstats"):
        raise AuditkitError(f"{path}: [sampling] generator must be 'pcg64' or 'ratstats'")
    basis = raw.get("extrapolation_basis", "cms")
    if basis not in ("cms", "oig"):
        raise AuditkitError(f"{path}: [sampling] extrapolation_basis must be 'cms' or 'oig'")
    return SamplingSettings(generator, basis)


def load_settings(path: Path | None = None) -> Settings:
    if path is None:
        env = os.environ.get(CONFIG_ENV)
        path = Path(env) if env else Path(DEFAULT_FILE)
        if not path.exists():
            return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AuditkitError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AuditkitError(f"{path}: not valid TOML: {exc}") from None
    _check_keys("top level", raw, {"scoring", "sampling", "checks", "rules", "reports"}, path)
    checks = raw.get("checks", {})
    _check_keys("checks", checks, {"disable"}, path)
    reports = raw.get("reports", {})
    _check_keys("reports", reports, {"template_dirs"}, path)
    return Settings(
        scoring=_scoring(raw.get("scoring", {}), path),
        sampling=_sampling(raw.get("sampling", {}), path),
        disabled_rules=frozenset(checks.get("disable", [])),
        rule_parameters={key.upper(): value for key, value in raw.get("rules", {}).items()},
        template_dirs=tuple(path.parent / d for d in reports.get("template_dirs", [])),
        source=path,
    )
