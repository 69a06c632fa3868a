"""Readers for the real texts in ../shared/corpora (never copied into the project)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"  # the tracked figures the docs quote
SCRATCH = ROOT / "benchmarks" / "out"  # a run's results unless it is recorded (not tracked)
RECORD_HELP = "write to benchmarks/results/ (the tracked figures) instead of benchmarks/out/"
TOKEN = regex.compile(r"\w+(?:[-'’]\w+)*")  # the bare tokenising pass every ratio uses
CAPITALISED = regex.compile(r"(?<![\w'’-])\p{Lu}[\w'’-]*\w")  # tokens the naive peer tries
SHARED = Path(os.environ.get("NORMALISE_SHARED", ROOT.parent / "shared"))
CORPORA = SHARED / "corpora"


def results_dir(record: bool) -> Path:
    """The folder a benchmark writes its results to, created if missing.

    A plain run writes to ``benchmarks/out/`` so that trying a benchmark does not
    rewrite the tracked figures; ``--record`` writes to ``benchmarks/results/``.
    """
    out = RESULTS if record else SCRATCH
    out.mkdir(parents=True, exist_ok=True)
    return out


def available() -> bool:
    return CORPORA.is_dir()


def gum() -> Iterator[str]:
    with open(CORPORA / "gum_cc_prose" / "gum_docs.jsonl", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


def bbc() -> Iterator[str]:
    with open(
        CORPORA / "bbc_news_subset" / "bbc_news_business_politics_tech.jsonl", encoding="utf-8"
    ) as f:
        for line in f:
            yield json.loads(line)["text"]


_DETOKENISE = regex.compile(r" (?=[,.;:!?)\]%]|'s\b|n't\b)|(?<=[(\[]) ")


def wikigold() -> Iterator[str]:
    """Documents rebuilt from the CoNLL tokens: space-joined, then no space before
    closing punctuation, "'s" and "n't" or after an opening bracket, as Wikipedia writes
    them (the space-joined form put " ," and " ." all over the text, which is not how
    any real text reads)."""
    words: list[str] = []
    with open(CORPORA / "wikigold" / "wikigold.conll.txt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("-DOCSTART-"):
                if words:
                    yield _DETOKENISE.sub("", " ".join(words))
                    words = []
                continue
            words.append(line.rsplit(" ", 1)[0])
    if words:
        yield _DETOKENISE.sub("", " ".join(words))


def ntrex() -> Iterator[str]:
    path = CORPORA / "ntrex128_news_en_plus_translations" / "newstest2019-src.eng.txt"
    with open(path, encoding="utf-8") as f:
        yield from (line.rstrip("\n") for line in f)


def wmt_english() -> Iterator[str]:
    """Reference English translations of WMT21 (human, clean)."""
    for path in sorted((CORPORA / "wmt21_newstest_to_english").glob("*.ref.*.en")):
        with open(path, encoding="utf-8") as f:
            yield from (line.rstrip("\n") for line in f)


CLEAN_TEXTS = {"gum": gum, "wikigold": wikigold, "ntrex": ntrex, "bbc": bbc}
