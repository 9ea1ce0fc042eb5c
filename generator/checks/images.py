"""Check that a logo file is a whole, readable PNG or JPEG image that a Word document can hold.

The one place logo files are looked at: check and render both use read_logo, so a logo
that would fail while the document is made is a finding on its Plan cell first.
python-docx's own image reader, which the document uses, must read the header; the size
it declares is checked before anything is decoded, so a decompression bomb is refused
unopened; then Pillow decodes the whole image (Image.verify checks a PNG's chunks and
checksums, Image.load every pixel). The very same bytes, once decoded whole by the same
Pillow, are not decoded again in a later process (files.cache): a plan is made again and
again with one logo.
"""

from __future__ import annotations

import functools
import hashlib
import io
import warnings
from pathlib import Path
from typing import NamedTuple

from generator.files.cache import load, store
from generator.plan.errors import ImageError, os_reason

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_SIDE = 10_000
# Decoding holds up to 4 bytes a pixel: 25 million pixels are 100 MB.
MAX_IMAGE_PIXELS = 25_000_000
_FORMATS = {"PNG": "PNG", "JPEG": "JPEG"}
# Formats people save logos in that Word documents made here do not take, by their first bytes.
_OTHER_FORMATS: tuple[tuple[bytes, int, str], ...] = (
    (b"GIF8", 0, "en GIF-bild"),
    (b"RIFF", 0, "en WebP-bild"),
    (b"BM", 0, "en BMP-bild"),
    (b"II*\x00", 0, "en TIFF-bild"),
    (b"MM\x00*", 0, "en TIFF-bild"),
    (b"%PDF", 0, "en PDF-fil"),
    (b"\x00\x00\x01\x00", 0, "en ikonfil (.ico)"),
)
_ISO_BRANDS = {b"heic": "en HEIC-bild", b"heix": "en HEIC-bild", b"mif1": "en HEIC-bild",
               b"msf1": "en HEIC-bild", b"hevc": "en HEIC-bild", b"avif": "en AVIF-bild"}
_SAVE_AS_PNG = "inte PNG eller JPEG; spara den som PNG i ett bildprogram och ange den filen"


class Logo(NamedTuple):
    """A verified logo: the bytes that were checked, its format and size in pixels."""

    data: bytes
    kind: str
    width: int
    height: int


_VERIFIED: dict[tuple[str, int, int, int], Logo] = {}


def read_logo(path: Path) -> Logo:
    """The logo at path, fully verified; ImageError saying what is wrong with it.

    Remembered per file version, so check and render (and batch runs) decode it once.
    """
    try:
        stat = path.stat()
        if not path.is_file():
            raise ImageError(path, "logotypen är ingen fil")
        if stat.st_size > MAX_IMAGE_BYTES:
            raise ImageError(path, f"logotypen är större än {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if key in _VERIFIED:
            return _VERIFIED[key]
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageError(path, "logotypen finns inte") from None
    except OSError as exc:
        raise ImageError(path, f"logotypen kan inte läsas ({os_reason(exc)})") from None
    logo = verify_image(data, path)
    if len(_VERIFIED) > 16:
        _VERIFIED.clear()
    _VERIFIED[key] = logo
    return logo


def _image_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels of a verified PNG or JPEG file; ImageError for anything else."""
    logo = read_logo(path)
    return logo.width, logo.height


def verify_image(data: bytes, path: Path) -> Logo:
    """Decode data completely as PNG or JPEG; ImageError naming what it is instead, or what is wrong."""
    if not data:
        raise ImageError(path, "logotypen är en tom fil")
    kind = "PNG" if data.startswith(b"\x89PNG\r\n\x1a\n") else "JPEG" if data.startswith(b"\xff\xd8\xff") else ""
    if not kind:
        other = _other_format(data)
        if other:
            raise ImageError(path, f"logotypen är {other}, {_SAVE_AS_PNG}")
        raise ImageError(path, "logotypen är ingen PNG- eller JPEG-bild")
    damaged = ImageError(path, f"logotypen är en skadad eller ofullständig {kind}-bild; spara om den i ett "
                               "bildprogram")
    width, height = _declared_size(data, damaged)
    _check_size(width, height, path)
    logo = Logo(data, _FORMATS[kind], width, height)
    decoded = f"{kind} {hashlib.sha256(data).hexdigest()}"  # what was decoded whole before, by its bytes
    salt = _pillow_salt()
    if salt is not None and load(salt, _DECODED, decoded) == b"ok":
        return logo
    from PIL import Image  # deferred: loaded only for a plan with a logo

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                if image.size != (width, height):
                    raise damaged
                image.verify()
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                if kind == "JPEG":
                    image.draft(image.mode, (max(width // 8, 1), max(height // 8, 1)))
                image.load()
    except ImageError:
        raise
    except Exception:  # Pillow raises many kinds (SyntaxError, OSError, ValueError …) for damaged files
        raise damaged from None
    if salt is not None:
        store(salt, _DECODED, decoded, b"ok")
    return logo


_DECODED = "logo decoded whole"


@functools.lru_cache(maxsize=1)  # worked out once per process: a server checks the same logo plan after plan
def _pillow_salt() -> bytes | None:
    """What decoding depends on: Pillow's version and this module's checks; None (nothing kept) when unknown."""
    import PIL  # deferred: loaded only for a plan with a logo (its package only: decoders load with an image)

    try:
        checks = hashlib.sha256(Path(__file__).read_bytes()).digest()
    except OSError:
        return None
    return f"Pillow {PIL.__version__}\0".encode() + checks


def _check_size(width: int, height: int, path: Path) -> None:
    if not (0 < width <= MAX_IMAGE_SIDE and 0 < height <= MAX_IMAGE_SIDE and width * height <= MAX_IMAGE_PIXELS):
        raise ImageError(path, f"logotypen har orimlig storlek ({width} × {height} bildpunkter; högst "
                               f"{MAX_IMAGE_SIDE:,} × {MAX_IMAGE_SIDE:,} och {MAX_IMAGE_PIXELS // 1_000_000} miljoner "
                               "bildpunkter)".replace(",", " "))


def _declared_size(data: bytes, damaged: ImageError) -> tuple[int, int]:
    """The size the header declares, read by python-docx's own image reader, which the document uses."""
    from docx.image.image import Image as DocxImage  # deferred: loaded only for a plan with a logo

    try:
        header = DocxImage.from_blob(data)
        return int(header.px_width), int(header.px_height)
    except Exception:  # its reader raises its own and struct's errors for headers it cannot follow
        raise damaged from None


def _other_format(data: bytes) -> str:
    for magic, offset, name in _OTHER_FORMATS:
        if data[offset:offset + len(magic)] == magic:
            if magic == b"RIFF" and data[8:12] != b"WEBP":
                continue
            return name
    if data[4:8] == b"ftyp" and data[8:12] in _ISO_BRANDS:
        return _ISO_BRANDS[data[8:12]]
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!doctype svg")) and b"<svg" in data[:4096].lower():
        return "en SVG-bild"
    return ""
