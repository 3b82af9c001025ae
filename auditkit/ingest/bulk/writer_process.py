"""The bulk writer in a process of its own, fed record batches through a pipe.

Reading and validating keeps one core busy and writing SQLite another, but in one process
the two would take turns (the writer hands the GIL back for every row it steps, and waits
for it every time), so the writer is forked off: the importer streams it Arrow record
batches (the IPC format: a copy, no per-row pickling) and it turns them into rows and
writes. The pipe's buffer keeps the reader at most a batch or two ahead.

A side effect worth having: apsw's SQLite library then runs only in that process, never
beside the standard sqlite3 module's library in the importer (two SQLite libraries in one
process must not share a file: closing one's descriptor drops the other's locks).
"""

from __future__ import annotations

import multiprocessing
import traceback
from typing import Any

import pyarrow as pa

from auditkit.ingest.bulk.claims import Runs
from auditkit.ingest.bulk.notes import NoteRows
from auditkit.ingest.bulk.sqlite_writer import SqliteWriter
from auditkit.ingest.bulk.values import Rejected

_RUNS, _NOTES, _FINISH = b"runs", b"notes", b"finish"


class WriterGone(Exception):
    """The writer stopped early; :meth:`WriterProcess.outcome` says why."""


def _payload(batch: pa.RecordBatch) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as stream:
        stream.write_batch(batch)
    return sink.getvalue()


def _batch(payload: bytes) -> pa.RecordBatch:
    return pa.ipc.open_stream(payload).read_next_batch()


class WriterProcess:
    """A forked :class:`~auditkit.ingest.bulk.sqlite_writer.SqliteWriter` for ``database``."""

    def __init__(self, database: str, source_name: str) -> None:
        context = multiprocessing.get_context("fork")
        self.receive_outcome, send_outcome = context.Pipe(duplex=False)
        receive_data, self.send_data = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_write,
            args=(database, source_name, receive_data, send_outcome, self.send_data),
            daemon=True,
        )
        self.process.start()
        receive_data.close()
        send_outcome.close()
        self._outcome: tuple[Any, ...] | None = None

    def write_claims(self, runs: Runs) -> None:
        self._send(_RUNS, *runs.to_batches())

    def write_notes(self, notes: NoteRows) -> None:
        self._send(_NOTES, notes.batch)

    def finish(self, sha256: str, lines: int) -> tuple[int, int, int]:
        """Commit; returns (batch id, encounters, notes) or raises :class:`Rejected`."""
        try:
            self.send_data.send_bytes(_FINISH)
            self.send_data.send((sha256, lines))
        except OSError:
            pass  # the writer stopped: its outcome says why
        outcome = self.outcome()
        _, batch_id, encounters, notes = outcome
        return batch_id, encounters, notes

    def outcome(self) -> tuple[Any, ...]:
        """What the writer reports (raising its refusal or failure)."""
        if self._outcome is None:
            try:
                self._outcome = self.receive_outcome.recv()
            except EOFError:
                self.process.join()
                self._outcome = (
                    "error",
                    f"the writer stopped with exit code {self.process.exitcode}",
                )
        kind = self._outcome[0]
        if kind == "declined":
            raise Rejected(self._outcome[1])
        if kind == "error":
            raise RuntimeError(f"the bulk writer failed:\n{self._outcome[1]}")
        return self._outcome

    def close(self) -> None:
        """Stop the writer (rolling back whatever it has not committed) and wait for it."""
        self.send_data.close()
        self.process.join()
        self.receive_outcome.close()

    def _send(self, kind: bytes, *batches: pa.RecordBatch) -> None:
        if self.receive_outcome.poll():  # the writer has refused already
            self.outcome()
        try:
            self.send_data.send_bytes(kind)
            for batch in batches:
                self.send_data.send_bytes(_payload(batch))
        except OSError:
            self.outcome()
            raise WriterGone from None


def _write(database: str, source_name: str, receive: Any, send: Any, parents_end: Any) -> None:
    """The writer process: batches in until ``finish``, then commit; the outcome goes back.

    It imports nothing: a forked child must not wait for the import lock, which another
    thread of the importer may have held at the fork.
    """
    parents_end.close()  # the fork copied it; were it open here, the pipe would never end
    writer = SqliteWriter(database)
    try:
        writer.begin(source_name)
        while True:
            kind = receive.recv_bytes()
            if kind == _RUNS:
                batches = [_batch(receive.recv_bytes()) for _ in range(3)]
                writer.write_claims(Runs.from_batches(*batches))
            elif kind == _NOTES:
                writer.write_notes(NoteRows(_batch(receive.recv_bytes())))
            else:
                sha256, lines = receive.recv()
                writer.finish(sha256, lines)
                send.send(("ok", writer.batch_id, writer.encounters, writer.notes))
                return
    except EOFError:
        pass  # the importer gave up: roll back
    except Rejected as reason:
        send.send(("declined", str(reason)))
    except BaseException:
        send.send(("error", traceback.format_exc()))
    finally:
        writer.close()
        send.close()
