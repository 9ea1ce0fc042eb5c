"""Check that a logo file is a PNG or JPEG image that a Word document can hold."""

from __future__ import annotations

import struct
from pathlib import Path

from generator.errors import ImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 10_000


def image_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels of a PNG or JPEG file; ImageError for anything else."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ImageError(path, "logotypen är ingen fil")
        if size > MAX_IMAGE_BYTES:
            raise ImageError(path, f"logotypen är större än {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageError(path, "logotypen finns inte") from None
    except OSError as exc:
        raise ImageError(path, f"logotypen kan inte läsas ({exc.strerror or exc})") from None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data, path)
    else:
        raise ImageError(path, "logotypen är ingen PNG- eller JPEG-bild")
    if not (0 < width <= MAX_IMAGE_PIXELS and 0 < height <= MAX_IMAGE_PIXELS):
        raise ImageError(path, f"logotypen har orimlig storlek ({width} × {height} bildpunkter)")
    return width, height


def _jpeg_size(data: bytes, path: Path) -> tuple[int, int]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            break
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return width, height
        index += 2 + length
    raise ImageError(path, "logotypen är en skadad JPEG-bild")
