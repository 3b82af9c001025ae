"""``python -m auditkit``: the same CLI as the ``auditkit`` command."""

from auditkit.cli import main

main(prog_name="auditkit")
