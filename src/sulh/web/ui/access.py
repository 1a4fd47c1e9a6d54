"""Which pages a role may open: the menu shows only these, and each page checks again."""

from __future__ import annotations

from sulh.access.roles import Role
from sulh.errors import Forbidden, NotAuthenticated
from sulh.web.ui.sessions import Visit


def require(visit: Visit, *roles: Role) -> None:
    """Refuse a visitor whose role is not one of `roles` (anonymous ones are sent to log in)."""
    if not visit.signed_in:
        raise NotAuthenticated("Log in to open this page.")
    if visit.principal.role not in roles:
        raise Forbidden(f"This page is not open to the {visit.principal.role} role.")
