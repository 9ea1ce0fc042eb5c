"""Logos: only whole, readable PNG and JPEG images pass, anything else is a finding on its Plan cell."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from click.testing import CliRunner
from docx import Document
from PIL import Image

from conftest import default_sheets
from generator.checks.core import load_plan
from generator.checks.images import read_logo
from generator.cli import main
from generator.document.render import render_document
from generator.files.resources import DEFAULT_TEMPLATE
from generator.plan.errors import ImageError

LOGO_CELL = "Plan!B6"  # default_sheets' Plan has five rows


def png(width: int = 40, height: int = 20, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def with_declared_size(data: bytes, width: int, height: int) -> bytes:
    """A PNG whose header declares another size, its checksum made right so only the size is wrong."""
    header = data[12:16] + struct.pack(">II", width, height) + data[24:29]
    return data[:8] + struct.pack(">I", 13) + header + struct.pack(">I", zlib.crc32(header)) + data[33:]


def with_broken_crc(data: bytes) -> bytes:
    index = data.index(b"IDAT") + 6
    return data[:index] + bytes([data[index] ^ 0xFF]) + data[index + 1:]


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "GIF")
    return buffer.getvalue()


def webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "WEBP")
    return buffer.getvalue()


JPEG_WITHOUT_FRAME = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'

BAD_LOGOS = {
    "empty": (b"", "logotypen är en tom fil"),
    "text": (b"Det h\xc3\xa4r \xc3\xa4r ingen bild", "logotypen är ingen PNG- eller JPEG-bild"),
    "truncated png": (png(400, 300, "RGBA")[:-200], "logotypen är en skadad eller ofullständig PNG-bild"),
    "png header only": (png()[:40], "logotypen är en skadad eller ofullständig PNG-bild"),
    "png broken checksum": (with_broken_crc(png()), "logotypen är en skadad eller ofullständig PNG-bild"),
    "png absurd size": (with_declared_size(png(), 100_000, 100_000),
                        "logotypen har orimlig storlek (100000 × 100000 bildpunkter"),
    "png bomb": (with_declared_size(png(), 9_000, 9_000), "logotypen har orimlig storlek (9000 × 9000"),
    "png zero width": (with_declared_size(png(), 0, 20), "logotypen har orimlig storlek (0 × 20 bildpunkter"),
    "png lying size": (with_declared_size(png(), 3000, 2000), "logotypen är en skadad eller ofullständig PNG-bild"),
    "jpeg without frame": (JPEG_WITHOUT_FRAME, "logotypen är en skadad eller ofullständig JPEG-bild"),
    "truncated jpeg": (jpeg(400, 300)[:300], "logotypen är en skadad eller ofullständig JPEG-bild"),
    "gif": (gif(), "logotypen är en GIF-bild, inte PNG eller JPEG; spara den som PNG"),
    "webp": (webp(), "logotypen är en WebP-bild, inte PNG eller JPEG"),
    "heic": (HEIC, "logotypen är en HEIC-bild, inte PNG eller JPEG"),
    "svg": (SVG, "logotypen är en SVG-bild, inte PNG eller JPEG"),
}


def plan_with_logo(make_workbook, tmp_path, data: bytes, name: str = "logo.png"):
    (tmp_path / name).write_bytes(data)
    return make_workbook(Plan=default_sheets()["Plan"] + [["Logotyp", name]])


@pytest.mark.parametrize("case", sorted(BAD_LOGOS))
def test_bad_logo_is_a_finding_on_its_plan_cell(make_workbook, tmp_path, case):
    data, expected = BAD_LOGOS[case]
    _, findings = load_plan(plan_with_logo(make_workbook, tmp_path, data))
    assert len(findings) == 1, findings
    assert findings[0].place == LOGO_CELL
    assert findings[0].is_error
    assert findings[0].message.startswith(expected)
    assert findings[0].message.endswith("(logo.png)")
    assert "mallen" not in findings[0].message


@pytest.mark.parametrize("case", ["truncated png", "png broken checksum", "jpeg without frame", "gif"])
def test_check_and_generate_name_the_cell_and_never_blame_the_template(make_workbook, tmp_path, case):
    workbook = plan_with_logo(make_workbook, tmp_path, BAD_LOGOS[case][0])
    output = tmp_path / "ut.docx"
    for args in (["check", str(workbook)], ["generate", str(workbook), "-o", str(output)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert f"{LOGO_CELL}: {BAD_LOGOS[case][1]}" in result.output
        assert "mallen" not in result.output
    assert not output.exists()


@pytest.mark.parametrize(("data", "name"), [(png(), "logo.png"), (png(30, 30, "RGBA"), "logo.png"),
                                            (png(8, 8, "P"), "logo.png"), (jpeg(), "logo.jpg"),
                                            (jpeg(), "jpeg-med-fel-namn.png")])
def test_good_logos_reach_the_document(make_workbook, tmp_path, data, name):
    workbook = plan_with_logo(make_workbook, tmp_path, data, name)
    plan, findings = load_plan(workbook)
    assert findings == ()
    output = tmp_path / "ut.docx"
    render_document(plan, DEFAULT_TEMPLATE, output)
    images = [rel.target_part.blob for rel in Document(str(output)).part.rels.values() if "image" in rel.reltype]
    assert images == [data]


def test_a_logo_broken_after_the_check_is_still_the_workbooks_fault(make_workbook, tmp_path):
    from generator.files.resources import DEFAULT_TEMPLATE

    workbook = plan_with_logo(make_workbook, tmp_path, png())
    plan, findings = load_plan(workbook)
    assert findings == ()
    (tmp_path / "logo.png").write_bytes(png()[:60])
    with pytest.raises(ImageError) as caught:
        render_document(plan, DEFAULT_TEMPLATE, tmp_path / "ut.docx")
    assert str(caught.value) == f"{LOGO_CELL}: logotypen är en skadad eller ofullständig PNG-bild; spara om den " \
                                "i ett bildprogram (logo.png)"
    assert not (tmp_path / "ut.docx").exists()


def test_logo_is_read_and_decoded_once_per_file_version(tmp_path, monkeypatch):
    import generator.checks.images as images

    path = tmp_path / "logo.png"
    path.write_bytes(png())
    calls = []
    original = images.verify_image
    monkeypatch.setattr(images, "verify_image", lambda data, where: calls.append(where) or original(data, where))
    first, second = read_logo(path), read_logo(path)
    assert first is second and len(calls) == 1
    path.write_bytes(png(41, 20))
    assert read_logo(path).width == 41 and len(calls) == 2


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """A cache folder of its own, and no logo read yet in this process (as in a new one)."""
    import generator.checks.images as images
    from generator.files import cache

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(images, "_VERIFIED", {})
    return images


def test_a_logo_decoded_before_is_not_decoded_again_in_a_new_process(kept, tmp_path, monkeypatch):
    path = tmp_path / "logo.png"
    path.write_bytes(png())
    first = read_logo(path)
    kept._VERIFIED.clear()  # a new process
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: pytest.fail("decoded again"))
    again = read_logo(path)
    assert again == first and (again.width, again.height) == (40, 20)


def test_other_bytes_are_decoded_whatever_was_decoded_before(kept, tmp_path):
    good = png()
    path = tmp_path / "logo.png"
    path.write_bytes(good)
    read_logo(path)
    damaged = bytearray(good)
    damaged[-20] ^= 0xFF  # inside the image data: the header and size are as before
    path.write_bytes(bytes(damaged))
    kept._VERIFIED.clear()
    with pytest.raises(ImageError, match="skadad eller ofullständig PNG-bild"):
        read_logo(path)


def test_without_a_cache_folder_every_process_decodes(kept, tmp_path, monkeypatch):
    from generator.files import cache

    monkeypatch.setenv(cache.CACHE_ENV, "")
    path = tmp_path / "logo.png"
    path.write_bytes(png())
    read_logo(path)
    kept._VERIFIED.clear()
    opened = []
    original = Image.open
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: opened.append(1) or original(*args, **kwargs))
    read_logo(path)
    assert opened
