"""Stream a multipart upload into a private folder under generated names, size-limited while it arrives.

The python-multipart adapter: the one module that uses that library (its MultipartParser and
callbacks). Its parse errors become an UploadError here (400, in Swedish), which the web face
answers with; nothing else sees them.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header

from generator.checks.images import MAX_IMAGE_BYTES
from generator.document.render import MAX_TEMPLATE_BYTES
from generator.importing.docxfile import MAX_DOCUMENT_BYTES
from generator.plan.errors import os_reason
from generator.workbook.safety import MAX_FILE_BYTES

MB = 1024 * 1024


@dataclass(frozen=True)
class FileField:
    """A file field the page and the API accept: its limit, the name it is stored under, the message."""

    limit: int
    stored_as: str
    too_large: str


# The one list of file fields: the same limits and messages as the command line.
FILE_FIELDS = {
    "arbetsbok": FileField(MAX_FILE_BYTES, "arbetsbok.xlsx",
                           f"filen är större än {MAX_FILE_BYTES // MB} MB; högst {MAX_FILE_BYTES // MB} MB läses"),
    "mall": FileField(MAX_TEMPLATE_BYTES, "mall.docx", f"mallen är större än {MAX_TEMPLATE_BYTES // MB} MB"),
    "profil": FileField(MAX_TEMPLATE_BYTES, "profil.docx",
                        f"kommunens Word-mall är större än {MAX_TEMPLATE_BYTES // MB} MB"),
    "logotyp": FileField(MAX_IMAGE_BYTES, "logotyp.bild", f"logotypen är större än {MAX_IMAGE_BYTES // MB} MB"),
    "plan": FileField(MAX_DOCUMENT_BYTES, "plan.docx",
                      f"dokumentet är större än {MAX_DOCUMENT_BYTES // MB} MB; "
                      f"högst {MAX_DOCUMENT_BYTES // MB} MB läses"),
}
MAX_TEXT_FIELD = 8 * 1024
MAX_PARTS = 16
MAX_BODY = sum(f.limit for f in FILE_FIELDS.values()) + MB
DRAIN_LIMIT = 4 * MAX_BODY  # past this a sender is cut off rather than read to the end


class UploadError(Exception):
    """The request cannot be taken in: status code, the place (a file's name) and a Swedish message."""

    def __init__(self, status: int, place: str, message: str) -> None:
        super().__init__(place, message)
        self.status = status
        self.place = place
        self.message = message
        self.fields: dict[str, str] = {}  # the text fields that came before the problem (the CSRF token)


@dataclass
class Upload:
    """What arrived: files under generated names in folder, the names they had (shown only), text fields."""

    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


def refused(error: OSError) -> UploadError:
    """The server's own disk refused an upload (full, its folder gone): 503, said in Swedish."""
    return UploadError(503, "servern", f"servern kunde inte ta emot filen ({os_reason(error)}); försök igen om en "
                                       "stund, och hjälper det inte, kontakta den som driver tjänsten")


def _private_folder(parent: Path | None = None, prefix: str = "aktivitetsplan-web-") -> Path:
    """A new folder only this user can read (mkdtemp makes it 0700)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


def _display_name(raw: bytes, field_name: str) -> str:
    """The uploaded file's own name, for messages and download names only; never a path here."""
    text = raw.decode("utf-8", "replace").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()[:120]
    return text or FILE_FIELDS[field_name].stored_as


class _Receiver:
    """multipart callbacks: each part goes to its file or field, with the limits checked as it arrives."""

    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.parts = 0
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._kind: FileField | None = None
        self._handle: object = None
        self._size = 0
        self._text = bytearray()
        self._is_text = False
        self.error: UploadError | None = None

    def on_part_begin(self) -> None:
        self.parts += 1
        self._headers, self._name, self._kind, self._size = {}, "", None, 0
        self._text = bytearray()
        if self.parts > MAX_PARTS and self.error is None:
            self.error = UploadError(400, "formuläret", "för många fält i formuläret")

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._is_text = b"filename" not in options
        if self._is_text or self.error is not None:
            return
        self._kind = FILE_FIELDS.get(self._name)
        if self._kind is None or self._name in self.upload.files:
            return  # unknown or repeated file fields are read past, never stored
        raw_name = options[b"filename"]
        if not raw_name:
            self._kind = None  # a form sent without choosing a file
            return
        self.upload.names[self._name] = _display_name(raw_name, self._name)
        path = self.upload.folder / self._kind.stored_as
        self.upload.files[self._name] = path
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._handle = os.fdopen(fd, "wb")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._handle is not None and self._kind is not None:
            self._size += len(chunk)
            if self._size > self._kind.limit:
                self._close()
                self.upload.files.pop(self._name).unlink()
                if self.error is None:
                    self.error = UploadError(413, self.upload.names[self._name], self._kind.too_large)
                return
            self._handle.write(chunk)  # type: ignore[attr-defined]
        elif self._is_text and self.error is None:
            self._text += chunk
            if len(self._text) > MAX_TEXT_FIELD:
                self.error = UploadError(413, "formuläret", "ett fält i formuläret är för långt")

    def on_part_end(self) -> None:
        self._close()
        if self._is_text and self._name and self.error is None:
            self.upload.fields.setdefault(self._name, self._text.decode("utf-8", "replace"))

    def _close(self) -> None:
        if self._handle is not None:
            self._handle.close()  # type: ignore[attr-defined]
            self._handle = None


async def receive(content_type: str, length: str | None, stream: AsyncIterator[bytes], folder: Path) -> Upload:
    """Parse a multipart/form-data body from stream into folder; UploadError when it cannot be taken in.

    The whole body is read (and past a limit thrown away) so the sender gets the answer
    instead of a broken connection; a sender going on far past every limit is cut off.
    """
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(400, "formuläret", "skicka filerna som multipart/form-data (fältet arbetsbok)")
    if length is not None and length.isdigit() and int(length) > DRAIN_LIMIT:
        raise UploadError(413, "formuläret", f"förfrågan är för stor; högst {MAX_BODY // MB} MB tas emot")
    upload = Upload(folder)
    receiver = _Receiver(upload)
    parser = MultipartParser(boundary, {
        "on_part_begin": receiver.on_part_begin, "on_part_data": receiver.on_part_data,
        "on_part_end": receiver.on_part_end, "on_header_field": receiver.on_header_field,
        "on_header_value": receiver.on_header_value, "on_header_end": receiver.on_header_end,
        "on_headers_finished": receiver.on_headers_finished,
    })
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > DRAIN_LIMIT:
                raise receiver.error or UploadError(413, "formuläret", "förfrågan är för stor")
            if receiver.error is None or receiver.error.status != 400:
                parser.write(chunk)
        parser.finalize()
    except UploadError as error:
        error.fields = upload.fields
        raise
    except OSError as error:
        failed = refused(error)
        failed.fields = upload.fields
        raise failed from None
    except Exception:  # python-multipart's parse errors: a broken or cut-off body
        broken = UploadError(400, "formuläret", "formuläret kom inte fram helt; försök igen")
        broken.fields = upload.fields
        raise broken from None
    finally:
        receiver._close()
    if receiver.error is not None:
        receiver.error.fields = upload.fields
        raise receiver.error
    return upload
