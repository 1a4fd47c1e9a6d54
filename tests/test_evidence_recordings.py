"""Metadata of recordings (MP4, MOV, M4A, MP3, Ogg): read it, strip it, refuse broken files.

Samples are encoded here with PyAV (FFmpeg's muxers write the tags the way phones and
editors do); Sulh itself reads them without PyAV.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sulh.errors import Invalid
from sulh.evidence.recordings import RECORDINGS, describe_recording, strip_recording
from sulh.evidence.tagged_audio import CHUNK

WHEN = "2025-03-14T09:26:53+00:00"
PLACE = {"lat": 33.5123, "lon": 69.9012}
TAGS = {
    "creation_time": "2025-03-14T09:26:53.000000Z",
    "location": "+33.5123+069.9012+012.000/",
    "make": "Apple",
    "model": "iPhone 12",
    "artist": "Witness Name",
    "encoded_by": "Phone X",
    "comment": "near the checkpoint",
}
IDENTIFYING = {"captured_at", "gps", "device", "tags"}
SECRETS = [b"Witness Name", b"iPhone 12", b"Phone X", b"+33.5123", b"checkpoint"]
ISO_TYPES = ["video/mp4", "video/quicktime", "audio/mp4"]

# Samples -------------------------------------------------------------------------------------


def make_video(
    path: Path,
    *,
    fmt: str = "mp4",
    options: dict[str, str] | None = None,
    tags: dict[str, str] = TAGS,
) -> Path:
    """Ten 64×64 MPEG-4 frames at 10 fps: one second of video."""
    with av.open(str(path), "w", format=fmt, options=options or {}) as container:
        container.metadata.update(tags)
        stream = container.add_stream("mpeg4", rate=10)
        stream.width = stream.height = 64
        stream.pix_fmt = "yuv420p"
        for index in range(10):
            image = np.full((64, 64, 3), index * 20, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode())
    return path


def make_audio(
    path: Path, *, codec: str, fmt: str | None = None, options: dict[str, str] | None = None
) -> Path:
    """One second of a stereo 440 Hz tone."""
    rate = 48_000 if codec == "libopus" else 44_100
    with av.open(str(path), "w", format=fmt, options=options or {}) as container:
        container.metadata.update(TAGS)
        stream = container.add_stream(codec, rate=rate, layout="stereo")
        tone = (np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(
            np.stack([tone, tone]).reshape(1, -1, order="F"), format="s16", layout="stereo"
        )
        frame.sample_rate = rate
        container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return path


SAMPLES: dict[str, tuple[str, Callable[[Path], Path]]] = {
    # FFmpeg's mp4 muxer writes the place as a 3GPP `loci` box and no make or model.
    "mp4": ("video/mp4", lambda path: make_video(path)),
    # With use_metadata_tags every tag goes to `udta/meta` as keyed (`mdta`) items.
    "mp4-keys": (
        "video/mp4",
        lambda path: make_video(path, options={"movflags": "use_metadata_tags"}),
    ),
    # The mov muxer writes QuickTime text atoms: ©xyz, ©mak, ©mod.
    "mov": ("video/quicktime", lambda path: make_video(path, fmt="mov")),
    "m4a": ("audio/mp4", lambda path: make_audio(path, codec="aac", fmt="ipod")),
    "mp3": (
        "audio/mpeg",
        lambda path: make_audio(path, codec="libmp3lame", fmt="mp3", options={"write_id3v1": "1"}),
    ),
    "ogg": ("audio/ogg", lambda path: make_audio(path, codec="libopus", fmt="ogg")),
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("recordings")
    return {name: make(folder / f"{name}.bin") for name, (_, make) in SAMPLES.items()}


def frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(container.streams[0]))


def near(found: dict[str, float], expected: dict[str, float]) -> bool:
    # `loci` stores degrees as 16.16 fixed point, good to about 2 m.
    return all(abs(found[key] - expected[key]) < 1e-4 for key in expected)


def box(kind: bytes, payload: bytes = b"", size: int | None = None) -> bytes:
    return struct.pack(">I4s", 8 + len(payload) if size is None else size, kind) + payload


FTYP = box(b"ftyp", b"isom\0\0\2\0isomiso2mp41")


def top_level(data: bytes) -> dict[bytes, int]:
    """Where each top-level box starts."""
    found, offset = {}, 0
    while offset < len(data):
        size, kind = struct.unpack_from(">I4s", data, offset)
        found[kind] = offset
        offset += size
    return found


# Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_describe_reads_duration_time_and_place(samples: dict[str, Path], name: str) -> None:
    media_type = SAMPLES[name][0]
    found = describe_recording(samples[name], media_type)
    assert found["duration_seconds"] == pytest.approx(1.0, abs=0.1)
    assert near(found["gps"], PLACE)
    # MP3 keeps FFmpeg's creation time in TDEN, with no zone.
    assert found["captured_at"] == (WHEN[:19] if name == "mp3" else WHEN)
    if media_type.startswith("audio/"):
        assert found["channels"] == 2
        assert found["sample_rate"] == (48_000 if name == "ogg" else 44_100)
        assert found["tags"]["artist"] == "Witness Name"


@pytest.mark.parametrize("name", ["mp4-keys", "mov"])
def test_describe_reads_the_device(samples: dict[str, Path], name: str) -> None:
    found = describe_recording(samples[name], SAMPLES[name][0])
    assert found["reader"] == "Sulh ISO-BMFF reader"
    assert found["device"] == {"make": "Apple", "model": "iPhone 12"}


def test_apple_keys_and_degrees_minutes(tmp_path: Path) -> None:
    apple = make_video(
        tmp_path / "apple.mov",
        fmt="mov",
        options={"movflags": "use_metadata_tags"},
        tags={
            "com.apple.quicktime.creationdate": "2025-03-14T12:26:53+0300",
            "com.apple.quicktime.location.ISO6709": "+3330.738-06954.072+012.000/",
            "com.apple.quicktime.make": "Apple",
            "com.apple.quicktime.author": "A. Witness",
        },
    )
    found = describe_recording(apple, "video/quicktime")
    assert found["captured_at"] == WHEN
    assert near(found["gps"], {"lat": 33.5123, "lon": -69.9012})
    assert found["device"] == {"make": "Apple"}
    assert found["tags"]["author"] == "A. Witness"


def test_iphone_metadata_in_moov_meta(tmp_path: Path) -> None:
    """iPhones put a QuickTime `meta` (no version and flags) straight under `moov`."""
    tags = {
        b"com.apple.quicktime.make": b"Apple",
        b"com.apple.quicktime.model": b"iPhone 15 Pro",
        b"com.apple.quicktime.location.ISO6709": b"+33.5123+069.9012+012.000/",
        b"com.apple.quicktime.creationdate": b"2025-03-14T12:26:53+0300",
    }
    keys = b"".join(struct.pack(">I4s", 8 + len(key), b"mdta") + key for key in tags)
    items = b"".join(
        box(struct.pack(">I", index), box(b"data", struct.pack(">II", 1, 0) + value))
        for index, value in enumerate(tags.values(), start=1)
    )
    meta = box(b"hdlr", bytes(8) + b"mdta" + bytes(12))
    meta += box(b"keys", struct.pack(">II", 0, len(tags)) + keys) + box(b"ilst", items)
    mvhd = box(b"mvhd", struct.pack(">5I", 0, 0, 0, 600, 1200) + bytes(80))
    movie = tmp_path / "iphone.mov"
    movie.write_bytes(
        box(b"ftyp", b"qt  \0\0\0\0qt  ") + box(b"moov", mvhd + box(b"meta", meta)) + box(b"mdat")
    )
    found = describe_recording(movie, "video/quicktime")
    assert found["duration_seconds"] == 2.0
    assert found["captured_at"] == WHEN
    assert found["gps"] == PLACE
    assert found["device"] == {"make": "Apple", "model": "iPhone 15 Pro"}
    target = tmp_path / "stripped.mov"
    strip_recording(source=movie, target=target, media_type="video/quicktime")
    assert describe_recording(target, "video/quicktime") == {
        "reader": "Sulh ISO-BMFF reader",
        "duration_seconds": 2.0,
    }


def test_a_file_without_metadata_says_only_its_length(tmp_path: Path) -> None:
    plain = make_video(tmp_path / "plain.mp4", tags={})
    found = describe_recording(plain, "video/mp4")
    assert set(found) == {"reader", "duration_seconds", "tags"}
    lavf = ".".join(str(part) for part in av.library_versions["libavformat"])
    assert found["tags"] == {"encoder": f"Lavf{lavf}"}


# Stripping -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_strip_removes_what_identifies(samples: dict[str, Path], tmp_path: Path, name: str) -> None:
    media_type, source = SAMPLES[name][0], samples[name]
    before = source.read_bytes()
    target = tmp_path / "stripped"
    method = strip_recording(source=source, target=target, media_type=media_type)
    assert method.endswith("unchanged.")
    found = describe_recording(target, media_type)
    assert not IDENTIFYING & set(found)
    assert found["duration_seconds"] == describe_recording(source, media_type)["duration_seconds"]
    stripped = target.read_bytes()
    assert not [secret for secret in SECRETS if secret in stripped]
    assert frames(target) == frames(source)
    assert source.read_bytes() == before


@pytest.mark.parametrize("media_type", ISO_TYPES)
def test_strip_keeps_every_media_byte_in_place(
    samples: dict[str, Path], tmp_path: Path, media_type: str
) -> None:
    name = next(name for name, (kind, _) in SAMPLES.items() if kind == media_type)
    target = tmp_path / "stripped"
    strip_recording(source=samples[name], target=target, media_type=media_type)
    before, after = samples[name].read_bytes(), target.read_bytes()
    assert len(after) == len(before)
    start = top_level(before)[b"mdat"]
    (size,) = struct.unpack_from(">I", before, start)
    assert after[start : start + size] == before[start : start + size]


def test_strip_patches_across_copy_chunks(samples: dict[str, Path], tmp_path: Path) -> None:
    data = samples["mov"].read_bytes()
    moov = top_level(data)[b"moov"]
    # Padding before the movie box puts the renamed type of `udta` astride the first chunk's end.
    pad = CHUNK - (data.index(b"udta", moov) - 4 + 6)
    padded = tmp_path / "padded.mov"
    padded.write_bytes(data[:moov] + box(b"free", bytes(pad - 8)) + data[moov:])
    target = tmp_path / "stripped.mov"
    strip_recording(source=padded, target=target, media_type="video/quicktime")
    stripped, size = target.read_bytes(), padded.read_bytes()[CHUNK - 6 : CHUNK - 2]
    assert stripped[CHUNK - 6 : CHUNK + 2] == size + b"free"
    assert not IDENTIFYING & set(describe_recording(target, "video/quicktime"))
    assert frames(target) == 10


def test_strip_mp3_drops_every_kind_of_tag(samples: dict[str, Path], tmp_path: Path) -> None:
    tagged = tmp_path / "tagged.mp3"
    item = struct.pack("<II", 12, 0) + b"Artist\0Witness Name"
    footer = b"APETAGEX" + struct.pack("<IIII", 2000, len(item) + 32, 1, 0) + bytes(8)
    # An APEv2 tag between the frames and the ID3v1 tag, where taggers put it.
    body = samples["mp3"].read_bytes()
    tagged.write_bytes(body[:-128] + item + footer + body[-128:])
    target = tmp_path / "stripped.mp3"
    method = strip_recording(source=tagged, target=target, media_type="audio/mpeg")
    assert "ID3v2 tag" in method and "ID3v1 tag" in method and "APEv2 tag" in method
    assert b"Witness" not in target.read_bytes()
    assert target.read_bytes()[:2] == b"\xff\xfb"


# Refusing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_a_file_cut_in_half_is_refused(samples: dict[str, Path], tmp_path: Path, name: str) -> None:
    cut = tmp_path / "cut"
    data = samples[name].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(Invalid, match=r"^The (MP4|MOV|M4A|MP3|Ogg) file is truncated: "):
        describe_recording(cut, SAMPLES[name][0])


@pytest.mark.parametrize("media_type", sorted(RECORDINGS))
def test_garbage_is_malformed_and_nothing_is_written(tmp_path: Path, media_type: str) -> None:
    garbage = tmp_path / "garbage"
    garbage.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(Invalid, match=r"^The (MP4|MOV|M4A|MP3|Ogg) file is malformed: .+\.$"):
        describe_recording(garbage, media_type)
    with pytest.raises(Invalid):
        strip_recording(source=garbage, target=tmp_path / "out", media_type=media_type)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (FTYP + box(b"mdat", bytes(100), size=1 << 30), "truncated: box 'mdat' at byte 28 claims"),
        (FTYP + box(b"mdat", struct.pack(">Q", 1 << 40), size=1), "claims 1,099,511,627,776"),
        (FTYP + box(b"mdat", bytes(4), size=1), "truncated: box at byte 28 is cut off"),
        (FTYP + box(b"moov", box(b"mvhd", bytes(40), size=400)), "malformed: box 'mvhd'"),
        (FTYP + box(b"moov", box(b"trak") + b"\0\0\0"), "malformed: 3 bytes at the end of box"),
        (FTYP + box(b"mdat", bytes(10)), "truncated: it has no moov box"),
        (FTYP + box(b"moov", box(b"mvhd", bytes(40))), "malformed: its mvhd box gives a time"),
        (FTYP + box(b"moov", box(b"cmov", bytes(8))), "compressed movie header"),
        (FTYP + box(b"moov", bytes(8), size=4), "malformed: box 'moov' at byte 28 is smaller"),
    ],
)
def test_broken_boxes_are_named(tmp_path: Path, data: bytes, message: str) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(data)
    with pytest.raises(Invalid, match=message):
        describe_recording(broken, "video/mp4")
    with pytest.raises(Invalid):
        strip_recording(source=broken, target=tmp_path / "out.mp4", media_type="video/mp4")
    assert not (tmp_path / "out.mp4").exists()


def test_an_id3_tag_longer_than_the_file_is_truncated(tmp_path: Path) -> None:
    short = tmp_path / "short.mp3"
    short.write_bytes(b"ID3\4\0\0\0\0\x10\0" + b"TPE1" + bytes(30))
    with pytest.raises(Invalid, match="The MP3 file is truncated: its ID3v2 tag claims 2,058"):
        describe_recording(short, "audio/mpeg")


def test_other_types_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="audio/wav"):
        describe_recording(tmp_path / "x.wav", "audio/wav")
    with pytest.raises(Invalid, match="image/jpeg"):
        strip_recording(source=tmp_path / "x", target=tmp_path / "y", media_type="image/jpeg")


# Hostile input -------------------------------------------------------------------------------

KINDS = [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd", b"hdlr", b"mvhd", b"tkhd", b"mdhd"]
KINDS += [b"udta", b"meta", b"keys", b"ilst", b"data", b"loci", b"\xa9xyz", b"\xa9mak", b"uuid"]
KINDS += [b"cmov", b"free", b"mdat", b"\0\0\0\1"]
MVHD = box(b"mvhd", struct.pack(">4xIIII", 1, 2, 1000, 5000) + bytes(80))
sizes = st.none() | st.none() | st.sampled_from([0, 1, 7, 8, 9, 0xFFFFFFFF])
payloads = st.binary(max_size=48) | st.sampled_from([b"\0\0\0\1" + bytes(8), b"\0\0\0\0hdlr"])
leaves = st.builds(box, st.sampled_from(KINDS), payloads, sizes)
trees = st.recursive(
    leaves,
    lambda inner: st.builds(
        lambda kind, children, size: box(kind, b"".join(children), size),
        st.sampled_from(KINDS),
        st.lists(inner, max_size=4),
        sizes,
    ),
    max_leaves=24,
)
# A movie box with a good header, so that the walk goes on into tracks and metadata.
movies = st.builds(
    lambda children, size: box(b"moov", MVHD + b"".join(children), size),
    st.lists(trees, max_size=5),
    sizes,
)


@settings(max_examples=200, deadline=None)
@given(tops=st.lists(trees | movies, max_size=4), tail=st.binary(max_size=64))
def test_the_box_walker_raises_only_invalid(
    tmp_path_factory: pytest.TempPathFactory, tops: list[bytes], tail: bytes
) -> None:
    folder = tmp_path_factory.getbasetemp()
    source = folder / "fuzz.mp4"
    source.write_bytes(FTYP + b"".join(tops) + tail)
    for media_type in ISO_TYPES:
        outcome(source, folder / "out", media_type)


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(list(SAMPLES)),
    changes=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
)
def test_damaged_recordings_raise_only_invalid(
    samples: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    changes: list[tuple[float, int]],
) -> None:
    """Real files with a few bytes changed reach the readers behind a good header."""
    data = bytearray(samples[name].read_bytes())
    for where, value in changes:
        data[int(where * len(data))] = value
    folder = tmp_path_factory.getbasetemp()
    source = folder / "damaged"
    source.write_bytes(data)
    outcome(source, folder / "out", SAMPLES[name][0])


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.sampled_from([b"ID3\3\0\0\0\0\0\x20", b"\xff\xfb\x90\x00", b"OggS\0\2"]),
    body=st.binary(max_size=512),
)
def test_audio_readers_raise_only_invalid(
    tmp_path_factory: pytest.TempPathFactory, prefix: bytes, body: bytes
) -> None:
    folder = tmp_path_factory.getbasetemp()
    source = folder / "fuzz.audio"
    source.write_bytes(prefix + body)
    for media_type in ("audio/mpeg", "audio/ogg"):
        outcome(source, folder / "out", media_type)


def outcome(source: Path, target: Path, media_type: str) -> None:
    """Describe and strip `source`; the only error either may raise is `Invalid`."""
    try:
        describe_recording(source, media_type)
    except Invalid as exc:
        assert exc.message.startswith("The ") and exc.message.endswith(".")
    try:
        strip_recording(source=source, target=target, media_type=media_type)
    except Invalid:
        assert not target.exists()
    else:
        assert not IDENTIFYING & set(describe_recording(target, media_type))
