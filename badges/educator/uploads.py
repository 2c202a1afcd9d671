"""What an uploaded file really is, judged by its content; the name only has to agree.

Evidence may be opened by validators on their own machines, so only common document and
image formats are taken, and anything a browser would run (HTML, SVG, XML, scripts) or
an operating system would execute is refused, whatever the file is called. Zip-based
office files are unpacked in memory (never to disk) within fixed limits, so a small
upload cannot expand into gigabytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import NoReturn

from ..base import InvalidInput

MiB = 1024 * 1024
ZIP_MAX_TOTAL = 50 * MiB  # uncompressed size of all entries together
ZIP_MAX_RATIO = 200  # uncompressed : compressed, for entries bigger than ZIP_RATIO_FROM
ZIP_RATIO_FROM = 1 * MiB
ZIP_MAX_ENTRIES = 2000

ACCEPTED = (
    "a PDF, an image (PNG, JPEG, GIF, WebP), an office document (Word, Excel, PowerPoint "
    "or OpenDocument) or plain text (.txt, .csv, .md)"
)


@dataclass(frozen=True)
class DetectedType:
    media_type: str
    extension: str  # lower case, without the dot; one the file's own name ends in


@dataclass(frozen=True)
class _Kind:
    label: str  # how a message names it: "a PDF", "HTML"
    media_types: dict[str, str]  # allowed extension -> media type; empty when refused
    why_refused: str = ""


def _kind(label: str, media_type: str, *extensions: str) -> _Kind:
    return _Kind(label, {ext: media_type for ext in extensions})


PDF = _kind("a PDF", "application/pdf", "pdf")
PNG = _kind("a PNG image", "image/png", "png")
JPEG = _kind("a JPEG image", "image/jpeg", "jpg", "jpeg")
GIF = _kind("a GIF image", "image/gif", "gif")
WEBP = _kind("a WebP image", "image/webp", "webp")
DOCX = _kind("a Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = _kind("an Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = _kind(
    "a PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"
)
ODT = _kind("an OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
ODS = _kind("an OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = _kind("an OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", "odp")
TEXT = _Kind("plain text", {"txt": "text/plain", "csv": "text/csv", "md": "text/markdown"})

_BROWSER_RUNS = "browsers can run code inside it, so it is not accepted; save it as PDF instead"
HTML = _Kind("HTML", {}, _BROWSER_RUNS)
SVG = _Kind("an SVG image", {}, _BROWSER_RUNS + " or PNG")
XML = _Kind("XML", {}, _BROWSER_RUNS)
OLE = _Kind(
    "an old-format Office file (.doc, .xls or .ppt)",
    {},
    "those can carry macros; save it as .docx, .xlsx, .pptx or PDF",
)
PROGRAM = _Kind("a program", {}, "programs are never accepted")
ZIP = _Kind("a ZIP archive", {}, "upload the documents themselves, not an archive")
OTHER = _Kind("a kind of file that is not accepted", {}, f"upload {ACCEPTED}")

# Whatever a name says, this is what it claims to be (for "looks like HTML, not a PDF").
CLAIMED = {
    ext: kind.label for kind in (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP) for ext in kind.media_types
}
CLAIMED.update(txt="a plain text file", csv="a CSV file", md="a Markdown file")

_MAGIC = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"\x7fELF", PROGRAM),  # Linux
    (b"\xfe\xed\xfa\xce", PROGRAM),
    (b"\xfe\xed\xfa\xcf", PROGRAM),  # macOS
    (b"\xce\xfa\xed\xfe", PROGRAM),
    (b"\xcf\xfa\xed\xfe", PROGRAM),
    (b"\xca\xfe\xba\xbe", PROGRAM),
    (b"\x00asm", PROGRAM),  # WebAssembly
]
_ODF = {
    "application/vnd.oasis.opendocument.text": ODT,
    "application/vnd.oasis.opendocument.spreadsheet": ODS,
    "application/vnd.oasis.opendocument.presentation": ODP,
}
_MARKUP_START = re.compile(rb"\s*<[a-zA-Z!?/]")


def describe_size(n: int) -> str:
    for unit, size in (("MiB", MiB), ("KiB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def _refuse(message: str) -> NoReturn:
    raise InvalidInput({"file": [message]})


def _extension(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""


def sniff(data: bytes, filename: str, max_bytes: int | None = None) -> DetectedType:
    """The file's type from its content, if accepted and its name agrees; else InvalidInput on "file"."""
    if not data:
        _refuse("The file is empty.")
    if max_bytes is not None and len(data) > max_bytes:
        _refuse(f"The file is larger than {describe_size(max_bytes)}; upload a smaller one (or a link to it).")
    kind = _identify(data)
    extension = _extension(filename or "")
    if kind.why_refused:
        claimed = CLAIMED.get(extension)
        where = f", not {claimed} as its name says" if claimed else ""
        _refuse(f"The file looks like {kind.label}{where}; {kind.why_refused}.")
    if extension not in kind.media_types:
        claimed = CLAIMED.get(extension)
        names = " or ".join(f".{ext}" for ext in kind.media_types)
        if claimed:
            _refuse(
                f"The file looks like {kind.label}, not {claimed} as its name says; "
                f"a file like this must be named {names}."
            )
        _refuse(f"The file looks like {kind.label}, so its name must end in {names}.")
    return DetectedType(kind.media_types[extension], extension)


def _identify(data: bytes) -> _Kind:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:2] == b"MZ" and b"\x00" in data[:64]:  # Windows (a text file may start "MZ" too)
        return PROGRAM
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_kind(data)
    return _text_kind(data)


def _text_kind(data: bytes) -> _Kind:
    if b"\x00" in data:
        return OTHER
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return OTHER
    head = text.lstrip("\ufeff")[:2048].encode()
    if _MARKUP_START.match(head):
        lowered = head.lower()
        if b"<svg" in lowered:
            return SVG
        if b"<html" in lowered or b"<!doctype html" in lowered or b"<script" in lowered or b"<?xml" not in lowered:
            return HTML
        return XML
    return TEXT


def _zip_kind(data: bytes) -> _Kind:
    """An office document inside a ZIP, checked against zip bombs before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        _refuse("The file is a damaged ZIP-based document; open it, save it again and upload that.")
    with archive:
        _check_not_a_bomb(entries)
        _check_entries_read(archive, entries)
        names = {entry.filename for entry in entries}
        if entries and entries[0].filename == "mimetype":
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            if mimetype in _ODF:
                return _ODF[mimetype]
        if "[Content_Types].xml" in names:
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                _refuse("The document contains macros, which are not accepted; save it without macros.")
            for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
                if any(name.startswith(prefix) for name in names):
                    return kind
    return ZIP


def _check_not_a_bomb(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > ZIP_MAX_ENTRIES:
        _refuse(
            f"The document holds more than {ZIP_MAX_ENTRIES} parts, which looks like a zip bomb; it is not accepted."
        )
    total = sum(entry.file_size for entry in entries)
    if total > ZIP_MAX_TOTAL:
        _refuse(
            f"The document unpacks to more than {describe_size(ZIP_MAX_TOTAL)} "
            f"({describe_size(total)}), which looks like a zip bomb; it is not accepted."
        )
    for entry in entries:
        if entry.file_size > ZIP_RATIO_FROM and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1):
            _refuse(
                f"Part {entry.filename!r} of the document is compressed more than {ZIP_MAX_RATIO} to 1, "
                "which looks like a zip bomb; it is not accepted."
            )
        if entry.flag_bits & 0x1:
            _refuse("The document is encrypted; save it without a password and upload that.")


def _check_entries_read(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Unpack every part into nothing: catches damaged parts and sizes the directory lies about.

    zipfile stops each part at its declared size (already limited above) and checks its CRC,
    so a part that claims to be small but expands further fails here instead of in an office app.
    """
    try:
        for entry in entries:
            with archive.open(entry) as part:
                while part.read(MiB):
                    pass
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError):
        _refuse("The file is a damaged ZIP-based document; open it, save it again and upload that.")
