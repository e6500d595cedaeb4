"""The cost of the sandbox bounds for an ordinary contract, measured within one process.

The packaged clause library renders in the bounded sandbox; this times the contract's context
(where every clause is rendered) with that sandbox and with the same sandbox without the
bounds, alternating, and prints the difference per contract. Run:

    .venv/bin/python benchmarks/sandbox_overhead.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import iopdocs.documents.environment as environments
from iopdocs.documents.clauses import load_library
from iopdocs.documents.context import contract_context
from iopdocs.documents.formats import formats_for
from iopdocs.loading import load_agreement
from iopdocs.schedule import payment_schedule
from iopdocs.word.environment import _finalize, _RefuseFiles, _SandboxedEnvironment

FLAGSHIP = Path(__file__).resolve().parents[1] / "examples" / "vgr-social-ekonomi-2024.yaml"


class _Unbounded(_SandboxedEnvironment):
    """The sandbox as it was before the bounds: Jinja's own ``~`` and loops."""

    code_generator_class = _SandboxedEnvironment.__mro__[1].code_generator_class
    intercepted_binops = frozenset({"*", "**"})

    def _parse(self, source, name, filename):  # type: ignore[no-untyped-def]
        return super(_SandboxedEnvironment, self)._parse(source, name, filename)


def unbounded(locale: str = "sv_SE") -> _Unbounded:
    env = _Unbounded(
        autoescape=False,
        finalize=_finalize,
        keep_trailing_newline=False,
        lstrip_blocks=True,
        loader=_RefuseFiles(),
    )
    env.filters.update(formats_for(locale).filters())
    return env


def main() -> None:
    agreement = load_agreement(FLAGSHIP)
    schedule = payment_schedule(agreement)
    formats = formats_for("sv_SE")
    bounded_env = environments.make_clause_environment("sv_SE")
    plain_env = unbounded()
    timings: dict[str, list[float]] = {"bounded": [], "unbounded": []}
    for _ in range(60):
        for name, env in (("bounded", bounded_env), ("unbounded", plain_env)):
            environments.make_clause_environment = lambda locale="sv_SE", env=env: env  # type: ignore[assignment,misc]
            library = load_library(None)
            contract_context(agreement, schedule, formats, library)  # compile for this env
            started = time.perf_counter()
            contract_context(agreement, schedule, formats, library)
            timings[name].append(time.perf_counter() - started)
    bounded = statistics.median(timings["bounded"]) * 1000
    plain = statistics.median(timings["unbounded"]) * 1000
    print(f"contract context, median of 60: bounded {bounded:.2f} ms, unbounded {plain:.2f} ms")
    print(f"sandbox bounds cost {bounded - plain:+.2f} ms per contract ({bounded / plain:.2f}x)")


if __name__ == "__main__":
    main()
