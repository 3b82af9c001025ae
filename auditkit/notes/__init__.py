"""Reading clinical notes the way clinical NLP does, for the checks that need it.

One reader, shared by the documentation checks (DOC003–DOC005) and SPC003:

- :mod:`auditkit.notes.text` — sentences and sections of a note;
- :mod:`auditkit.notes.context` — negation, temporality and experiencer of a condition
  mention (NegEx/ConText-style triggers with direction and scope);
- :mod:`auditkit.notes.evidence` — where a note mentions the condition of an ICD-10-CM
  code, and the reader's judgment of each mention;
- :mod:`auditkit.notes.visit_level` — documented total time and MDM level (E/M checks);
- :mod:`auditkit.notes.table` — the input of ``auditkit notes assess``;
- :mod:`auditkit.notes.sides` / :mod:`auditkit.notes.vocabulary` — the side (left, right,
  bilateral) a note documents for a condition (SPC003).

How it works and how well: docs/note-reading.md.

Nothing heavy is imported here: ``import auditkit`` stays cheap.
"""
