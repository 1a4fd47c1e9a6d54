"""Languages of the web interface: gettext catalogues, the viewer's choice, dates in their zone.

The catalogues are standard gettext `.po` files under `locales/`; they are compiled in memory
when first used, so there is no build step. A language is chosen by the user's saved
preference, then the `sulh_lang` cookie, then the browser's Accept-Language, then English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import files
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

DOMAIN = "sulh"
DEFAULT = "en"
DEFAULT_ZONE = "UTC"


@dataclass(frozen=True)
class Language:
    code: str  # the catalogue's folder name
    tag: str  # the BCP 47 tag for <html lang> and Accept-Language matching
    name: str  # the language's name in itself
    rtl: bool


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "en", "English", rtl=False),
        Language("ur", "ur", "اردو", rtl=True),
        Language("ps", "ps", "پښتو", rtl=True),
        Language("fa_AF", "fa-AF", "دری", rtl=True),
        Language("ar", "ar", "العربية", rtl=True),
        Language("tr", "tr", "Türkçe", rtl=False),
    )
}


def locales_dir() -> Any:
    return files("sulh.web.ui") / "locales"


@cache
def translations(code: str) -> NullTranslations:
    """The compiled catalogue of `code` (English is the source language: no catalogue)."""
    if code == DEFAULT:
        return NullTranslations()
    po = locales_dir() / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def from_accept_language(header: str) -> str | None:
    """The best of our languages for an Accept-Language header, or None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if tag:
            ranked.append((-weight, position, tag.strip().lower()))
    for _weight, _position, tag in sorted(ranked):
        found = match_tag(tag)
        if found:
            return found
    return None


def match_tag(tag: str) -> str | None:
    """Our language for a BCP 47 tag: exact first, then by its primary subtag.

    Plain `fa` (Persian) is served in Dari, the closest language the interface speaks."""
    tag = tag.replace("_", "-").lower()
    for lang in LANGUAGES.values():
        if lang.tag.lower() == tag or lang.code.lower() == tag:
            return lang.code
    primary = tag.split("-")[0]
    for lang in LANGUAGES.values():
        if lang.tag.lower().split("-")[0] == primary:
            return lang.code
    return None


def valid_zone(name: str | None) -> str | None:
    if not name or len(name) > 64 or name not in zone_names():
        return None
    return name


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


class Speaker:
    """One viewer's language and time zone, and the words and dates in them."""

    def __init__(self, code: str, zone: str = DEFAULT_ZONE) -> None:
        self.language = LANGUAGES[code]
        self.locale = Locale.parse(code)
        try:
            self.zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = ZoneInfo(DEFAULT_ZONE)
        self.catalogue = translations(code)

    @property
    def code(self) -> str:
        return self.language.code

    @property
    def direction(self) -> str:
        return "rtl" if self.language.rtl else "ltr"

    def gettext(self, message: str, **values: Any) -> str:
        text = self.catalogue.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        text = self.catalogue.ngettext(singular, plural, n)
        return text % {"num": n, **values}

    def when(self, moment: datetime | None, *, with_time: bool = True) -> str:
        """A stored UTC moment, in the viewer's zone and language."""
        if moment is None:
            return ""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo("UTC"))
        if not with_time:
            return format_date(moment.astimezone(self.zone), "medium", locale=self.locale)
        return format_datetime(moment, "medium", tzinfo=self.zone, locale=self.locale)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.locale)


def _(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where shown."""
    return message
