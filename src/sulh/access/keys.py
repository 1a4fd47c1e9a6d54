"""Public keys: users' signing keys and witnesses' cosigning keys, registered by an admin."""

from __future__ import annotations

from hashlib import sha256

from sqlalchemy import select

from sulh.access.roles import Principal, Role
from sulh.agreement import parsed
from sulh.errors import Conflict, Forbidden, Invalid, NotFound, UnknownReference
from sulh.ledger.note import COSIGNATURE_V1, ED25519, Verifier
from sulh.store.tables import Key, User
from sulh.store.writer import Writer

SIGNERS = frozenset({Role.liaison, Role.monitor, Role.analyst})


def _require_admin(actor: Principal) -> None:
    if actor.role is not Role.admin:
        raise Forbidden("Only admins register and revoke keys.")


def _store_key(
    writer: Writer,
    *,
    purpose: str,
    name: str,
    verifier: Verifier,
    user_id: int | None,
    party: str | None,
) -> Key:
    digest = sha256(verifier.public).hexdigest()[:16]
    if writer.session.scalar(select(Key.id).where(Key.key_hash == digest)) is not None:
        raise Conflict("This public key is already registered.")
    key = Key(
        purpose=purpose,
        name=name,
        user_id=user_id,
        party=party,
        key_hash=digest,
        public_key=verifier.public.hex(),
        added_at=writer.now,
    )
    writer.add(key)
    writer.record("key.added", key)
    return key


def add_user_key(*, writer: Writer, actor: Principal, username: str, verifier: Verifier) -> Key:
    """Register a user's Ed25519 signing key (verifier key of type 0x01, named after the user)."""
    _require_admin(actor)
    user = writer.session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise UnknownReference(f"There is no user {username!r}.")
    if Role(user.role) not in SIGNERS:
        raise Invalid(f"Role {user.role} files nothing that is signed; it needs no signing key.")
    if verifier.kind != ED25519 or verifier.name != username:
        raise Invalid(f"A signing key must be an Ed25519 note key named {username!r}.")
    return _store_key(
        writer,
        purpose="signing",
        name=username,
        verifier=verifier,
        user_id=user.id,
        party=user.party,
    )


def add_witness_key(*, writer: Writer, actor: Principal, verifier: Verifier) -> Key:
    """Register a witness's cosigning key; its name must be a witness of the agreement."""
    _require_admin(actor)
    policy = parsed(writer.agreement).witnesses
    members = {w.name: w.member for w in policy.members} if policy else {}
    if verifier.name not in members:
        raise UnknownReference(
            f"{verifier.name!r} is not a witness of the agreement (witnesses: "
            f"{', '.join(members) or 'none'})."
        )
    if verifier.kind != COSIGNATURE_V1:
        raise Invalid("A witness key must be a cosignature key (type 0x04).")
    active = writer.session.scalar(
        select(Key.id).where(Key.name == verifier.name, Key.revoked_at.is_(None))
    )
    if active is not None:
        raise Conflict(f"Witness {verifier.name!r} already has a key; revoke it first.")
    return _store_key(
        writer,
        purpose="witness",
        name=verifier.name,
        verifier=verifier,
        user_id=None,
        party=members[verifier.name],
    )


def revoke_key(*, writer: Writer, actor: Principal, key_id: int) -> Key:
    _require_admin(actor)
    key = writer.session.get(Key, key_id)
    if key is None:
        raise NotFound(f"Key {key_id} does not exist.")
    if key.revoked_at is not None:
        raise Conflict(f"Key {key_id} was already revoked.")
    key.revoked_at = writer.now
    writer.record("key.revoked", key)
    return key


def active_keys(writer: Writer, user_id: int) -> list[Key]:
    return list(
        writer.session.scalars(
            select(Key).where(
                Key.user_id == user_id, Key.purpose == "signing", Key.revoked_at.is_(None)
            )
        )
    )
