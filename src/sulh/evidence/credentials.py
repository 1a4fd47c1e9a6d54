"""C2PA content credentials a file carries, and whether they hold: read offline, and bounded.

A photo, recording or PDF may carry a C2PA manifest saying who signed it, with what tool,
and what was done to it. c2pa-python reads and validates it. Sulh lets the reader reach no
network (no remote manifest, no OCSP, no host at all) and caps how much of the file it may
read, then keeps a small JSON-safe summary of the answer.

A summary's `status` is one of:
- "valid": hashes and signature hold, and the signer chains to a trust anchor Sulh was given;
- "untrusted": they hold, but the signer is on no list Sulh holds (it holds none by default);
- "invalid": a hash or the signature does not match, or the manifest cannot be parsed;
- "remote": the file only points to credentials kept at a URL, which Sulh does not fetch.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import c2pa  # type: ignore[import-untyped]

from sulh.errors import Invalid

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

MAX_MANIFEST_MB = 32
MAX_LISTED = 100
MAX_TEXT = 500
# The reader goes over a file about three times (manifest, then hashes); much more than
# that means a file built to keep it reading.
READ_FACTOR = 8
READ_SLACK = 16 * 1024 * 1024

# The locker's media types that c2pa-python reads; any other type has no credentials to read.
MEDIA_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "application/pdf",
        "video/mp4",
        "video/quicktime",
        "audio/mp4",
        "audio/mpeg",
        "audio/wav",
    }
)

_STATUSES = {"Trusted": "valid", "Valid": "untrusted", "Invalid": "invalid"}
_OFFLINE: dict[str, Any] = {
    "version": 1,
    "verify": {
        "verify_after_reading": True,
        "verify_trust": True,
        "remote_manifest_fetch": False,
        "ocsp_fetch": False,
    },
    "core": {
        # An empty allow-list refuses every host, should any other path reach for one.
        "allowed_network_hosts": [],
        "max_decompressed_manifest_size_in_mb": MAX_MANIFEST_MB,
        # Identity (CAWG) assertions are not summarised; their resolvers stay out of the read.
        "decode_identity_assertions": False,
    },
}
_ACTIONS_LABEL = re.compile(r"c2pa\.actions(\.v\d+)?(__\d+)?")
_URL = re.compile(r"https?://\S+")


def content_credentials(
    path: Path, media_type: str, *, trust_anchors: str | None = None
) -> dict[str, Any] | None:
    """A summary of the C2PA manifest in the file at `path`, or None when it carries none
    (or is of a type C2PA does not cover). `trust_anchors` are PEM root certificates whose
    signers count as "valid"; without them a sound signature is "untrusted".

    Keys: reader, status, claim_generator, title, signer, signer_organization, signed_at,
    remote_url (each only when known), and actions, ingredients and problems (lists, capped
    at MAX_LISTED). Raises `Invalid` when the file is not a readable `media_type` file, or
    takes too long a read (a present but broken manifest is status "invalid" instead), and
    OSError when `path` cannot be opened.
    """
    if media_type not in MEDIA_TYPES:
        return None
    budget = READ_FACTOR * path.stat().st_size + READ_SLACK
    with _offline_context(trust_anchors) as context, _BoundedFile(path, budget) as stream:
        try:
            with c2pa.Reader(media_type, stream, context=context) as reader:
                text: str = reader.json()
        except c2pa.C2paError as exc:
            if stream.overspent:
                raise Invalid(
                    f"Reading the file's C2PA manifest went past {READ_FACTOR} times the "
                    "file's size; the file may be built to stall the reader, and is refused."
                ) from None
            return _from_error(exc, media_type)
    try:
        store = json.loads(text)
    except ValueError as exc:  # the library's own output, so a fault in it, not in the file
        return _unreadable(f"The C2PA reader's answer is not JSON: {exc}")
    return _summary(store if isinstance(store, dict) else {})


class _BoundedFile(io.BufferedReader):
    """A file that refuses further reads once the reader has asked it for `budget` bytes."""

    def __init__(self, path: Path, budget: int) -> None:
        super().__init__(io.FileIO(path, "rb"))
        self.budget = budget
        self.spent = 0

    @property
    def overspent(self) -> bool:
        return self.spent > self.budget

    def readinto(self, buffer: WriteableBuffer, /) -> int:
        self._check()
        count = super().readinto(buffer)
        self.spent += count
        return count

    def read(self, size: int | None = -1, /) -> bytes:
        self._check()
        data = super().read(size)
        self.spent += len(data)
        return data

    def _check(self) -> None:
        if self.overspent:
            raise OSError(f"More than {self.budget} bytes were read.")


def _offline_context(trust_anchors: str | None) -> Any:
    settings = (
        {**_OFFLINE, "trust": {"trust_anchors": trust_anchors}} if trust_anchors else _OFFLINE
    )
    try:
        return c2pa.Context.from_dict(settings)
    except c2pa.C2paError as exc:
        shown = str(exc).rstrip(".")
        raise Invalid(f"The C2PA trust anchors are not usable PEM certificates: {shown}.") from None


def _from_error(exc: Any, media_type: str) -> dict[str, Any] | None:
    message = (_text(str(exc)) or type(exc).__name__).rstrip(".")
    if isinstance(exc, c2pa.C2paError.ManifestNotFound):
        return None
    # c2pa-rs says "Remote: …" for a manifest kept only at a URL; newer bindings may type it.
    if isinstance(exc, c2pa.C2paError.RemoteManifest) or message.startswith("Remote"):
        return _remote(message)
    asset_broken = "asset could not be parsed" in message
    if asset_broken or isinstance(exc, (c2pa.C2paError.NotSupported, c2pa.C2paError.Io)):
        raise Invalid(f"The file cannot be read as {media_type} for C2PA: {message}.") from None
    return _unreadable(message)


def _remote(message: str) -> dict[str, Any]:
    url = _URL.search(message)
    found = {
        **_empty("remote"),
        "remote_url": url.group(0) if url else None,
        "problems": [
            _problem(
                "manifest.inaccessible",
                "The file's credentials are kept at a URL, which Sulh does not fetch.",
            )
        ],
    }
    return {key: value for key, value in found.items() if value is not None}


def _unreadable(message: str) -> dict[str, Any]:
    return {**_empty("invalid"), "problems": [_problem("general.error", message)]}


def _empty(status: str) -> dict[str, Any]:
    return {"reader": _reader(), "status": status, "actions": [], "ingredients": []}


def _reader() -> str:
    return f"c2pa-python {c2pa.__version__} (c2pa-rs {c2pa.sdk_version()})"


# The manifest store, as Reader.json() gives it --------------------------------------------


def _summary(store: dict[str, Any]) -> dict[str, Any]:
    manifests = _dict(store.get("manifests"))
    active = _dict(manifests.get(str(store.get("active_manifest"))))
    signature = _dict(active.get("signature_info"))
    state = _text(store.get("validation_state")) or "none"
    status = _STATUSES.get(state, "invalid")
    problems = [] if status == "valid" else _problems(store.get("validation_status"))
    if state not in _STATUSES:
        problems.append(_problem("general.error", f"The reader gave no known state ({state})."))
    common_name, organization = _text(signature.get("common_name")), _text(signature.get("issuer"))
    found = {
        **_empty(status),
        "claim_generator": _claim_generator(active),
        "title": _text(active.get("title")),
        "signer": common_name or organization,
        "signer_organization": organization if common_name else None,
        "signed_at": _moment(signature.get("time")),
        "actions": _actions(active.get("assertions")),
        "ingredients": _titles(active.get("ingredients")),
        "problems": problems[:MAX_LISTED],
    }
    return {key: value for key, value in found.items() if value is not None}


def _claim_generator(manifest: dict[str, Any]) -> str | None:
    # Version 1 claims name the generator in one string, version 2 claims in a list of parts.
    named = _text(manifest.get("claim_generator"))
    infos = _dicts(manifest.get("claim_generator_info"))
    if named or not infos:
        return named
    parts = (_text(infos[0].get("name")), _text(infos[0].get("version")))
    return " ".join(part for part in parts if part) or None


def _actions(assertions: Any) -> list[str]:
    names: list[str] = []
    for assertion in _dicts(assertions):
        if _ACTIONS_LABEL.fullmatch(str(assertion.get("label"))):
            actions = _dicts(_dict(assertion.get("data")).get("actions"))
            names.extend(_text(action.get("action")) or "" for action in actions)
    return names[:MAX_LISTED]


def _titles(ingredients: Any) -> list[str]:
    return [_text(item.get("title")) or "" for item in _dicts(ingredients)][:MAX_LISTED]


def _problems(statuses: Any) -> list[dict[str, str]]:
    return [
        _problem(_text(status.get("code")) or "general.error", status.get("explanation"))
        for status in _dicts(statuses)
    ]


def _problem(code: str, explanation: Any) -> dict[str, str]:
    return {"code": code, "explanation": _text(explanation) or ""}


def _moment(value: Any) -> str | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).isoformat()


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip()[:MAX_TEXT] or None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else []
    return [item for item in items[: MAX_LISTED * 10] if isinstance(item, dict)]
