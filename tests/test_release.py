"""What a release carries: the pre-commit hooks, the licence, the changelog."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from normalise import __version__

from .conftest import ROOT


def _hooks() -> dict[str, dict[str, object]]:
    from pre_commit.clientlib import load_manifest

    return {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}


def _run_hook(hook: dict[str, object], files: list[Path], cwd: Path | None = None) -> int:
    """Run a hook's entry the way pre-commit does: the entry, then the file names."""
    entry = shlex.split(str(hook["entry"]))
    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / entry[0]), *entry[1:], *map(str, files)]
    return subprocess.run(command, capture_output=True, check=False, cwd=cwd).returncode


def test_pre_commit_hooks_check_and_fix(tmp_path: Path) -> None:
    hooks = _hooks()
    assert set(hooks) == {"normalise-check", "normalise"}
    garbled = tmp_path / "story.md"
    garbled.write_text("Bytdance said so.\n")
    clean = tmp_path / "other.txt"
    clean.write_text("ByteDance said so.\n")
    assert _run_hook(hooks["normalise-check"], [clean]) == 0
    assert _run_hook(hooks["normalise-check"], [garbled, clean]) == 1
    assert garbled.read_text() == "Bytdance said so.\n"  # a check writes nothing
    # The fixing hook repairs in place; pre-commit fails the commit because a file changed.
    assert _run_hook(hooks["normalise"], [garbled, clean]) == 0
    assert garbled.read_text() == "ByteDance said so.\n"
    assert _run_hook(hooks["normalise-check"], [garbled]) == 0


def test_a_staged_file_named_like_an_option_is_a_file_to_the_hooks(tmp_path: Path) -> None:
    """A staged file named "--explain-file=README.md" is cleaned as a file: the hooks
    end their options with "--" (issue 25, S2: README.md was overwritten with JSONL)."""
    readme = tmp_path / "README.md"
    readme.write_text("# Read me\n")
    odd = tmp_path / "--explain-file=README.md"
    odd.write_text("Bytdance said so.\n")
    hooks = _hooks()
    for hook in hooks.values():
        assert str(hook["entry"]).endswith(" --")
    assert _run_hook(hooks["normalise-check"], [Path(odd.name)], cwd=tmp_path) == 1
    assert _run_hook(hooks["normalise"], [Path(odd.name)], cwd=tmp_path) == 0
    assert odd.read_text() == "ByteDance said so.\n"
    assert readme.read_text() == "# Read me\n"


def test_licence_and_changelog() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "OpenSanctions Datenbanken GmbH" in licence  # the countries table's notice
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {__version__}" in changelog


def test_benchmarks_leave_the_tracked_results_alone_unless_recorded() -> None:
    """A plain benchmark run writes to benchmarks/out/ (ignored by git); only --record
    rewrites benchmarks/results/, the figures the docs quote (issue 22)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import corpora
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert corpora.results_dir(False) == ROOT / "benchmarks" / "out"
    assert corpora.results_dir(True) == ROOT / "benchmarks" / "results"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "benchmarks/out/x.json"], cwd=ROOT, check=False
    )
    assert ignored.returncode == 0
    writers = sorted(
        p.name for p in (ROOT / "benchmarks").glob("*.py") if "write_text" in p.read_text()
    )
    assert writers == [
        "fuzz.py",
        "instructions.py",
        "lexicon.py",
        "quality.py",
        "realmt.py",
        "spark_bench.py",
        "throughput.py",
    ]
    for name in writers:
        source = (ROOT / "benchmarks" / name).read_text()
        assert "corpora.results_dir(args.record)" in source, name
        assert '"--record"' in source, name
        assert "RESULTS /" not in source and "RESULTS.mkdir" not in source, name
