"""Synthetic organisations for auditkit: claims, notes and the ground truth of known errors.

Stands alone (no auditkit import). Public entry point:
``synthetic_data.generate.generate``; command line: ``python -m synthetic_data``.
"""

__version__ = "0.1.0"
