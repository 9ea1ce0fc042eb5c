"""Output paths: no -o ever lands on an input (workbook, template, logo) or on another output; files keep sane modes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, default_sheets, needs_libreoffice, write_workbook
from generator.cli import main
from generator.files.output import new_file_mode, write_atomically
from generator.files.paths import batch_names, case_insensitive, plan_targets, same_file
from generator.files.resources import default_template
from generator.plan.errors import OutputPathError

COMMAND = Path(sys.executable).parent / "aktivitetsplan"


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every entry under folder: its bytes (or link target) and mode, links not followed."""
    found: dict[str, tuple[bytes | str, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            found[str(path.relative_to(folder))] = (os.readlink(path), info.st_mode)
        elif path.is_file():
            found[str(path.relative_to(folder))] = (path.read_bytes(), info.st_mode)
    return found


def make_inputs(folder: Path) -> Path:
    """A workbook with a logo and Sändlista, a copy of the template, and links pointing at each."""
    sheets = default_sheets()
    sheets["Plan"] = [*sheets["Plan"], ["Logotyp", "logotyp.png"]]
    sheets["Sändlista"] = [["Namn", "E-post"], ["Anna", "anna@testkoping.se"]]
    workbook = write_workbook(folder / "plan.xlsx", sheets)
    shutil.copy(EXAMPLE.parent / "logotyp.png", folder / "logotyp.png")
    shutil.copy(default_template(), folder / "mall.docx")
    (folder / "lank.docx").symlink_to("plan.xlsx")
    (folder / "mallank.docx").symlink_to(folder / "mall.docx")
    (folder / "undermapp").mkdir()
    (folder / "mapplank").symlink_to(folder)
    return workbook


@pytest.fixture
def inputs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return make_inputs(tmp_path)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- the cases the issue names -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("output", "clashes_with"), [
    ("plan.xlsx", None),               # wrong suffix: a usage mistake before anything else
    ("lank.docx", "arbetsboken"),      # a link to the workbook
    ("mall.docx", "mallen"),           # the template of the same run
    ("mallank.docx", "mallen"),        # a link to the template
    ("mall", "mallen"),                # no suffix: mall.docx, the template
    ("mall.pdf", "mallen"),            # .pdf puts the Word file beside it: mall.docx
    ("mapplank/mall.docx", "mallen"),  # through a linked folder
])
def test_output_on_an_input_is_refused_before_anything_is_written(inputs, tmp_path, output, clashes_with):
    before = snapshot(tmp_path)
    result = run("generate", inputs, "-o", output, "--template", "mall.docx")
    assert result.exit_code == 2, result.output
    assert snapshot(tmp_path) == before
    assert "Traceback" not in result.output
    if clashes_with:
        assert f"skulle skriva över {clashes_with}" in result.stderr
        assert "Inget skrevs" in result.stderr
    else:
        assert "ska sluta på .docx eller .pdf" in result.stderr


def test_workbook_named_as_the_output_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    workbook = write_workbook(tmp_path / "plan.docx", default_sheets())  # a workbook saved under a Word name
    before = snapshot(tmp_path)
    result = run("generate", workbook, "-o", tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path / 'plan.docx'}: Word-filen skulle skriva över arbetsboken" in result.stderr
    assert snapshot(tmp_path) == before


def test_logo_is_an_input_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sheets = default_sheets()
    sheets["Plan"] = [*sheets["Plan"], ["Logotyp", "bild.docx"]]  # a PNG whatever its name
    workbook = write_workbook(tmp_path / "plan.xlsx", sheets)
    shutil.copy(EXAMPLE.parent / "logotyp.png", tmp_path / "bild.docx")
    assert run("check", workbook).exit_code == 0
    before = snapshot(tmp_path)
    result = run("generate", workbook, "-o", "bild")
    assert result.exit_code == 2
    assert "skulle skriva över logotypen" in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(("output", "expected"), [
    ("ut/", "ut/plan.docx"),
    ("ny/mapp/", "ny/mapp/plan.docx"),
    ("undermapp", "undermapp/plan.docx"),
    ("namn", "namn.docx"),
    ("Namn.DOCX", "Namn.DOCX"),
])
def test_folder_and_name_without_suffix(inputs, tmp_path, output, expected):
    result = run("generate", inputs, "-o", output)
    assert result.exit_code == 0, result.output
    assert f"Skrev {Path(expected)}" in result.stdout
    assert Document(str(tmp_path / expected)).core_properties.title == "Aktivitetsplan – Testköping"


def test_a_file_given_as_a_folder_is_a_usage_mistake(inputs, tmp_path):
    before = snapshot(tmp_path)
    result = run("generate", inputs, "-o", "mall.docx/")
    assert result.exit_code == 2
    assert "är en fil, inte en mapp" in result.stderr
    assert snapshot(tmp_path) == before


def test_other_suffix_is_a_usage_mistake_naming_the_allowed_ones(inputs, tmp_path):
    result = run("generate", inputs, "-o", "plan.odt")
    assert result.exit_code == 2
    assert 'plan.odt: ".odt" går inte att skriva. Utdatafilen ska sluta på .docx eller .pdf' in result.stderr
    assert not (tmp_path / "plan.odt").exists()


@needs_libreoffice
def test_pdf_output_keeps_the_word_file_beside_it(inputs, tmp_path):
    result = run("generate", inputs, "-o", "ut/plan.pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ut" / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert Document(str(tmp_path / "ut" / "plan.docx")).core_properties.title == "Aktivitetsplan – Testköping"


def test_library_plans_the_same_targets():
    workbook = Path("plan.xlsx")
    assert plan_targets(workbook, None) == plan_targets(workbook, "out/")
    assert plan_targets(workbook, "x.pdf").docx == Path("x.docx")
    assert plan_targets(workbook, "x.pdf").pdf == Path("x.pdf")
    assert plan_targets(workbook, "x", pdf=True).pdf == Path("x.pdf")
    with pytest.raises(OutputPathError) as caught:
        plan_targets(workbook, "x.txt")
    assert caught.value.exit_code == 2


# --- real files, not strings ---------------------------------------------------------------------------------------

def test_same_file_resolves_links_and_relative_paths(inputs, tmp_path):
    assert same_file(Path("lank.docx"), tmp_path / "plan.xlsx")
    assert same_file(Path("undermapp/../plan.xlsx"), inputs)
    os.link(inputs, tmp_path / "hardlink.xlsx")
    assert same_file(tmp_path / "hardlink.xlsx", inputs)
    assert not same_file(tmp_path / "annan.docx", inputs)
    (tmp_path / "trasig.docx").symlink_to(tmp_path / "finns-inte.docx")
    assert same_file(tmp_path / "trasig.docx", tmp_path / "finns-inte.docx")


def test_case_is_probed_per_folder(tmp_path):
    sensitive = tmp_path / "skiftlagesberoende"
    sensitive.mkdir()
    (sensitive / "plan.docx").write_bytes(b"x")
    assert not case_insensitive(sensitive)
    assert not same_file(sensitive / "Ny.docx", sensitive / "ny.docx")
    # A folder where every cased name has its case-swapped twin as the same file behaves like a
    # case-insensitive file system (NTFS, APFS, FAT) for the probe.
    folded = tmp_path / "skiftlagesokanslig"
    folded.mkdir()
    (folded / "Plan.docx").write_bytes(b"x")
    os.link(folded / "Plan.docx", folded / "pLAN.DOCX")
    assert case_insensitive(folded)
    assert same_file(folded / "Ny.docx", folded / "nY.DOCX")
    assert not same_file(folded / "Ny.docx", folded / "Annan.docx")


def test_batch_names_are_distinct_regardless_of_case():
    workbooks = [Path("kommuner/plan.xlsx"), Path("kommuner/plan.xlsm"), Path("kommuner/Plan.xlsx"),
                 Path("norr/plan.xlsx"), Path("kommuner-plan.xlsx"), Path("a/other.xlsx")]
    names = batch_names(workbooks)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[3] == "norr-plan"
    assert names[5] == "other"


# --- permissions ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        assert new_file_mode() == mode
        write_atomically(tmp_path / "ny.docx", lambda temp: temp.write_bytes(b"ny"))
        workbook = write_workbook(tmp_path / "plan.xlsx", default_sheets())
        result = run("generate", workbook, "-o", tmp_path / "ut" / "plan.docx")
        assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "ny.docx").stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "ut" / "plan.docx").stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o600, 0o664, 0o640])
def test_a_replaced_file_keeps_its_mode(tmp_path, mode):
    target = tmp_path / "plan.docx"
    target.write_bytes(b"tidigare")
    target.chmod(mode)
    old = os.umask(0o022)
    try:
        result = run("generate", write_workbook(tmp_path / "plan.xlsx", default_sheets()), "-o", target)
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() != b"tidigare"


# --- any -o against any input --------------------------------------------------------------------------------------

# Inputs (and links to them) first and often: they are where a careless -o does harm.
INPUT_NAMES = ["mall", "mall.docx", "mallank.docx", "lank.docx", "lank", "plan.xlsx", "logotyp.png", "logotyp"]
OTHER_NAMES = ["plan", "Plan", "PLAN", "MALL", "ut", "undermapp", "mapplank", "ny", "plan.xlsx.docx"]
SUFFIXES = ["", ".docx", ".pdf", "/", ".DOCX", ".Pdf", ".xlsx", ".png", ".txt"]
PREFIXES = ["", "./", "mapplank/", "undermapp/../", "undermapp/", "ny/mapp/"]


@st.composite
def outputs(draw):
    name = draw(st.one_of(st.sampled_from(INPUT_NAMES), st.sampled_from(OTHER_NAMES)))
    suffix = draw(st.sampled_from(SUFFIXES))
    if draw(st.booleans()):
        name = draw(st.sampled_from([name.upper(), name.lower(), name.swapcase(), name.capitalize()]))
    return draw(st.sampled_from(PREFIXES)) + name + suffix, draw(st.booleans())


def expected_docx(folder: Path, output: str) -> Path | None:
    """Where the Word file should land for -o output, written independently of the code under test;
    None when the run should refuse."""
    if output.endswith("/") or (folder / output).is_dir():
        return folder / output / "plan.docx"
    path = folder / output
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return path
    if suffix == "":
        return path.with_name(path.name + ".docx")
    return None


PROTECTED = ["plan.xlsx", "mall.docx", "logotyp.png"]


@pytest.mark.slow  # 80 generated cases
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=outputs())
def test_any_output_never_destroys_an_input(base_inputs, case):
    output, absolute = case
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copytree(base_inputs, folder, symlinks=True, dirs_exist_ok=True)
        (folder / "mallank.docx").unlink()
        (folder / "mallank.docx").symlink_to(folder / "mall.docx")
        (folder / "mapplank").unlink()
        (folder / "mapplank").symlink_to(folder)
        before = snapshot(folder)
        given_output = str(folder / output) + ("/" if output.endswith("/") else "") if absolute else output
        cwd = os.getcwd()
        os.chdir(folder)
        try:
            target = expected_docx(folder, output)
            result = CliRunner().invoke(main, ["generate", "plan.xlsx", "-o", given_output, "--template", "mall.docx"],
                                        env={"AKTIVITETSPLAN_SOFFICE": str(folder / "ingen-soffice")})
        finally:
            os.chdir(cwd)
        for name in PROTECTED:
            assert (folder / name).read_bytes() == before[name][0], (output, result.output)
            assert (folder / name).stat().st_mode == before[name][1]
        assert "Traceback" not in result.output and "Oväntat fel" not in result.output, result.output
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 0:
            assert target is not None and target.is_file(), (output, result.output)
            assert Document(str(target)).core_properties.title == "Aktivitetsplan – Testköping"
            assert not any(same_file(target, folder / name) for name in PROTECTED)
        else:
            assert snapshot(folder) == before, (output, result.output)  # a failed run leaves everything as it was
            assert result.stderr.strip(), result.output
            protected_target = target is not None and any(same_file(target, folder / n) for n in (*PROTECTED,
                                                                                                   "lank.docx"))
            blocked = target is not None and any(p.is_file() for p in target.parents)  # a file where a folder goes
            expected_failure = target is None or protected_target or blocked or output.lower().endswith(".pdf")
            assert expected_failure, f"-o {output} should have succeeded: {result.output}"


@pytest.fixture(scope="module")
def base_inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("indata")
    make_inputs(folder)
    return folder


# --- the installed command -----------------------------------------------------------------------------------------

@pytest.mark.slow  # the installed command in new processes
@pytest.mark.parametrize("output", ["plan.xlsx", "lank.docx", "mall", "mapplank/mall.pdf"])
def test_installed_command_refuses_to_overwrite_an_input(inputs, tmp_path, output):
    before = snapshot(tmp_path)
    done = subprocess.run([str(COMMAND), "generate", "plan.xlsx", "-o", output, "--template", "mall.docx"],
                          capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.slow  # the installed command in new processes
def test_installed_command_writes_into_a_new_folder(inputs, tmp_path):
    done = subprocess.run([str(COMMAND), "generate", "plan.xlsx", "-o", "nya/"], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "nya" / "plan.docx").is_file()


def test_watch_stops_at_once_on_an_output_over_an_input(inputs, tmp_path):
    before = snapshot(tmp_path)
    result = run("generate", inputs, "--watch", "-o", "lank.docx")
    assert result.exit_code == 2
    assert "skulle skriva över arbetsboken" in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("args", [
    ["--dry-run", "-o", "lank.docx"],
    ["--eml", "utkast.eml", "-o", "mall", "--template", "mall.docx"],
    ["--eml", "plan.xlsx"],
    ["--eml", "out/plan.docx"],                  # the draft on the Word file of the same run
    ["--eml", "ut.eml", "-o", "mallank.pdf", "--template", "mall.docx"],  # the Word file beside the PDF
])
def test_send_follows_the_same_rules(inputs, tmp_path, args):
    before = snapshot(tmp_path)
    result = run("send", inputs, *args)
    assert result.exit_code == 2, result.output
    assert "Inget skrevs" in result.stderr
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("problem", ["pdf", "template", "workbook"])
def test_a_failing_generate_leaves_every_earlier_file(inputs, tmp_path, monkeypatch, problem):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plan.docx").write_bytes(b"tidigare plan")
    (tmp_path / "out" / "plan.pdf").write_bytes(b"tidigare pdf")
    args = ["generate", inputs, "--pdf"]
    if problem == "pdf":
        monkeypatch.setenv("AKTIVITETSPLAN_SOFFICE", str(tmp_path / "finns-inte" / "soffice"))
    elif problem == "template":
        (tmp_path / "trasig.docx").write_bytes(b"ingen mall")
        args += ["--template", "trasig.docx"]
    else:
        write_workbook(inputs, {**default_sheets(), "Plan": [["Kommun", None]]})
    before = snapshot(tmp_path)
    result = run(*args)
    assert result.exit_code == 1
    assert snapshot(tmp_path) == before
