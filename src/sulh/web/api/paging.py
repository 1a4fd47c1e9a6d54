"""Query parameters shared by every list."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Cursor = Annotated[int | None, Query(ge=1, description="next_cursor from the previous page")]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
