"""Every example in the README is executed: Python examples as doctests, console
examples as shell commands whose output must match."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys

import pytest
import regex

from .conftest import ROOT

README = ROOT / "README.md"
_CONSOLE = regex.compile(r"```console\n(.*?)```", regex.DOTALL)


def _console_examples() -> list[tuple[str, str]]:
    examples = []
    for block in _CONSOLE.findall(README.read_text(encoding="utf-8")):
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


def test_readme_python_examples() -> None:
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(("command", "expected"), _console_examples())
def test_readme_console_examples(command: str, expected: str) -> None:
    """A command's standard output is compared; for a command that fails, what it
    printed on standard error (the summary line of a successful run is not shown)."""
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
    assert shown.decode().rstrip("\n") == expected


def test_readme_has_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = README.read_text(encoding="utf-8").splitlines()
    commands = [
        line for line in lines if line.startswith("python3 -m venv .venv") and "[dev]" in line
    ]
    assert len(commands) == 1
    assert "README.md" in ci and "eval" in ci
