"""One agreement rendered again and again, and many different agreements once each, against a
baseline commit: what the per-contract memos are worth when nothing recurs.

    .venv/bin/python benchmarks/bench_agreements.py [--baseline REV] [--rounds N] [--count N]

Each tree (this one, and ``REV``'s ``src/``, ``templates/`` and ``examples/`` copied out with
``git archive``) runs in fresh processes, alternating, by this interpreter with ``PYTHONPATH``
and the compiled-template disk cache off. A process times, in CPU time, (1) the flagship
rendered 150 times after 20 warm-up renders (10th percentile of a render) and (2) ``--count``
agreements made from the flagship, each with its own title, subject and amounts, rendered once
each (mean). The figures are medians over ``--rounds`` processes per tree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import FLAGSHIP, baseline_tree

PROBE = r"""
import json, sys, time
import iopdocs
from iopdocs import Agreement

agreement = iopdocs.load_agreement(sys.argv[1])
count = int(sys.argv[2])


def bump(node, number):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "amount" and isinstance(value, (int, str)):
                try:
                    node[key] = str(int(float(value)) + 1000 * number)
                except ValueError:
                    pass
            else:
                bump(value, number)
    elif isinstance(node, list):
        for value in node:
            bump(value, number)


data = agreement.model_dump(mode="json")
others = []
for number in range(count):
    each = json.loads(json.dumps(data))
    each["metadata"]["title"] += f" nr {number}"
    each["metadata"]["subject"] = (each["metadata"].get("subject") or "") + f" ({number})"
    bump(each.get("contributions"), number)
    others.append(Agreement.model_validate(each))
for _ in range(20):
    iopdocs.render_contract(agreement)
times = []
for _ in range(150):
    start = time.process_time()
    iopdocs.render_contract(agreement)
    times.append(time.process_time() - start)
times.sort()
start = time.process_time()
for each in others:
    iopdocs.render_contract(each)
distinct = (time.process_time() - start) / count
print(json.dumps([times[len(times) // 10] * 1000, distinct * 1000]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="a0f09a7")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        trees = {
            "this tree": Path(__file__).resolve().parent.parent,
            args.baseline: baseline_tree(args.baseline, Path(folder)),
        }
        figures: dict[str, list[list[float]]] = {name: [] for name in trees}
        for _ in range(args.rounds):
            for name, tree in trees.items():
                flagship = tree / "examples" / FLAGSHIP.name
                env = {"PYTHONPATH": str(tree / "src"), "IOPDOCS_CACHE_DIR": "off"}
                done = subprocess.run(
                    [sys.executable, "-c", PROBE, str(flagship), str(args.count)],
                    env={**env, "PATH": "/usr/bin:/bin"},
                    capture_output=True,
                    text=True,
                    check=True,
                    cwd=folder,
                )
                figures[name].append(json.loads(done.stdout))
    print(f"| CPU per contract | {' | '.join(trees)} | ratio |")
    print("|---|---|---|---|")
    labels = ("one agreement again and again (p10)", f"{args.count} different agreements")
    for index, label in enumerate(labels):
        ours, theirs = (statistics.median(f[index] for f in figures[name]) for name in trees)
        print(f"| {label} | {ours:.2f} ms | {theirs:.2f} ms | {ours / theirs:.2f}x |")


if __name__ == "__main__":
    main()
