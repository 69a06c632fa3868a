"""The HTML review page of ``normalise explain --format html``.

One self-contained file (no network, no assets): a summary of the batch, then only the
documents with changes, each change in its context with its method, score, weighed
evidence and a waterfall chart of it in plain sight, a checkbox to accept or reject it
(kept in the browser's localStorage, or loaded from an earlier download), filters by
method, score, canonical name and original, an order by score, and buttons that
download the ticked changes as JSONL, exactly as ``explain --format jsonl`` writes
them, or every decision, for ``normalise apply``. The page works without its script
too: it is then a read-only report.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..evidence import total
from ..models import Change
from .inputs import json_text
from .render import item

_CONTEXT = 70  # characters of context on either side of a change, within its line


class Reviewed(NamedTuple):
    """One document of the page: its label ("file" or "file:line"), its record id (for
    JSONL input with ``--id-field``), its text, its changes and their JSONL records."""

    label: str
    id: str | None
    text: str
    changes: Sequence[Change]
    records: Sequence[dict[str, object]]


def _context(text: str, c: Change) -> str:
    """The change inside its line, cut to ``_CONTEXT`` characters on either side."""
    # Only the window around the change is searched: a long line costs nothing more.
    low = max(0, c.start - _CONTEXT)
    start = max(text.rfind("\n", low, c.start) + 1, low)
    high = min(len(text), c.end + _CONTEXT)
    end = text.find("\n", c.end, high)
    end = high if end < 0 else end
    before = ("…" if start > 0 and text[start - 1] != "\n" else "") + text[start : c.start]
    after = text[c.end : end] + ("…" if end < len(text) and text[end] != "\n" else "")
    return (
        f"{html.escape(before)}<del>{html.escape(c.original)}</del>"
        f"<ins>{html.escape(c.replacement)}</ins>{html.escape(after)}"
    )


# Why a change that needs no weighing was made, by method.
_UNWEIGHED = {
    "alias": "a variant the table lists",
    "case": "the canonical name with damaged capitals",
    "compact": "the canonical name split or joined",
    "document": "part of a name fixed earlier in this document",
    "context": "a variant the table gates, supported by this document",
    "honorific": "the honorific of a person this document names",
    "word": "a word garble the table lists",
    "typography": "a typographic rule",
}


def _evidence(c: Change) -> str:
    if not c.evidence:
        why = _UNWEIGHED.get(c.method, c.method)
        support = (
            f' <span class="support">supported by “{html.escape(c.support)}”</span>'
            if c.support
            else ""
        )
        return f'<span class="none">{html.escape(why)}: no weighing needed</span>{support}'
    items = "".join(
        f'<span class="{"plus" if e.weight >= 0 else "minus"}">'
        f"{html.escape(item(e, c.original))}</span> "
        for e in c.evidence
    )
    return f"{items}<b>total {total(c.evidence):.1f}</b>"


def waterfall(c: Change, threshold: float | None) -> str:
    """A small inline SVG of a weighed change's evidence, as Splink draws match weights:
    a bar per item (the prior first) from the running total before it to the total after
    it, green for a garble and red against, then the total, with the threshold dashed.
    Each bar's tooltip (``<title>``) names its item."""
    if not c.evidence:
        return ""
    steps = []
    running = 0.0
    for e in c.evidence:
        steps.append((running, running + e.weight, str(e)))
        running += e.weight
    ends = [0.0, running, *(a for a, _, _ in steps), *(b for _, b, _ in steps)]
    if threshold is not None:
        ends.append(threshold)
    low, high = min(ends), max(ends)
    span = (high - low) or 1.0
    bar, gap, height, pad = 12, 3, 64, 4

    def y(v: float) -> float:
        return pad + (high - v) / span * (height - 2 * pad)

    parts = []
    x = 0
    for a, b, label in steps:
        top, bottom = min(y(a), y(b)), max(y(a), y(b))
        cls = "up" if b >= a else "down"
        parts.append(
            f'<rect class="{cls}" x="{x}" y="{top:.1f}" width="{bar}" '
            f'height="{max(bottom - top, 1):.1f}"><title>{html.escape(label)}</title></rect>'
        )
        x += bar + gap
    top, bottom = min(y(0), y(running)), max(y(0), y(running))
    parts.append(
        f'<rect class="total" x="{x}" y="{top:.1f}" width="{bar}" '
        f'height="{max(bottom - top, 1):.1f}"><title>total {running:+.1f}</title></rect>'
    )
    width = x + bar
    parts.append(f'<line class="zero" x1="0" x2="{width}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    if threshold is not None:
        parts.append(
            f'<line class="threshold" x1="0" x2="{width}" y1="{y(threshold):.1f}" '
            f'y2="{y(threshold):.1f}"><title>threshold {threshold:+.1f}</title></line>'
        )
    return (
        f'<svg class="waterfall" width="{width}" height="{height}" role="img" '
        f'aria-label="weighed evidence: total {running:+.1f}">{"".join(parts)}</svg>'
    )


def legend() -> str:
    """What each comparison of the evidence looks at, and its levels (from
    ``normalise.comparisons``, the one definition of each)."""
    from ..comparisons import ALL

    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(', '.join(c.levels))}</td>"
        f"<td>{html.escape(_plain(c.looks_at))}</td></tr>"
        for c in ALL
    )
    return (
        '<details id="legend"><summary>What the evidence means</summary>'
        "<p>Each item weighs for a garble (green, positive bits) or for a correct name "
        "(red); the prior, then every item, add up to the total, and a change is made when "
        "the total reaches the threshold.</p>"
        f"<table><tr><th>comparison</th><th>levels</th><th>what it looks at</th></tr>{rows}"
        "</table></details>"
    )


def _plain(markdown: str) -> str:
    """A line of the docs' Markdown as plain text: links and code marks dropped."""
    text = markdown.replace("`", "")
    while "](" in text:
        start = text.rfind("[", 0, text.index("]("))
        end = text.index(")", text.index("]("))
        text = text[:start] + text[start + 1 : text.index("](")] + text[end + 1 :]
    return text


def _json_for_script(value: object) -> str:
    """JSON that cannot end the ``<script>`` element it sits in."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


MAX_CHANGES = 5_000  # changes on one page: a page stays small enough for a browser


def review_page(
    inputs: int,
    docs: Sequence[Reviewed],
    threshold: float | None = None,
    sources: Mapping[str, str] | None = None,
    left_off: int = 0,
) -> str:
    """The page for a batch of ``inputs`` inputs; ``docs`` holds every text read (those
    without changes are counted in the summary, not shown). ``threshold`` is shown
    beside each weighed score; ``sources`` names the table each canonical name came
    from (shown for listed aliases); ``left_off`` counts the changes past
    ``MAX_CHANGES`` that the page does not hold (and says so)."""
    sources = sources or {}
    changed = [d for d in docs if d.changes]
    all_changes = [c for d in changed for c in d.changes]
    methods = Counter(c.method for c in all_changes)
    canonicals = Counter(c.canonical for c in all_changes)
    records: list[dict[str, object]] = []
    rows = []
    for d in changed:
        head = html.escape(d.label) + (
            f' <span class="id">id {html.escape(d.id)}</span>' if d.id is not None else ""
        )
        items = []
        for c, record in zip(d.changes, d.records, strict=True):
            n = len(records)
            records.append(record)
            against = ""
            if c.evidence and threshold is not None:
                against = (
                    f' <span class="against">(total {total(c.evidence):+.1f}, '
                    f"threshold {threshold:+.1f})</span>"
                )
            source = ""
            if c.method == "alias" and c.canonical in sources:
                source = f' <span class="source">from {html.escape(sources[c.canonical])}</span>'
            items.append(
                f'<li class="change" data-n="{n}" data-method="{html.escape(c.method)}" '
                f'data-score="{c.score:.4f}" data-canonical="{html.escape(c.canonical)}" '
                f'data-original="{html.escape(c.original)}">'
                f'<label><input type="checkbox" class="accept" checked> accept</label> '
                f'<span class="context">{_context(d.text, c)}</span>'
                f'<div class="meta"><span class="method">{html.escape(c.method)}</span> '
                f'score <span class="score">{c.score:.3f}</span>{against} → '
                f'<span class="canonical">{html.escape(c.canonical)}</span>{source} '
                f'<span class="where">{html.escape(d.label)} at {c.start}–{c.end}</span></div>'
                f'<div class="evidence">{waterfall(c, threshold)}{_evidence(c)}</div></li>'
            )
        rows.append(
            f'<section class="doc"><h2>{head} <small>({len(d.changes)} changes)</small></h2>'
            f"<ol>{''.join(items)}</ol></section>"
        )
    method_rows = "".join(
        f'<tr class="pick" data-method="{html.escape(m)}" title="show only these">'
        f"<td>{html.escape(m)}</td><td>{n}</td></tr>"
        for m, n in methods.most_common()
    )
    canonical_rows = "".join(
        f'<tr class="pick" data-canonical="{html.escape(c)}" title="show only these">'
        f"<td>{html.escape(c)}</td><td>{n}</td></tr>"
        for c, n in canonicals.most_common()
    )
    method_options = "".join(
        f'<option value="{html.escape(m)}">{html.escape(m)} ({n})</option>'
        for m, n in sorted(methods.items())
    )
    canonical_options = "".join(
        f'<option value="{html.escape(c)}">{html.escape(c)} ({n})</option>'
        for c, n in sorted(canonicals.items())
    )
    # The records, and each as `explain --format jsonl` writes it (byte for byte, for
    # the download).
    data = _json_for_script({"records": records, "lines": [json_text(r) + "\n" for r in records]})
    shown = len(all_changes)
    note = ""
    if left_off:
        note = (
            f'<p class="left-off"><b>This page holds the first {shown:,} of '
            f"{shown + left_off:,} changes</b> (a page of more would be too large for a "
            "browser): the downloads hold these only. Review the rest on pages of their "
            "own (split the input), or with <code>normalise explain --format jsonl</code>."
            "</p>"
        )
    return _PAGE.format(
        note=note,
        count=shown + left_off,
        inputs=inputs,
        texts=len(docs),
        changed=len(changed),
        method_rows=method_rows,
        canonical_rows=canonical_rows,
        method_options=method_options,
        canonical_options=canonical_options,
        body="\n".join(rows) or "<p>No changes.</p>",
        records=data,
        key=hashlib.sha256(data.encode("utf-8")).hexdigest()[:16],
        legend=legend(),
    )


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>normalise: {count} changes to review</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 64em; margin: 1.5em auto;
  padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.4em; margin-bottom: .2em; }}
h2 {{ font-size: 1em; border-bottom: 1px solid #ccc; margin: 1.4em 0 .4em; }}
.summary {{ display: flex; gap: 3em; flex-wrap: wrap; }}
.summary table {{ border-collapse: collapse; }}
.summary td, .summary th {{ padding: 0 .8em 0 0; text-align: left; }}
.summary .scroll {{ max-height: 12em; overflow-y: auto; }}
#controls {{ position: sticky; top: 0; background: #f6f6f6; padding: .6em .8em;
  border: 1px solid #ddd; border-radius: 4px; display: flex; gap: 1em; flex-wrap: wrap;
  align-items: center; z-index: 1; }}
ol {{ list-style: none; padding: 0; }}
li.change {{ padding: .5em .6em; border-left: 4px solid #6a6; margin: .4em 0;
  background: #fbfbfb; }}
li.change.rejected {{ border-left-color: #c55; opacity: .6; }}
.context {{ white-space: pre-wrap; }}
del {{ color: #a00; background: #fee; }}
ins {{ color: #060; background: #efe; text-decoration: none; font-weight: 600; }}
.meta, .evidence {{ font-size: .85em; color: #555; }}
.evidence span {{ margin-right: .3em; }}
.evidence .plus {{ color: #060; }} .evidence .minus {{ color: #a00; }}
.id {{ font-weight: normal; color: #555; }}
.method {{ font-weight: 600; }}
.against, .source, .where {{ color: #777; }}
tr.pick {{ cursor: pointer; }} tr.pick:hover {{ background: #eef; }}
svg.waterfall {{ display: block; margin: .2em 0; }}
svg.waterfall .up {{ fill: #6a6; }} svg.waterfall .down {{ fill: #c55; }}
svg.waterfall .total {{ fill: #335; }}
svg.waterfall .zero {{ stroke: #999; stroke-width: .5; }}
svg.waterfall .threshold {{ stroke: #335; stroke-dasharray: 3 2; }}
#legend table {{ font-size: .85em; border-collapse: collapse; }}
#legend td, #legend th {{ text-align: left; vertical-align: top; padding: .1em .6em .1em 0; }}
#sorted h2 {{ display: none; }}
</style></head><body>
<h1>normalise: {count} changes to review</h1>
<p>{inputs} inputs, {texts} texts read, {changed} with changes (only those are shown).</p>
{note}
<div class="summary">
<div><h2>Changes by method</h2><table>{method_rows}</table></div>
<div><h2>Changes by canonical name</h2><div class="scroll"><table>{canonical_rows}</table>
</div></div>
</div>
{legend}
<div id="controls">
<label>method <select id="method" multiple size="3"><option value="">all</option>
{method_options}</select></label>
<label>score at least <input id="score" type="number" min="0" max="1" step="0.01" value="0"
 size="5"></label>
<label>at most <input id="score-max" type="number" min="0" max="1" step="0.01" value="1"
 size="5"></label>
<label>canonical <select id="canonical"><option value="">all</option>{canonical_options}
</select></label>
<label>original <input id="original" type="search" size="10"></label>
<label>order <select id="sort"><option value="text">as in the text</option>
<option value="score">score, lowest first</option></select></label>
<label>load decisions <input id="load" type="file" accept=".jsonl,.json,.txt"></label>
<span id="shown"></span>
<button type="button" id="tick">accept shown</button>
<button type="button" id="untick">reject shown</button>
<button type="button" id="download">download accepted (JSONL)</button>
<button type="button" id="decisions" title="every change with &quot;accept&quot;: true or
 false, for normalise apply --rejected-to">download decisions (JSONL)</button>
</div>
<div id="sorted" hidden><ol></ol></div>
<div id="body">
{body}
</div>
<script type="application/json" id="records">{records}</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("records").textContent);
const records = data.records;
const lines = data.lines;
const items = Array.from(document.querySelectorAll("li.change"));
const homes = items.map(li => li.parentElement);
const method = document.getElementById("method");
const score = document.getElementById("score");
const scoreMax = document.getElementById("score-max");
const canonical = document.getElementById("canonical");
const original = document.getElementById("original");
const sort = document.getElementById("sort");
const shown = document.getElementById("shown");
// Decisions are kept in this browser, for this page's changes only (the key is a hash
// of them), so that a reload or a second sitting starts where the editor stopped.
const storeKey = "normalise-review-{key}";
function store() {{
  try {{
    localStorage.setItem(storeKey, JSON.stringify(items.map(li =>
      li.querySelector("input.accept").checked)));
  }} catch (e) {{ /* storage may be off: decisions then last as long as the page */ }}
}}
function restore() {{
  let kept = null;
  try {{ kept = JSON.parse(localStorage.getItem(storeKey) || "null"); }} catch (e) {{ }}
  if (Array.isArray(kept) && kept.length === items.length) {{
    items.forEach((li, i) => {{ li.querySelector("input.accept").checked = !!kept[i]; }});
  }}
}}
function methods() {{
  const chosen = Array.from(method.selectedOptions).map(o => o.value);
  return chosen.includes("") ? [] : chosen;
}}
function visible(li) {{
  const s = parseFloat(li.dataset.score);
  const wanted = methods();
  const text = original.value.trim().toLowerCase();
  return (!wanted.length || wanted.includes(li.dataset.method))
    && s >= (parseFloat(score.value) || 0)
    && s <= (scoreMax.value === "" ? 1 : parseFloat(scoreMax.value))
    && (!canonical.value || li.dataset.canonical === canonical.value)
    && (!text || li.dataset.original.toLowerCase().includes(text));
}}
function accepted() {{
  return items.filter(li => li.querySelector("input.accept").checked);
}}
function arrange() {{
  const sorted = document.getElementById("sorted");
  const list = sorted.querySelector("ol");
  if (sort.value === "score") {{
    const order = items.slice().sort((a, b) =>
      parseFloat(a.dataset.score) - parseFloat(b.dataset.score) || a.dataset.n - b.dataset.n);
    for (const li of order) list.appendChild(li);
    sorted.hidden = false;
    document.getElementById("body").hidden = true;
  }} else {{
    items.forEach((li, i) => homes[i].appendChild(li));
    sorted.hidden = true;
    document.getElementById("body").hidden = false;
  }}
}}
function update() {{
  let count = 0;
  for (const li of items) {{
    const show = visible(li);
    li.hidden = !show;
    count += show;
    li.classList.toggle("rejected", !li.querySelector("input.accept").checked);
  }}
  for (const doc of document.querySelectorAll("section.doc")) {{
    doc.hidden = !doc.querySelector("li.change:not([hidden])");
  }}
  shown.textContent = count + " shown, " + accepted().length + " of " + items.length
    + " accepted";
}}
function tickShown(value) {{
  for (const li of items) if (!li.hidden) li.querySelector("input.accept").checked = value;
  store();
  update();
}}
for (const control of [method, score, scoreMax, canonical, original]) {{
  control.addEventListener("input", update);
}}
sort.addEventListener("input", () => {{ arrange(); update(); }});
document.addEventListener("change", event => {{
  if (event.target.classList && event.target.classList.contains("accept")) store();
  update();
}});
document.getElementById("tick").addEventListener("click", () => tickShown(true));
document.getElementById("untick").addEventListener("click", () => tickShown(false));
for (const row of document.querySelectorAll("tr.pick")) {{
  row.addEventListener("click", () => {{
    if (row.dataset.method !== undefined) {{
      for (const o of method.options) o.selected = o.value === row.dataset.method;
    }} else {{
      canonical.value = row.dataset.canonical;
    }}
    update();
    document.getElementById("controls").scrollIntoView();
  }});
}}
// A previous download (decisions, or accepted changes only) ticks the changes it
// names: a change is the same when its file, offsets and both texts are.
function same(r) {{
  return [r.file, r.start, r.end, r.original, r.replacement].join("\\u0000");
}}
document.getElementById("load").addEventListener("change", async () => {{
  const file = document.getElementById("load").files[0];
  if (!file) return;
  const lines = (await file.text()).split("\\n").filter(line => line.trim());
  const verdicts = new Map();
  let decisions = false;
  for (const line of lines) {{
    const r = JSON.parse(line);
    decisions = decisions || ("accept" in r);
    verdicts.set(same(r), r.accept !== false);
  }}
  items.forEach(li => {{
    const key = same(records[+li.dataset.n]);
    const box = li.querySelector("input.accept");
    if (verdicts.has(key)) box.checked = verdicts.get(key);
    else if (!decisions) box.checked = false;  // not among the accepted ones
  }});
  store();
  update();
}});
function save(lines, name) {{
  const blob = new Blob(lines, {{type: "application/x-ndjson"}});
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}}
document.getElementById("download").addEventListener("click", () => {{
  save(accepted().map(li => lines[+li.dataset.n]), "accepted.jsonl");
}});
document.getElementById("decisions").addEventListener("click", () => {{
  const lines = items.map(li => JSON.stringify(Object.assign({{}}, records[+li.dataset.n],
    {{accept: li.querySelector("input.accept").checked}})) + "\\n");
  save(lines, "decisions.jsonl");
}});
restore();
update();
</script>
</body></html>
"""
