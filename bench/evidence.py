"""The evidence locker: a large upload over HTTP, the server's memory, and `sulh evidence verify`.

Upload: `sulh serve` runs in its own process on loopback; a video of `--size-mib` MiB (an MP4
whose media data is random bytes) is sent to it as a raw body (`PUT …/evidence/{name}`, with
its RFC 9530 digest) and as a multipart form (`POST …/evidence`), `--runs` times each. The
time is the client's, from the first byte sent to the answer: streaming to disk, hashing,
sniffing, reading the metadata, making the redacted copy, and the logged write. The
server's peak memory (VmHWM) is read after a small upload and after the large ones, so a
file held whole in memory would show as a jump of its size.

Verify: `--files` photos (64×64 noise, each with its redacted copy and thumbnail) are added
through `sulh evidence add --report`, in one process per 500, then `sulh evidence verify`
is timed over all of them.

    .venv/bin/python bench/evidence.py --db sqlite --size-mib 200 --files 10000
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import random
import socket
import struct
import subprocess
import time
from pathlib import Path
from typing import Any

import harness
import httpx2 as httpx

GOAL_MB_PER_S = 150.0
CHUNK = 1024 * 1024


def video(path: Path, size: int) -> str:
    """An MP4 of `size` bytes: ftyp, a movie header, and random media data; its SHA-256."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 0x200, b"isom", b"mp41")
    mvhd_body = struct.pack(">B3xIIII", 0, 3_844_598_400, 3_844_598_400, 1000, 60_000)
    mvhd_body += b"\x00" * (100 - len(mvhd_body))
    mvhd = struct.pack(">I4s", 8 + len(mvhd_body), b"mvhd") + mvhd_body
    moov = struct.pack(">I4s", 8 + len(mvhd), b"moov") + mvhd
    media = size - len(ftyp) - len(moov) - 8
    digest = hashlib.sha256()
    randomness = random.Random(8)
    with path.open("wb") as out:
        for part in (ftyp, moov, struct.pack(">I4s", 8 + media, b"mdat")):
            out.write(part)
            digest.update(part)
        while media > 0:
            chunk = randomness.randbytes(min(CHUNK, media))
            out.write(chunk)
            digest.update(chunk)
            media -= len(chunk)
    return digest.hexdigest()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def chunks(path: Path) -> Any:
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def upload_runs(target: harness.Target, size_mib: int, runs: int) -> dict[str, Any]:
    tokens = target.prepare()
    token = tokens[harness.ANALYST]
    big = harness.WORK / "evidence-big.mp4"
    sha256 = video(big, size_mib * CHUNK)
    small = harness.WORK / "evidence-small.mp4"
    video(small, 4 * CHUNK)
    port = free_port()
    env = {**target.env(), "SULH_FUSION": "inline", "SULH_MAX_EVIDENCE_BYTES": str(300 * CHUNK)}
    server = subprocess.Popen(
        [str(harness.SULH), "serve", "--port", str(port), "--data-dir", str(target.data_dir)],
        env=env,
        cwd=harness.WORK,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(timeout=600) as client:
            _wait(client, base)
            report = client.post(f"{base}/reports", headers=headers, json=_report()).json()["id"]
            _put(client, f"{base}/reports/{report}/evidence/warm.mp4", headers, small)
            after_small = peak_kib(server.pid)
            raw, form = [], []
            for run in range(runs):
                report = client.post(f"{base}/reports", headers=headers, json=_report()).json()
                url = f"{base}/reports/{report['id']}/evidence"
                raw.append(_put(client, f"{url}/raw-{run}.mp4", headers, big, sha256))
                report = client.post(f"{base}/reports", headers=headers, json=_report()).json()
                url = f"{base}/reports/{report['id']}/evidence"
                form.append(_post(client, url, headers, big))
            after_big = peak_kib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    megabytes = size_mib * CHUNK / 1e6
    return {
        "size_mib": size_mib,
        "raw_seconds": raw,
        "raw_mb_per_s": [round(megabytes / s, 1) for s in raw],
        "multipart_seconds": form,
        "multipart_mb_per_s": [round(megabytes / s, 1) for s in form],
        "server_peak_mib_after_4_mib_upload": round(after_small / 1024, 1),
        "server_peak_mib_after_large_uploads": round(after_big / 1024, 1),
        "goal_mb_per_s": GOAL_MB_PER_S,
    }


def _report() -> dict[str, Any]:
    return {
        "kind": "media",
        "source": "Bench Wire",
        "event_time": "2025-10-19T22:00:00+04:30",
        "time_precision": "hour",
        "event_type": "shelling_artillery",
        "text": "Shelling reported near the crossing at dusk.",
        "language": "en",
        "place": {"name": "Spin Boldak", "lat": 31.0, "lon": 66.4, "precision": "town"},
    }


def _wait(client: httpx.Client, base: str) -> None:
    for _ in range(200):
        try:
            if client.get(f"{base}/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def _put(
    client: httpx.Client, url: str, headers: dict[str, str], path: Path, sha256: str = ""
) -> float:
    extra = {}
    if sha256:
        extra["Content-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"
    started = time.perf_counter()
    response = client.put(url, headers={**headers, **extra}, content=chunks(path))
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise SystemExit(f"upload refused: {response.status_code} {response.text[:300]}")
    return round(elapsed, 3)


def _post(client: httpx.Client, url: str, headers: dict[str, str], path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as stream:
        files = [("file", (path.name, stream, "video/mp4"))]
        response = client.post(url, headers=headers, files=files)
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise SystemExit(f"upload refused: {response.status_code} {response.text[:300]}")
    return round(elapsed, 3)


def verify_run(target: harness.Target, files: int) -> dict[str, Any]:
    from PIL import Image

    target.prepare()
    folder = harness.WORK / "evidence-photos"
    folder.mkdir(parents=True, exist_ok=True)
    report_file = harness.WORK / "evidence-report.json"
    report_file.write_text(json.dumps(_report()))
    started = time.perf_counter()
    batch = 500
    for first in range(0, files, batch):
        report = json.loads(target.sulh("report", "file", str(report_file)))["id"]
        script = []
        for number in range(first, min(first + batch, files)):
            path = folder / f"p{number}.png"
            noise = random.Random(number).randbytes(64 * 64 * 3)
            Image.frombytes("RGB", (64, 64), noise).save(path)
            script.append(str(path))
        _add_many(target, report, script)
    added = time.perf_counter() - started
    command = [str(harness.SULH), "evidence", "verify", "--data-dir", str(target.data_dir)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=target.env(), check=False)
    verified = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"verify failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    locker = target.data_dir / "locker"
    stored = sum(1 for p in locker.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in locker.rglob("*") if p.is_file())
    return {
        "evidence_rows": files,
        "files_in_locker": stored,
        "locker_mib": round(size / CHUNK, 1),
        "add_seconds": round(added, 1),
        "verify_seconds": round(verified, 2),
        "verify_output": done.stdout.strip().splitlines()[-1],
    }


ADD_MANY = """
import sys
from pathlib import Path
from sulh.config import Settings
from sulh.evidence import add_evidence, locker_for, received_files
from sulh.store import Store, make_engine
from sulh.access.roles import Principal, Role

settings = Settings.load(data_dir=Path(sys.argv[1]))
store, locker = Store(make_engine(settings.database_url)), locker_for(settings)
actor = Principal(user_id=None, username="system", role=Role.admin)
report = int(sys.argv[2])
for first in range(3, len(sys.argv), 100):
    with received_files() as received:
        for path in sys.argv[first:first + 100]:
            with open(path, "rb") as stream:
                received.append(locker.receive(stream, Path(path).name))
        with store.write(actor) as writer:
            for one in received:
                add_evidence(
                    writer=writer, actor=actor, locker=locker, report_id=report, received=one
                )
"""


def _add_many(target: harness.Target, report: int, paths: list[str]) -> None:
    """Add files through the domain's own path, 100 to a write, in one process."""
    program = ADD_MANY
    python = str(Path(harness.SULH).parent / "python")
    done = subprocess.run(
        [python, "-c", program, str(target.data_dir), str(report), *paths],
        capture_output=True,
        text=True,
        env=target.env(),
        cwd=harness.WORK,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"adding files failed: {done.stderr[-800:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--size-mib", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    harness.WORK.mkdir(parents=True, exist_ok=True)
    target = harness.Target.named(args.db, "evidence")
    result: dict[str, Any] = {"machine": harness.machine(target)}
    result["upload"] = upload_runs(target, args.size_mib, args.runs)
    print(json.dumps(result["upload"], indent=2), flush=True)
    if args.files:
        result["verify"] = verify_run(target, args.files)
        print(json.dumps(result["verify"], indent=2), flush=True)
    print(harness.save(f"evidence-{args.db}", result))
    target.drop()
    os.remove(harness.WORK / "evidence-big.mp4")


if __name__ == "__main__":
    main()
