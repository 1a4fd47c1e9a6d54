"""The web interface without a browser: sessions, CSRF, roles, forms, languages, catalogues.

The journeys in a real Chromium are in test_web_browser.py; these check the server's side
of the same promises, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sulh.canonical import canonical_json
from sulh.clock import Clock
from sulh.config import Settings
from sulh.store import Store
from sulh.store.tables import Evidence, Report, SubmissionSignature
from sulh.web.app import create_app
from sulh.web.ui.i18n import LANGUAGES, from_accept_language, translations
from tests.conftest import PASSWORD, Actors
from tests.flow import proposed_measure
from tests.test_evidence_metadata import photo

UI = Path(__file__).resolve().parents[1] / "src" / "sulh" / "web" / "ui"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z]+\}")


@pytest.fixture
def web(store: Store, tmp_path: Path, clock: Clock, actors: Actors) -> Iterator[TestClient]:
    settings = Settings.load(environ={"SULH_FUSION": "inline"}, data_dir=tmp_path)
    app = create_app(settings, store=store, clock=clock)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "username": username, "password": PASSWORD})
    assert answer.status_code == 303, answer.text


def count_reports(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Report)) or 0


# Sessions and CSRF ------------------------------------------------------------------------


def test_login_sets_a_protected_session_cookie(web: TestClient) -> None:
    token = csrf_of(web.get("/login").text)
    answer = web.post("/login", data={"csrf": token, "username": "analyst", "password": PASSWORD})
    assert answer.status_code == 303 and answer.headers["location"] == "/analyst"
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("sulh_session"))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie


def test_a_wrong_password_is_refused_and_not_echoed(web: TestClient) -> None:
    token = csrf_of(web.get("/login").text)
    answer = web.post("/login", data={"csrf": token, "username": "analyst", "password": "nope!!"})
    assert answer.status_code == 401
    assert 'class="problem"' in answer.text and "nope!!" not in answer.text


def test_a_form_without_its_csrf_token_writes_nothing(web: TestClient, store: Store) -> None:
    log_in(web, "liaison.af")
    before = count_reports(store)
    answer = web.post("/liaison/complaints/new", data={"text": "Shelling at dawn."})
    assert answer.status_code == 403 and "security token" in answer.text
    assert count_reports(store) == before


def test_a_form_posted_from_another_site_is_refused(web: TestClient) -> None:
    log_in(web, "analyst")
    token = csrf_of(web.get("/analyst").text)
    answer = web.post(
        "/language",
        data={"csrf": token, "language": "tr"},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403 and "evil.example" in answer.text


def test_login_only_sends_the_browser_on_to_our_own_pages(web: TestClient) -> None:
    token = csrf_of(web.get("/login").text)
    data = {"csrf": token, "username": "analyst", "password": PASSWORD, "next": "//evil.example"}
    assert web.post("/login", data=data).headers["location"] == "/analyst"


def test_logging_out_ends_the_session(web: TestClient) -> None:
    log_in(web, "analyst")
    session = web.cookies.get("sulh_session")
    assert web.post("/logout", data={"csrf": csrf_of(web.get("/analyst").text)}).status_code == 303
    again = TestClient(web.app, base_url="https://testserver", follow_redirects=False)
    again.cookies.set("sulh_session", session or "")
    assert again.get("/analyst").status_code == 303  # sent to log in: the token was revoked


def test_pages_carry_a_strict_content_security_policy(web: TestClient) -> None:
    policy = web.get("/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


# Roles ------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(web: TestClient) -> None:
    answer = web.get("/liaison")
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/liaison"


@pytest.mark.parametrize(
    ("username", "refused"),
    [
        ("liaison.af", ["/analyst", "/monitor", "/guarantor", "/admin"]),
        ("monitor", ["/liaison", "/analyst", "/admin"]),
        ("guarantor", ["/liaison/complaints/new", "/analyst", "/admin"]),
        ("analyst", ["/liaison", "/monitor", "/guarantor", "/admin"]),
    ],
)
def test_each_role_opens_only_its_pages_and_sees_only_its_links(
    web: TestClient, username: str, refused: list[str]
) -> None:
    log_in(web, username)
    home = web.get("/").text
    for path in refused:
        assert web.get(path).status_code == 403, path
        assert f'href="{path}"' not in home, path


def test_a_liaison_cannot_open_an_incident_its_tier_hides(web: TestClient, actors: Actors) -> None:
    observed = {
        "kind": "observation",
        "event_time": "2025-10-20T10:00:00+05:00",
        "event_type": "troop_movement",
        "text": "Convoy of twelve trucks moving east.",
        "tier": "internal",
    }
    signed = web.post(
        "/api/v1/incidents",
        headers=actors.headers("analyst"),
        json={"report_ids": [_api_report(web, actors, observed)], "title": "Convoy"},
    )
    incident_id = signed.json()["id"]
    log_in(web, "analyst")
    assert web.get(f"/incidents/{incident_id}").status_code == 200
    web.cookies.clear()
    log_in(web, "liaison.pk")
    assert web.get(f"/incidents/{incident_id}").status_code == 404


def _api_report(web: TestClient, actors: Actors, body: dict[str, Any]) -> int:
    answer = web.post("/api/v1/reports", headers=actors.headers("analyst"), json=body)
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


# Forms ------------------------------------------------------------------------------------


def test_errors_appear_beside_the_field_in_the_viewers_language_and_keep_what_was_typed(
    web: TestClient,
) -> None:
    web.headers["Accept-Language"] = "tr-TR,tr;q=0.9"
    log_in(web, "liaison.af")
    token = csrf_of(web.get("/liaison/complaints/new").text)
    typed = "Mortar rounds fell <b>near</b> the school."
    answer = web.post(
        "/liaison/complaints/new",
        data={
            "csrf": token,
            "text": typed,
            "event_type": "",
            "event_time": "",
            "time_precision": "day",
            "place_precision": "town",
            "language": "en",
        },
    )
    assert answer.status_code == 422
    assert "Mortar rounds fell &lt;b&gt;near&lt;/b&gt; the school." in answer.text
    field = re.search(r'<div class="field has-error">\s*<label for="f-event_type">', answer.text)
    assert field, "the error is not beside the event type"
    assert 'id="e-event_type"' in answer.text and 'aria-invalid="true"' in answer.text
    required = translations("tr").gettext("This field is required.")
    assert '<html lang="tr"' in answer.text and required != "This field is required."
    assert f'<p class="error" id="e-event_type">{required}</p>' in answer.text


def _form_body(kind: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "event_type": "shelling_artillery",
        "event_time": "2025-10-21T06:00:00+00:00",
        "time_precision": "hour",
        "text": "Three mortar rounds landed near the school at dawn.",
        "language": "en",
        "alleged_perpetrator": "PK",
        "place": {"name": "Barmal", "precision": "district"},
        "casualties": [{"group": "civilian", "outcome": "injured", "best": 2}],
    }


def test_a_complaint_signed_in_the_browser_is_filed_and_its_replay_refused(
    web: TestClient, actors: Actors, clock: Clock, store: Store
) -> None:
    log_in(web, "liaison.af")
    body = {
        **_form_body("complaint"),
        "nonce": secrets.token_hex(16),
        "signed_at": clock().isoformat(),
    }
    signature = base64.b64encode(
        actors.signers["liaison_af"].private.sign(canonical_json(body))
    ).decode()
    form = {"signed_body": json.dumps(body), "signature": signature}
    photo = {"files": ("photo.png", _png(), "image/png")}
    token = csrf_of(web.get("/liaison/complaints/new").text)
    answer = web.post("/liaison/complaints/new", data={"csrf": token, **form}, files=photo)
    assert answer.status_code == 303, answer.text
    assert "notice=filed" in answer.headers["location"]
    with store.read() as session:
        report = session.scalars(select(Report).order_by(Report.id.desc())).first()
        assert report is not None and report.kind == "complaint" and report.filed_for_party == "AF"
        assert session.scalar(
            select(SubmissionSignature.id).where(SubmissionSignature.record_id == report.id)
        )
        evidence = session.scalars(select(Evidence).where(Evidence.report_id == report.id)).one()
    download = web.get(f"/evidence/{evidence.id}")
    assert download.content == _png() and "attachment" in download.headers["content-disposition"]
    before = count_reports(store)
    again = web.post("/liaison/complaints/new", data={"csrf": token, **form}, files=photo)
    assert again.status_code == 422 and "replay" in again.text
    assert count_reports(store) == before
    stranger = TestClient(web.app, base_url="https://testserver", follow_redirects=False)
    assert stranger.get(f"/evidence/{evidence.id}").status_code == 404  # not released


def test_a_complaint_signed_with_another_key_is_refused(
    web: TestClient, actors: Actors, clock: Clock, store: Store
) -> None:
    log_in(web, "liaison.af")
    body = {
        **_form_body("complaint"),
        "nonce": secrets.token_hex(16),
        "signed_at": clock().isoformat(),
    }
    forged = base64.b64encode(
        actors.signers["liaison_pk"].private.sign(canonical_json(body))
    ).decode()
    before = count_reports(store)
    token = csrf_of(web.get("/liaison/complaints/new").text)
    answer = web.post(
        "/liaison/complaints/new",
        data={
            "csrf": token,
            "signed_body": json.dumps(body),
            "signature": forged,
            "text": body["text"],
        },
    )
    assert answer.status_code == 422 and "does not verify" in answer.text
    assert body["text"] in answer.text
    assert count_reports(store) == before


def test_an_unsigned_complaint_is_refused_and_the_form_kept(web: TestClient, store: Store) -> None:
    log_in(web, "liaison.af")
    token = csrf_of(web.get("/liaison/complaints/new").text)
    before = count_reports(store)
    answer = web.post(
        "/liaison/complaints/new",
        data={
            "csrf": token,
            "event_type": "shelling_artillery",
            "event_time": "2025-10-21T06:00",
            "time_precision": "hour",
            "place_precision": "town",
            "language": "en",
            "text": "Shelling at dawn.",
        },
    )
    assert answer.status_code == 422 and "must be signed" in answer.text
    assert "Shelling at dawn." in answer.text and count_reports(store) == before


def test_a_notice_in_a_link_cannot_put_words_on_the_page(web: TestClient) -> None:
    answer = web.get("/?notice=<script>alert(1)</script>&id=1")
    assert "alert(1)" not in answer.text
    shown = web.get("/?notice=saved&index=<b>")
    assert 'class="notice"' in shown.text and "<b>" not in shown.text


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# Languages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang", "direction"),
    [
        ("ps-AF,ps;q=0.9", "ps", "rtl"),
        ("fa-IR,fa;q=0.8", "fa-AF", "rtl"),
        ("ar-QA", "ar", "rtl"),
        ("ur", "ur", "rtl"),
        ("tr-TR,en;q=0.5", "tr", "ltr"),
        ("de-DE,de;q=0.9", "en", "ltr"),
    ],
)
def test_the_browsers_language_chooses_the_page_language_and_direction(
    web: TestClient, header: str, lang: str, direction: str
) -> None:
    html = web.get("/", headers={"Accept-Language": header}).text
    assert f'<html lang="{lang}" dir="{direction}">' in html


def test_a_users_chosen_language_follows_them(web: TestClient) -> None:
    log_in(web, "analyst")
    token = csrf_of(web.get("/analyst").text)
    web.post("/settings", data={"csrf": token, "language": "ar", "zone": "Asia/Kabul"})
    other = TestClient(web.app, base_url="https://testserver", follow_redirects=False)
    log_in(other, "analyst")
    page = other.get("/analyst", headers={"Accept-Language": "en"}).text
    assert '<html lang="ar" dir="rtl">' in page and "Asia/Kabul" in page


def test_accept_language_weights_are_honoured() -> None:
    assert from_accept_language("en;q=0.1, ur;q=0.9") == "ur"
    assert from_accept_language("xx, zz") is None


def _read(path: Path) -> Any:
    with path.open("rb") as handle:
        return read_po(handle)


def test_every_catalogue_passes_the_gettext_checker_and_is_complete() -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt (Debian package gettext) is needed"
    template = _read(UI / "locales" / "sulh.pot")
    wanted = {m.id for m in template if m.id}
    for code in LANGUAGES:
        if code == "en":
            continue
        po = UI / "locales" / code / "LC_MESSAGES" / "sulh.po"
        checked = subprocess.run(
            [msgfmt, "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        catalogue = _read(po)
        have = {m.id: m for m in catalogue if m.id}
        assert wanted <= set(have), f"{code} lacks {sorted(map(str, wanted - set(have)))[:5]}"
        for message in have.values():
            assert message.string and not message.fuzzy, f"{code}: {message.id!r} untranslated"
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            expected = set(PLACEHOLDER.findall(ids[-1]))
            # A plural form for exactly one may say "one" rather than show the number.
            assert set(PLACEHOLDER.findall(strings[-1])) == expected, f"{code}: {message.id!r}"
            for text in strings:
                assert set(PLACEHOLDER.findall(text)) <= expected, f"{code}: {message.id!r}"


# Attributes whose values people read: the browser shows them, or the page's scripts do.
TEXT_ATTRIBUTES = {
    "placeholder",
    "title",
    "alt",
    "aria-label",
    "data-left",
    "data-over",
    "data-kept",
    "data-none",
    "data-empty",
    "data-sent",
    "data-waiting",
    "data-refused",
    "data-online",
    "data-offline",
}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_data(self, data: str) -> None:
        # A macro that writes attributes (name="value") writes markup, not text.
        self._keep(re.sub(r'[\w-]+="[^"]*"', " ", data))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in TEXT_ATTRIBUTES or name.startswith("data-label"):
                self._keep(value or "")

    def _keep(self, text: str) -> None:
        if re.search(r"[A-Za-z]{2,}", text):
            self.found.append(text.strip())


def _visible_text(source: str) -> list[str]:
    """Text of a template that reaches the page without passing through gettext: every
    Jinja expression and tag is taken out (what `_()` gives is translated), then what an
    HTML parser still finds as text, or in an attribute people read, is untranslated."""
    plain = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    plain = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "\x00", plain, flags=re.S)
    parser = _Text()
    parser.feed(plain)
    parser.close()
    return parser.found


@pytest.mark.parametrize("template", sorted(p.name for p in (UI / "templates").glob("*.html")))
def test_every_visible_string_of_a_template_is_translatable(template: str) -> None:
    source = (UI / "templates" / template).read_text(encoding="utf-8")
    assert _visible_text(source) == []


def test_the_checker_of_visible_strings_can_fail() -> None:
    assert _visible_text("<p>Reply now</p>") == ["Reply now"]
    assert _visible_text('<input placeholder="Name">') == ["Name"]
    assert _visible_text("<p>{{ _('Reply now') }}</p>") == []


def test_dates_are_shown_in_the_viewers_time_zone(web: TestClient) -> None:
    web.cookies.set("sulh_tz", "Asia/Kabul")
    assert "Asia/Kabul" in web.get("/").text
    web.cookies.set("sulh_tz", "Not/AZone")
    assert "Times are shown in UTC" in web.get("/").text


# Penalties on the pages -----------------------------------------------------------------


def test_guarantors_ratify_a_measure_the_party_answers_and_the_public_sees_it(
    web: TestClient, client: TestClient, actors: Actors
) -> None:
    measure = proposed_measure(client, actors)
    assert "Recommendation" in measure["text"] or measure["measure"]
    for envoy in ("guarantor", "guarantor2"):
        web.cookies.clear()
        log_in(web, envoy)
        page = web.get("/guarantor").text
        assert f'action="/guarantor/measures/{measure["id"]}/decide"' in page
        answer = web.post(
            f"/guarantor/measures/{measure['id']}/decide",
            data={"csrf": csrf_of(page), "decision": "ratify", "reason": "The finding stands."},
        )
        assert answer.status_code == 303, answer.text
    web.cookies.clear()
    log_in(web, "liaison.pk")
    page = web.get("/liaison").text
    assert f'action="/liaison/measures/{measure["id"]}/evidence"' in page
    answer = web.post(
        f"/liaison/measures/{measure['id']}/evidence",
        data={"csrf": csrf_of(page), "text": "The unit was named in a letter to the mechanism."},
    )
    assert answer.status_code == 303
    web.cookies.clear()
    public = web.get("/").text
    assert measure["text"] in public and measure["rule"] in public


def test_a_second_decision_by_the_same_envoy_is_refused_on_the_page(
    web: TestClient, client: TestClient, actors: Actors
) -> None:
    measure = proposed_measure(client, actors)
    log_in(web, "guarantor")
    for expected in (303, 422):
        page = web.get("/guarantor").text
        answer = web.post(
            f"/guarantor/measures/{measure['id']}/decide",
            data={"csrf": csrf_of(page), "decision": "ratify", "reason": "It stands."},
        )
        assert answer.status_code == expected
    assert "already decided" in answer.text


def test_a_guarantor_releases_one_report_from_its_incident_page(
    web: TestClient, actors: Actors
) -> None:
    body = {
        "kind": "media",
        "event_time": "2025-10-20T10:00:00+05:00",
        "event_type": "shelling_artillery",
        "text": "Shells fell near the bazaar in the afternoon, residents said.",
        "tier": "joint",
        "source": "Local radio",
    }
    report_id = _api_report(web, actors, body)
    incident = web.post(
        "/api/v1/incidents",
        headers=actors.headers("analyst"),
        json={"report_ids": [report_id], "title": "Shelling", "tier": "public"},
    ).json()
    assert web.get(f"/api/v1/reports/{report_id}").status_code == 404
    log_in(web, "guarantor")
    page = web.get(f"/incidents/{incident['id']}").text
    assert f'action="/guarantor/reports/{report_id}/release"' in page
    answer = web.post(
        f"/guarantor/reports/{report_id}/release", data={"csrf": csrf_of(page), "tier": "public"}
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith(
        f"/incidents/{incident['id']}"
    )
    web.cookies.clear()
    assert web.get(f"/api/v1/reports/{report_id}").status_code == 200


def test_an_analyst_sees_where_a_photo_was_taken_and_that_it_does_not_match(
    web: TestClient, actors: Actors
) -> None:
    body = {
        "kind": "observation",
        "event_time": "2025-10-28T21:00:00+04:30",
        "event_type": "air_or_drone_strike",
        "text": "Crater in a compound; fragments collected.",
        "place": {"name": "Barmal", "lat": 32.7, "lon": 69.2, "precision": "town"},
        "tier": "parties",
    }
    report_id = _api_report(web, actors, body)
    far = photo(taken="2025:10:23 10:00:00", offset=None, lat=(34, 30, 0, "N"))  # ~200 km off
    upload = web.post(
        f"/api/v1/reports/{report_id}/evidence",
        headers=actors.headers("analyst"),
        files={"file": ("crater.jpg", far, "image/jpeg")},
    )
    assert upload.status_code == 201, upload.text
    incident = web.post(
        "/api/v1/incidents",
        headers=actors.headers("analyst"),
        json={"report_ids": [report_id], "title": "Strike", "tier": "parties"},
    ).json()
    log_in(web, "analyst")
    page = web.get(f"/incidents/{incident['id']}").text
    assert "34.5000, 69.2000" in page and "Samsung SM-A546E" in page
    assert page.count("badge badge-contested") >= 2  # the place and the date both disagree
    web.cookies.clear()
    log_in(web, "observer")  # reads the parties' tier, but not where a camera was
    seen = web.get(f"/incidents/{incident['id']}").text
    assert "crater.jpg" in seen and "34.5000" not in seen and "Samsung" not in seen


def test_a_file_that_says_little_about_itself_still_shows_on_the_incident_page(
    web: TestClient, actors: Actors
) -> None:
    body = {
        "kind": "observation",
        "event_time": "2025-10-28T21:00:00+04:30",
        "event_type": "air_or_drone_strike",
        "text": "Crater in a compound.",
    }
    report_id = _api_report(web, actors, body)
    upload = web.post(
        f"/api/v1/reports/{report_id}/evidence",
        headers=actors.headers("analyst"),
        files={"file": ("plain.png", _png(), "image/png")},
    )
    assert upload.status_code == 201
    incident = web.post(
        "/api/v1/incidents",
        headers=actors.headers("analyst"),
        json={"report_ids": [report_id], "title": "Strike"},
    ).json()
    log_in(web, "analyst")
    page = web.get(f"/incidents/{incident['id']}")
    assert page.status_code == 200 and "plain.png" in page.text
