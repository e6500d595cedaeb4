"""Speed and memory of rendering contracts: one contract, a thousand, and the command line.

    make bench            # or: .venv/bin/python benchmarks/bench_render.py [--runs N] [--batch N]

Measures in one run, on the flagship contract template and data: the median time per contract
of iopdocs and of plain docxtpl (``DocxTemplate(BytesIO(template)).render(context, env)`` and
``save``, with the same context and Jinja environment); ``render_many`` over 1 000 agreement
files on every core (throughput, peak RSS per worker and in total); RSS after 100 and after 1 000
renders in one process; ``import iopdocs`` (``-X importtime``) and the command-line wall times.
Prints a Markdown table; the README records the figures of the last measured run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"
PAGE = os.sysconf("SC_PAGE_SIZE")
# Subprocesses write and use bytecode, as an installed package has it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def wall(argv: list[str], runs: int) -> list[float]:
    subprocess.run(argv, check=True, capture_output=True, env=ENV)  # writes bytecode
    return timed(lambda: subprocess.run(argv, check=True, capture_output=True, env=ENV), runs)


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.1f} ms"


def rss_mib(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


class TreeMemory(threading.Thread):
    """Samples the RSS of this process and its children: the peak of their sum, and each
    child's own peak (VmHWM)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_total = 0.0
        self.peak_child: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            total = rss_mib()
            for pid in children(os.getpid()):
                try:
                    total += rss_mib(pid)
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():  # a process that has exited has none
                    if line.startswith("VmHWM"):
                        peak = int(line.split()[1]) / 1024
                        self.peak_child[pid] = max(self.peak_child.get(pid, 0), peak)
            self.peak_total = max(self.peak_total, total)


def spin(seconds: float) -> float:
    """Busy-loop for ``seconds`` of wall time; the CPU time the process actually got."""
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        pass
    return time.process_time() - cpu


def available_cores(jobs: int) -> float:
    """How many cores ``jobs`` busy processes really get: on a shared VM, fewer than it has."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        return sum(pool.map(spin, [1.0] * jobs))


def import_ms(runs: int) -> list[float]:
    code = [sys.executable, "-X", "importtime", "-c", "import iopdocs"]
    subprocess.run(code, check=True, capture_output=True, env=ENV)
    times = []
    for _ in range(runs):
        err = subprocess.run(code, check=True, capture_output=True, text=True, env=ENV).stderr
        line = next(x for x in err.splitlines() if x.rstrip().endswith("| iopdocs"))
        times.append(int(line.split("|")[1]) / 1e6)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000, help="contracts for render_many")
    args = parser.parse_args()
    script = shutil.which("iopdocs", path=str(Path(sys.executable).parent))
    if script is None:
        sys.exit("the iopdocs console script is not installed in this environment")

    import iopdocs
    from iopdocs.batch import _cores
    from iopdocs.documents import _core_properties
    from iopdocs.documents.context import contract_context
    from iopdocs.documents.environment import make_environment
    from iopdocs.documents.formats import formats_for
    from iopdocs.documents.templates import CONTRACT_TEMPLATE, load_template
    from iopdocs.word.docx import render_docx

    # The command line first, before this process grows.
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "avtal.docx")
        flagship = str(FLAGSHIP)
        cli = {
            "`iopdocs validate`": wall([script, "validate", flagship], args.runs),
            "`iopdocs render`": wall([script, "render", flagship, "-o", out], args.runs),
            "`iopdocs report --year 2024`": wall(
                [script, "report", flagship, "--year", "2024", "-o", out], args.runs
            ),
        }
    cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    imports = import_ms(args.runs)

    # One contract: the same template, context and environment for both.
    from docxtpl import DocxTemplate

    agreement = iopdocs.load_agreement(FLAGSHIP)
    template = load_template(None, CONTRACT_TEMPLATE)
    schedule = iopdocs.payment_schedule(agreement)
    context = dict(contract_context(agreement, schedule, formats_for("sv_SE")))
    env = make_environment()
    properties = _core_properties(agreement)

    def plain() -> bytes:
        tpl = DocxTemplate(BytesIO(template))
        tpl.render(context, env)
        buffer = BytesIO()
        tpl.save(buffer)
        return buffer.getvalue()

    def ours() -> bytes:
        return render_docx(
            template, context, env, properties=properties, timestamp=agreement.document_date
        )

    plain(), ours()  # warm up: imports, babel data, the compiled template
    per_plain, per_ours = [], []
    for _ in range(args.runs * 2):  # interleaved, so a busy moment hits both alike
        per_plain += timed(plain, 1)
        per_ours += timed(ours, 1)
    whole = timed(lambda: iopdocs.render_contract(agreement), args.runs * 2)
    ratio = statistics.median(per_ours) / statistics.median(per_plain)

    # A thousand contracts from a thousand files, on every core.
    jobs = _cores()
    cores = available_cores(jobs)
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for n in range(args.batch):
            source = Path(tmp) / f"avtal-{n:04d}.yaml"
            shutil.copyfile(FLAGSHIP, source)
            sources.append(source)
        memory = TreeMemory()
        memory.start()
        start = time.perf_counter()
        result = iopdocs.render_many(sources, Path(tmp) / "out", jobs=jobs)
        batch_seconds = time.perf_counter() - start
        memory.done.set()
        memory.join()
        assert result.ok, result.failed[:3]

    # Memory of one long-lived process: flat after the first hundred renders.
    rss = {}
    for n in range(1, args.batch + 1):
        iopdocs.render_contract(agreement)
        if n in (100, args.batch):
            rss[n] = rss_mib()

    def target(ok: bool) -> str:
        return "met" if ok else "**missed**"

    worker_peak = max(memory.peak_child.values(), default=0.0)
    print(
        f"python {sys.version.split()[0]}, iopdocs {iopdocs.__version__}, flagship contract, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print()
    print("| what | figure | target |")
    print("|---|---|---|")
    print(f"| plain docxtpl, per contract (median of {len(per_plain)}) | {ms(per_plain)} | |")
    print(
        f"| iopdocs `render_docx`, per contract (same template, context, environment) "
        f"| {ms(per_ours)} ({ratio:.2f}x plain) | ≤ 0.5x: {target(ratio <= 0.5)} |"
    )
    print(f"| `render_contract()` incl. schedule and context, warm process | {ms(whole)} | |")
    print(
        f"| `render_many`, {args.batch} files, {jobs} processes | {batch_seconds:.1f} s, "
        f"{args.batch / batch_seconds:.0f} contracts/s | < 15 s: {target(batch_seconds < 15)} |"
    )
    print(f"| cores {jobs} busy processes really got (1 s busy loop) | {cores:.2f} | |")
    print(
        f"| peak RSS during `render_many`: per worker / in total "
        f"| {worker_peak:.0f} MiB / {memory.peak_total:.0f} MiB | |"
    )
    print(
        f"| RSS of one process after 100 / {args.batch} renders | {rss[100]:.0f} MiB / "
        f"{rss[args.batch]:.0f} MiB | flat: {target(rss[args.batch] - rss[100] < 10)} |"
    )
    print(
        f"| `import iopdocs` (`-X importtime`, median of {args.runs}) | {ms(imports)} "
        f"| < 250 ms: {target(statistics.median(imports) < 0.25)} |"
    )
    for name, seconds in cli.items():
        goal = {"`iopdocs validate`": 0.5, "`iopdocs render`": 1.0}.get(name)
        check = f"< {goal} s: {target(statistics.median(seconds) < goal)}" if goal else ""
        print(f"| {name} (wall, incl. interpreter start) | {ms(seconds)} | {check} |")
    print(f"| peak RSS of a command-line process | {cli_rss:.0f} MiB | |")


if __name__ == "__main__":
    main()
