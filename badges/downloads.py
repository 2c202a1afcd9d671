"""Responses that hand a person a file, shared by the pages and the API: evidence files, the
audit log as CSV, and attachments built from bytes the service keeps.

The domain gives the bytes, rows or stored path; this module only builds the HTTP response.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from flask import Response, abort, current_app, send_file, stream_with_context

from .educator import storage
from .educator.evidence import download_name
from .educator.previews import Preview
from .models import EvidenceItem, Exemplar


def send_evidence_file(item: EvidenceItem) -> Response:
    """The stored bytes as a download that no browser renders, sniffs, caches or runs."""
    return _send_stored(item.stored_name, item.media_type, download_name(item), f"evidence {item.id}")


def send_exemplar_file(exemplar: Exemplar) -> Response:
    """A calibration exemplar's file, served exactly as evidence files are (its name is neutral)."""
    name = exemplar.original_filename or f"exemplar-{exemplar.id}"
    return _send_stored(exemplar.stored_name, exemplar.media_type, name, f"exemplar {exemplar.id}")


def _send_stored(stored_name: str | None, media_type: str | None, filename: str, what: str) -> Response:
    path = storage.path_of(stored_name or "")
    if not path.is_file():
        current_app.logger.error("%s: stored file %s is missing", what, stored_name)
        abort(404, f"The file of this {what.split()[0]} is missing from storage; please tell your administrator.")
    response = send_file(path, mimetype=media_type, conditional=False, etag=False)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_image_preview(preview: Preview) -> Response:
    """The service's re-encoded image (never the uploaded bytes), shown inline but never sniffed as
    anything else, never run, and cached only by the person's own browser, briefly: who may see
    evidence changes when a claim is decided."""
    response = Response(preview.data, mimetype=preview.media_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def attachment(body: str | bytes | Iterable[str], mimetype: str, filename: str) -> Response:
    """A private download (never cached) named `filename`, a name the service made (ASCII, no quotes)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def csv_download(chunks: Iterable[str], filename: str) -> Response:
    """CSV text streamed as it is produced (the request context stays open while it streams)."""
    streamed: Iterator[str] = stream_with_context(iter(chunks))
    return attachment(streamed, "text/csv", filename)


def content_disposition(filename: str) -> str:
    """attachment with a plain ASCII name for old clients and the exact name as RFC 6266 filename*."""
    stem, dot, extension = filename.rpartition(".") if "." in filename else (filename, "", "")
    plain_stem = _ascii(stem) or "evidence"
    plain = plain_stem + (("." + _ascii(extension)) if dot and _ascii(extension) else "")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._()\- ]+", "_", text).strip(" ._")
