"""Read the news: articles and statements become events and claims, offline (docs/extract.md)."""

from sulh.extract.articles import Article, read_articles
from sulh.extract.ingest import Ingested, ingest_articles
from sulh.extract.pipeline import EXTRACTOR, extract_article

__all__ = [
    "EXTRACTOR",
    "Article",
    "Ingested",
    "extract_article",
    "ingest_articles",
    "read_articles",
]
