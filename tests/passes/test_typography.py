"""The typography pass."""

from __future__ import annotations

from normalise.typography import RULES, Code, fixes
from tests.passes.common import N

# -- 5. typography ---------------------------------------------------------------------------


def test_every_rule_documents_a_working_example() -> None:
    for rule in RULES:
        got = rule.example
        for f in sorted(fixes(rule.example, Code(rule.example)), reverse=True):
            got = got[: f.start] + f.replacement + got[f.end :]
        assert got == rule.fixed, rule.name


def test_typography_never_touches_code_fenced_across_pieces() -> None:
    text = "a $ 5 b\n```\nc $ 5 d\n" + "x\n" * 50 + "```\ne $ 5 f\n"
    whole = N.clean(text)
    assert whole == text.replace("a $ 5", "a $5").replace("e $ 5", "e $5")
    chunks = [text[i : i + 7] for i in range(0, len(text), 7)]
    assert "".join(N.iter_clean(chunks, buffer=8)) == whole
