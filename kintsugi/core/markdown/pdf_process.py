"""Printing the HTML page to PDF in a child process, within a memory cap and a deadline.

WeasyPrint's time and memory grow with the document (a 5,000-event timeline took minutes
and 1.4 GB), and a WSGI view cannot be stopped when its client goes away: only limits
bound the cost. So each page is printed by a child process that caps its own address space
(RLIMIT_AS) and CPU time before rendering, and the parent kills it at the deadline.

Children are forked from a multiprocessing fork server that has imported WeasyPrint once
(about 0.6 s of CPU, mostly cffi reading Pango's declarations): a render then starts in
milliseconds instead of paying that import each time. Before any of this, a document over
the size limits is refused with a message that says what to do instead, and a lock file
per render slot bounds how many children run at once across every web worker. The child
loads nothing from outside: its URL fetcher refuses every URL.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import multiprocessing
import multiprocessing.context
import os
import resource
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import NoReturn

from kintsugi.core.markdown.pdf_limits import (
    PdfBusy,
    PdfLimits,
    PdfRenderFailed,
    PdfStopped,
    PdfTooLarge,
    check_printable,
)

# Importers of this module have long found the limits and refusals here; they live in
# pdf_limits.py so that exporting.py can use them without importing this module.
__all__ = [
    "PdfBusy",
    "PdfLimits",
    "PdfRenderFailed",
    "PdfStopped",
    "PdfTooLarge",
    "PrintedPdf",
    "check_printable",
    "print_pdf",
    "render_slot",
]

# Renders started by this process (what the cache tests count), the last child's id and
# what the last successful render cost (its PDF left out): for tests and the benchmark.
renders_started = 0
last_child_pid: int | None = None
last_printed: PrintedPdf | None = None


@dataclass(frozen=True)
class PrintedPdf:
    pdf: bytes
    seconds: float
    peak_kb: int  # the child's peak resident memory, as it reported it
    cpu_seconds: float  # the child's CPU time: the cost on a machine busy with other work


@contextlib.contextmanager
def render_slot(limits: PdfLimits) -> Iterator[None]:
    """One of ``limits.concurrency`` slots, shared by every process using ``slot_dir``.

    A slot is an exclusive ``flock`` on a small file: the kernel releases it when its
    holder exits, however it exits, so a crashed worker never leaves a slot taken.
    """
    for number in range(limits.concurrency):
        path = limits.slot_dir / f"pdf-slot-{number}.lock"
        try:
            limits.slot_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise PdfRenderFailed(
                f"The PDF render slots cannot be kept in {limits.slot_dir} "
                f"({error.strerror}); ask an administrator to check KINTSUGI_PDF_CACHE_DIR.",
                field="format",
            ) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            continue
        try:
            yield
        finally:
            os.close(descriptor)  # closing the file releases the lock
        return
    raise PdfBusy(
        f"The server is busy with as many PDFs as it renders at once ({limits.concurrency}); "
        "try again in a minute.",
        field="format",
    )


def _failure(kind: str, reason: str, limits: PdfLimits) -> PdfRenderFailed:
    if kind == "unavailable":
        return PdfRenderFailed(reason, field="format")
    if kind in ("out of memory", "crashed"):
        # A C library (Pango, HarfBuzz) that cannot allocate may abort the child instead
        # of raising MemoryError; either way the cap is what stopped it.
        return PdfStopped(
            f"The PDF renderer reached its memory limit ({limits.memory_mb} MB) and was "
            "stopped. Export HTML and print it from the browser, or ask an administrator "
            "to raise KINTSUGI_PDF_MEMORY_MB.",
            field="format",
        )
    return PdfRenderFailed(f"The PDF renderer failed: {reason[:300]}", field="format")


@functools.cache
def _fork_server() -> multiprocessing.context.ForkServerContext:
    """Started on first use, once per process; it exits with its parent."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kintsugi.core.markdown.pdf_preload", __name__])
    return context


def warm_up() -> None:
    """Start this process's fork server now (it loads WeasyPrint), not on the first export.

    Starting it costs about 0.6 s of CPU and 1-3 s of wall time; paid inside the first
    export, it would push that PDF past the 3 s goal. ``kintsugi serve`` calls this in a
    thread of every web worker after it forks (KINTSUGI_PDF_WARM_UP=0 turns it off, saving
    the server's memory where nobody exports PDFs)."""
    import multiprocessing.forkserver

    _fork_server()  # sets the preload list before the server starts
    multiprocessing.forkserver.ensure_running()


def print_pdf(html: str, limits: PdfLimits) -> PrintedPdf:
    """The PDF of ``html``, printed by a child process within ``limits``; PdfRenderFailed
    (or PdfBusy) otherwise. The child never outlives this call."""
    global renders_started, last_child_pid, last_printed
    with render_slot(limits):
        renders_started += 1
        started = time.monotonic()
        context = _fork_server()
        receiver, sender = context.Pipe(duplex=False)
        cpu_seconds = int(limits.timeout_seconds) + 5  # a backstop if the parent dies first
        child = context.Process(
            target=_render_in_child,
            args=(html, limits.memory_mb, cpu_seconds, sender),
            name="kintsugi-pdf",
            daemon=True,
        )
        try:
            child.start()
        except OSError as error:  # no process left to fork, or the fork server is gone
            receiver.close()
            raise PdfRenderFailed(
                f"The PDF renderer could not start ({error}).", field="format"
            ) from None
        finally:
            sender.close()
        last_child_pid = child.pid
        try:
            if not receiver.poll(limits.timeout_seconds):
                raise PdfStopped(
                    f"The PDF took longer than {limits.timeout_seconds:g} s to render and "
                    "was stopped. Export HTML and print it from the browser, or ask an "
                    "administrator to raise KINTSUGI_PDF_TIMEOUT.",
                    field="format",
                )
            try:
                outcome = receiver.recv()
            except EOFError:  # it died without a word: killed by a signal, or aborted
                outcome = ("crashed", "")
        finally:
            receiver.close()
            if child.is_alive():  # past the deadline, or interrupted: leave nothing running
                child.kill()
            child.join()
    if outcome[0] != "ok":
        raise _failure(outcome[0], outcome[1], limits)
    _, pdf, peak_kb, cpu = outcome
    last_printed = PrintedPdf(b"", time.monotonic() - started, peak_kb, cpu)
    return replace(last_printed, pdf=pdf)


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"Kintsugi's PDF export loads nothing from outside ({url[:80]}).")


def refusing_fetcher() -> object:
    """A fetcher that refuses every URL. Recent WeasyPrint (70) wants a ``URLFetcher``
    object, on which a plain function fails at the first image or stylesheet instead of
    skipping it; older releases take the function."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:
        return _refuse

    class RefuseEveryFetch(URLFetcher):  # type: ignore[misc]
        fetch = staticmethod(_refuse)

    return RefuseEveryFetch()


def _render_in_child(html: str, memory_mb: int, cpu_seconds: int, sender: Connection) -> None:
    """In the child: cap this process, print, and send back the PDF and what it cost."""
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    try:
        try:
            import weasyprint
        except (ImportError, OSError) as error:  # OSError: Pango/HarfBuzz libraries missing
            sender.send(
                (
                    "unavailable",
                    "PDF export needs WeasyPrint and the Pango library "
                    f"(apt-get install libpango-1.0-0 libpangoft2-1.0-0): {error}",
                )
            )
            return
        pdf = weasyprint.HTML(string=html, url_fetcher=refusing_fetcher()).write_pdf()
    except MemoryError:
        sender.send(("out of memory", ""))
        return
    except Exception as error:  # reported to the reader as a failed render, not a crash
        sender.send(("failed", f"{type(error).__name__}: {error}"))
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sender.send(("ok", bytes(pdf or b""), usage.ru_maxrss, usage.ru_utime + usage.ru_stime))
