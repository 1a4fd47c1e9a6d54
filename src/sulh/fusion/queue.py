"""Fusion now or soon: inline in the filing transaction, or queued for a background worker.

Matching a report costs a sentence embedding (tens of milliseconds of CPU), too much to
hold a filer's request for when reports arrive in bulk. With the server's default
(`SULH_FUSION=background`) intake only queues the report, in the same transaction that
files it, and a worker thread fuses the queue in small batches moments later. The command
line and the tests fuse inline: what they file is fused when the command returns.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import func, select

from sulh.access.roles import Principal, Role
from sulh.fusion.record import fuse_report
from sulh.store.tables import FusionQueue, IngestedArticle, Report
from sulh.store.writer import Store, Writer

log = logging.getLogger(__name__)
FUSION = Principal(user_id=None, username="fusion", role=Role.analyst)
BATCH = 50


def fuse_or_queue(
    *, writer: Writer, report: Report, article: IngestedArticle | None = None
) -> None:
    """Fuse a just-filed report now, or queue it, as the store is set to."""
    if writer.fuse_inline:
        fuse_report(writer=writer, report=report, article=article)
    else:
        writer.session.add(FusionQueue(report_id=report.id, queued_at=writer.now))


def pending(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count(FusionQueue.report_id))) or 0


def drain(*, store: Store, limit: int | None = None) -> int:
    """Fuse queued reports, oldest first, a batch per transaction; return how many."""
    done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        with store.write(FUSION) as writer:
            queued = list(
                writer.session.scalars(
                    select(FusionQueue).order_by(FusionQueue.report_id).limit(size)
                )
            )
            for item in queued:
                report = writer.session.get(Report, item.report_id)
                article = writer.session.scalars(
                    select(IngestedArticle).where(IngestedArticle.report_id == item.report_id)
                ).first()
                if report is not None:
                    fuse_report(writer=writer, report=report, article=article)
                writer.session.delete(item)
        done += len(queued)
        if len(queued) < size:
            break
    return done


class Worker:
    """A thread that drains the fusion queue whenever woken, and every `interval` seconds."""

    def __init__(self, store: Store, *, interval: float = 0.5) -> None:
        self.store = store
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sulh-fusion", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                drain(store=self.store)
            except Exception:  # a failed batch stays queued; the next round retries it
                log.exception("Fusion of queued reports failed; they stay queued.")
            self._wake.wait(self.interval)
            self._wake.clear()
