"""Make the README's screenshots: the web page's search results and the top of the report.

    .venv/bin/python docs/make_screenshots.py [--index index]

Needs Chromium (apt-get install chromium) and Playwright (the test extra).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", default=str(ROOT / "index"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)  # paths in the report as a writer sees them, relative to the project
    from playwright.sync_api import sync_playwright

    import search
    from search.web import make_server, server_url, stop

    with search.open(args.index) as library:
        report = search.report_html(library.check("docs/draft.md"), "apa", ROOT)
    report_file = Path(tempfile.mkdtemp()) / "report.html"
    report_file.write_text(report, encoding="utf-8")
    server = make_server(args.index, port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
        page = browser.new_page(viewport={"width": 960, "height": 640})
        page.goto(server_url(server) + "search?q=kronstadt+uprising&style=apa")
        page.screenshot(path=str(ROOT / "docs" / "web-search.png"))
        page.set_viewport_size({"width": 960, "height": 1000})
        page.goto(report_file.as_uri())
        page.screenshot(path=str(ROOT / "docs" / "report.png"))
        browser.close()
    stop(server)
    print("docs/web-search.png, docs/report.png")


if __name__ == "__main__":
    main()
