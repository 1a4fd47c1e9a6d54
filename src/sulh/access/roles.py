"""Roles, disclosure tiers, and the principal a request or command acts as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sulh.errors import Invalid


class Role(StrEnum):
    admin = "admin"
    guarantor = "guarantor"
    analyst = "analyst"
    monitor = "monitor"
    liaison = "liaison"
    observer = "observer"
    public = "public"


class Tier(StrEnum):
    """Disclosure tiers, from narrowest to widest audience."""

    internal = "internal"
    joint = "joint"
    parties = "parties"
    public = "public"


TIER_ORDER = (Tier.internal, Tier.joint, Tier.parties, Tier.public)

# The narrowest tier each role may read; wider tiers are readable too.
ROLE_READS_FROM: dict[Role, Tier] = {
    Role.admin: Tier.internal,
    Role.analyst: Tier.internal,
    Role.monitor: Tier.internal,
    Role.guarantor: Tier.joint,
    Role.observer: Tier.parties,
    Role.liaison: Tier.parties,
    Role.public: Tier.public,
}

STAFF = frozenset({Role.admin, Role.analyst, Role.monitor})


def readable_tiers(role: Role) -> list[str]:
    start = TIER_ORDER.index(ROLE_READS_FROM[role])
    return [str(t) for t in TIER_ORDER[start:]]


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user, or the anonymous public (user_id None)."""

    user_id: int | None
    username: str
    role: Role
    party: str | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    def can_read(self, tier: str) -> bool:
        return tier in readable_tiers(self.role)


ANONYMOUS = Principal(user_id=None, username="anonymous", role=Role.public)


# Who reads exactly each tier, for outputs cut at a tier rather than for a person.
_TIER_ROLES = {
    Tier.public: Role.public,
    Tier.parties: Role.observer,
    Tier.joint: Role.guarantor,
    Tier.internal: Role.analyst,
}


def reader_of_tier(tier: str) -> Principal:
    """A reader who sees what `tier` may see and nothing more (no party of its own)."""
    try:
        role = _TIER_ROLES[Tier(tier)]
    except ValueError:
        names = ", ".join(str(t) for t in TIER_ORDER)
        raise Invalid(f"tier: one of {names}, not {tier!r}.") from None
    if role is Role.public:
        return ANONYMOUS
    return Principal(user_id=None, username=f"{tier}-tier", role=role)
