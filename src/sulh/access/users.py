"""Users, passwords (argon2) and API tokens (stored only as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sulh.access.roles import Principal, Role
from sulh.errors import Conflict, Invalid, NotAuthenticated, UnknownReference
from sulh.store.tables import ApiToken, User, UserPreference
from sulh.store.writer import Store, Writer, agreement_in_force

_hasher = PasswordHasher()
USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{1,63}$")
MIN_PASSWORD = 10
TOKEN_PREFIX = "sulh_"


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id, username=user.username, role=Role(user.role), party=user.party
    )


def add_user(
    *,
    writer: Writer,
    username: str,
    role: Role,
    party: str | None = None,
    display_name: str | None = None,
    password: str | None = None,
) -> User:
    """Create a user; liaisons must name the party they act for."""
    if not USERNAME.match(username):
        raise Invalid(
            f"Username {username!r} must be 2–64 lower-case letters, digits, '.', '_' or '-'."
        )
    if role is Role.public:
        raise Invalid("Role 'public' is for anonymous readers and cannot be given to a user.")
    if role is Role.liaison:
        parties = agreement_in_force(writer.session).content["parties"]
        party_ids = [p["id"] for p in parties]
        if party not in party_ids:
            raise UnknownReference(
                f"A liaison must act for a party of the agreement ({', '.join(party_ids)}), "
                f"not {party!r}.",
                details={"field": "party"},
            )
    elif role is Role.guarantor and party is not None:
        guarantors = [g["id"] for g in agreement_in_force(writer.session).content["guarantors"]]
        if party not in guarantors:
            raise UnknownReference(
                f"A guarantor's envoy acts for a guarantor of the agreement "
                f"({', '.join(guarantors) or 'none'}), not {party!r}.",
                details={"field": "party"},
            )
    elif party is not None:
        raise Invalid(
            f"Only liaisons (a party) and guarantors' envoys (a guarantor) act for a member; "
            f"role {role} takes none."
        )
    if password is not None and len(password) < MIN_PASSWORD:
        raise Invalid(f"Password must be at least {MIN_PASSWORD} characters long.")
    if writer.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"User {username!r} already exists.")
    user = User(
        username=username,
        display_name=display_name or username,
        role=str(role),
        party=party,
        password_hash=_hasher.hash(password) if password else None,
        created_at=writer.now,
    )
    writer.add(user)
    writer.record("user.added", user)
    return user


def new_password() -> str:
    return secrets.token_urlsafe(12)


def check_password(*, session: Session, username: str, password: str) -> User:
    """Return the user if the password matches; one vague error for every failure."""
    user = session.scalars(select(User).where(User.username == username)).first()
    failure = NotAuthenticated("Unknown username or wrong password.")
    if user is None or user.disabled or not user.password_hash:
        _hasher.hash(password)  # spend the same time as a real check
        raise failure
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(*, writer: Writer, user: User, days: int) -> str:
    """Create an API token for `user`; only its hash is stored, so show it once."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=_token_hash(token),
        created_at=writer.now,
        expires_at=writer.now + timedelta(days=days),
    )
    writer.add(row)
    writer.record("token.issued", row)
    return token


def principal_for_token(*, store: Store, token: str) -> Principal:
    with store.read() as session:
        row = session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == _token_hash(token))
        ).first()
        if row is None or row.User.disabled or row.ApiToken.expires_at <= store.clock():
            raise NotAuthenticated("The API token is unknown or has expired; log in again.")
        return principal_of(row.User)


def user_by_name(*, session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise UnknownReference(f"There is no user {username!r}.")
    return user


def revoke_token(*, writer: Writer, token: str) -> None:
    """End a session or API token now (logging out)."""
    row = writer.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(token))
    ).first()
    if row is not None and row.expires_at > writer.now:
        row.expires_at = writer.now
        writer.record("token.revoked", row)


def set_preferences(
    *, writer: Writer, actor: Principal, language: str, zone: str | None = None
) -> UserPreference:
    """Keep the language (and, when given, the time zone) `actor` chose."""
    assert actor.user_id is not None
    row = writer.session.get(UserPreference, actor.user_id)
    if row is None:
        row = UserPreference(user_id=actor.user_id, language=language, updated_at=writer.now)
        writer.add(row)
    row.language, row.updated_at = language, writer.now
    if zone is not None:
        row.time_zone = zone
    writer.record("user.preferences", row)
    return row


def preferences_of(session: Session, user_id: int) -> tuple[str | None, str | None]:
    row = session.get(UserPreference, user_id)
    return (row.language, row.time_zone) if row is not None else (None, None)
