"""Where a cold command's time goes: each stage of ``iopdocs validate`` and ``iopdocs render`` in
a new process, every stage once per round, interleaved, as ratios in one run.

    .venv/bin/python benchmarks/bench_cold.py [--runs N] [--instructions]

Each stage is a new interpreter that does what the command does up to that point, with the
command's own process set-up (``iopdocs/cli/startup.py``), so the difference between two
stages is what the later one adds: importing pydantic and PyYAML, building the model's classes,
the first validation (which builds pydantic's validator), importing python-docx and Jinja, the
first contract. The whole commands are timed beside them, against a bare interpreter
(``validate``, target + 250 ms) and ``python -c "import docx"`` (``render``, target + 350 ms),
as ``make bench`` does. Two floors stand beside the commands: what the chosen libraries cost
with no iopdocs at all (pydantic and PyYAML imported, a one-field model built and a one-line
YAML document validated; the same plus python-docx and Jinja, a one-line template rendered),
so a target below its floor shows as such. Compiled templates are cached in a private folder,
warm. CPU times are given beside the wall times: a busy moment on a shared machine stretches a
wall time, not the work done. ``--instructions`` also counts the instructions each stage executes
(once, under valgrind's callgrind, some minutes): a count that does not move with the host's
load, for telling a change of a few milliseconds from noise on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "examples" / "vgr-social-ekonomi-2024.yaml"
LAUNCH = "import sys; sys.argv[0] = 'iopdocs'; from iopdocs.cli import run; run()"
SET_UP = (
    "import os; os.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__'); "
    "from iopdocs.cli.startup import quick_start, quick_exit; quick_start(); "
)
PYDANTIC = "from pydantic import BaseModel, ValidationError; import pydantic.types; import yaml; "
MODEL = "import iopdocs.loading; "
VALIDATION = f"iopdocs.loading.load_agreement({str(FLAGSHIP)!r}); "
WORD = "import docx, jinja2; "
CONTRACT = (
    f"from iopdocs.documents import render_contract; "
    f"render_contract(iopdocs.loading.load_agreement({str(FLAGSHIP)!r})); "
)
# The floors: the same libraries doing the least a command could do with them.
TRIVIAL_MODEL = (
    "from pydantic import BaseModel\n"
    "class Trivial(BaseModel):\n"
    "    a: int\n"
    "Trivial.model_validate(yaml.safe_load('a: 1'))\n"
)
TRIVIAL_TEMPLATE = "jinja2.Environment(autoescape=True).from_string('{{ a }}').render(a=1)\n"
TARGETS = {"validate": 0.25, "render": 0.35}


def stages(out: str) -> dict[str, list[str]]:
    """Each stage's command line, in the order of a command's work."""
    python = [sys.executable, "-c"]
    return {
        "bare interpreter": [*python, "pass"],
        "+ pydantic and PyYAML imported": [*python, SET_UP + PYDANTIC + "quick_exit()"],
        "+ the model's classes built (iopdocs.loading)": [
            *python,
            SET_UP + PYDANTIC + MODEL + "quick_exit()",
        ],
        "+ the first validation (builds pydantic's validator)": [
            *python,
            SET_UP + PYDANTIC + MODEL + VALIDATION + "quick_exit()",
        ],
        "`iopdocs validate` (the whole command)": [*python, LAUNCH, "validate", str(FLAGSHIP)],
        "floor: pydantic + PyYAML, a one-field model built and validated": [
            *python,
            SET_UP + PYDANTIC + "\n" + TRIVIAL_MODEL + "quick_exit()",
        ],
        '`python -c "import docx"`': [*python, "import docx"],
        "+ python-docx and Jinja imported": [
            *python,
            SET_UP + PYDANTIC + MODEL + VALIDATION + WORD + "quick_exit()",
        ],
        "+ the first contract rendered (in memory)": [
            *python,
            SET_UP + PYDANTIC + MODEL + WORD + CONTRACT + "quick_exit()",
        ],
        "`iopdocs render` to .docx (the whole command)": [
            *python,
            LAUNCH,
            "render",
            str(FLAGSHIP),
            "-o",
            out,
        ],
        "floor: the same + python-docx and Jinja, a one-line template rendered": [
            *python,
            SET_UP + PYDANTIC + WORD + "\n" + TRIVIAL_MODEL + TRIVIAL_TEMPLATE + "quick_exit()",
        ],
    }


def instructions(argv: list[str], env: dict[str, str]) -> float:
    """Millions of instructions ``argv`` executes (valgrind's callgrind, ``Ir``)."""
    with tempfile.TemporaryDirectory(prefix="iopdocs-callgrind-") as folder:
        out = str(Path(folder) / "callgrind.out")
        tool = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        subprocess.run([*tool, *argv], check=True, capture_output=True, env=env)
        for line in Path(out).read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) / 1e6
    raise RuntimeError("callgrind wrote no summary")


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds (15)")
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    args = parser.parse_args()
    counts: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="iopdocs-bench-cold-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["IOPDOCS_CACHE_DIR"] = str(Path(folder) / "cache")
        commands = stages(str(Path(folder) / "avtal.docx"))
        for argv in commands.values():  # bytecode written, compiled templates cached
            subprocess.run(argv, check=True, capture_output=True, env=env)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                start, used = time.perf_counter(), children_cpu()
                subprocess.run(argv, check=True, capture_output=True, env=env)
                walls[name].append(time.perf_counter() - start)
                cpus[name].append(children_cpu() - used)
        if args.instructions:
            counts = {name: instructions(argv, env) for name, argv in commands.items()}
    wall = {name: statistics.median(times) * 1000 for name, times in walls.items()}
    cpu = {name: statistics.median(times) * 1000 for name, times in cpus.items()}
    load = os.getloadavg()
    print(
        f"Cold commands, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; "
        f"medians of {args.runs} interleaved rounds\n"
    )
    print("| stage (a new process each) | wall | CPU | CPU added to the stage before |")
    print("|---|---|---|---|")
    names = list(commands)
    bare, validate, floor, docx, render = names[0], names[4], names[5], names[6], names[9]
    render_floor = names[10]
    # What each stage adds to: the stage before it in the command's work; a command and a
    # floor, to the yardstick of its target.
    after = dict(zip(names[1:4], names[:3], strict=True))
    after |= {validate: bare, floor: bare, docx: bare, names[7]: names[3], names[8]: names[7]}
    after |= {render: docx, render_floor: docx}
    for name in commands:
        added = f"{cpu[name] - cpu[after[name]]:+.0f} ms" if name in after else ""
        print(f"| {name} | {wall[name]:.0f} ms | {cpu[name]:.0f} ms | {added} |")
    print()
    if counts:
        print("| stage | instructions | added to the stage before |")
        print("|---|---|---|")
        for name, count in counts.items():
            added = f"{count - counts[after[name]]:+.1f} M" if name in after else ""
            print(f"| {name} | {count:.1f} M | {added} |")
        print()
    wholes = {"validate": (validate, bare, floor), "render": (render, docx, render_floor)}
    for command, (whole, base, least) in wholes.items():
        limit = TARGETS[command] * 1000
        gap_wall, gap_cpu = wall[whole] - wall[base], cpu[whole] - cpu[base]
        least_cpu = cpu[least] - cpu[base]
        print(
            f"- `iopdocs {command}`: + {gap_wall:.0f} ms wall, + {gap_cpu:.0f} ms CPU over "
            f"{base}; target + {limit:.0f} ms: {'met' if gap_wall <= limit else 'not met'} "
            f"(CPU: {'met' if gap_cpu <= limit else 'not met'}); the libraries' floor + "
            f"{least_cpu:.0f} ms CPU, so iopdocs' own share is {gap_cpu - least_cpu:.0f} ms "
            f"against the {limit - least_cpu:.0f} ms the target leaves it"
        )


if __name__ == "__main__":
    main()
