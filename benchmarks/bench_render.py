"""Speed and memory of rendering contracts, as ratios measured in one run, each beside its target.

    make bench        # or: .venv/bin/python benchmarks/bench_render.py [--runs N] [--batch N]
                      #       [--baseline REV | --baseline none]

On the flagship contract's template and data, in one run:

1. **One contract.** The median time per contract of plain docxtpl (``DocxTemplate(template)
   .render(context, env)`` and ``save``, same context and Jinja environment), of merely opening
   and saving the rendered contract with python-docx, of ``render_docx`` and of
   ``render_contract`` (everything: schedule, context, watermark, provenance), timed interleaved
   so that a busy moment hits all alike; and where each millisecond of ``render_contract`` goes
   (schedule, context, Jinja, post-processing, watermark, provenance, zip write).
2. **A thousand contracts** from as many files: ``render_many`` on every core against the same
   files rendered one after another in this warm process (``jobs=1``), with peak memory, and
   the RSS of one process after 100 and after 1 000 renders.
3. **The command line**, cold processes: ``iopdocs validate`` against a bare interpreter start,
   ``iopdocs render`` (compiled-template cache warm, in a private cache folder) against
   ``python -c "import docx"``, interleaved.
4. **Against a baseline commit** (``--baseline``, default 0395724): that commit's ``src/`` and
   ``templates/`` are copied out with ``git archive`` into a temporary folder and timed by the
   same interpreter and dependencies (``PYTHONPATH`` puts it before this tree), through the
   public API and the command line only, interleaved with this tree: nothing may be slower.

The machine is a shared 2-core VM whose speed swings, so read the ratios; the README records the
figures of the last run with its date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"
DRAFT = ROOT / "examples" / "laxhjalp-exempelkommunen-2026.yaml"
PAGE = os.sysconf("SC_PAGE_SIZE")
BASELINE = "0395724"
# The console script, for any source tree on PYTHONPATH.
LAUNCH = "import sys; sys.argv[0] = 'iopdocs'; from iopdocs.cli import run; run()"
TARGETS = {
    "render_contract_vs_plain": 0.05,
    "render_contract_vs_open_save": 0.3,
    "render_docx_vs_plain": 0.5,
    "batch_vs_sequential": 0.6,
    "render_minus_import_docx": 0.35,
    "validate_minus_bare": 0.25,
    "not_slower": 1.05,  # the baseline comparison allows 5 % of noise
}


def timed(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def med(seconds: list[float]) -> float:
    return statistics.median(seconds)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


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


# --- Probes: the public API only, so that any commit's tree can be timed the same way ----------


def tree_flagship() -> Path:
    """The flagship file of the tree whose iopdocs this process imported: each commit is timed
    on its own example, which its own model accepts."""
    import iopdocs

    return Path(iopdocs.__file__).resolve().parents[2] / "examples" / FLAGSHIP.name


def probe_contract(runs: int) -> dict[str, Any]:
    """Per-contract time of ``render_contract`` (flagship) in a warm process."""
    import iopdocs

    agreement = iopdocs.load_agreement(tree_flagship())
    iopdocs.render_contract(agreement)
    wall, cpu = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), time.process_time()
        iopdocs.render_contract(agreement)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return {"render_contract": wall, "render_contract_cpu": cpu}


def probe_batch(count: int, jobs: int) -> dict[str, Any]:
    """``render_many`` of ``count`` copies of the flagship file with ``jobs`` processes."""
    import iopdocs

    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for n in range(count):
            source = Path(tmp) / f"avtal-{n:04d}.yaml"
            shutil.copyfile(tree_flagship(), source)
            sources.append(source)
        memory = TreeMemory()
        memory.start()
        start, used = time.perf_counter(), cpu_seconds()
        result = iopdocs.render_many(sources, Path(tmp) / "out", jobs=jobs)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - used
        memory.done.set()
        memory.join()
        assert result.ok, result.failed[:3]
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_worker": max(memory.peak_child.values(), default=0.0),
        "peak_total": memory.peak_total,
    }


def cpu_seconds() -> float:
    """User and system CPU time of this process and of its children that have been waited for:
    on a shared VM the work done, where the wall time also counts the others' load."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def probe(kind: str, tree: Path, *args: object) -> dict[str, Any]:
    """Run ``probe_<kind>`` in a fresh interpreter importing iopdocs from ``tree``."""
    env = {**ENV, "PYTHONPATH": str(tree / "src")}
    command = [sys.executable, __file__, "--probe", kind, *map(str, args)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# Subprocesses write and use bytecode, as an installed package has it, and keep compiled
# templates in a private folder (made in main), never in the user's cache.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def baseline_tree(rev: str, into: Path) -> Path:
    """``rev``'s src/ and templates/ (and examples/, which its tests read) under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src", "templates", "examples"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


# --- The command line -----------------------------------------------------------------------


def command_line(
    trees: dict[str, Path], runs: int, out: str
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU times of cold processes, every command of every tree once per round."""
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "bare": ([sys.executable, "-c", "pass"], ENV),
        "import docx": ([sys.executable, "-c", "import docx"], ENV),
    }
    for name, tree in trees.items():
        env = {**ENV, "PYTHONPATH": str(tree / "src")}
        flagship = str(tree / "examples" / FLAGSHIP.name)  # each tree's own, which it accepts
        launch = [sys.executable, "-c", LAUNCH]
        commands[f"{name} validate"] = ([*launch, "validate", flagship], env)
        commands[f"{name} render"] = ([*launch, "render", flagship, "-o", out], env)
        report = [*launch, "report", flagship, "--year", "2024", "-o", out]
        commands[f"{name} report"] = (report, env)
    for argv, env in commands.values():  # bytecode written, compiled templates cached
        subprocess.run(argv, check=True, capture_output=True, env=env)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (argv, env) in commands.items():
            start, used = time.perf_counter(), cpu_seconds()
            subprocess.run(argv, check=True, capture_output=True, env=env)
            walls[name].append(time.perf_counter() - start)
            cpus[name].append(cpu_seconds() - used)
    return walls, cpus


def import_ms(tree: Path, runs: int) -> list[float]:
    code = [sys.executable, "-X", "importtime", "-c", "import iopdocs"]
    env = {**ENV, "PYTHONPATH": str(tree / "src")}
    times = []
    for _ in range(runs):
        err = subprocess.run(code, check=True, capture_output=True, text=True, env=env).stderr
        line = next(x for x in err.splitlines() if x.rstrip().endswith("| iopdocs"))
        times.append(int(line.split("|")[1]) / 1e6)
    return times


# --- One contract, in this process -----------------------------------------------------------


def one_contract(runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Per-contract times of the yardsticks and of iopdocs, interleaved; and the breakdown of
    ``render_contract`` into its steps (the same steps it takes, timed one by one)."""
    import docx
    from docxtpl import DocxTemplate

    import iopdocs
    from iopdocs.documents import _core_properties
    from iopdocs.documents.clauses import packaged_library, render_clauses
    from iopdocs.documents.context import _context, contract_context
    from iopdocs.documents.environment import make_environment
    from iopdocs.documents.formats import formats_for
    from iopdocs.documents.templates import CONTRACT_TEMPLATE, load_template
    from iopdocs.record import provenance_record
    from iopdocs.word.bodyxml import finish_body
    from iopdocs.word.compiled import compiled_template
    from iopdocs.word.customxml import embed_provenance_parts
    from iopdocs.word.docx import render_docx
    from iopdocs.word.watermark import add_draft_watermark_parts

    agreement = iopdocs.load_agreement(FLAGSHIP)
    template = load_template(None, CONTRACT_TEMPLATE)
    env = make_environment()
    formats = formats_for("sv_SE")
    schedule = iopdocs.payment_schedule(agreement)
    context = dict(contract_context(agreement, schedule, formats))
    properties = _core_properties(agreement)
    rendered = iopdocs.render_contract(agreement)

    def plain() -> None:
        tpl = DocxTemplate(BytesIO(template))
        tpl.render(context, env)
        tpl.save(BytesIO())

    def open_save() -> None:
        docx.Document(BytesIO(rendered)).save(BytesIO())

    def ours_docx() -> None:
        render_docx(
            template, context, env, properties=properties, timestamp=agreement.document_date
        )

    def ours() -> None:
        iopdocs.render_contract(agreement)

    work = {
        "plain docxtpl": plain,
        "python-docx open+save": open_save,
        "render_docx": ours_docx,
        "render_contract": ours,
    }
    for each in work.values():
        each()  # warm: imports, babel data, the compiled template
    per: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(runs):
        for name, each in work.items():
            per[name] += timed(each, 1)

    # The breakdown: render_contract's steps, one by one, on the draft (so the watermark too).
    draft = iopdocs.load_agreement(DRAFT)
    compiled = compiled_template(template, env)
    assert compiled is not None
    steps: dict[str, list[float]] = {}
    last = 0.0

    def lap(name: str) -> None:
        """Record the time since the previous lap under ``name``."""
        nonlocal last
        now = time.perf_counter()
        steps.setdefault(name, []).append(now - last)
        last = now

    for _ in range(runs):
        last = time.perf_counter()
        source = load_template(None, CONTRACT_TEMPLATE)
        lap("load template")
        plan = iopdocs.payment_schedule(draft)
        lap("schedule")
        ctx = _context(draft, plan, formats)  # contract_context's two halves, as it takes them
        props = _core_properties(draft)
        lap("context")
        sections, used = render_clauses(
            packaged_library(), ctx, overrides=draft.clause_overrides, locale="sv_SE"
        )
        ctx["doc"]["clauses"], ctx["doc"]["clause_texts"] = sections, used
        lap("clauses")
        body = jinja_only(compiled, ctx)
        lap("Jinja render")
        body_xml = compiled._finish(body, marked=compiled._plan is None)
        lap("listing step")
        assert compiled._plan is not None, "the bundled template is finished on the string"
        assert finish_body(compiled._plan, body, body_xml) is not None
        lap("body finished")
        parts = compiled.render_parts(ctx, properties=props, timestamp=draft.document_date)
        lap("Jinja + post-processing")
        add_draft_watermark_parts(parts)
        lap("watermark")
        blobs, custom = provenance_record(
            draft,
            document="contract",
            template=CONTRACT_TEMPLATE,
            template_bytes=source,
            locale="sv_SE",
            year=None,
            party=None,
            report=None,
            review=None,
        )
        lap("provenance record")
        embed_provenance_parts(parts, blobs, custom)
        lap("provenance parts")
        parts.to_bytes()
        lap("zip write")
        iopdocs.render_contract(draft)
        lap("render_contract (draft, whole)")
    return per, steps


def jinja_only(compiled: Any, context: dict[str, Any]) -> str:
    """The Jinja part of ``CompiledTemplate.render_parts``: its compiled templates rendered;
    the body's XML."""
    body: str = compiled._body.render(context)
    for part in compiled._parts:
        part.template.render(context)
    for _, template in compiled._properties:
        if not isinstance(template, str):  # a property without tags is kept as its text
            template.render(context)
    return body


# --- Report -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=1000, help="contracts for render_many")
    parser.add_argument(
        "--baseline",
        default=BASELINE,
        help="commit to compare against, or 'none' (default %(default)s)",
    )
    parser.add_argument("--probe", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        kind, *rest = args.probe
        figures = {"contract": probe_contract, "batch": probe_batch}[kind](*map(int, rest))
        print(json.dumps(figures))
        return

    import iopdocs
    from iopdocs.batch import _cores

    with tempfile.TemporaryDirectory() as tmp:
        ENV["IOPDOCS_CACHE_DIR"] = str(Path(tmp) / "cache")
        trees = {"this tree": ROOT}
        if args.baseline.lower() != "none":
            base = Path(tmp) / "baseline"
            base.mkdir()
            trees[args.baseline] = baseline_tree(args.baseline, base)
        # The command line first, before this process grows.
        walls, cpus = command_line(trees, args.runs, str(Path(tmp) / "avtal.docx"))
        # One import of each tree in turn, so that a drift of the load hits both alike.
        imports: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(args.runs):
            for name, tree in trees.items():
                imports[name] += import_ms(tree, 1)
        # Per contract in each tree, alternating, in fresh processes (six rounds: on a busy
        # host the load drifts between rounds).
        api: dict[str, list[float]] = {name: [] for name in trees}
        api_cpu: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(6):
            for name, tree in trees.items():
                figures = probe("contract", tree, args.runs)
                api[name] += figures["render_contract"]
                api_cpu[name] += figures["render_contract_cpu"]
        per, steps = one_contract(args.runs * 2)

        jobs = _cores()
        cores = available_cores(jobs)
        batches = {name: probe("batch", tree, args.batch, jobs) for name, tree in trees.items()}
        sequential = probe("batch", ROOT, args.batch, 1)

    # Memory of one long-lived process: flat after the first hundred renders.
    agreement = iopdocs.load_agreement(FLAGSHIP)
    rss = {}
    early = min(100, args.batch)
    for n in range(1, args.batch + 1):
        iopdocs.render_contract(agreement)
        if n in (early, args.batch):
            rss[n] = rss_mib()

    plain, open_save = med(per["plain docxtpl"]), med(per["python-docx open+save"])
    ours_docx, ours = med(per["render_docx"]), med(per["render_contract"])
    batch, seq = batches["this tree"]["seconds"], sequential["seconds"]
    render_gap = med(walls["this tree render"]) - med(walls["import docx"])
    validate_gap = med(walls["this tree validate"]) - med(walls["bare"])
    render_gap_cpu = med(cpus["this tree render"]) - med(cpus["import docx"])
    validate_gap_cpu = med(cpus["this tree validate"]) - med(cpus["bare"])
    t = TARGETS
    load = os.getloadavg()[0]
    print(
        f"{dt.date.today().isoformat()}, {platform.node()}: python {sys.version.split()[0]}, "
        f"iopdocs {iopdocs.__version__}, {os.cpu_count()} cores ({cores:.2f} really got by "
        f"{jobs} busy processes), load average {load:.1f}; medians of {len(per['plain docxtpl'])} "
        f"interleaved runs, command lines of {args.runs}"
    )
    print()
    print("| what | figure | target |")
    print("|---|---|---|")
    print(f"| plain docxtpl, per contract (the yardstick) | {ms(plain)} | |")
    print(f"| python-docx: open and save the rendered contract | {ms(open_save)} | |")
    print(
        f"| `render_docx` (same template, context, environment) | {ms(ours_docx)} = "
        f"{ours_docx / plain:.3f}x plain | ≤ {t['render_docx_vs_plain']}x: "
        f"{verdict(ours_docx / plain <= t['render_docx_vs_plain'])} |"
    )
    print(
        f"| `render_contract()`, everything included, warm | {ms(ours)} = "
        f"{ours / plain:.3f}x plain | ≤ {t['render_contract_vs_plain']}x: "
        f"{verdict(ours / plain <= t['render_contract_vs_plain'])} |"
    )
    print(
        f"| the same against python-docx open+save | {ours / open_save:.2f}x | "
        f"≤ {t['render_contract_vs_open_save']}x: "
        f"{verdict(ours / open_save <= t['render_contract_vs_open_save'])} |"
    )
    print(
        f"| `render_many`, {args.batch} files, {jobs} processes | {batch:.1f} s "
        f"({args.batch / batch:.0f}/s) = {batch / seq:.2f}x one after another ({seq:.1f} s) "
        f"| ≤ {t['batch_vs_sequential']}x: {verdict(batch / seq <= t['batch_vs_sequential'])} |"
    )
    b = batches["this tree"]
    print(
        f"| CPU time of that batch, all processes / one after another | {b['cpu']:.1f} s / "
        f"{sequential['cpu']:.1f} s | |"
    )
    print(
        f"| peak RSS during `render_many`: per worker / in total | {b['peak_worker']:.0f} MiB / "
        f"{b['peak_total']:.0f} MiB | |"
    )
    print(
        f"| RSS of one process after {early} / {args.batch} renders | {rss[early]:.0f} MiB / "
        f"{rss[args.batch]:.0f} MiB | flat: {verdict(rss[args.batch] - rss[early] < 10)} |"
    )
    print(f"| `import iopdocs` (`-X importtime`) | {ms(med(imports['this tree']))} | |")
    print(f"| bare interpreter start | {ms(med(walls['bare']))} | |")
    print(f'| `python -c "import docx"` | {ms(med(walls["import docx"]))} | |')
    limit = t["validate_minus_bare"]
    print(
        f"| `iopdocs validate` (cold process) | {ms(med(walls['this tree validate']))} = bare "
        f"+ {validate_gap * 1000:.0f} ms (CPU: + {validate_gap_cpu * 1000:.0f} ms) "
        f"| ≤ bare + {limit * 1000:.0f} ms: {verdict(validate_gap <= limit)} "
        f"(CPU: {verdict(validate_gap_cpu <= limit)}) |"
    )
    limit = t["render_minus_import_docx"]
    print(
        f"| `iopdocs render` to .docx (cold process, template cache warm) "
        f"| {ms(med(walls['this tree render']))} = import docx + {render_gap * 1000:.0f} ms "
        f"(CPU: + {render_gap_cpu * 1000:.0f} ms) | ≤ import docx + {limit * 1000:.0f} ms: "
        f"{verdict(render_gap <= limit)} (CPU: {verdict(render_gap_cpu <= limit)}) |"
    )
    print(
        f"| `iopdocs report --year 2024` (cold process) | {ms(med(walls['this tree report']))} | |"
    )

    print()
    whole = med(steps["render_contract (draft, whole)"])
    print(f"Where the time of one contract goes (the draft example, medians of {args.runs * 2}):")
    print()
    print("| step | time | share of the whole |")
    print("|---|---|---|")
    jinja = med(steps["Jinja render"])
    listing, finished = med(steps["listing step"]), med(steps["body finished"])
    post = med(steps["Jinja + post-processing"]) - jinja
    rows = {
        "load the template file": med(steps["load template"]),
        "schedule": med(steps["schedule"]),
        "context: the agreement's facts and phrases": med(steps["context"]),
        "context: the clause library's conditions and texts": med(steps["clauses"]),
        "Jinja render (body, headers, footers, properties)": jinja,
        "post-processing: docxtpl's listing step on the body": listing,
        "post-processing: the body finished on the string (tables, facts)": finished,
        "post-processing: headers, footers, core properties, package": post - listing - finished,
        "watermark": med(steps["watermark"]),
        "provenance record (agreement JSON, hashes)": med(steps["provenance record"]),
        "provenance parts (custom XML, properties)": med(steps["provenance parts"]),
        "zip write (compress the changed parts)": med(steps["zip write"]),
    }
    for name, seconds in rows.items():
        print(f"| {name} | {ms(seconds)} | {seconds / whole:.0%} |")
    print(f"| sum of the steps | {ms(sum(rows.values()))} | {sum(rows.values()) / whole:.0%} |")
    print(f"| `render_contract` of the draft, whole | {ms(whole)} | 100% |")

    if len(trees) > 1:
        print()
        print(f"Against {args.baseline}, in the same run (this tree / {args.baseline}):")
        print()
        print(f"| figure | this tree | {args.baseline} | ratio (wall) | ratio (CPU) | target |")
        print("|---|---|---|---|---|---|")
        limit = t["not_slower"]
        other = args.baseline

        def compare(name: str, figures: tuple[float, float, float, float], unit: str) -> None:
            """``figures``: wall of this tree and of the baseline, then their CPU times."""
            ours, theirs, ours_cpu, theirs_cpu = figures
            wall, cpu = ours / theirs, ours_cpu / theirs_cpu
            shown = [ms(x) if unit == "ms" else f"{x:.1f} s" for x in (ours, theirs)]
            print(
                f"| {name} | {shown[0]} | {shown[1]} | {wall:.2f}x | {cpu:.2f}x | ≤ {limit}x: "
                f"{verdict(wall <= limit)} (CPU: {verdict(cpu <= limit)}) |"
            )

        compare(
            "`render_contract()` per contract",
            (
                med(api["this tree"]),
                med(api[other]),
                med(api_cpu["this tree"]),
                med(api_cpu[other]),
            ),
            "ms",
        )
        compare(
            f"`render_many`, {args.batch} files",
            (batch, batches[other]["seconds"], b["cpu"], batches[other]["cpu"]),
            "s",
        )
        theirs_import = med(imports[other])
        ours_import = med(imports["this tree"])
        print(
            f"| `import iopdocs` (`-X importtime`) | {ms(ours_import)} | {ms(theirs_import)} | "
            f"{ours_import / theirs_import:.2f}x | | ≤ {limit}x: "
            f"{verdict(ours_import / theirs_import <= limit)} |"
        )
        for command in ("validate", "render", "report"):
            ours_name, their_name = f"this tree {command}", f"{other} {command}"
            compare(
                f"`iopdocs {command}` (cold)",
                (
                    med(walls[ours_name]),
                    med(walls[their_name]),
                    med(cpus[ours_name]),
                    med(cpus[their_name]),
                ),
                "ms",
            )


if __name__ == "__main__":
    main()
