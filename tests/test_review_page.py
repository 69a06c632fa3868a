"""The HTML review page in a real browser: Debian's Chromium, headless, driven by
Playwright. Marked ``browser`` (deselect with -m "not browser"); it never skips on its
own: without /usr/bin/chromium it fails (``.ci/run`` installs it)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from normalise.cli import main

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
# As this machine's notes say: no sandbox as root, and no background networking (the
# network is closed; Chromium would keep trying).
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any, stdin: bytes = b""
) -> bytes:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    assert main(argv) in (0, 1)
    return capsys.readouterr().out


@pytest.fixture
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(
        "Bytdance said Tickcock is safe. Safra Katz agreed, and Bytedanse said $ 20.\n"
    )
    (tmp_path / "b.txt").write_text("Nothing to see here.\n")
    (tmp_path / "c.txt").write_text("Wallmart and GOOGLE met Salesfalrce.\n")
    return tmp_path


def test_the_review_page_filters_and_downloads_the_ticked_changes(
    browser: Any, batch: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any
) -> None:
    names = ["a.txt", "b.txt", "c.txt"]
    records = [
        json.loads(line)
        for line in _run(["explain", "--format", "jsonl", *names], monkeypatch, capsysbinary)
        .decode()
        .splitlines()
    ]
    assert len({r["method"] for r in records}) >= 4
    _run(["explain", "--format", "html", "-o", "page.html", *names], monkeypatch, capsysbinary)
    page = browser.new_page(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page.goto((batch / "page.html").as_uri())
    items = page.locator("li.change")
    shown = page.locator("#shown")
    assert items.count() == len(records)
    assert (
        shown.text_content() == f"{len(records)} shown, {len(records)} of {len(records)} accepted"
    )
    assert page.locator("section.doc").count() == 2  # b.txt has no change: not shown
    assert "Changes by method" in page.content()

    # Filters: by method, by score, by canonical name; the count follows.
    page.select_option("#method", "alias")
    aliases = sum(r["method"] == "alias" for r in records)
    assert page.locator("li.change:visible").count() == aliases
    assert shown.text_content().startswith(f"{aliases} shown")
    page.select_option("#method", "")
    page.fill("#score", "0.99")
    assert page.locator("li.change:visible").count() == sum(r["score"] >= 0.99 for r in records)
    page.fill("#score", "0")
    page.select_option("#canonical", "ByteDance")
    byte = [r for r in records if r["canonical"] == "ByteDance"]
    assert page.locator("li.change:visible").count() == len(byte) >= 2
    assert page.locator("section.doc:visible").count() == 1

    # Reject the shown ByteDance changes and one more by hand; download the rest.
    page.click("#untick")
    page.select_option("#canonical", "")
    rejected = {i for i, r in enumerate(records) if r["canonical"] == "ByteDance"}
    page.locator("li.change").nth(len(records) - 1).locator("input.accept").uncheck()
    rejected.add(len(records) - 1)
    kept = [r for i, r in enumerate(records) if i not in rejected]
    assert shown.text_content().endswith(f"{len(kept)} of {len(records)} accepted")
    with page.expect_download() as download:
        page.click("#download")
    path = batch / "accepted.jsonl"
    download.value.save_as(path)
    got = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert got == kept  # exactly the ticked changes, as explain wrote them, byte for byte:
    written = _run(["explain", "--format", "jsonl", *names], monkeypatch, capsysbinary)
    wanted = [line for i, line in enumerate(written.splitlines(True)) if i not in rejected]
    assert path.read_bytes() == b"".join(wanted)
    # The decisions: every change, with the editor's verdict.
    with page.expect_download() as download:
        page.click("#decisions")
    decided = batch / "decisions.jsonl"
    download.value.save_as(decided)
    lines = [json.loads(line) for line in decided.read_text(encoding="utf-8").splitlines()]
    assert [{k: v for k, v in r.items() if k != "accept"} for r in lines] == records
    assert [not r["accept"] for r in lines] == [i in rejected for i in range(len(records))]
    page.screenshot(path=str(batch / "page.png"), full_page=True)
    assert (batch / "page.png").stat().st_size > 10_000
    page.close()

    # The download is what apply takes.
    out = _run(["apply", "accepted.jsonl"], monkeypatch, capsysbinary).decode()
    assert "Bytdance said" in out and "Bytedanse said" in out  # rejected
    assert "Safra Catz" in out and "Walmart" in out
    # So are the decisions: the same text, and the rejections on record, which a later
    # clean with that table honours (the rejected changes are not proposed again).
    again = _run(
        ["apply", "decisions.jsonl", "--rejected-to", "rejected.toml"], monkeypatch, capsysbinary
    ).decode()
    assert again == out
    assert "[[rejected]]" in (batch / "rejected.toml").read_text(encoding="utf-8")
    left = _run(
        ["explain", "--format", "jsonl", "--table", "rejected.toml", *names],
        monkeypatch,
        capsysbinary,
    ).decode()
    proposed = {
        (r["file"], r["original"], r["canonical"]) for r in map(json.loads, left.splitlines())
    }
    for i in rejected:
        assert (records[i]["file"], records[i]["original"], records[i]["canonical"]) not in proposed


def test_jsonl_record_ids_on_the_page(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any
) -> None:
    data = (
        b'{"id": "story-7", "text": "Bytdance said so."}\n'
        b'{"id": "story-8", "text": "Nothing here."}\n'
        b'{"id": 9, "text": "</script><b>Wallmart</b>"}\n'
    )
    argv = ["explain", "--jsonl", "--field", "text", "--id-field", "id", "--format", "html"]
    html_page = _run(argv, monkeypatch, capsysbinary, data)
    (tmp_path / "page.html").write_bytes(html_page)
    page = browser.new_page()
    page.goto((tmp_path / "page.html").as_uri())
    heads = page.locator("section.doc h2").all_text_contents()
    assert heads == ["<stdin>:1 id story-7 (1 changes)", "<stdin>:3 id 9 (1 changes)"]
    assert page.locator("li.change").count() == 2
    assert "Wallmart" in page.locator("li.change").nth(1).text_content()  # escaped, shown
    page.close()


def test_the_review_page_remembers_and_triages(
    browser: Any, batch: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: Any
) -> None:
    """Issue 22: decisions survive a reload and can be loaded from a download; the
    lowest scores come first on demand; "score at most", several methods at once, a
    filter by original, clickable summary rows; the threshold and a waterfall chart
    beside each weighed change; a legend of the evidence."""
    names = ["a.txt", "b.txt", "c.txt"]
    out = _run(["explain", "--format", "jsonl", *names], monkeypatch, capsysbinary)
    records = [json.loads(line) for line in out.decode().splitlines()]
    _run(["explain", "--format", "html", "-o", "page.html", *names], monkeypatch, capsysbinary)
    uri = (batch / "page.html").as_uri()
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(uri)
    items = page.locator("li.change")
    weighed = [i for i, r in enumerate(records) if r.get("evidence")]
    assert weighed, "the batch has a weighed change"
    assert page.locator("svg.waterfall").count() == len(weighed)
    first = items.nth(weighed[0])
    assert first.locator("svg.waterfall rect").count() == len(records[weighed[0]]["evidence"]) + 1
    assert "threshold" in first.locator(".against").text_content()
    assert page.locator("#legend tr").count() > 10  # a row per comparison

    # Lowest score first, across documents.
    page.select_option("#sort", "score")
    scores = [
        float(s)
        for s in page.locator("#sorted li.change").evaluate_all(
            "els => els.map(e => e.dataset.score)"
        )
    ]
    assert scores == sorted(scores) and len(scores) == len(records)
    page.select_option("#sort", "text")
    assert page.locator("#sorted li.change").count() == 0

    # Score at most; several methods; by original; a summary row.
    page.fill("#score-max", "0.99")
    assert page.locator("li.change:visible").count() == sum(r["score"] <= 0.99 for r in records)
    page.fill("#score-max", "1")
    two = sorted({r["method"] for r in records})[:2]
    page.select_option("#method", two)
    assert page.locator("li.change:visible").count() == sum(r["method"] in two for r in records)
    page.select_option("#method", "")
    page.fill("#original", "wall")
    assert page.locator("li.change:visible").count() == sum(
        "wall" in r["original"].lower() for r in records
    )
    page.fill("#original", "")
    page.locator('tr.pick[data-canonical="ByteDance"]').click()
    assert page.locator("li.change:visible").count() == sum(
        r["canonical"] == "ByteDance" for r in records
    )
    page.select_option("#canonical", "")

    # Reject one; it is still rejected after a reload (same page, same browser).
    items.nth(0).locator("input.accept").uncheck()
    page.reload()
    assert not page.locator("li.change").nth(0).locator("input.accept").is_checked()
    assert page.locator("li.change").nth(1).locator("input.accept").is_checked()
    with page.expect_download() as download:
        page.click("#download")
    download.value.save_as(batch / "accepted.jsonl")

    # A fresh browser forgets, and the download brings the decisions back.
    other = browser.new_context()
    fresh = other.new_page()
    fresh.goto(uri)
    assert fresh.locator("li.change").nth(0).locator("input.accept").is_checked()
    fresh.set_input_files("#load", str(batch / "accepted.jsonl"))
    fresh.wait_for_function("() => !document.querySelector('li.change input.accept').checked")
    n = len(records)
    assert fresh.locator("#shown").text_content().endswith(f"{n - 1} of {n} accepted")
    other.close()
    context.close()
