"""The HTML review page of ``normalise explain --format html``.

One self-contained file (no network, no assets): a summary of the batch, then only the
documents with changes, each change in its context with its method, score and weighed
evidence in plain sight, a checkbox to accept or reject it, filters by method, score
and canonical name, and a button that downloads the ticked changes as JSONL, exactly as
``explain --format jsonl`` writes them, for ``normalise apply``. The page works without
its script too: it is then a read-only report.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from ..evidence import total
from ..models import Change
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
    start = max(text.rfind("\n", 0, c.start) + 1, c.start - _CONTEXT)
    end = text.find("\n", c.end)
    end = min(len(text) if end < 0 else end, c.end + _CONTEXT)
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
        return f'<span class="none">{html.escape(why)}: no weighing needed</span>'
    items = "".join(
        f'<span class="{"plus" if e.weight >= 0 else "minus"}">'
        f"{html.escape(item(e, c.original))}</span> "
        for e in c.evidence
    )
    return f"{items}<b>total {total(c.evidence):.1f}</b>"


def _json_for_script(value: object) -> str:
    """JSON that cannot end the ``<script>`` element it sits in."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def review_page(inputs: int, docs: Sequence[Reviewed]) -> str:
    """The page for a batch of ``inputs`` inputs; ``docs`` holds every text read (those
    without changes are counted in the summary, not shown)."""
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
            items.append(
                f'<li class="change" data-n="{n}" data-method="{html.escape(c.method)}" '
                f'data-score="{c.score:.4f}" data-canonical="{html.escape(c.canonical)}">'
                f'<label><input type="checkbox" class="accept" checked> accept</label> '
                f'<span class="context">{_context(d.text, c)}</span>'
                f'<div class="meta"><span class="method">{html.escape(c.method)}</span> '
                f'score <span class="score">{c.score:.3f}</span> → '
                f'<span class="canonical">{html.escape(c.canonical)}</span> '
                f'<span class="where">at {c.start}–{c.end}</span></div>'
                f'<div class="evidence">{_evidence(c)}</div></li>'
            )
        rows.append(
            f'<section class="doc"><h2>{head} <small>({len(d.changes)} changes)</small></h2>'
            f"<ol>{''.join(items)}</ol></section>"
        )
    method_rows = "".join(
        f"<tr><td>{html.escape(m)}</td><td>{n}</td></tr>" for m, n in methods.most_common()
    )
    canonical_rows = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{n}</td></tr>" for c, n in canonicals.most_common()
    )
    method_options = "".join(
        f'<option value="{html.escape(m)}">{html.escape(m)} ({n})</option>'
        for m, n in sorted(methods.items())
    )
    canonical_options = "".join(
        f'<option value="{html.escape(c)}">{html.escape(c)} ({n})</option>'
        for c, n in sorted(canonicals.items())
    )
    return _PAGE.format(
        count=len(all_changes),
        inputs=inputs,
        texts=len(docs),
        changed=len(changed),
        method_rows=method_rows,
        canonical_rows=canonical_rows,
        method_options=method_options,
        canonical_options=canonical_options,
        body="\n".join(rows) or "<p>No changes.</p>",
        records=_json_for_script(records),
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
</style></head><body>
<h1>normalise: {count} changes to review</h1>
<p>{inputs} inputs, {texts} texts read, {changed} with changes (only those are shown).</p>
<div class="summary">
<div><h2>Changes by method</h2><table>{method_rows}</table></div>
<div><h2>Changes by canonical name</h2><div class="scroll"><table>{canonical_rows}</table>
</div></div>
</div>
<div id="controls">
<label>method <select id="method"><option value="">all</option>{method_options}</select></label>
<label>score at least <input id="score" type="number" min="0" max="1" step="0.01" value="0"
 size="5"></label>
<label>canonical <select id="canonical"><option value="">all</option>{canonical_options}
</select></label>
<span id="shown"></span>
<button type="button" id="tick">accept shown</button>
<button type="button" id="untick">reject shown</button>
<button type="button" id="download">download accepted (JSONL)</button>
<button type="button" id="decisions" title="every change with &quot;accept&quot;: true or
 false, for normalise apply --rejected-to">download decisions (JSONL)</button>
</div>
{body}
<script type="application/json" id="records">{records}</script>
<script>
"use strict";
const records = JSON.parse(document.getElementById("records").textContent);
const items = Array.from(document.querySelectorAll("li.change"));
const method = document.getElementById("method");
const score = document.getElementById("score");
const canonical = document.getElementById("canonical");
const shown = document.getElementById("shown");
function visible(li) {{
  return (!method.value || li.dataset.method === method.value)
    && parseFloat(li.dataset.score) >= (parseFloat(score.value) || 0)
    && (!canonical.value || li.dataset.canonical === canonical.value);
}}
function accepted() {{
  return items.filter(li => li.querySelector("input.accept").checked);
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
  update();
}}
for (const control of [method, score, canonical]) control.addEventListener("input", update);
document.addEventListener("change", update);
document.getElementById("tick").addEventListener("click", () => tickShown(true));
document.getElementById("untick").addEventListener("click", () => tickShown(false));
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
  save(accepted().map(li => JSON.stringify(records[+li.dataset.n]) + "\\n"), "accepted.jsonl");
}});
document.getElementById("decisions").addEventListener("click", () => {{
  const lines = items.map(li => JSON.stringify(Object.assign({{}}, records[+li.dataset.n],
    {{accept: li.querySelector("input.accept").checked}})) + "\\n");
  save(lines, "decisions.jsonl");
}});
update();
</script>
</body></html>
"""
