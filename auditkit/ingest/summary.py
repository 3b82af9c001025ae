"""What an import reports back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Told now and then how many claim lines have been read so far.
Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    """What an import wrote; ``lines`` counts claim lines, ``seconds`` the wall time.

    ``method`` is ``bulk`` or ``general`` (see docs/importing.md); ``bulk_declined`` says
    why the bulk path was not taken, when it was tried.
    """

    batch_id: int
    lines: int
    encounters: int
    notes: int
    replaced_encounters: int
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    method: str = "general"
    bulk_declined: str | None = None
