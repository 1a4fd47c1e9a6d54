"""Request dependencies: the store, the clock, and who is asking."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sulh.access import ANONYMOUS, Principal, principal_for_token
from sulh.config import Settings
from sulh.errors import Invalid, NotAuthenticated
from sulh.intake.signatures import Signed
from sulh.ledger.log import Log
from sulh.store import Store

_bearer = HTTPBearer(auto_error=False)


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        return ANONYMOUS
    if credentials.scheme.lower() != "bearer":
        raise NotAuthenticated("Use an 'Authorization: Bearer <token>' header.")
    return principal_for_token(store=get_store(request), token=credentials.credentials)


def get_now(request: Request) -> datetime:
    return get_store(request).clock()


def get_log(request: Request) -> Log:
    log: Log = request.app.state.log
    return log


async def _raw_json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None  # the body model reports malformed JSON with its own message


def get_signed(
    raw: Annotated[Any, Depends(_raw_json)],
    signature: Annotated[
        str | None,
        Header(
            alias="Sulh-Signature",
            description="Base64 Ed25519 signature of the body's RFC 8785 canonical JSON.",
        ),
    ] = None,
) -> Signed | None:
    if signature is None:
        return None
    if not isinstance(raw, dict):
        raise Invalid("A signed submission must be a JSON object.")
    return Signed(body=raw, signature=signature)


StoreDep = Annotated[Store, Depends(get_store)]
LogDep = Annotated[Log, Depends(get_log)]
SignedDep = Annotated[Signed | None, Depends(get_signed)]
ReaderDep = Annotated[Principal, Depends(get_principal)]
NowDep = Annotated[datetime, Depends(get_now)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
