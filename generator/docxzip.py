"""Write a python-docx package as a .docx, copying the template's parts rendering left unchanged as they are packed."""

from __future__ import annotations

import io
import os
import struct
import threading
import time
import zipfile
import zlib
from collections import OrderedDict
from pathlib import Path
from typing import IO, Any

# Parts (packed) of the templates saved from, per file version: the default and a user's own.
MAX_PACKED_TEMPLATES = 2
# A packed part larger than this is compressed anew rather than kept (memory of a long-running server).
MAX_KEPT_PART_BYTES = 1_000_000
_PACKED: OrderedDict[tuple[str, int, int], dict[str, tuple[int, int, int, bytes]]] = OrderedDict()
_LOCK = threading.Lock()

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # zipfile's structCentralDir
_END = struct.Struct("<4s4H2LH")  # zipfile's structEndArchive
_VERSION = 20  # what zipfile writes for deflated entries: made by and needed to extract
_SYSTEM = 0 if os.name == "nt" else 3
_EXTERNAL_ATTR = 0o600 << 16  # zipfile's for writestr(name, data)
_MAX_ENTRY = 0xFFFF_FFFF  # past this a zip needs ZIP64, which this writer leaves to zipfile


def package_blobs(package: Any) -> list[tuple[str, bytes]]:
    """The members of package as python-docx saves them, in its order: (name in the zip, bytes).

    The python-docx adapter: its PackageWriter composes the content types, relationships and
    parts; only the zip writing is this module's.
    """
    from docx.opc.pkgwriter import PackageWriter

    class Collect:
        def __init__(self) -> None:
            self.members: list[tuple[str, bytes]] = []

        def write(self, pack_uri: Any, blob: bytes) -> None:
            self.members.append((pack_uri.membername, blob))

    parts = package.parts
    for part in parts:
        part.before_marshal()
    collected = Collect()
    PackageWriter._write_content_types_stream(collected, parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, parts)  # type: ignore[arg-type]  # it only calls write()
    return collected.members


def save_package(package: Any, target: str | Path | IO[bytes], template: Any = None) -> None:
    """Save package as a .docx to target (a path or a binary file).

    A member whose bytes equal the same member of template (a .docx path) is copied packed
    from it, not compressed again; the rest are deflated as python-docx's zipfile would.
    """
    members = package_blobs(package)
    if sum(len(blob) for _, blob in members) > _MAX_ENTRY:  # never for a plan within the limits
        _save_with_zipfile(members, target)
        return
    packed = _packed(template)
    out = io.BytesIO()
    central = []
    dostime, dosdate = _dos_time()
    for name, blob in members:
        crc = zlib.crc32(blob)
        method, data = zipfile.ZIP_DEFLATED, b""
        kept = packed.get(name)
        if kept is not None and kept[0] == crc and kept[1] == len(blob) and _unpacks_to(kept, blob):
            method, data = kept[2], kept[3]
        else:
            compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            data = compressor.compress(blob) + compressor.flush()
        encoded = name.encode("ascii") if name.isascii() else name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\003\004", _VERSION, 0, flags, method, dostime, dosdate, crc, len(data),
                              len(blob), len(encoded), 0))
        out.write(encoded)
        out.write(data)
        central.append(_CENTRAL.pack(b"PK\001\002", _VERSION, _SYSTEM, _VERSION, 0, flags, method, dostime, dosdate,
                                     crc, len(data), len(blob), len(encoded), 0, 0, 0, 0, _EXTERNAL_ATTR, offset)
                       + encoded)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(b"PK\005\006", 0, 0, len(central), len(central), len(directory), start, 0))
    if start + len(directory) > _MAX_ENTRY or len(central) > 0xFFFF:
        _save_with_zipfile(members, target)
        return
    if isinstance(target, (str, Path)):
        with open(target, "wb") as file:
            file.write(out.getbuffer())
    else:
        target.write(out.getbuffer())


def _save_with_zipfile(members: list[tuple[str, bytes]], target: str | Path | IO[bytes]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members:
            archive.writestr(name, blob)


def _dos_time() -> tuple[int, int]:
    """Now as a zip entry's (time, date), as zipfile stamps what writestr writes."""
    year, month, day, hour, minute, second = time.localtime(time.time())[:6]
    if year < 1980:
        year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


def _unpacks_to(kept: tuple[int, int, int, bytes], blob: bytes) -> bool:
    """Whether a kept member holds exactly blob (the checksum and size agree already)."""
    _, size, method, data = kept
    if method == zipfile.ZIP_STORED:
        return data == blob
    try:
        inflater = zlib.decompressobj(-15)
        return inflater.decompress(data, size + 1) == blob and not inflater.unconsumed_tail
    except zlib.error:
        return False


def _packed(template: Any) -> dict[str, tuple[int, int, int, bytes]]:
    """The members of the template file, packed as they lie: name -> (CRC, size, method, packed bytes).

    Read once per file version (path, modification time, size); empty when template is no
    readable .docx file. Only ever a source of bytes to compare with (_unpacks_to): a stale
    or damaged file costs speed, never a wrong document.
    """
    if not isinstance(template, (str, Path)):
        return {}
    try:
        stat = os.stat(template)
        key = (str(Path(template).resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return {}
    with _LOCK:
        found = _PACKED.get(key)
        if found is not None:
            _PACKED.move_to_end(key)
            return found
    found = _read_packed(template)
    with _LOCK:
        _PACKED[key] = found
        while len(_PACKED) > MAX_PACKED_TEMPLATES:
            _PACKED.popitem(last=False)
    return found


def _read_packed(path: str | Path) -> dict[str, tuple[int, int, int, bytes]]:
    members: dict[str, tuple[int, int, int, bytes]] = {}
    try:
        with open(path, "rb") as file, zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                if (info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1
                        or info.compress_size > MAX_KEPT_PART_BYTES or info.file_size > 4 * MAX_KEPT_PART_BYTES):
                    continue
                file.seek(info.header_offset)
                header = file.read(_LOCAL.size)
                if len(header) != _LOCAL.size or header[:4] != b"PK\003\004":
                    continue
                name_length, extra_length = struct.unpack("<2H", header[26:30])
                file.seek(info.header_offset + _LOCAL.size + name_length + extra_length)
                data = file.read(info.compress_size)
                if len(data) == info.compress_size:
                    members[info.filename] = (info.CRC, info.file_size, info.compress_type, data)
    except (OSError, zipfile.BadZipFile, ValueError, struct.error):
        return {}
    return members
