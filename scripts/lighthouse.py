"""Lighthouse scores of a built site: the median of several runs per page and category.

    python3 dev.py build
    .venv/bin/python scripts/lighthouse.py [--site site] [--runs 3] [--gzip] [PAGE ...]

The site is served on 127.0.0.1 by a plain HTTP server (no compression; with --gzip, text
files are compressed, as GitHub Pages and most hosts do) and measured by Lighthouse from
the npm registry at a pinned version (`npx` fetches it once), with the system's Chromium,
mobile form factor and Lighthouse's default throttling. PAGE is a URL path; by default the
home page and the heaviest page (the top-level page with the most HTML: a chapter).
Prints each category's median and, for a category below 100, the audits that cost points,
and the median metrics.

A measuring tool, not a test: scores vary between runs and machines. Lighthouse simulates a
phone by slowing down what this machine's CPU did four times; that default assumes a fast
desktop (benchmark index 1500-2000), so a slower or busy machine scores lower. Lighthouse's
docs/throttling.md advises a smaller slowdown on a slower machine (2 for an index of
1000-1500): --cpu-slowdown sets it, and the figures then say which was used.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from harness.browser import CHROMIUM_ARGS, SiteHandler, chromium_path, serve  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"  # 12.3 and later want Node 22
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml"}


class GzipSiteHandler(SiteHandler):
    """Serves text files gzip-compressed, as static hosts such as GitHub Pages do."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepted = "gzip" in self.headers.get("Accept-Encoding", "")
        compress = path.suffix in COMPRESSED and path.is_file() and path.name != "sitemap.xml"
        if not (accepted and compress):
            return super().do_GET()
        data = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def run_lighthouse(url: str, out: Path, chromium: str, cpu_slowdown: float) -> dict:
    flags = " ".join(["--headless", *CHROMIUM_ARGS])
    subprocess.run(
        [
            "npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json",
            f"--output-path={out}", f"--chrome-flags={flags}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--throttling.cpuSlowdownMultiplier={cpu_slowdown}",
        ],
        check=True,
        env={**os.environ, "CHROME_PATH": chromium},
    )
    return json.loads(out.read_text(encoding="utf-8"))


def heaviest_page(site: Path) -> str:
    """The URL path of the site's top-level page with the most HTML."""
    largest = max(site.glob("*/index.html"), key=lambda page: page.stat().st_size)
    return f"/{largest.parent.name}/"


def costly_audits(report: dict, category: str) -> list[str]:
    """The audits of `category` that lost points in `report`, with their titles."""
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}"
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0 and (audits[ref["id"]].get("score") or 0) < 1
        and audits[ref["id"]]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("site"), help="a built site")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--reports", type=Path, help="also keep each run's JSON report here")
    parser.add_argument(
        "--gzip", action="store_true",
        help="compress text files, as most static hosts do (default: a plain server)",
    )
    parser.add_argument(
        "--cpu-slowdown", type=float, default=4,
        help="how many times slower than this machine the simulated phone is (Lighthouse: 4)",
    )
    parser.add_argument(
        "pages", nargs="*", help="URL paths (default: the home page and the heaviest page)"
    )
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site} is not a built site: run python3 dev.py build first")
    pages = args.pages or ["/", heaviest_page(args.site)]
    chromium = chromium_path()
    if chromium is None:
        parser.error("Chromium not found: apt-get install chromium fonts-noto-cjk")

    handler = GzipSiteHandler if args.gzip else SiteHandler
    with serve(args.site, handler) as base, tempfile.TemporaryDirectory() as scratch:
        out = args.reports or Path(scratch)
        out.mkdir(parents=True, exist_ok=True)
        for path in pages:
            name = path.strip("/").replace("/", "-") or "home"
            reports = [
                run_lighthouse(
                    base + path, out / f"{name}-{run + 1}.json", chromium, args.cpu_slowdown
                )
                for run in range(args.runs)
            ]
            benchmark = statistics.median(r["environment"]["benchmarkIndex"] for r in reports)
            print(
                f"\n{path}  (median of {args.runs} runs, Lighthouse "
                f"{reports[0]['lighthouseVersion']}, "
                f"this machine's benchmark index {benchmark:.0f}, "
                f"CPU slowdown {args.cpu_slowdown:g})"
            )
            for category in CATEGORIES:
                scores = [round(100 * r["categories"][category]["score"]) for r in reports]
                median = statistics.median(scores)
                print(f"  {category:15} {median:5.0f}   runs: {scores}")
                if median < 100:
                    for audit in sorted({a for r in reports for a in costly_audits(r, category)}):
                        print(f"      - {audit}")
            metrics = {
                name: statistics.median(r["audits"][audit]["numericValue"] for r in reports)
                for audit, name in METRICS.items()
            }
            print("  " + ", ".join(
                f"{name} {value:.3f}" if name == "CLS" else f"{name} {value / 1000:.1f} s"
                for name, value in metrics.items()
            ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
