"""What an import reports back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportSummary:
    """What an import wrote; ``lines`` counts claim lines, ``seconds`` the wall time."""

    batch_id: int
    lines: int
    encounters: int
    notes: int
    replaced_encounters: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
