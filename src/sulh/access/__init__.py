"""Users, roles, disclosure tiers and tokens."""

from sulh.access.roles import ANONYMOUS, Principal, Role, Tier, readable_tiers
from sulh.access.users import (
    add_user,
    check_password,
    issue_token,
    new_password,
    principal_for_token,
    principal_of,
    user_by_name,
)

__all__ = [
    "ANONYMOUS",
    "Principal",
    "Role",
    "Tier",
    "add_user",
    "check_password",
    "issue_token",
    "new_password",
    "principal_for_token",
    "principal_of",
    "readable_tiers",
    "user_by_name",
]
