"""The machine's faults (a full or read-only disk, no permission, a cut-off write) said in Swedish, naming the file."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, ROOT
from generator.cli import main
from generator.plan.errors import os_reason

LOGO = EXAMPLE.parent / "logotyp.png"


def generate(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in a process of its own; limit: the biggest file it may write, in bytes."""

    def limited() -> None:
        if limit is not None:
            import resource  # POSIX only, as the tests that set a limit are

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "generator", "generate", *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=limited, timeout=120)


@contextlib.contextmanager
def small_disk(folder: Path, size: str, read_only: bool = False) -> Iterator[Path]:
    """A real file system of its own at folder (tmpfs), as small as size; skipped where it cannot be mounted."""
    folder.mkdir()
    options = f"size={size}" + (",ro" if read_only else "")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("a tmpfs cannot be mounted here (not root, or not allowed in this container)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def workbook_beside_its_logo(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / LOGO.name).write_bytes(LOGO.read_bytes())
    target = folder / "plan.xlsx"
    target.write_bytes(EXAMPLE.read_bytes())
    return target


def said_plainly(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "Oväntat fel" not in result.stderr
    assert "Errno" not in result.stderr and "denied" not in result.stderr


@pytest.mark.slow
def test_a_full_disk_keeps_the_earlier_document(tmp_path: Path) -> None:
    workbook = workbook_beside_its_logo(tmp_path / "in")
    with small_disk(tmp_path / "disk", "64k") as disk:
        earlier = disk / "plan.docx"
        earlier.write_bytes(b"the earlier plan " * 2000)  # 34 kB: the new document (about 38 kB) does not fit
        result = generate(str(workbook), "-o", str(earlier))
        said_plainly(result)
        assert f"{earlier}: filen kunde inte skrivas (disken är full); den tidigare filen finns kvar" in result.stderr
        assert earlier.read_bytes() == b"the earlier plan " * 2000
        assert [p.name for p in disk.iterdir()] == ["plan.docx"]  # no half-written file left behind


@pytest.mark.slow
def test_a_read_only_disk_is_named(tmp_path: Path) -> None:
    workbook = workbook_beside_its_logo(tmp_path / "in")
    with small_disk(tmp_path / "disk", "64k", read_only=True) as disk:
        result = generate(str(workbook), "-o", str(disk / "plan.docx"))
        said_plainly(result)
        assert f"{disk / 'plan.docx'}: mappen går inte att skriva i (disken är skrivskyddad)" in result.stderr


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="a file size limit is POSIX's (RLIMIT_FSIZE)")
def test_a_write_cut_short_keeps_the_earlier_document(tmp_path: Path) -> None:
    workbook = workbook_beside_its_logo(tmp_path / "in")
    earlier = tmp_path / "plan.docx"
    earlier.write_bytes(b"the earlier plan")
    result = generate(str(workbook), "-o", str(earlier), limit=20_000)  # a file may not grow past 20 kB
    said_plainly(result)
    # Made in a temporary folder first, as every document is: named as the file the user asked for.
    assert f"{earlier}: filen kunde inte göras färdig i den tillfälliga mappen" in result.stderr
    assert "(filen blir för stor); den tidigare filen finns kvar" in result.stderr
    assert earlier.read_bytes() == b"the earlier plan"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".plan.docx")] == []


def refuse(monkeypatch: pytest.MonkeyPatch, refused: Path, *methods: str) -> None:
    """Path's methods answer as the system does for a place this user may not open (root may open any)."""
    for method in methods:
        original = getattr(Path, method)

        def refusing(self: Path, *args: object, _original: object = original, **kwargs: object) -> object:
            if self == refused or refused in self.parents:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return _original(self, *args, **kwargs)  # type: ignore[operator]

        monkeypatch.setattr(Path, method, refusing)


def test_an_output_folder_the_user_may_not_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = workbook_beside_its_logo(tmp_path / "in")
    closed = tmp_path / "andras"
    refuse(monkeypatch, closed, "stat", "is_dir", "exists")
    for output in (closed / "plan.docx", f"{closed}{os.sep}"):
        result = CliRunner().invoke(main, ["generate", str(workbook), "-o", str(output)])
        assert result.exit_code == 1, result.output
        assert f"{output}: går inte att nå (behörighet saknas); välj en mapp du kan skriva i" in result.output
        assert "Oväntat fel" not in result.output


def test_an_unreadable_workbook_is_a_finding_not_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               ) -> None:
    workbook = workbook_beside_its_logo(tmp_path / "in")
    refuse(monkeypatch, workbook, "open")
    for command in ("check", "generate"):
        result = CliRunner().invoke(main, [command, str(workbook)])
        assert result.exit_code == 1, result.output
        assert f"{workbook}: filen kan inte läsas (behörighet saknas)" in result.output
        assert "Användning" not in result.output  # not Click's usage error (status 2)


def test_an_unforeseen_file_fault_is_still_said_in_swedish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.flows.generating as generating

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error", str(tmp_path / "plan.docx"))

    monkeypatch.setattr(generating, "produce", failing)
    result = CliRunner().invoke(main, ["generate", str(workbook_beside_its_logo(tmp_path / "in"))])
    assert result.exit_code == 1
    assert f"{tmp_path / 'plan.docx'}: filen eller mappen går inte att nå (läs- eller skrivfel på disken)" \
        in result.output
    assert "Oväntat fel" not in result.output


@pytest.mark.parametrize(("code", "said"), [
    (errno.EACCES, "behörighet saknas"), (errno.ENOSPC, "disken är full"), (errno.EROFS, "disken är skrivskyddad"),
    (errno.EADDRINUSE, "adressen används redan"),
])
def test_the_systems_reasons_in_swedish(code: int, said: str) -> None:
    assert os_reason(OSError(code, os.strerror(code))) == said
    assert os_reason(PermissionError(13, "x")) == "behörighet saknas"


@pytest.mark.slow
def test_a_full_disk_on_the_server_is_said_without_its_paths(tmp_path: Path) -> None:
    import httpx

    from conftest import start_web_server

    with small_disk(tmp_path / "disk", "40k") as disk:  # the upload fits, the document made from it does not
        server, stop = start_web_server(disk)
        try:
            answer = httpx.post(server.url + "/api/generate", timeout=120,
                                files={"arbetsbok": ("plan.xlsx", EXAMPLE.read_bytes())})
        finally:
            stop()
        body = answer.json()
        assert answer.status_code == 422
        assert [(f["place"], f["message"]) for f in body["findings"] if f["severity"] == "fel"] == [
            ("servern", "servern kunde inte göra klart (disken är full); försök igen om en stund, och hjälper det "
                        "inte, kontakta den som driver tjänsten")]
        assert str(disk) not in answer.text and "/tmp" not in answer.text
