"""Speed and memory of rendering the flagship contract.

    make bench            # or: .venv/bin/python benchmarks/bench_render.py [--runs N]

Prints a Markdown table; the README records the figures of the last measured run. Wall times
include interpreter start, as a user at the command line meets them.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"


def wall(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def row(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"| {name} | {statistics.median(ms):.0f} ms | {min(ms):.0f} ms | {max(ms):.0f} ms "
        f"| {len(ms)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    script = shutil.which("iopdocs", path=str(Path(sys.executable).parent))
    if script is None:
        sys.exit("the iopdocs console script is not installed in this environment")

    import iopdocs

    agreement = iopdocs.load_agreement(FLAGSHIP)
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "avtal.docx")
        cli_render = wall([script, "render", str(FLAGSHIP), "-o", out], args.runs)
        cli_validate = wall([script, "validate", str(FLAGSHIP)], args.runs)
        cli_schedule = wall([script, "schedule", str(FLAGSHIP)], args.runs)
        report_out = str(Path(tmp) / "rapport.docx")
        cli_report = wall(
            [script, "report", str(FLAGSHIP), "--year", "2024", "-o", report_out], args.runs
        )
    child_rss_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    iopdocs.render_contract(agreement)  # warm up: imports, template compile caches
    in_process = []
    for _ in range(args.runs * 2):
        start = time.perf_counter()
        iopdocs.render_contract(agreement)
        in_process.append(time.perf_counter() - start)

    tracemalloc.start()
    iopdocs.render_contract(agreement)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"python {sys.version.split()[0]}, iopdocs {iopdocs.__version__}, flagship contract")
    print()
    print("| what | median | min | max | runs |")
    print("|---|---|---|---|---|")
    print(row("`iopdocs render` (wall, incl. interpreter start)", cli_render))
    print(row("`iopdocs validate` (wall, incl. interpreter start)", cli_validate))
    print(row("`iopdocs schedule` (wall, incl. interpreter start)", cli_schedule))
    print(row("`iopdocs report --year 2024` (wall, incl. interpreter start)", cli_report))
    print(row("`render_contract()` in a warm process", in_process))
    print()
    print(
        f"peak RSS of a CLI process: {child_rss_mib:.0f} MiB; "
        f"Python allocations during one warm render (tracemalloc peak): {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
