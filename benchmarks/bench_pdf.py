"""Speed of LibreOffice conversion: one soffice call per file against one call for a batch.

    make bench-pdf        # or: .venv/bin/python benchmarks/bench_pdf.py [--files 20] [--runs 3]

Renders the example contracts to ``--files`` .docx files, then converts them to PDF/A-3b both
ways in one run and prints a Markdown table: the median time per file when each file gets its
own soffice process, the time per file when ``convert_many`` converts them all in one process
(median over ``--runs`` batches), and the speed-up. Needs LibreOffice.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import iopdocs
from iopdocs.pdf import convert_many

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20, help="documents to convert (20)")
    parser.add_argument("--runs", type=int, default=3, help="batch conversions to time (3)")
    args = parser.parse_args()

    agreements = [iopdocs.load_agreement(path) for path in EXAMPLES]
    with tempfile.TemporaryDirectory(prefix="iopdocs-bench-pdf-") as folder:
        work = Path(folder)
        sources = [
            iopdocs.render_contract(agreements[n % len(agreements)], work / f"avtal-{n:02d}.docx")
            for n in range(args.files)
        ]
        single = []
        for n, source in enumerate(sources):
            out = work / f"single-{n}"
            out.mkdir()
            start = time.perf_counter()
            convert_many([source], out, pdfa=3)
            single.append(time.perf_counter() - start)
        batched = []
        for run in range(args.runs):
            out = work / f"batch-{run}"
            out.mkdir()
            start = time.perf_counter()
            convert_many(sources, out, pdfa=3)
            batched.append((time.perf_counter() - start) / len(sources))

    one_call = statistics.median(single)
    batch = statistics.median(batched)
    print(f"{args.files} contracts (the examples, rendered) to PDF/A-3b:\n")
    print("| conversion | per file (median) | min | max | runs |")
    print("|---|---|---|---|---|")
    print(
        f"| one soffice call per file | {one_call * 1000:.0f} ms | {min(single) * 1000:.0f} ms "
        f"| {max(single) * 1000:.0f} ms | {len(single)} |"
    )
    print(
        f"| `convert_many`: one soffice call for all {args.files} | {batch * 1000:.0f} ms "
        f"| {min(batched) * 1000:.0f} ms | {max(batched) * 1000:.0f} ms | {len(batched)} |"
    )
    print(f"\nSpeed-up of the batch: {one_call / batch:.1f}x (target: at least 4x)")


if __name__ == "__main__":
    main()
