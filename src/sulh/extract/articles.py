"""Articles in: plain text, HTML pages, RSS/Atom feeds and JSONL, each read into `Article`s.

The format is told by content first and the file name second. HTML loses its navigation,
scripts and boilerplate (trafilatura); feeds give one article per entry (feedparser). Input
that cannot be an article (empty, binary, not UTF-8, too large) is refused with a sentence
naming the file and the problem; nothing is guessed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sulh.errors import Invalid, TooLarge

MAX_FILE_BYTES = 20 * 1024 * 1024  # a page or feed; JSONL is read line by line instead
MAX_ARTICLE_CHARS = 100_000  # as much as one report's text may hold
MAX_LINE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    kind: str | None = None  # "statement" when the input says so


def read_articles(path: Path, *, published: date | None = None) -> Iterator[Article]:
    """The articles in one file; `published` fills in a date the file does not carry."""
    if path.suffix.lower() == ".jsonl":
        yield from _with_date(read_jsonl(path), published)
        return
    raw = _read_bytes(path)
    head = raw[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed")) and b"<html" not in head:
        yield from _with_date(_read_feed(path, raw), published)
    elif head.startswith((b"<!doctype html", b"<html")) or path.suffix.lower() in (".html", ".htm"):
        yield from _with_date([_read_html(path, raw)], published)
    else:
        yield from _with_date([_read_text(path, raw)], published)


def read_jsonl(path: Path) -> Iterator[Article]:
    """One article per line: {"id", "url", "outlet", "published", "text"} (id and text required)."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                raise TooLarge(f"{path}, line {number}: longer than {MAX_LINE_BYTES:,} bytes.")
            yield parse_jsonl_line(line, where=f"{path}, line {number}")


def parse_jsonl_line(line: bytes | str, *, where: str) -> Article:
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise Invalid(f"{where}: not a JSON object ({exc}).") from None
    if not isinstance(item, dict):
        raise Invalid(f"{where}: not a JSON object.")
    text, ident = item.get("text"), item.get("id")
    if not isinstance(text, str) or not isinstance(ident, str | int):
        raise Invalid(f'{where}: "id" and a "text" string are required.')
    return Article(
        id=str(ident),
        text=_checked_text(text, where),
        published=_date(item.get("published"), where),
        outlet=_optional_str(item.get("outlet")),
        url=_optional_str(item.get("url")),
        title=_optional_str(item.get("title")),
        kind=_optional_str(item.get("kind")),
    )


def _with_date(articles: Any, published: date | None) -> Iterator[Article]:
    for article in articles:
        yield (
            article if article.published or not published else replace(article, published=published)
        )


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge(f"{path} is {size:,} bytes; an article file may be {MAX_FILE_BYTES:,}.")
    raw = path.read_bytes()
    if not raw.strip():
        raise Invalid(f"{path} is empty.")
    if b"\x00" in raw[:8192]:
        raise Invalid(f"{path} is binary, not text.")
    return raw


def _read_text(path: Path, raw: bytes) -> Article:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(f"{path} is not UTF-8 text (byte {exc.start}).") from None
    return Article(id=path.stem, text=_checked_text(text, str(path)))


def _read_html(path: Path, raw: bytes) -> Article:
    import trafilatura  # a heavy import, needed only for pages

    document = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    text = getattr(document, "text", None) if document is not None else None
    if not text:
        raise Invalid(f"{path} is an HTML page without article text.")
    return Article(
        id=path.stem,
        text=_checked_text(text, str(path)),
        published=_date(getattr(document, "date", None), str(path), strict=False),
        outlet=getattr(document, "sitename", None),
        url=getattr(document, "url", None),
        title=getattr(document, "title", None),
    )


def _read_feed(path: Path, raw: bytes) -> Iterator[Article]:
    import feedparser  # type: ignore[import-untyped]
    import trafilatura

    feed = feedparser.parse(raw)
    if feed.bozo and not feed.entries:
        raise Invalid(f"{path} is not a readable RSS or Atom feed ({feed.bozo_exception}).")
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        body = entry.get("content", [{}])[0].get("value") or entry.get("summary") or ""
        text = trafilatura.extract(f"<html><body><article>{body}</article></body></html>")
        text = text or body
        if not text.strip():
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        yield Article(
            id=str(entry.get("id") or entry.get("link") or f"{path.stem}-{number}"),
            text=_checked_text(text, f"{path}, entry {number}"),
            published=date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None,
            outlet=outlet,
            url=entry.get("link"),
            title=entry.get("title"),
        )


def _checked_text(text: str, where: str) -> str:
    if not text.strip():
        raise Invalid(f"{where}: the article text is empty.")
    if len(text) > MAX_ARTICLE_CHARS:
        raise TooLarge(
            f"{where}: the article is {len(text):,} characters; at most "
            f"{MAX_ARTICLE_CHARS:,} are read."
        )
    return text


def _date(value: object, where: str, *, strict: bool = True) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
        except ValueError:
            pass
    if strict:
        raise Invalid(f'{where}: "published" must be a date such as 2025-10-19, not {value!r}.')
    return None


def _optional_str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
