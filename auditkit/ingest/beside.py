"""Reading the notes file beside the claims: in a forked process where the platform has one.

Parsing and validating is CPU work that holds the GIL, so a thread overlaps it only with the
few long SQL statements of the merge. On Linux the import therefore forks a child that reads
and validates the whole notes file on the second core while this process reads the claims,
parking the valid rows in the spill (a temporary file it inherits) until the encounters
exist, and sends back only its problems. The child never touches the database connection it
inherits and leaves through ``os._exit``, as every multiprocessing child does, so nothing of
the parent's is closed or flushed by it.

(Reading the claims in a child as well, with this process only writing the staging rows,
was tried: both cores are then busy already, and pickling the rows through a pipe ate the
gain.)

Where there is no ``fork`` (Windows) or it is not safe to use (macOS), the notes are read on
a thread while the claims are merged.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from auditkit.ingest.notes_file import read_notes
from auditkit.ingest.notes_store import NoteSink
from auditkit.ingest.problems import ProblemLog
from auditkit.ingest.tabular import Table

FORK = sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _own_problems(table: Table) -> ProblemLog:
    """A fresh problem log for a child, in place of the (copied) log of the parent."""
    problems = ProblemLog()
    table.problems = problems
    if hasattr(table.source, "problems"):
        table.source.problems = problems
    return problems


class NotesReading:
    """The reading of one notes table into ``spill``; its problems join ``problems``."""

    def __init__(self, notes: Table | None, spill: NoteSink, problems: ProblemLog) -> None:
        self.notes = notes if notes is not None and notes.usable else None
        self.spill = spill
        self.problems = problems
        self.process: Any = None
        self.receive: Any = None
        self.thread: ThreadPoolExecutor | None = None
        self.future: Future[None] | None = None

    def start_beside_claims(self) -> None:
        """Fork the reader now, if forking is the way."""
        if self.notes is None or not FORK:
            return
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_read_in_child, args=(self.notes, self.spill, send), daemon=True
        )
        self.process.start()
        send.close()

    def start_beside_merge(self) -> None:
        """Start the reader on a thread now, unless it was forked already."""
        if self.notes is None or self.process is not None:
            return
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.future = self.thread.submit(_read_into, self.notes, self.problems, self.spill)

    def finish(self) -> None:
        """Wait for the reader; its problems are in the log afterwards."""
        if self.future is not None:
            self.future.result()
        if self.process is None:
            return
        try:
            outcome = self.receive.recv()
        except EOFError:
            self.process.join()
            outcome = ("error", f"the reader stopped with exit code {self.process.exitcode}")
        finally:
            self.stop()
        if outcome[0] == "error":
            raise RuntimeError(f"reading the notes failed:\n{outcome[1]}")
        _, kept, total = outcome
        self.problems.absorb(kept, total)

    def stop(self) -> None:
        """Release the reader; a child still running (the import failed) is ended."""
        if self.thread is not None:
            self.thread.shutdown(wait=True)
            self.thread = None
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.receive.close()
            self.process = None


def _read_into(notes: Table, problems: ProblemLog, spill: NoteSink) -> None:
    spill.open()
    read_notes(notes, problems, spill)
    spill.close()


def _read_in_child(notes: Table, spill: NoteSink, send: Any) -> None:
    """The notes child: read the inherited table into the spill, send the problems."""
    problems = _own_problems(notes)
    try:
        _read_into(notes, problems, spill)
        send.send(("ok", problems.kept, problems.total))
    except BaseException:  # reported to the parent, which raises it
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()
