"""The bulk writer in a process of its own, fed record batches through a pipe.

Reading and validating keeps one core busy and writing SQLite another, but in one process
the two would take turns (the writer hands the GIL back for every row it steps, and waits
for it every time), so the writer is forked off: the importer streams it Arrow record
batches (the IPC format: a copy, no per-row pickling) and it turns them into rows and
writes. A thread on each end of the pipe moves the messages, through queues a few batches
deep, so neither side waits for the other more than it must and memory stays bounded.

A side effect worth having: apsw's SQLite library then runs only in that process, never
beside the standard sqlite3 module's library in the importer (two SQLite libraries in one
process must not share a file: closing one's descriptor drops the other's locks).
"""

from __future__ import annotations

import fcntl
import io
import json
import multiprocessing
import os
import struct
import threading
import traceback
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import fields
from queue import Full, Queue
from typing import Any

import apsw
import pyarrow as pa

from auditkit.errors import DatabaseBusy
from auditkit.ingest.bulk.ahead import prefetched
from auditkit.ingest.bulk.claims import Runs
from auditkit.ingest.bulk.notes import NoteRows
from auditkit.ingest.bulk.people import Changes
from auditkit.ingest.bulk.sqlite_writer import ENCOUNTER_ROW, ClaimRows, SqliteWriter
from auditkit.ingest.bulk.values import Rejected
from auditkit.ingest.columns import CODER_COLUMNS, LINE_COLUMNS, PATIENT_COLUMNS, PROVIDER_COLUMNS
from auditkit.ingest.names import newest

F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
PIPE_BYTES = 1 << 20  # Linux's default ceiling for an unprivileged process
_RUNS, _NOTES, _FINISH = b"r", b"n", b"f"
_FACT = ("patient_id", "patient_dob", "patient_sex")
FACTS_LIMIT = 200_000  # triples remembered; past that they are sent again (harmless)


class ClaimsOutbox:
    """Turns :class:`Runs` into what the writer needs, leaving out people it knows already.

    The work that only looks at values (taking the newest names per key, dropping rows
    that change nothing) is done here, on the reading side, which has time to spare: the
    writer is the slower of the two.
    """

    def __init__(self) -> None:
        self.patients = Changes()
        self.providers = Changes()
        self.coders = Changes()
        self.facts: set[tuple[Any, ...]] = set()  # (mrn, dob, sex) triples passed on

    def __call__(self, runs: Runs) -> ClaimRows:
        values = {
            name: runs.values(name)
            for name in {*PATIENT_COLUMNS, *PROVIDER_COLUMNS, *CODER_COLUMNS}
        }

        def batch(names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> pa.RecordBatch:
            columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
            return pa.RecordBatch.from_arrays(
                [
                    pa.array(column, runs.encounter[name].type)
                    for column, name in zip(columns, names, strict=True)
                ],
                list(names),
            )

        def people(names: tuple[str, ...], changes: Changes) -> pa.RecordBatch:
            return batch(
                names, changes(newest(zip(*(values[name] for name in names), strict=True)))
            )

        # Every distinct (mrn, dob, sex) goes to the writer, which finds a patient with two.
        if len(self.facts) > FACTS_LIMIT:
            self.facts.clear()
        facts = set(zip(*(values[name] for name in _FACT), strict=True)) - self.facts
        self.facts |= facts

        return ClaimRows(
            runs=pa.RecordBatch.from_arrays(
                [
                    pa.array(runs.keys, pa.string()),
                    *(runs.encounter[name] for name in ENCOUNTER_ROW),
                ],
                ["encounter_key", *ENCOUNTER_ROW],
            ),
            lines=pa.RecordBatch.from_arrays(
                [runs.run_of_line, *runs.line_values], ["run", *LINE_COLUMNS]
            ),
            diagnoses=pa.RecordBatch.from_arrays(
                [runs.dx_run, runs.dx_position, runs.dx_code], ["run", "position", "code"]
            ),
            patients=people(PATIENT_COLUMNS, self.patients),
            providers=people(PROVIDER_COLUMNS, self.providers),
            coders=people(CODER_COLUMNS, self.coders),
            facts=batch(_FACT, list(facts)),
        )


class WriterGone(Exception):
    """The writer stopped early; :meth:`WriterProcess.outcome` says why."""


class _Channel:
    """Messages over one end of an OS pipe: a kind, then parts each read straight into a
    buffer of its own (multiprocessing's Connection copies big messages once more)."""

    _HEADER = struct.Struct("<cI")  # kind, number of parts
    _LENGTH = struct.Struct("<Q")

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.file = io.FileIO(fd, "rb", closefd=False)

    def send(self, kind: bytes, parts: list[Any]) -> None:
        self._write(self._HEADER.pack(kind, len(parts)))
        for part in parts:
            view = memoryview(part).cast("B")
            self._write(self._LENGTH.pack(len(view)))
            self._write(view)

    def receive(self) -> tuple[bytes, list[bytearray]]:
        kind, count = self._HEADER.unpack(self._read(self._HEADER.size))
        parts = []
        for _ in range(count):
            (length,) = self._LENGTH.unpack(self._read(self._LENGTH.size))
            parts.append(self._read(length))
        return kind, parts

    def close(self) -> None:
        os.close(self.fd)

    def _write(self, data: Any) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view) :]

    def _read(self, length: int) -> bytearray:
        buffer = bytearray(length)
        view = memoryview(buffer)
        while view:
            got = self.file.readinto(view)
            if not got:
                raise EOFError
            view = view[got:]
        return buffer


class _Sender:
    """Writes messages into the pipe on a thread, a few behind the importer.

    The pipe holds 1 MiB, less than a batch; with the messages queued here the importer
    goes on checking the next batch while this thread waits for the writer to read.
    """

    def __init__(self, channel: _Channel, depth: int = 3) -> None:
        self.channel = channel
        self.queue: Queue[tuple[bytes, list[Any]] | None] = Queue(maxsize=depth)
        self.thread = threading.Thread(target=self._run, name="auditkit-bulk-send", daemon=True)
        self.thread.start()

    def send(self, kind: bytes, parts: list[Any]) -> bool:
        """Queue a message; False if the pipe broke (the writer stopped)."""
        while self.thread.is_alive():
            with suppress(Full):
                self.queue.put((kind, parts), timeout=0.1)
                return True
        return False

    def stop(self) -> None:
        """Send what is queued, then end the thread (at once if the pipe broke)."""
        while self.thread.is_alive():
            with suppress(Full):
                self.queue.put(None, timeout=0.1)
                break
        self.thread.join()

    def _run(self) -> None:
        with suppress(OSError):  # a broken pipe: the writer stopped, and says why
            while (message := self.queue.get()) is not None:
                self.channel.send(*message)


def _widen(fd: int) -> None:
    """A bigger pipe buffer (Linux): a batch of notes crosses in far fewer read calls."""
    with suppress(OSError):  # the default 64 KiB works too
        fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_BYTES)


def _payload(batch: pa.RecordBatch) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as stream:
        stream.write_batch(batch)
    return sink.getvalue()


def _batch(payload: bytearray) -> pa.RecordBatch:
    return pa.ipc.open_stream(pa.py_buffer(payload)).read_next_batch()


class WriterProcess:
    """A forked :class:`~auditkit.ingest.bulk.sqlite_writer.SqliteWriter` for ``database``."""

    def __init__(self, database: str, source_name: str) -> None:
        context = multiprocessing.get_context("fork")
        self.receive_outcome, send_outcome = context.Pipe(duplex=False)
        receive_data, send_data = os.pipe()
        _widen(send_data)
        self.data = _Channel(send_data)
        self.process = context.Process(
            target=_write,
            args=(database, source_name, _Channel(receive_data), send_outcome, send_data),
            daemon=True,
        )
        self.process.start()
        os.close(receive_data)
        send_outcome.close()
        self.sender = _Sender(self.data)
        self._outcome: tuple[Any, ...] | None = None
        self.outbox = ClaimsOutbox()

    def write_claims(self, runs: Runs) -> None:
        rows = self.outbox(runs)
        self._send(_RUNS, *(getattr(rows, field.name) for field in fields(ClaimRows)))

    def write_notes(self, notes: NoteRows) -> None:
        self._send(_NOTES, notes.batch)

    def finish(self, sha256: str, lines: int) -> tuple[int, int, int]:
        """Commit; returns (batch id, encounters, notes) or raises :class:`Rejected`."""
        self._send_parts(_FINISH, [json.dumps([sha256, lines]).encode()])
        self.sender.stop()
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
        if kind == "busy":
            raise DatabaseBusy
        if kind == "declined":
            raise Rejected(self._outcome[1])
        if kind == "error":
            raise RuntimeError(f"the bulk writer failed:\n{self._outcome[1]}")
        return self._outcome

    def close(self) -> None:
        """Stop the writer (rolling back whatever it has not committed) and wait for it."""
        self.sender.stop()
        self.data.close()
        self.process.join()
        self.receive_outcome.close()

    def _send(self, kind: bytes, *batches: pa.RecordBatch) -> None:
        if self.receive_outcome.poll():  # the writer has refused already
            self.outcome()
        self._send_parts(kind, [_payload(batch) for batch in batches])

    def _send_parts(self, kind: bytes, parts: list[Any]) -> None:
        if not self.sender.send(kind, parts):
            self.outcome()  # the writer says why it stopped
            raise WriterGone


def _messages(channel: _Channel) -> Iterator[tuple[bytes, list[bytearray]]]:
    """The messages of the pipe until the importer closes it."""
    with suppress(EOFError):
        while True:
            yield channel.receive()


def _write(database: str, source_name: str, receive: _Channel, send: Any, parents_end: int) -> None:
    """The writer process: batches in until ``finish``, then commit; the outcome goes back.

    It imports nothing: a forked child must not wait for the import lock, which another
    thread of the importer may have held at the fork.
    """
    os.close(parents_end)  # the fork copied it; were it open here, the pipe would never end
    writer = SqliteWriter(database)
    try:
        writer.begin(source_name)
        for kind, parts in prefetched(_messages(receive), depth=3, name="auditkit-bulk-receive"):
            if kind == _RUNS:
                writer.write_claims(ClaimRows(*map(_batch, parts)))
            elif kind == _NOTES:
                writer.write_notes(NoteRows(_batch(parts[0])))
            else:
                sha256, lines = json.loads(parts[0])
                writer.finish(sha256, lines)
                send.send(("ok", writer.batch_id, writer.encounters, writer.notes))
                return
        # The pipe ended without "finish": the importer gave up; roll back.
    except Rejected as reason:
        send.send(("declined", str(reason)))
    except apsw.BusyError:
        send.send(("busy",))
    except BaseException:
        send.send(("error", traceback.format_exc()))
    finally:
        writer.close()
        send.close()
