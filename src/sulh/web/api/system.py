"""Health, login, who am I, and the agreement in force."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sulh import __version__
from sulh.access import check_password, issue_token
from sulh.agreement import current_agreement
from sulh.errors import NotFound
from sulh.store import queries
from sulh.store.views import AgreementVersionPublic, Page
from sulh.web.api.paging import Cursor, Limit
from sulh.web.deps import ReaderDep, SettingsDep, StoreDep

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    version: str
    database: str
    agreement: str | None


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    with store.read() as session:
        try:
            row, _ = current_agreement(session)
            agreement = f"{row.slug} v{row.version}"
        except NotFound:
            agreement = None
    return Health(
        status="ok", version=__version__, database=store.engine.dialect.name, agreement=agreement
    )


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(BaseModel):
    token: str
    token_type: str = "bearer"
    username: str
    role: str
    party: str | None


@router.post("/auth/token", response_model=TokenOut)
def login(body: Login, store: StoreDep, settings: SettingsDep) -> TokenOut:
    with store.read() as session:
        user = check_password(session=session, username=body.username, password=body.password)
    from sulh.access import principal_of

    with store.write(principal_of(user)) as writer:
        token = issue_token(writer=writer, user=user, days=settings.token_days)
    return TokenOut(token=token, username=user.username, role=user.role, party=user.party)


class Me(BaseModel):
    username: str
    role: str
    party: str | None
    authenticated: bool


@router.get("/me", response_model=Me)
def me(reader: ReaderDep) -> Me:
    return Me(
        username=reader.username,
        role=reader.role,
        party=reader.party,
        authenticated=reader.user_id is not None,
    )


class AgreementOut(AgreementVersionPublic):
    content: dict[str, Any]


@router.get("/agreement", response_model=AgreementOut)
def agreement_in_force(store: StoreDep) -> AgreementOut:
    """The agreement version in force, in full: the agreement itself is public."""
    with store.read() as session:
        row, _ = current_agreement(session)
        return AgreementOut.model_validate(row, from_attributes=True)


@router.get("/agreement/versions", response_model=Page[AgreementVersionPublic])
def agreement_versions(
    store: StoreDep, cursor: Cursor = None, limit: Limit = 50
) -> Page[AgreementVersionPublic]:
    """Every version loaded, newest first."""
    with store.read() as session:
        return queries.list_agreement_versions(session, cursor=cursor, limit=limit)
