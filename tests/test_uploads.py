"""What an upload is, judged by content: accepted types, and each disguise or bomb refused by name.

The builders here make small real files in memory; the evidence tests use them too.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from badges.base import InvalidInput
from badges.educator.uploads import DetectedType, describe_size, sniff

MiB = 1024 * 1024


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def office_zip(parts: dict[str, bytes], first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx(document: bytes = b"<w:document/>") -> bytes:
    return office_zip(
        {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": b"<Relationships/>", "word/document.xml": document}
    )


def zip_bomb_docx() -> bytes:
    """60 MiB of zeros as word/document.xml: about 60 KB once deflated."""
    return docx(b"\0" * (60 * MiB))


def odt() -> bytes:
    return office_zip(
        {"content.xml": b"<office:document-content/>", "META-INF/manifest.xml": b"<manifest/>"},
        first=("mimetype", b"application/vnd.oasis.opendocument.text"),
    )


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


@pytest.mark.parametrize(
    "data,filename,expected",
    [
        (minimal_pdf(), "Unit plan.pdf", DetectedType("application/pdf", "pdf")),
        (minimal_pdf(), "UNIT.PDF", DetectedType("application/pdf", "pdf")),
        (tiny_png(), "rubric.png", DetectedType("image/png", "png")),
        (b"\xff\xd8\xff\xe0" + b"\0" * 20, "photo.jpeg", DetectedType("image/jpeg", "jpeg")),
        (b"GIF89a" + b"\0" * 20, "chart.gif", DetectedType("image/gif", "gif")),
        (b"RIFF\x10\0\0\0WEBPVP8 " + b"\0" * 8, "chart.webp", DetectedType("image/webp", "webp")),
        (
            docx(),
            "reflection.docx",
            DetectedType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ),
        (
            office_zip({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.xml": b"<workbook/>"}),
            "grades.xlsx",
            DetectedType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ),
        (odt(), "notes.odt", DetectedType("application/vnd.oasis.opendocument.text", "odt")),
        ("Réflexion: what I learned.\n".encode(), "notes.txt", DetectedType("text/plain", "txt")),
        (b"student,score\nA,3\n", "scores.csv", DetectedType("text/csv", "csv")),
        (b"MZ Smith's class scores\n", "scores.txt", DetectedType("text/plain", "txt")),
        (b"# Unit reflection\n\nIt went **well**. 2 < 3.\n", "notes.md", DetectedType("text/markdown", "md")),
    ],
)
def test_accepted_files_are_identified_by_content(data, filename, expected):
    assert sniff(data, filename) == expected


def refusal(data: bytes, filename: str, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        sniff(data, filename, **kwargs)
    assert list(caught.value.errors) == ["file"]
    return " ".join(caught.value.errors["file"])


@pytest.mark.parametrize(
    "data,filename,words",
    [
        (b"", "empty.pdf", ["empty"]),
        (HTML, "plan.pdf", ["HTML", "not a PDF"]),
        (b"  \n<html><body>hi</body></html>", "notes.txt", ["HTML", "not a plain text file"]),
        (HTML, "page.html", ["HTML", "not accepted"]),
        (SVG, "drawing.svg", ["SVG"]),
        (SVG, "drawing.png", ["SVG", "not a PNG image"]),
        (b"<?xml version='1.0'?><note/>", "data.txt", ["XML"]),
        (tiny_png(), "report.pdf", ["PNG image", "not a PDF", ".png"]),
        (minimal_pdf(), "report", ["PDF", ".pdf"]),
        (minimal_pdf(), "report.exe", ["PDF", ".pdf"]),
        (b"MZ\x90\x00" + b"\0" * 60, "setup.pdf", ["program"]),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 20, "tool.txt", ["program"]),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.doc", ["old-format Office", ".docx"]),
        (office_zip({"a.txt": b"hello"}), "archive.zip", ["ZIP archive"]),
        (office_zip({"a.txt": b"hello"}), "fake.docx", ["ZIP archive", "not a Word document"]),
        (b"PK\x03\x04 this is not really a zip", "broken.docx", ["damaged"]),
        (b"\x00\x01\x02binary junk", "data.txt", ["not accepted"]),
        (b"caf\xe9 latin-1", "notes.txt", ["not accepted"]),
        (zip_bomb_docx(), "bomb.docx", ["zip bomb", "50 MiB"]),
        (
            office_zip(
                {
                    "[Content_Types].xml": CONTENT_TYPES,
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"\0" * 64,
                }
            ),
            "macro.docx",
            ["macros"],
        ),
    ],
)
def test_refused_files_name_the_problem(data, filename, words):
    message = refusal(data, filename)
    for word in words:
        assert word in message, message


def test_a_highly_compressed_part_is_refused_even_under_the_total_limit():
    message = refusal(docx(b"\0" * (20 * MiB)), "dense.docx")
    assert "compressed more than 200 to 1" in message


def test_too_many_parts_are_refused():
    parts = {"[Content_Types].xml": CONTENT_TYPES, **{f"word/p{i}.xml": b"x" for i in range(2001)}}
    assert "more than 2000 parts" in refusal(office_zip(parts), "many.docx")


def test_a_part_larger_than_its_directory_says_is_caught_when_unpacked():
    data = bytearray(docx(b"<w:document>" + b"a" * 5000 + b"</w:document>"))
    # Shrink the declared size in the central directory: unpacking then fails the CRC check.
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml") + 1)
    struct.pack_into("<I", data, central + 24, 100)
    assert "damaged" in refusal(bytes(data), "liar.docx")


def test_size_over_the_limit_is_refused_with_the_limit_named():
    assert "larger than 10 MiB" in refusal(b"x" * (10 * MiB + 1), "big.txt", max_bytes=10 * MiB)
    assert sniff(b"x" * 1024, "ok.txt", max_bytes=1024).extension == "txt"


@pytest.mark.parametrize("size,text", [(10 * MiB, "10 MiB"), (1536, "1.5 KiB"), (512, "512 bytes")])
def test_describe_size(size, text):
    assert describe_size(size) == text


def test_upload_limits_come_from_the_environment(tmp_path):
    from badges.config import ConfigError, build_config

    default = build_config(tmp_path, {"ENVIRONMENT": "testing", "SECRET_KEY": "k" * 48}, environ={})
    assert default["EVIDENCE_MAX_BYTES"] == 10 * MiB and default["MAX_CONTENT_LENGTH"] == 11 * MiB
    assert default["EVIDENCE_STORAGE_DIR"] == str(tmp_path / "evidence")
    custom = build_config(
        tmp_path,
        {"ENVIRONMENT": "testing", "SECRET_KEY": "k" * 48},
        environ={"EVIDENCE_MAX_BYTES": str(2 * MiB), "EVIDENCE_STORAGE_DIR": "/srv/evidence"},
    )
    assert (custom["EVIDENCE_MAX_BYTES"], custom["MAX_CONTENT_LENGTH"]) == (2 * MiB, 3 * MiB)
    assert custom["EVIDENCE_STORAGE_DIR"] == "/srv/evidence"
    with pytest.raises(ConfigError, match="EVIDENCE_MAX_BYTES"):
        build_config(
            tmp_path, {"ENVIRONMENT": "testing", "SECRET_KEY": "k" * 48}, environ={"EVIDENCE_MAX_BYTES": "10MB"}
        )
