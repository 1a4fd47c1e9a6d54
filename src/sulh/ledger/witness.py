"""The witness each party and guarantor runs on its own machine.

It fetches the log's latest checkpoint, checks the log's signature, checks that the log
only grew since the last checkpoint it cosigned, and only then cosigns and posts the
cosignature. If the log rolled back or forked it refuses and keeps both checkpoints.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sulh.errors import SulhError
from sulh.ledger.checkpoints import CheckpointBody, parse_checkpoint
from sulh.ledger.merkle import ProofError, verify_consistency
from sulh.ledger.note import Signer, Verifier, cosign, open_note

TIMEOUT = 30


class WitnessRefused(SulhError):
    """The log misbehaved: the witness will not cosign."""

    status = 409
    code = "witness_refused"


@dataclass(frozen=True)
class Cosigned:
    size: int
    root: bytes
    response: dict[str, Any]


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310
            body: bytes = response.read(2 << 20)
            return body
    except urllib.error.HTTPError as exc:
        raise WitnessRefused(f"The log answered {exc.code} to {url}: {exc.read(500)!r}") from None
    except urllib.error.URLError as exc:
        raise WitnessRefused(f"Cannot reach the log at {url}: {exc.reason}.") from None


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            answer: dict[str, Any] = json.loads(response.read(1 << 20))
            return answer
    except urllib.error.HTTPError as exc:
        raise WitnessRefused(
            f"The log refused the cosignature ({exc.code}): {exc.read(500)!r}"
        ) from None


class Witness:
    def __init__(
        self, *, log_url: str, signer: Signer, state: Path, log_key: Verifier | None
    ) -> None:
        self.api = log_url.rstrip("/") + "/api/v1/log"
        self.signer = signer
        self.state = state
        self.state.mkdir(parents=True, exist_ok=True)
        self.log_key = log_key or self._pinned_key()

    def _pinned_key(self) -> Verifier:
        """The log key seen on first contact, kept in the state folder from then on."""
        pinned = self.state / "log.vkey"
        if pinned.exists():
            return Verifier.parse(pinned.read_text(encoding="ascii"))
        key = Verifier.parse(_get(self.api + "/key").decode())
        pinned.write_text(key.vkey() + "\n", encoding="ascii")
        return key

    def run_once(self) -> Cosigned:
        note_text = _get(self.api + "/checkpoint").decode()
        note = open_note(note_text, self.log_key)
        new = parse_checkpoint(note.text)
        if new.origin != self.log_key.name:
            raise WitnessRefused(
                f"The checkpoint is for origin {new.origin!r}, not {self.log_key.name!r}."
            )
        old = self._last()
        if old is not None:
            self._check_growth(old, new, note_text)
        stamp = int(time.time())
        line = cosign(note.text, self.signer, stamp).render()
        answer = _post(self.api + "/cosignatures", {"size": new.size, "cosignature": line})
        (self.state / "checkpoint").write_text(note.text, encoding="utf-8")
        return Cosigned(new.size, new.root, answer)

    def _last(self) -> CheckpointBody | None:
        saved = self.state / "checkpoint"
        return parse_checkpoint(saved.read_text(encoding="utf-8")) if saved.exists() else None

    def _check_growth(self, old: CheckpointBody, new: CheckpointBody, note_text: str) -> None:
        problem = None
        if new.size < old.size:
            problem = f"the log rolled back from size {old.size} to {new.size}"
        elif new.size == old.size and new.root != old.root:
            problem = f"the log forked: two roots for size {new.size}"
        elif new.size > old.size:
            query = urllib.parse.urlencode({"old": old.size, "new": new.size})
            proof_json = json.loads(_get(f"{self.api}/proof/consistency?{query}"))
            try:
                verify_consistency(
                    old_size=old.size,
                    new_size=new.size,
                    old_root=old.root,
                    new_root=new.root,
                    proof=[base64.b64decode(p) for p in proof_json["proof"]],
                )
            except ProofError as exc:
                problem = f"the log forked: {exc.message}"
        if problem is not None:
            evidence = self.state / "evidence" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            evidence.mkdir(parents=True, exist_ok=True)
            (evidence / "cosigned-checkpoint").write_text(old.text(), encoding="utf-8")
            (evidence / "offered-checkpoint").write_text(note_text, encoding="utf-8")
            raise WitnessRefused(
                f"Refusing to cosign: {problem}. Both checkpoints are kept in {evidence}."
            )
