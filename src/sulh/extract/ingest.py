"""`sulh ingest`: each article becomes a media or statement report with its events attached.

The same article read twice is recognised by the hash of its text and not filed again. A
copy of an article already in the record (the same text from another outlet, or a wire
story reprinted with small edits, found by MinHash over word shingles) is filed as a report
of its own outlet and marked as a copy of the first, so corroboration can count it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from sulh.access.roles import Principal
from sulh.agreement import parsed
from sulh.agreement.model import ActorKind, Agreement
from sulh.extract.actors import index_for
from sulh.extract.articles import Article
from sulh.extract.pipeline import EXTRACTOR, extract_article
from sulh.extract.triggers import VIOLENT
from sulh.fusion.queue import fuse_or_queue
from sulh.intake.reports import file_report
from sulh.intake.schema import Place, ReportCreate
from sulh.store.tables import IngestedArticle
from sulh.store.writer import Writer

NEAR_DUPLICATE = 0.8  # estimated Jaccard similarity of word shingles
PERMUTATIONS = 64
SHINGLE = 3
COPY_WINDOW = timedelta(days=7)  # reprints appear within days of the original
_SPEAKERS = {
    ActorKind.government,
    ActorKind.ministry,
    ActorKind.spokesperson,
    ActorKind.official,
    ActorKind.armed_force,
}
# Event types a report can carry as its own (the vocabulary's); the rest file as "other".
_REPORT_TYPES = VIOLENT | {"border_crossing_closed", "border_crossing_reopened"}


@dataclass(frozen=True)
class Ingested:
    """What became of one article."""

    id: str
    outcome: str  # "filed", "copy" or "already"
    report_id: int
    language: str
    events: int
    copy_of_report: int | None = None
    similarity: float | None = None


def ingest_articles(
    *, writer: Writer, actor: Principal, articles: Iterable[Article]
) -> list[Ingested]:
    """File each article as a report, or say which earlier report it repeats."""
    agreement = parsed(writer.agreement)
    results = []
    for article in articles:
        # Reports keep their text without surrounding blanks; offsets must index that text.
        article = replace(article, text=article.text.strip())
        text_hash = content_hash(article.text)
        earlier = _same_article(writer, article, text_hash)
        if earlier is not None:
            results.append(Ingested(article.id, "already", earlier.report_id, earlier.language, 0))
            continue
        extraction = extract_article(article, agreement=agreement)
        signature = minhash(article.text)
        original, similarity = _original(writer, article, text_hash, signature)
        report = file_report(
            writer=writer,
            actor=actor,
            data=_report(article, extraction, agreement, writer.now),
            fuse=False,
        )
        row = IngestedArticle(
            report_id=report.id,
            external_id=article.id[:500],
            url=article.url,
            outlet=article.outlet,
            title=article.title[:500] if article.title else None,
            published=article.published,
            language=extraction["language"],
            content_sha256=text_hash,
            copy_of_id=original.id if original else None,
            copy_kind=_copy_kind(original, text_hash),
            similarity=similarity,
            minhash=signature,
            events=extraction["events"],
            extractor=EXTRACTOR,
        )
        writer.add(row)
        writer.record("article.ingested", row)
        fuse_or_queue(writer=writer, report=report, article=row)
        results.append(
            Ingested(
                article.id,
                "copy" if original else "filed",
                report.id,
                row.language,
                len(row.events),
                original.report_id if original else None,
                similarity,
            )
        )
    return results


def content_hash(text: str) -> str:
    """SHA-256 of the text with case and spacing evened out."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def minhash(text: str) -> bytes:
    """A MinHash signature of the text's word shingles, as 32-bit values."""
    import numpy as np
    from datasketch import MinHash  # type: ignore[import-untyped]

    words = text.casefold().split()
    sketch = MinHash(num_perm=PERMUTATIONS, seed=1)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    sketch.update_batch([s.encode() for s in shingles])
    return bytes(np.asarray(sketch.hashvalues, dtype=np.uint32).tobytes())


def similarity(a: bytes, b: bytes) -> float:
    """The Jaccard similarity two signatures estimate."""
    import numpy as np

    left, right = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return float(np.mean(left == right))


def _same_article(writer: Writer, article: Article, text_hash: str) -> IngestedArticle | None:
    for row in writer.session.scalars(
        select(IngestedArticle).where(IngestedArticle.content_sha256 == text_hash)
    ):
        if (row.outlet, row.url) == (article.outlet, article.url) or (
            row.external_id == article.id[:500] and row.outlet == article.outlet
        ):
            return row
    return None


def _original(
    writer: Writer, article: Article, text_hash: str, signature: bytes
) -> tuple[IngestedArticle | None, float | None]:
    query = select(IngestedArticle).where(IngestedArticle.copy_of_id.is_(None))
    if article.published is not None:
        query = query.where(
            IngestedArticle.published.between(
                article.published - COPY_WINDOW, article.published + COPY_WINDOW
            )
        )
    best: tuple[IngestedArticle | None, float | None] = (None, None)
    for row in writer.session.scalars(query.order_by(IngestedArticle.id)):
        score = 1.0 if row.content_sha256 == text_hash else similarity(row.minhash, signature)
        if score >= NEAR_DUPLICATE and (best[1] is None or score > best[1]):
            best = (row, score)
    return best


def _copy_kind(original: IngestedArticle | None, text_hash: str) -> str | None:
    if original is None:
        return None
    return "exact" if original.content_sha256 == text_hash else "near"


def _report(
    article: Article, extraction: dict[str, Any], agreement: Agreement, now: datetime
) -> ReportCreate:
    events = extraction["events"]
    lead = next((e for e in events if not e["background"]), None)
    first, last = _lead_days(lead, article.published, now)
    place = (lead or {}).get("places", [None])[0] if lead and lead["places"] else None
    return ReportCreate(
        kind="statement" if _is_statement(article, agreement) else "media",
        event_time=datetime.combine(first, time(), UTC),
        event_end=datetime.combine(last, time(), UTC) if last != first else None,
        time_precision="day" if last == first else "week" if (last - first).days < 7 else "month",
        event_type=lead["type"] if lead and lead["type"] in _REPORT_TYPES else "other",
        text=article.text,
        language=extraction["language"] if extraction["language"] != "und" else "und",
        source=(article.outlet or "unknown outlet")[:200],
        place=Place(
            name=place["name"], lat=place["lat"], lon=place["lon"], precision=place["precision"]
        )
        if place
        else None,
        alleged_perpetrator=lead["actor1"] if lead and lead["type"] in _REPORT_TYPES else None,
    )


def _lead_days(
    lead: dict[str, Any] | None, published: date | None, now: datetime
) -> tuple[date, date]:
    fallback = published or now.date()
    if lead is None or lead["date"] is None or lead["status"] == "planned":
        return fallback, fallback
    first, _, last = lead["date"].partition("/")
    start, end = date.fromisoformat(first), date.fromisoformat(last or first)
    if end > now.date():
        return fallback, fallback
    return start, end


def _is_statement(article: Article, agreement: Agreement) -> bool:
    if article.kind == "statement":
        return True
    if not article.outlet:
        return False
    mentions = index_for(agreement).find(article.outlet)
    return any(
        m.actor is not None
        and m.end - m.start == len(article.outlet.strip())
        and m.kind in {kind.value for kind in _SPEAKERS}
        for m in mentions
    )
