"""Access review inputs: patients, workforce, care team and EHR access logs (contract §3).

CSV or XLSX files with an optional ``--mapping`` of column names, and FHIR R4 AuditEvent
resources (NDJSON or a JSON Bundle). Every row is validated; any problem rejects the whole
file with messages naming file, line and column, and the database stays as it was.
"""
