"""The documentation stays true to the code: README.md and the manual in docs/.

Every command and flag is described in docs/, every package is named on the architecture page,
the README stays short and shows the two set-up commands CI runs, every page of the manual is
linked, and every relative link and module path points at something that exists.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "arkitektur.md"
CI = ROOT / ".ci" / "run"
MAX_README_LINES = 250

FENCE = re.compile(r"^```.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _docs_text() -> str:
    return "\n".join(page.read_text(encoding="utf-8") for page in _pages())


def _prose(text: str) -> str:
    """The text without fenced code blocks, where neither links nor headings are meant."""
    return FENCE.sub("", text)


def _mentions(text: str, flag: str) -> bool:
    """flag as a whole word: --to is not found in --to-only, nor --from in --from-file."""
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text) is not None


def _command_group():
    from generator.cli import main  # the one line to change if the command line moves

    return main


# -- (a) every command and flag ----------------------------------------------------------------------------

def test_every_command_is_shown_in_docs_as_aktivitetsplan_command() -> None:
    main = _command_group()
    text = _docs_text()
    assert main.commands, "the command group has no commands"
    missing = [name for name in main.commands if not _mentions(text, f"aktivitetsplan {name}")]
    assert not missing, f"commands without an example `aktivitetsplan <kommando> …` in docs/*.md: {missing}"


def test_every_long_flag_of_every_command_appears_in_docs() -> None:
    import click

    main = _command_group()
    text = _docs_text()
    missing: list[str] = []
    for name, command in [("", main), *sorted(main.commands.items())]:
        for param in command.params:
            if not isinstance(param, click.Option):
                continue
            for flag in (*param.opts, *param.secondary_opts):
                if flag.startswith("--") and not _mentions(text, flag):
                    missing.append(f"aktivitetsplan {name} {flag}".replace("  ", " "))
    assert not missing, f"flags not described in docs/*.md: {missing}"


# -- (b) every package on the architecture page ------------------------------------------------------------

def _packages() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "generator").glob("*/__init__.py"))


def test_every_package_is_named_on_the_architecture_page() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    packages = _packages()
    assert packages, "no packages found under generator/"
    missing = [name for name in packages
               if not re.search(rf"(?:^|[\s`(*]|generator/){re.escape(name)}/", text, re.MULTILINE)]
    assert not missing, f"packages not named on docs/arkitektur.md as `generator/<name>/` or `<name>/`: {missing}"


def test_packages_named_on_the_architecture_page_exist() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"generator/(\w+)/", text)) | set(re.findall(r"\*\*`(\w+)/`\*\*", text))
    assert named, "the architecture page names no packages"
    stale = sorted(name for name in named if not (ROOT / "generator" / name).is_dir())
    assert not stale, f"docs/arkitektur.md names packages that are gone: {stale}"


# -- (c) the README: short, with CI's two set-up commands --------------------------------------------------

def _ci_readme_commands() -> list[str]:
    """The lines .ci/run runs as the README's commands: each follows a comment "# The README's … command"."""
    lines = CI.read_text(encoding="utf-8").splitlines()
    return [lines[i + 1].strip() for i, line in enumerate(lines[:-1])
            if line.startswith("# The README's") and " command" in line]


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines, at most {MAX_README_LINES}"


def test_readme_shows_the_two_setup_commands_ci_runs() -> None:
    first, second = _ci_readme_commands()
    assert "pip install . " in first and "aktivitetsplan generate" in first, first   # only the tool, then the plan
    assert "'.[test]'" in second and "pytest" in second, second                     # the test extras, every test
    blocks = [block.strip() for block in re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"),
                                                    re.MULTILINE | re.DOTALL)]
    assert blocks[:2] == [first, second], "README.md's first two ```sh blocks must be .ci/run's two commands"


def test_every_manual_page_is_linked_from_the_readme_and_the_index() -> None:
    for index in (README, DOCS / "README.md"):
        targets = {(index.parent / unquote(t.split("#")[0])).resolve()
                   for t in LINK.findall(_prose(index.read_text(encoding="utf-8")))}
        unlinked = [p.name for p in _pages() if p.resolve() not in targets and p.resolve() != index.resolve()]
        assert not unlinked, f"{index.relative_to(ROOT)} does not link {unlinked}"


# -- (d) links and paths point at what exists --------------------------------------------------------------

def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors: set[str] = set()
    for heading in HEADING.findall(_prose(page.read_text(encoding="utf-8"))):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def test_every_relative_link_points_at_a_file_and_heading() -> None:
    broken: list[str] = []
    for page in (README, *_pages()):
        for target in LINK.findall(_prose(page.read_text(encoding="utf-8"))):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):   # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            file = (page.parent / unquote(path)).resolve() if path else page
            where = f"{page.relative_to(ROOT)}: {target}"
            if not file.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and file.suffix == ".md" and unquote(anchor) not in _anchors(file):
                broken.append(f"{where} (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


def test_every_module_path_in_the_docs_exists() -> None:
    """`generator/plan/schema.py`, `plan/schema.py` or `tools/build_template.py` in backticks names a real file."""
    stale: list[str] = []
    for page in (README, *_pages()):
        for path in re.findall(r"`((?:\w+/)+\w+\.py)`", page.read_text(encoding="utf-8")):
            if not ((ROOT / path).exists() or (ROOT / "generator" / path).exists()):
                stale.append(f"{page.relative_to(ROOT)}: {path}")
    modules = {p.name for p in (ROOT / "generator").rglob("*.py")}
    for name in re.findall(r"`(\w+\.py)`", ARCHITECTURE.read_text(encoding="utf-8")):
        if name not in modules:
            stale.append(f"docs/arkitektur.md: {name}")
    assert not stale, f"module paths that no longer exist: {stale}"
