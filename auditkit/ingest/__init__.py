"""Importers: validated, all-or-nothing loading of the user's files into the database."""

from auditkit.ingest.claims import ImportSummary, import_claims

__all__ = ["ImportSummary", "import_claims"]
