"""Every example in the README and in docs/ is executed: Python examples as doctests,
console examples as shell commands whose output must match."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from normalise.config import settings_table
from normalise.table import schema_table

from .conftest import ROOT

README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
_CONSOLE = regex.compile(r"```console\n(.*?)```", regex.DOTALL)


def _console_examples() -> list[tuple[str, str]]:
    examples = []
    blocks = [b for page in PAGES for b in _CONSOLE.findall(page.read_text(encoding="utf-8"))]
    for block in blocks:
        command = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    examples.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            examples.append((command, "\n".join(output)))
    return examples


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_examples(page: Path) -> None:
    result = doctest.testfile(str(page), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if page == README:
        assert result.attempted > 0


def test_docs_settings_table_is_generated_from_the_settings() -> None:
    page = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    assert settings_table() in page


def test_docs_schema_table_is_generated_from_the_field_specs() -> None:
    page = (ROOT / "docs" / "alias-tables.md").read_text(encoding="utf-8")
    assert schema_table() in page


def test_the_testing_example_runs_as_a_pasted_test_file(tmp_path: Path) -> None:
    """The hypothesis example of docs/testing.md, pasted into a user's test file and run
    with pytest in a new folder with an empty cache (the word list is built anew)."""
    page = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    block = regex.search(r"<!-- pasted-test[^>]*-->\n```python\n(.*?)```", page, regex.S)
    assert block is not None
    (tmp_path / "test_mine.py").write_text(block.group(1), encoding="utf-8")
    env = {**os.environ, "NORMALISE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("HYPOTHESIS_PROFILE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mine.py"],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout.decode()[-2000:]
    assert b"4 passed" in proc.stdout


def test_docs_links_resolve() -> None:
    """Every relative link of the README and docs/ names a file that exists."""
    for page in PAGES:
        for target in regex.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name}: {target}"


@pytest.mark.parametrize(("command", "expected"), _console_examples())
def test_readme_console_examples(command: str, expected: str) -> None:
    """A command's standard output is compared; for a command that fails, what it
    printed on standard error (the summary line of a successful run is not shown)."""
    assert printed(command) == expected


def printed(command: str) -> str:
    """What a console example shows: its standard output, or for a command that fails
    its standard error (tools/refresh_examples.py writes the examples with this)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["COLUMNS"] = "100"  # argparse wraps help text to the terminal width
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    shown = proc.stdout if proc.returncode == 0 else proc.stderr
    return shown.decode().rstrip("\n")


def test_readme_has_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = README.read_text(encoding="utf-8").splitlines()
    commands = [
        line for line in lines if line.startswith("python3 -m venv .venv") and "[dev]" in line
    ]
    assert len(commands) == 1
    assert "README.md" in ci and "eval" in ci
