"""Baking: a credential carried inside its badge image, and read back out.

PNG follows Open Badges 3.0 section 5.3.1 (an uncompressed iTXt chunk, keyword
"openbadgecredential") and the OB 2.0 Baking Specification (keyword "openbadges"; the legacy tEXt form
is read too). SVG follows OB 3.0 section 5.3.2 (<openbadges:credential> in the
https://purl.imsglobal.org/ob/v3p0 namespace) and OB 2.0 (<openbadges:assertion verify="...">).

Images come from strangers (uploaded for checking), so every reader has limits: input size, chunk
count, decompressed text size, and XML without entities or external references.
"""

from __future__ import annotations

import codecs
import re
import struct
import zlib
from xml.dom import Node
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.minidom import parseString

from ..base import parse_json

OB3_KEYWORD = "openbadgecredential"
OB2_KEYWORD = "openbadges"
KEYWORDS = (OB3_KEYWORD, OB2_KEYWORD)
OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# namespace -> (element, keyword): an SVG answers with the same keywords as a PNG.
SVG_ELEMENTS = {OB3_NAMESPACE: ("credential", OB3_KEYWORD), OB2_NAMESPACE: ("assertion", OB2_KEYWORD)}
_BAKED_TAGS = {f"{{{ns}}}{name}": keyword for ns, (name, keyword) in SVG_ELEMENTS.items()}

MAX_INPUT_BYTES = 5 * 1024 * 1024
MAX_TEXT_BYTES = 1024 * 1024
MAX_CHUNKS = 4096
MAX_SVG_ELEMENTS = 50_000
MAX_SVG_DEPTH = 100
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_SVG_ENCODINGS = {
    "utf-8": "utf-8-sig",
    "utf8": "utf-8-sig",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "latin-1": "latin-1",
    "latin1": "latin-1",
}
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


class BakedImageError(ValueError):
    """The image is not a PNG or SVG that can carry a credential, or what it carries is malformed."""


def _check_payload(text: str) -> None:
    """What the specs allow inside: a compact JWS, or the JSON of a credential or assertion."""
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ValueError(f"the credential is larger than {MAX_TEXT_BYTES} bytes")
    if text.lstrip().startswith("{"):
        if not isinstance(parse_json(text), dict):
            raise ValueError("the credential JSON is not an object")
    elif not _COMPACT_JWS.fullmatch(text):
        raise ValueError("the credential is neither a compact JWS nor a JSON object")


# --- PNG ---------------------------------------------------------------------------------------


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) for every chunk up to IEND, after checking lengths, CRCs and order."""
    if not isinstance(png, bytes | bytearray):
        raise BakedImageError("a PNG must be given as bytes")
    if len(png) > MAX_INPUT_BYTES:
        raise BakedImageError(f"image is larger than {MAX_INPUT_BYTES} bytes")
    if not png.startswith(PNG_SIGNATURE):
        raise BakedImageError("not a PNG: the signature is missing")
    chunks: list[tuple[bytes, bytes]] = []
    offset = len(PNG_SIGNATURE)
    while True:
        if len(chunks) >= MAX_CHUNKS:
            raise BakedImageError(f"PNG has more than {MAX_CHUNKS} chunks")
        if offset + 8 > len(png):
            raise BakedImageError(f"PNG is truncated: no chunk header at byte {offset} (IEND missing)")
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        if not kind.isalpha():
            raise BakedImageError(f"PNG chunk at byte {offset} has an invalid type {kind!r}")
        name = kind.decode("ascii")
        if length > 2**31 - 1 or offset + 12 + length > len(png):
            raise BakedImageError(f"PNG is truncated: the {name} chunk at byte {offset} runs past the end")
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + data) != crc:
            raise BakedImageError(f"PNG {name} chunk at byte {offset} has a wrong CRC")
        if not chunks and kind != b"IHDR":
            raise BakedImageError("PNG does not start with an IHDR chunk")
        chunks.append((kind, bytes(data)))
        offset += 12 + length
        if kind == b"IEND":
            return chunks


def _chunk_bytes(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _keyword(kind: bytes, data: bytes) -> str | None:
    """The keyword of a text chunk (tEXt, zTXt, iTXt), or None for any other chunk."""
    if kind not in (b"tEXt", b"zTXt", b"iTXt") or b"\0" not in data:
        return None
    return data.split(b"\0", 1)[0].decode("latin-1")


def bake_png(png: bytes, keyword: str, text: str) -> bytes:
    """The PNG with `text` in one uncompressed iTXt chunk just before IEND.

    Any text chunk with the same keyword is dropped first: the specs allow only one.
    """
    if keyword not in KEYWORDS:
        raise ValueError(f"keyword must be one of {KEYWORDS}")
    _check_payload(text)
    kept = [(kind, data) for kind, data in _chunks(png) if _keyword(kind, data) != keyword]
    # keyword, compression flag and method (0, 0), empty language tag, empty translated keyword.
    itxt = keyword.encode("latin-1") + b"\0\0\0" + b"\0" + b"\0" + text.encode("utf-8")
    kept.insert(len(kept) - 1, (b"iTXt", itxt))
    return PNG_SIGNATURE + b"".join(_chunk_bytes(kind, data) for kind, data in kept)


def _inflate(data: bytes) -> bytes:
    """zlib-decompressed text, never more than MAX_TEXT_BYTES of it (no zip bombs)."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise BakedImageError(f"compressed iTXt text is corrupt: {exc}") from None
    if len(out) > MAX_TEXT_BYTES:
        raise BakedImageError(f"compressed iTXt text expands past {MAX_TEXT_BYTES} bytes")
    if not inflater.eof:
        raise BakedImageError("compressed iTXt text is truncated")
    return out


def _itxt_text(data: bytes) -> str:
    after_keyword = data.split(b"\0", 1)[1]
    if len(after_keyword) < 2:
        raise BakedImageError("iTXt chunk is malformed: the compression fields are missing")
    compressed, method, rest = after_keyword[0], after_keyword[1], after_keyword[2:]
    if rest.count(b"\0") < 2:
        raise BakedImageError("iTXt chunk is malformed: the language tag or translated keyword is missing")
    text = rest.split(b"\0", 2)[2]
    if compressed not in (0, 1) or method != 0:
        raise BakedImageError("iTXt chunk has an unknown compression flag or method")
    if compressed:
        text = _inflate(text)
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError:
        raise BakedImageError("iTXt text is not UTF-8") from None


def extract_png(png: bytes) -> dict[str, str]:
    """{keyword: text} for the baked Open Badges chunks; {} when nothing is baked in.

    The first iTXt chunk with a keyword wins (the specs' rule); a legacy tEXt chunk, which holds an
    OB 2.0 assertion URL, is used only when there is no iTXt chunk with its keyword.
    """
    found: dict[str, str] = {}
    legacy: dict[str, str] = {}
    for kind, data in _chunks(png):
        keyword = _keyword(kind, data)
        if keyword not in KEYWORDS:
            continue
        if kind == b"iTXt" and keyword not in found:
            found[keyword] = _itxt_text(data)
        elif kind == b"tEXt" and keyword not in legacy:
            legacy[keyword] = data.split(b"\0", 1)[1].decode("latin-1")
    return legacy | found


# --- SVG ---------------------------------------------------------------------------------------


class _Scanner:
    """A streaming parser target: checks the root and the limits, keeps the first baked elements.

    No tree is built, so a small file of many or deeply nested elements costs no memory.
    """

    def __init__(self) -> None:
        self.depth = self.elements = 0
        self.found: dict[str, tuple[str, str]] = {}  # keyword -> (verify, body)
        self.current: tuple[str, str, list[str], int] | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        self.elements += 1
        if self.elements == 1 and tag != f"{{{SVG_NAMESPACE}}}svg":
            raise BakedImageError("not an SVG: the root element is not <svg>")
        if self.depth > MAX_SVG_DEPTH or self.elements > MAX_SVG_ELEMENTS:
            raise BakedImageError(f"SVG has more than {MAX_SVG_ELEMENTS} elements or {MAX_SVG_DEPTH} levels")
        keyword = _BAKED_TAGS.get(tag)
        if keyword and self.current is None and keyword not in self.found:
            self.current = (keyword, attrib.get("verify", ""), [], self.depth)

    def data(self, text: str) -> None:
        if self.current is not None:
            self.current[2].append(text)  # the body, CDATA or not

    def end(self, tag: str) -> None:
        if self.current is not None and self.current[3] == self.depth:
            keyword, verify, body, _ = self.current
            self.found[keyword] = (verify.strip(), "".join(body).strip())
            self.current = None
        self.depth -= 1

    def close(self) -> dict[str, tuple[str, str]]:
        return self.found


def _decode_svg(svg: bytes | str) -> str:
    """The SVG as text. Python decodes it, not expat: expat hands other encodings to Python codecs,
    which fail in a dozen different ways (or are not text codecs at all)."""
    if not isinstance(svg, str | bytes | bytearray):
        raise BakedImageError("an SVG must be given as bytes or text")
    raw = svg.encode("utf-8") if isinstance(svg, str) else bytes(svg)
    if len(raw) > MAX_INPUT_BYTES:
        raise BakedImageError(f"image is larger than {MAX_INPUT_BYTES} bytes")
    if isinstance(svg, str):
        return svg
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        declared = _XML_ENCODING.match(raw.removeprefix(codecs.BOM_UTF8))
        name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        known = _SVG_ENCODINGS.get(name)
        if known is None:
            raise BakedImageError(f"SVG encoding {name!r} is not supported: use UTF-8")
        codec = known
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise BakedImageError(f"SVG is not valid {codec}: {exc.reason} at byte {exc.start}") from None


def _scan(text: str) -> dict[str, tuple[str, str]]:
    """{keyword: (verify, body)}; BakedImageError for anything unsafe or not SVG."""
    parser = DefusedXMLParser(target=_Scanner())
    try:
        parser.feed(text)
        return parser.close()
    except DefusedXmlException as exc:
        raise BakedImageError(f"SVG refused: entities and external references are not allowed ({exc})") from None
    except ParseError as exc:
        raise BakedImageError(f"not a well-formed SVG: {exc}") from None


def _bake(svg: str, namespace: str, verify: str | None, body: str | None) -> str:
    """The SVG with one baked element as the root's first child, replacing any baked before.

    Both versions use the prefix "openbadges" on <svg>, with different namespaces, so an SVG carries
    one of them: baking either removes both.
    """
    text = _decode_svg(svg)
    _scan(text)  # the limits, no entities and an <svg> root, before a tree is built
    document = parseString(text)
    root = document.documentElement
    for ns, (name, _) in SVG_ELEMENTS.items():
        for element in document.getElementsByTagNameNS(ns, name):
            before = element.previousSibling
            if before is not None and before.nodeType == Node.TEXT_NODE and not before.data.strip():
                before.parentNode.removeChild(before)
            element.parentNode.removeChild(element)
    root.setAttribute("xmlns:openbadges", namespace)
    element = document.createElementNS(namespace, f"openbadges:{SVG_ELEMENTS[namespace][0]}")
    if verify is not None:
        element.setAttribute("verify", verify)
    if body is not None:
        # "]]>" can only occur inside a JSON string, where "\u003e" means the same ">".
        element.appendChild(document.createCDATASection(body.replace("]]>", "]]\\u003e")))
    elif namespace == OB3_NAMESPACE:
        element.appendChild(document.createTextNode(""))  # <a></a>, as in the OB 3.0 example
    root.insertBefore(element, root.firstChild)
    root.insertBefore(document.createTextNode("\n  "), element)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return declaration + "".join(node.toxml() for node in document.childNodes) + "\n"


def bake_svg(svg: str, jws: str | None = None, *, credential_json: str | None = None) -> str:
    """OB 3.0 (section 5.3.2): a VC-JWT credential goes in `verify`, an embedded-proof one in CDATA."""
    if (jws is None) == (credential_json is None):
        raise ValueError("give either a compact JWS or the credential JSON")
    if jws is not None and not _COMPACT_JWS.fullmatch(jws):
        raise ValueError("not a compact JWS")
    if credential_json is not None:
        _check_payload(credential_json)
    return _bake(svg, OB3_NAMESPACE, jws, credential_json)


def bake_svg_ob2(svg: str, verify: str, assertion_json: str | None = None) -> str:
    """OB 2.0: `verify` is a signed assertion, or a hosted assertion's URL with its JSON in the body."""
    if not verify.strip():
        raise ValueError("verify must be a signed assertion or the hosted assertion's URL")
    if assertion_json is not None:
        _check_payload(assertion_json)
    return _bake(svg, OB2_NAMESPACE, verify, assertion_json)


def extract_svg(svg: bytes) -> dict[str, str]:
    """{keyword: text}, keyed as extract_png; {} when nothing is baked in.

    The text is the first baked element's body (credential or assertion JSON) when it has one, else
    its `verify` attribute (a compact JWS, or an OB 2.0 signature or assertion URL).
    """
    found = {}
    for keyword, (verify, body) in _scan(_decode_svg(svg)).items():
        if not (body or verify):
            raise BakedImageError(f"the baked {keyword} element in the SVG is empty")
        found[keyword] = body or verify
    return found


def extract_any(data: bytes) -> dict[str, str]:
    """extract_png or extract_svg, chosen by the content, never by a file name or a claimed type."""
    if not isinstance(data, bytes | bytearray):
        raise BakedImageError("an image must be given as bytes")
    if data.startswith(PNG_SIGNATURE):
        return extract_png(data)
    start = data[:MAX_INPUT_BYTES].removeprefix(codecs.BOM_UTF8).lstrip()
    if (start.startswith(b"<") and b"<svg" in start) or data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return extract_svg(data)
    raise BakedImageError("not a PNG or SVG badge image")
