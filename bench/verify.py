"""Verification under load: POST /api/v1/verify next to the cheapest public endpoint, on the real server.

    .venv/bin/python bench/verify.py [--requests 1500] [--fresh 200] [--rounds 2] [--threads 4]
                                     [--database-url URL]

Starts gunicorn on loopback (2 sync workers) with a throwaway SQLite database and folders in a temporary
directory (or the PostgreSQL database given, emptied first), loads the framework and the demo district
with the CLI, issues 1 + FRESH awards through the domain functions, then, ROUNDS times, drives a bounded
closed loop (THREADS client threads, http.client keep-alive; sync workers close after each answer) at:

  - baseline: GET /static/style.css, the cheapest existing public endpoint (no database, no template);
  - floor: POST /api/v1/verify with {} (a 422: rate limit, parsing and the JSON error, no verification),
    to show what the API's framework layers cost before any verification;
  - fresh: POST /api/v1/verify with distinct tokens (FRESH / ROUNDS a round), each seen for the first time;
  - re-verified: POST /api/v1/verify with one token, again and again.

Prints requests/s, p50 and p99 for each, each figure's ratio to its round's baseline, and the median
ratio over the rounds. Targets: fresh >= 0.5x, re-verified >= 0.8x. Other work on the machine moves the
figures: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

BASELINE = "/static/style.css"
BADGE = "Delivery and Operations: Experienced, Teacher"
TARGETS = {"fresh": 0.5, "re-verified": 0.8, "floor": None}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(tmp: Path, port: int, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BADGES_", "DATABASE_", "FLASK_"))}
    env.update(
        {
            "BADGES_ENV": "testing",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SIGNING_KEY_PASSPHRASE": secrets.token_urlsafe(48),
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.sqlite'}",
            "EVIDENCE_STORAGE_DIR": str(tmp / "evidence"),
            "RATELIMIT_STORAGE_URI": "memory://",
            "BADGES_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "VERIFY_RATE_LIMIT": "10000000 per minute",
            "MAIL_SENDER": "log",
        }
    )
    return env


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "badges", *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from badges.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def issue_awards(env: dict[str, str], count: int) -> list[str]:
    """`count` teachers at Lincoln Elementary, each awarded BADGE by the demo validator: their tokens."""
    os.environ.update(env)
    from sqlalchemy import select

    from badges import create_app
    from badges.catalogue.badge_classes import role_indicators
    from badges.educator import evidence
    from badges.extensions import db
    from badges.models import BadgeClass, School, User
    from badges.people.operations import create_user
    from badges.validation import claims, reviews

    app = create_app({"TESTING": False})
    with app.app_context():
        validator = db.session.scalar(select(User).where(User.email == "validator@demo.example.org"))
        school = db.session.scalar(select(School).where(School.slug == "lincoln-elementary"))
        badge = db.session.scalar(select(BadgeClass).where(BadgeClass.name == BADGE))
        indicators = [ind.id for ind in role_indicators(badge)]
        tokens = []
        for i in range(count):
            teacher = create_user(
                validator.district,
                f"bench{i}@demo.example.org",
                f"Bench Teacher {i}",
                school=school,
                professional_role="teacher",
            )
            item = evidence.add_link(
                teacher, "Lesson plans", "What they show.", "https://example.org/e", indicators[:1]
            )
            claim = claims.create_claim(teacher, badge.id, "My evidence shows it.", [item.id])
            outcome = reviews.decide(
                validator, claim.id, "approve", "Well shown.", {ind: badge.level for ind in indicators}
            )
            tokens.append(outcome.award.jwt)
            db.session.commit()
        db.engine.dispose()
    return tokens


def start_server(env: dict[str, str], port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "badges:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", BASELINE)
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


def drive(
    port: int, requests: list[tuple[str, str, bytes | None]], threads: int, status: int = 200
) -> tuple[float, list[float]]:
    """Send every request once, from `threads` keep-alive clients in a closed loop: (seconds, latencies)."""
    latencies: list[float] = []
    lock, position = threading.Lock(), iter(range(len(requests)))
    failures: list[str] = []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                break
            method, path, body = requests[index]
            headers = {"Content-Type": "application/json"} if body is not None else {}
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            mine.append(time.perf_counter() - started)
            if response.status != status or (status == 200 and body is not None and not json.loads(payload)["valid"]):
                failures.append(f"{method} {path}: {response.status} {payload[:200]!r}")
            if response.getheader("Connection", "").lower() == "close":
                connection.close()  # sync workers close after each answer; http.client reconnects
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return elapsed, latencies


def report(name: str, elapsed: float, latencies: list[float], baseline: float | None = None) -> float:
    rate = len(latencies) / elapsed
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    ratio = f"   {rate / baseline:.2f}x baseline" if baseline else ""
    print(
        f"  {name:<32} {len(latencies):>6} req  {rate:>7.0f} req/s  p50 {statistics.median(ordered) * 1000:6.2f} ms"
        f"  p99 {p99 * 1000:6.2f} ms{ratio}"
    )
    return rate / baseline if baseline else rate


def verify_request(token: str) -> tuple[str, str, bytes]:
    return "POST", "/api/v1/verify", json.dumps({"token": token}).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests a round to baseline, floor, re-verified")
    parser.add_argument("--fresh", type=int, default=200, help="distinct fresh tokens in all (one request each)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", help="a PostgreSQL database to use (emptied first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="badges-bench-verify-") as tmp:
        port = free_port()
        env = environment(Path(tmp), port, args.database_url)
        if args.database_url:
            empty_postgres(args.database_url)
        print(
            f"setting up: {'PostgreSQL' if args.database_url else 'SQLite'}, framework, demo district, "
            f"{1 + args.fresh} awards ...",
            flush=True,
        )
        flask(env, "db", "upgrade")
        flask(env, "framework", "load", str(ROOT / "seed_frameworks" / "cbe-educator-competencies.json"))
        flask(env, "demo", "seed")
        again, *fresh = issue_awards(env, 1 + args.fresh)
        server = start_server(env, port)
        try:
            warm = [("GET", BASELINE, None)] * 200 + [verify_request(again)] * 100 + [verify_request(fresh.pop())] * 2
            drive(port, warm, args.threads)  # imports, connections, compiled queries, the re-verified token
            print(f"gunicorn: 2 sync workers; client: {args.threads} threads in this process")
            ratios: dict[str, list[float]] = {name: [] for name in TARGETS}
            per_round = len(fresh) // args.rounds
            for number in range(args.rounds):
                print(f"round {number + 1}")
                base = report(
                    f"baseline GET {BASELINE}", *drive(port, [("GET", BASELINE, None)] * args.requests, args.threads)
                )
                floor = [("POST", "/api/v1/verify", b"{}")] * args.requests
                ratios["floor"].append(report("floor POST {} (422)", *drive(port, floor, args.threads, 422), base))
                tokens = fresh[number * per_round : (number + 1) * per_round]
                ratios["fresh"].append(
                    report("fresh", *drive(port, [verify_request(t) for t in tokens], args.threads), base)
                )
                ratios["re-verified"].append(
                    report("re-verified", *drive(port, [verify_request(again)] * args.requests, args.threads), base)
                )
            print("median ratio to the baseline's requests/s:")
            for name, values in ratios.items():
                target = f" (target >= {TARGETS[name]}x)" if TARGETS[name] else ""
                print(f"  {name:<12} {statistics.median(values):.2f}x{target}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
