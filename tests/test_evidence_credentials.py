"""C2PA content credentials: files signed here under a test CA, then read back offline."""

from __future__ import annotations

import http.server
import io
import json
import threading
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import c2pa
import numpy as np
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image

from sulh.errors import Invalid
from sulh.evidence import credentials
from sulh.evidence.credentials import MEDIA_TYPES, content_credentials
from sulh.evidence.media import ALLOWED

DIGITAL_CAPTURE = "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
# Signing and checking both stay off the network, as reading does.
OFFLINE = {
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    "core": {"allowed_network_hosts": []},
    "builder": {"thumbnail": {"enabled": False}},
}

# A signing chain, made here ----------------------------------------------------------------


@dataclass(frozen=True)
class SigningChain:
    certificates: bytes  # the signer's certificate, then the CA's, in PEM
    key: bytes
    ca: str


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sulh tests"),
        ]
    )


def _usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePublicKey,
    issuer_key: ec.EllipticCurvePrivateKey,
    *,
    ca: bool,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_usage(sign_certs=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
    )
    if not ca:
        # C2PA wants an end-entity signer with a signing EKU, vouched for by its issuer.
        eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION])
        authority = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())
        builder = builder.add_extension(eku, critical=False)
        builder = builder.add_extension(authority, critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def chain() -> SigningChain:
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Sulh Test CA")
    ca = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    signer = _certificate(_name("Sulh Test Signer"), ca_name, key.public_key(), ca_key, ca=False)
    pem = serialization.Encoding.PEM
    return SigningChain(
        certificates=signer.public_bytes(pem) + ca.public_bytes(pem),
        key=key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
        ca=ca.public_bytes(pem).decode(),
    )


def sign(data: bytes, media_type: str, chain: SigningChain, *, remote_url: str = "") -> bytes:
    """`data` with a C2PA manifest signed by `chain`, with no timestamp authority."""
    manifest = {
        "claim_generator_info": [{"name": "sulh-tests", "version": "1.0"}],
        "title": "checkpoint",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {"action": "c2pa.created", "digitalSourceType": DIGITAL_CAPTURE},
                        {"action": "c2pa.cropped"},
                    ]
                },
            }
        ],
    }
    info = c2pa.C2paSignerInfo(b"es256", chain.certificates, chain.key, None)
    signed = io.BytesIO()
    with (
        c2pa.Context.from_dict(OFFLINE) as context,
        c2pa.Builder(manifest, context=context) as builder,
        c2pa.Signer.from_info(info) as signer,
    ):
        if remote_url:
            builder.set_no_embed()
            builder.set_remote_url(remote_url)
        builder.sign(signer, media_type, io.BytesIO(data), signed)
    return signed.getvalue()


# Files, made here rather than kept as binary files ------------------------------------------


def photo() -> bytes:
    return _pillow("JPEG")


def _pillow(pillow_format: str) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((64, 48)).convert("RGB").save(out, pillow_format)
    return out.getvalue()


def recording() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x10" * 800)
    return out.getvalue()


def video() -> bytes:
    av = pytest.importorskip("av")
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=4)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for shade in range(0, 200, 50):
            pixels = np.full((32, 32, 3), shade, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        container.mux(stream.encode())
    return out.getvalue()


def flip_image_byte(jpeg: bytes) -> bytes:
    """`jpeg` with one byte of its compressed pixels changed, and its manifest left whole."""
    scan = jpeg.rindex(b"\xff\xda")  # start of scan: the pixels follow its header
    start = scan + 2 + int.from_bytes(jpeg[scan + 2 : scan + 4], "big")
    position = (start + jpeg.rindex(b"\xff\xd9")) // 2
    # Keep clear of 0xFF, which would begin a marker and break the file instead.
    while jpeg[position] >= 0xFE or jpeg[position - 1] == 0xFF:
        position += 1
    changed = bytearray(jpeg)
    changed[position] ^= 0x01
    return bytes(changed)


def saved(tmp_path: Path, data: bytes, name: str = "evidence.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def codes(found: dict[str, Any]) -> list[str]:
    return [problem["code"] for problem in found["problems"]]


# Reading -------------------------------------------------------------------------------------


def test_a_photo_without_a_manifest_has_no_credentials(tmp_path: Path) -> None:
    assert content_credentials(saved(tmp_path, photo()), "image/jpeg") is None


def test_a_signer_on_no_trust_list_is_untrusted(tmp_path: Path, chain: SigningChain) -> None:
    found = content_credentials(saved(tmp_path, sign(photo(), "image/jpeg", chain)), "image/jpeg")

    assert found is not None
    # c2pa-rs calls this state "Valid" and adds signingCredential.untrusted; Sulh says so.
    assert found["status"] == "untrusted"
    assert codes(found) == ["signingCredential.untrusted"]
    assert found["claim_generator"] == "sulh-tests 1.0"
    assert found["title"] == "checkpoint"
    assert found["actions"] == ["c2pa.created", "c2pa.cropped"]
    assert found["ingredients"] == []
    assert found["signer"] == "Sulh Test Signer"
    assert found["signer_organization"] == "Sulh tests"
    assert "signed_at" not in found  # only a timestamp authority gives one, and none was asked
    assert found["reader"] == f"c2pa-python {c2pa.__version__} (c2pa-rs {c2pa.sdk_version()})"
    assert json.loads(json.dumps(found)) == found


def test_a_signer_under_a_given_trust_anchor_is_valid(tmp_path: Path, chain: SigningChain) -> None:
    path = saved(tmp_path, sign(photo(), "image/jpeg", chain))

    found = content_credentials(path, "image/jpeg", trust_anchors=chain.ca)

    assert found is not None
    assert (found["status"], found["problems"]) == ("valid", [])


def test_trust_anchors_that_are_not_certificates_are_refused(
    tmp_path: Path, chain: SigningChain
) -> None:
    path = saved(tmp_path, sign(photo(), "image/jpeg", chain))

    with pytest.raises(Invalid, match="trust anchors are not usable PEM certificates"):
        content_credentials(path, "image/jpeg", trust_anchors="not a certificate")


@pytest.mark.parametrize(
    ("media_type", "make"),
    [
        ("image/png", lambda: _pillow("PNG")),
        ("image/webp", lambda: _pillow("WEBP")),
        ("image/gif", lambda: _pillow("GIF")),
        ("application/pdf", lambda: _pillow("PDF")),
        ("audio/wav", recording),
        ("video/mp4", video),
    ],
)
def test_other_kinds_of_evidence_are_read(
    tmp_path: Path, chain: SigningChain, media_type: str, make: Callable[[], bytes]
) -> None:
    found = content_credentials(saved(tmp_path, sign(make(), media_type, chain)), media_type)

    assert found is not None
    assert (found["status"], found["actions"]) == ("untrusted", ["c2pa.created", "c2pa.cropped"])


def test_a_changed_pixel_byte_is_a_hash_mismatch(tmp_path: Path, chain: SigningChain) -> None:
    changed = flip_image_byte(sign(photo(), "image/jpeg", chain))

    found = content_credentials(saved(tmp_path, changed), "image/jpeg", trust_anchors=chain.ca)

    assert found is not None
    assert found["status"] == "invalid"
    assert codes(found) == ["assertion.dataHash.mismatch"]
    assert found["actions"] == ["c2pa.created", "c2pa.cropped"]  # the manifest itself still reads


@pytest.mark.parametrize("damage", ["box length", "claim"])
def test_a_broken_manifest_is_invalid(tmp_path: Path, chain: SigningChain, damage: str) -> None:
    """A manifest that cannot be parsed is a finding about the file, not a reason to refuse
    it: the pixels are whole, and someone may have damaged the credentials."""
    data = bytearray(sign(photo(), "image/jpeg", chain))
    if damage == "box length":  # the first box inside the manifest now runs past the file
        box = data.index(b"jumd") - 4
        data[box : box + 4] = b"\xff\xff\xff\x00"
    else:
        claim = data.index(b"c2pa.claim") + 40
        data[claim : claim + 20] = b"\xff" * 20

    found = content_credentials(saved(tmp_path, bytes(data)), "image/jpeg")

    assert found is not None
    assert (found["status"], codes(found)) == ("invalid", ["general.error"])
    assert found["problems"][0]["explanation"]


def test_a_file_that_is_not_its_media_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="cannot be read as image/jpeg"):
        content_credentials(saved(tmp_path, b"not a photo " * 20), "image/jpeg")


def test_a_read_past_its_budget_is_refused(
    tmp_path: Path, chain: SigningChain, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = saved(tmp_path, sign(photo(), "image/jpeg", chain))
    # A sound JPEG is read about twice over; a budget of once over cannot be met.
    monkeypatch.setattr(credentials, "READ_FACTOR", 1)
    monkeypatch.setattr(credentials, "READ_SLACK", 0)

    with pytest.raises(Invalid, match="stall the reader"):
        content_credentials(path, "image/jpeg")


def test_types_c2pa_does_not_cover_have_no_credentials(tmp_path: Path, chain: SigningChain) -> None:
    path = saved(tmp_path, sign(photo(), "image/jpeg", chain))

    assert content_credentials(path, "audio/ogg") is None
    assert content_credentials(path, "text/plain") is None


def test_the_media_types_read_are_the_lockers_that_c2pa_reads() -> None:
    assert MEDIA_TYPES <= set(c2pa.Reader.get_supported_mime_types())
    assert ALLOWED - MEDIA_TYPES == {"audio/ogg", "text/plain"}


# Offline -------------------------------------------------------------------------------------


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A local web server, and the paths it was asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_error(404)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/manifest.c2pa", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_remote_manifest_is_named_but_never_fetched(
    tmp_path: Path, chain: SigningChain, web: tuple[str, list[str]]
) -> None:
    url, asked = web
    path = saved(tmp_path, sign(photo(), "image/jpeg", chain, remote_url=url))

    found = content_credentials(path, "image/jpeg")

    assert found is not None
    assert (found["status"], found["remote_url"]) == ("remote", url)
    assert codes(found) == ["manifest.inaccessible"]
    assert asked == []
    # The library's defaults would have fetched it: the settings are what keep Sulh offline.
    with path.open("rb") as stream, pytest.raises(c2pa.C2paError):
        c2pa.Reader("image/jpeg", stream)
    assert asked == ["/manifest.c2pa"]
