"""How the ``iopdocs`` command sets up its short-lived process (``iopdocs/cli/startup.py``): the
garbage collector runs less often while it imports and skips the objects left alive at exit,
and pydantic's plugin lookup does not import ``importlib.metadata`` while plugins are off; with
plugins on, pydantic's own loader does its work as before."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap

from iopdocs.cli.startup import YOUNG_THRESHOLD
from tests.conftest import FLAGSHIP

# A new process that sets itself up as the command does, validates the flagship agreement, and
# reports what the plugin lookup imported and found.
PROBE = textwrap.dedent(
    """
    import gc, json, sys
    from iopdocs.cli.startup import quick_exit, quick_start
    quick_start()
    threshold = gc.get_threshold()
    from iopdocs.loading import load_agreement
    load_agreement(sys.argv[1])
    from pydantic.plugin._loader import get_plugins
    before = gc.get_freeze_count()
    quick_exit()
    print(json.dumps({
        "metadata": "importlib.metadata" in sys.modules,
        "real_loader": hasattr(sys.modules["pydantic.plugin._loader"], "entry_points"),
        "plugins": len(list(get_plugins())),
        "threshold": threshold,
        "frozen": gc.get_freeze_count() - before,
    }))
    """
)


def probe(plugins_setting: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if plugins_setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = plugins_setting
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(FLAGSHIP)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_with_plugins_off_validation_never_imports_importlib_metadata() -> None:
    """What the command sets (PYDANTIC_DISABLE_PLUGINS=__all__): no package scan, no plugins."""
    found = probe("__all__")
    assert found["metadata"] is False
    assert found["real_loader"] is False
    assert found["plugins"] == 0


def test_with_plugins_on_pydantics_own_loader_looks_them_up() -> None:
    """A user who turns plugins on ("" or unset) gets pydantic's own lookup, as without iopdocs."""
    for setting in ("", None):
        found = probe(setting)
        assert found["metadata"] is True
        assert found["real_loader"] is True


def test_the_collector_runs_less_often_while_importing_and_skips_survivors_at_exit() -> None:
    found = probe("__all__")
    threshold = found["threshold"]
    assert isinstance(threshold, list)
    assert threshold[0] == YOUNG_THRESHOLD
    assert threshold[1:] == list(gc.get_threshold()[1:])
    assert isinstance(found["frozen"], int)
    assert found["frozen"] > 10_000  # the modules, classes and functions of the command


def test_each_command_is_parsed_by_the_module_that_adds_it() -> None:
    """A command line naming a command builds only its module's parsers (``COMMAND_MODULES``):
    every command is there, in the module that adds it, and parses as in the whole parser."""
    import argparse

    from iopdocs.cli import COMMAND_MODULES, command_word, parser

    def commands(built: argparse.ArgumentParser) -> set[str]:
        (sub,) = (a for a in built._actions if isinstance(a, argparse._SubParsersAction))
        return set(sub.choices)

    assert commands(parser()) == set(COMMAND_MODULES)
    for command in COMMAND_MODULES:
        own = commands(parser(command))
        assert command in own
        assert own == {c for c, m in COMMAND_MODULES.items() if m == COMMAND_MODULES[command]}
    line = ["--debug", "validate", str(FLAGSHIP)]
    assert command_word(line) == "validate"
    assert vars(parser("validate").parse_args(line)) == vars(parser().parse_args(line))
    assert command_word(["--", "render"]) == "render"
    assert command_word(["--debug"]) is None
