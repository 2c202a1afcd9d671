"""Previews of image evidence: the service's own re-encoding, never the uploaded bytes.

An uploaded image may carry anything after its pixels (a script a browser could be talked into
sniffing, EXIF with a home's GPS position), so a preview is decoded and drawn again: metadata
stripped, at most PREVIEW_MAX_SIDE pixels a side, written as PNG (or JPEG for photos). Decoding is
bounded before it starts: only the four accepted image decoders are tried, and an image with more
pixels than PREVIEW_MAX_PIXELS allows its format is refused from its header, so a small
"decompression bomb" cannot claim gigabytes of memory or minutes of CPU. Whatever goes wrong is
PreviewUnavailable: no preview, a note on the page, never a 500.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import EvidenceItem, EvidenceKind
from . import storage

PREVIEW_MAX_SIDE = 1200
# Pixels an image may have to be previewed. A JPEG is decoded at 1/2, 1/4 or 1/8 scale (draft), so a
# 64-megapixel photo costs about 0.7 s and 15 MiB (measured); PNG, GIF and WebP are decoded whole, so
# 16 megapixels (about 1.2 s and 85 MiB) is where a download is the better answer.
PREVIEW_MAX_PIXELS = {"JPEG": 64_000_000, "PNG": 16_000_000, "GIF": 16_000_000, "WEBP": 16_000_000}
PREVIEWABLE = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
JPEG_QUALITY = 85
_ORIENTATION = 0x0112  # the EXIF tag a phone sets instead of rotating the pixels
# What Pillow raises for damaged, truncated or hostile files (its plugins use all of these).
_DECODE_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    MemoryError,
)


class PreviewUnavailable(Exception):
    """This file has no preview: not an image, damaged, too large, or missing from storage."""


@dataclass(frozen=True)
class PreviewSize:
    width: int
    height: int


@dataclass(frozen=True)
class Preview:
    data: bytes
    media_type: str  # image/png or image/jpeg
    size: PreviewSize


def is_previewable(item: EvidenceItem) -> bool:
    """An image file of a kind the uploads accept (the only evidence that ever gets a preview)."""
    return item.kind is EvidenceKind.FILE and item.media_type in PREVIEWABLE and bool(item.stored_name)


def probe(item: EvidenceItem) -> PreviewSize:
    """The preview's size from the image's header alone (cheap: no pixels are decoded), for the page's
    <img width height>; PreviewUnavailable if the header is damaged or names too many pixels."""
    with _opened(item) as image:
        width, height = image.size
        try:
            turned = image.getexif().get(_ORIENTATION) in (5, 6, 7, 8)  # a quarter turn: render swaps them
        except _DECODE_ERRORS:
            turned = False
        return _fitted((height, width) if turned else (width, height))


def render(item: EvidenceItem) -> Preview:
    """The image decoded, stripped of metadata, scaled down and encoded again."""
    with _opened(item) as image:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                if image.format == "JPEG":
                    # Decode at 1/2, 1/4 or 1/8 scale when that still covers the preview: far less memory.
                    image.draft("RGB", (PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE))
                photo = image.format == "JPEG"
                image.seek(0)  # the first frame of an animation
                upright = ImageOps.exif_transpose(image)  # a phone's rotation, then the EXIF goes
                upright.thumbnail((PREVIEW_MAX_SIDE, PREVIEW_MAX_SIDE), Image.Resampling.LANCZOS, reducing_gap=3.0)
                return _encoded(upright, photo)
        except _DECODE_ERRORS as exc:
            raise PreviewUnavailable(f"evidence {item.id}: the image cannot be decoded ({exc})") from exc


def _encoded(image: Image.Image, photo: bool) -> Preview:
    """A new image holding only the pixels (no info, EXIF, ICC or text chunks), encoded."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    if photo and not has_alpha:
        clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        media_type = "image/jpeg"
    else:
        clean.save(out, format="PNG", optimize=False)
        media_type = "image/png"
    return Preview(out.getvalue(), media_type, PreviewSize(*clean.size))


class _opened:
    """Image.open limited to the accepted decoders and to PREVIEW_MAX_PIXELS, as a context manager."""

    def __init__(self, item: EvidenceItem) -> None:
        if not is_previewable(item):
            raise PreviewUnavailable(f"evidence {item.id} is not an image file")
        self.item = item
        self.file: BinaryIO | None = None
        self.image: Image.Image | None = None

    def __enter__(self) -> Image.Image:
        item = self.item
        try:
            self.file = file = storage.open_stored(item.stored_name or "")
        except (OSError, ValueError) as exc:
            raise PreviewUnavailable(f"evidence {item.id}: the stored file is missing") from exc
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                self.image = Image.open(file, formats=[PREVIEWABLE[item.media_type or ""]])
        except _DECODE_ERRORS as exc:
            self.__exit__()
            raise PreviewUnavailable(f"evidence {item.id}: not a readable image ({exc})") from exc
        width, height = self.image.size
        if width < 1 or height < 1 or width * height > PREVIEW_MAX_PIXELS[PREVIEWABLE[item.media_type or ""]]:
            self.__exit__()
            raise PreviewUnavailable(f"evidence {item.id}: {width}x{height} pixels is too large to preview")
        return self.image

    def __exit__(self, *exc: object) -> None:
        if self.image is not None:
            self.image.close()
        if self.file is not None:
            self.file.close()


def _fitted(size: tuple[int, int]) -> PreviewSize:
    width, height = size
    scale = min(1.0, PREVIEW_MAX_SIDE / max(width, height))
    return PreviewSize(max(1, round(width * scale)), max(1, round(height * scale)))
