"""Request dependencies: the store, the clock, and who is asking."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sulh.access import ANONYMOUS, Principal, principal_for_token
from sulh.config import Settings
from sulh.errors import NotAuthenticated
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


StoreDep = Annotated[Store, Depends(get_store)]
ReaderDep = Annotated[Principal, Depends(get_principal)]
NowDep = Annotated[datetime, Depends(get_now)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
