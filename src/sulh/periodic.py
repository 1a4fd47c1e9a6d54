"""Work the server does on a clock: a daemon thread that runs one pass every few seconds.

A pass that fails is logged and tried again on the next beat; nothing half-done is kept,
since each pass is its own write.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger("sulh.periodic")


class Periodic:
    """Runs `run_once` every `interval` seconds between `start` and `stop`."""

    name = "sulh-periodic"

    def __init__(self, *, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def run_once(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("%s failed; it will run again in %s s.", self.name, self.interval)
            self._stop.wait(self.interval)
