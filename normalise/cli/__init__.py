"""The command line, by concern. ``main(argv) -> int`` so tests can call it in-process.

| module | what |
| --- | --- |
| ``parser`` | the options, and what they mean (``InputOptions``, ``WriteBack``) |
| ``inputs`` | finding inputs, decoding them whole or streamed, JSONL records |
| ``outputs`` | where cleaned text goes (``WriteBack``), atomic writes |
| ``render`` | tables, diffs, ``match --why``, the HTML page |
| ``tally`` | counts, the summary line, the exit status |
| ``commands`` | ``clean``, ``explain``, ``match``, ``table``, and ``main`` |
"""

from .commands import main
from .parser import build_parser

__all__ = ["build_parser", "main"]
