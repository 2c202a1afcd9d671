"""Evidence files on disk, kept in step with the database transaction that records them.

Files live flat in EVIDENCE_STORAGE_DIR under generated names (32 hex characters from
uuid4, no extension, nothing the uploader chose), readable only by the service's user.
Every instance of the service must see the same directory (a shared volume or network
file system mounted at the same path), because any instance may serve a file that
another one stored.

A file is written before its row is committed. So that a failed or rolled-back request
never leaves a file without a row, the names written in a transaction are kept in the
session's `info` and deleted when the outermost transaction ends without a commit. A file
whose row is deleted is removed only after that delete is committed, so a rolled-back
delete keeps its file. A process killed between writing and committing can still leave
a stray file: `orphaned_names()` lists those for an operator to remove.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

from ..extensions import db
from ..models import EvidenceItem, Exemplar

_WRITTEN = "evidence_files_written"  # session.info key: paths to delete unless committed
_DOOMED = "evidence_files_to_delete"  # session.info key: paths to delete once committed
_NAME = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int


def storage_dir() -> Path:
    return Path(current_app.config["EVIDENCE_STORAGE_DIR"])


def path_of(name: str) -> Path:
    """Where a stored file lives; refuses anything that is not a generated name."""
    if not _NAME.match(name or ""):
        raise ValueError(f"not a stored evidence file name: {name!r}")
    return storage_dir() / name


def save(session: Session | scoped_session, data: bytes) -> StoredFile:
    """Write the bytes under a new name; the file is removed again unless `session` commits."""
    session = _actual(session)
    directory = storage_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not session.in_transaction():
        session.begin()  # so the end of this transaction is seen and cleans up
    name = uuid.uuid4().hex
    path = directory / name
    session.info.setdefault(_WRITTEN, set()).add(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    return StoredFile(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def delete_after_commit(session: Session | scoped_session, name: str) -> None:
    _actual(session).info.setdefault(_DOOMED, set()).add(path_of(name))


def open_stored(name: str) -> BinaryIO:
    """The stored file opened for reading (binary); FileNotFoundError if it is missing."""
    return path_of(name).open("rb")


def orphaned_names(min_age_seconds: int = 3600) -> list[str]:
    """Stored files no evidence (or calibration exemplar) row names, older than `min_age_seconds`
    (younger ones may be mid-upload)."""
    directory = storage_dir()
    if not directory.is_dir():
        return []
    cutoff = time.time() - min_age_seconds
    on_disk = {p.name for p in directory.iterdir() if _NAME.match(p.name) and p.stat().st_mtime < cutoff}
    known = set(db.session.scalars(select(EvidenceItem.stored_name).where(EvidenceItem.stored_name.is_not(None))))
    known |= set(db.session.scalars(select(Exemplar.stored_name).where(Exemplar.stored_name.is_not(None))))
    return sorted(on_disk - known)


def _actual(session: Session | scoped_session) -> Session:
    return session() if isinstance(session, scoped_session) else session


def _unlink(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError:  # pragma: no cover - logged, never fails the request that already committed
            current_app.logger.exception("could not remove evidence file %s", path.name)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the outer transaction decides
        return
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_DOOMED, ()))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    # Whatever is still listed here was not committed: written files go, doomed files stay.
    _unlink(session.info.pop(_WRITTEN, ()))
    session.info.pop(_DOOMED, None)
