"""Render the HTML review page of the seed corpus and take the README's screenshot.

    .venv/bin/python tools/review_screenshot.py      # writes docs/review-page.png

Needs Debian's Chromium (/usr/bin/chromium) and the dev extra (playwright).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def main() -> int:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "review.html"
        demo = Path(tmp) / "wire-story.txt"  # fuzzy repairs, to show their evidence
        demo.write_text(
            "Bytedanse and Salesfalrce talked in Jordn; Tickcock stayed out of it.\n",
            encoding="utf-8",
        )
        (Path(tmp) / "seeds").mkdir()
        for seed in seeds:  # labels as a newsroom would see them: relative names
            shutil.copy(seed, Path(tmp) / "seeds" / seed.name)
        names = [demo.name, *(f"seeds/{seed.name}" for seed in seeds)]
        command = ["explain", "--format", "html", "-o", str(page_path), *names]
        subprocess.run([sys.executable, "-m", "normalise", *command], check=True, cwd=tmp)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(page_path.as_uri())
            page.locator("li.change").nth(2).locator("input.accept").uncheck()
            page.screenshot(path=str(ROOT / "docs" / "review-page.png"))
            browser.close()
    print("wrote docs/review-page.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
