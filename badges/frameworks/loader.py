"""Load a framework file into the database: validated first, idempotent, never rewriting.

Only the framework: its badge classes are the catalogue's (badges.catalogue.loading.install_framework
loads a framework and generates them).

The loader only adds and flushes; the caller owns the transaction, so a failure leaves
the database exactly as it was once the caller rolls back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import select

from ..extensions import db
from ..models import Domain, Framework, Indicator, Level, ProfessionalRole, utcnow
from .file_schema import FrameworkFileSchema, flatten_errors

MAX_FILE_BYTES = 5 * 1024 * 1024


class FrameworkFileError(ValueError):
    """A framework file that cannot be loaded: names the file, the field path and the problem."""

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        self.file = file
        self.problems = problems
        super().__init__("; ".join(f"{file}: {path}: {problem}" for path, problem in problems))


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool


def read_framework_file(path: str | Path) -> dict:
    """Parse and validate a framework file; raise FrameworkFileError naming what is wrong."""
    label = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FrameworkFileError(label, [("(file)", f"cannot be read: {exc.strerror or exc}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise FrameworkFileError(label, [("(file)", f"is larger than {MAX_FILE_BYTES} bytes")])
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FrameworkFileError(label, [("(file)", f"is not UTF-8 text (byte {exc.start})")]) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise FrameworkFileError(label, [(where, f"invalid JSON: {exc.msg}")]) from None
    return validate_framework_document(document, label)


def validate_framework_document(document: object, label: str = "(framework)") -> dict:
    if not isinstance(document, dict):
        raise FrameworkFileError(label, [("(top level)", "must be a JSON object")])
    try:
        return FrameworkFileSchema().load(document)
    except ValidationError as exc:
        raise FrameworkFileError(label, flatten_errors(exc.messages)) from None


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_framework(data: dict, label: str = "(framework)") -> LoadResult:
    """Add a validated framework version, or return the identical one already loaded."""
    digest = content_hash(data)
    existing = db.session.scalar(
        select(Framework).where(Framework.slug == data["slug"], Framework.version == data["version"])
    )
    if existing is not None:
        if existing.content_hash == digest:
            return LoadResult(existing, created=False)
        raise FrameworkFileError(
            label,
            [
                (
                    "version",
                    f"{data['slug']} version {data['version']} is already loaded with different content; "
                    "loaded versions are never rewritten, so give the changed framework a new version",
                )
            ],
        )

    framework = Framework(
        slug=data["slug"],
        version=data["version"],
        title=data["title"],
        description=data["description"],
        source=data["source"],
        content_hash=digest,
        published_at=utcnow(),
    )
    framework.levels = [
        Level(value=lv["value"], code=lv["code"], name=lv["name"], descriptor=lv["descriptor"])
        for lv in sorted(data["levels"], key=lambda lv: lv["value"])
    ]
    roles = {
        r["code"]: ProfessionalRole(position=i, code=r["code"], name=r["name"], description=r["description"])
        for i, r in enumerate(data["roles"], start=1)
    }
    framework.roles = list(roles.values())
    for d_pos, d in enumerate(data["domains"], start=1):
        domain = Domain(position=d_pos, code=d["code"], name=d["name"], description=d["description"])
        framework.domains.append(domain)
        for i_pos, ind in enumerate(d["indicators"], start=1):
            domain.indicators.append(
                Indicator(
                    framework=framework,
                    position=i_pos,
                    code=ind["code"],
                    text=ind["text"],
                    roles=[roles[code] for code in dict.fromkeys(ind["roles"])],
                )
            )
    db.session.add(framework)
    db.session.flush()
    return LoadResult(framework, created=True)


def load_framework_file(path: str | Path) -> LoadResult:
    return load_framework(read_framework_file(path), str(path))
