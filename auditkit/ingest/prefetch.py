"""Items produced on a thread, a few ahead of their consumer.

pyarrow lets go of the GIL while it parses, so producing the
next item on a thread overlaps with the work on this one. The bounded queue keeps memory
flat: the producer waits while ``depth`` items are ready.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import suppress
from queue import Full, Queue
from typing import Any, TypeVar

T = TypeVar("T")
_END = object()


def prefetched(items: Iterator[T], depth: int, name: str) -> Iterator[T]:
    """``items``, produced on a thread named ``name`` at most ``depth`` ahead.

    An exception of the producer is raised here, in the consumer; a consumer that stops
    early (or fails) tells the producer to stop at its next item.
    """
    queue: Queue[Any] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            with suppress(Full):
                queue.put(item, timeout=0.1)
                return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as error:  # handed to the consumer, which raises it
            put(error)

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        # Not joined: a producer waiting on a full queue sees the stop within 0.1 s, and
        # one blocked in its own read (a pipe not closed yet) must not hold this one up.
        stop.set()
