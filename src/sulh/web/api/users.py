"""User administration (admins only)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sulh.access import Role, add_user
from sulh.errors import Forbidden
from sulh.store import queries
from sulh.store.views import Page, UserPublic
from sulh.web.api.paging import Cursor, Limit
from sulh.web.deps import ReaderDep, StoreDep

router = APIRouter(tags=["users"])


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str
    role: Role
    party: str | None = None
    display_name: str | None = Field(default=None, max_length=200)
    password: str = Field(min_length=10, max_length=1024)


def _require_admin(reader: ReaderDep) -> None:
    if reader.role is not Role.admin:
        raise Forbidden("Only admins manage users.")


@router.get("/users", response_model=Page[UserPublic])
def get_users(
    store: StoreDep, reader: ReaderDep, cursor: Cursor = None, limit: Limit = 50
) -> Page[UserPublic]:
    _require_admin(reader)
    with store.read() as session:
        return queries.list_users(session, cursor=cursor, limit=limit)


@router.post("/users", response_model=UserPublic, status_code=201)
def post_user(body: UserCreate, store: StoreDep, reader: ReaderDep) -> UserPublic:
    _require_admin(reader)
    with store.write(reader) as writer:
        user = add_user(
            writer=writer,
            username=body.username,
            role=body.role,
            party=body.party,
            display_name=body.display_name,
            password=body.password,
        )
        return UserPublic.model_validate(user, from_attributes=True)
