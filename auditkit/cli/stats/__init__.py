"""``auditkit stats``: RAT-STATS-equivalent statistics on the command line.

The commands are thin: they read options and files, call the standalone ``sampling`` package
and print either RAT-STATS-like text tables or JSON (``--json``, unrounded numbers). Bad input
of any kind ends with exit code 2 and a one-line message naming the value and its place.
Each command lives in its own module; importing them registers them on the group.
"""

from auditkit.cli.stats import (  # noqa: F401 - imported to register their commands
    appraise_attribute,
    appraise_variable,
    random_numbers,
    sample_sizes,
)
from auditkit.cli.stats.base import stats

__all__ = ["stats"]
