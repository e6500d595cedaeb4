"""What the ``iopdocs`` command does for a short-lived process before and after its work.

A command is a new process that imports pydantic and the model (and for ``render`` Jinja and
python-docx), runs once and exits. Three costs of that are the interpreter's, not iopdocs':

- **The garbage collector during imports.** Importing creates some hundred thousand objects that
  all live until the process ends; with the default thresholds the collector walks all of them
  again and again while they are created (some 30 ms of a cold ``validate`` and 100-150 ms of a
  cold ``render`` on the project's VM). ``quick_start`` raises the threshold of the youngest
  generation, so a collection runs every 50 000 allocations instead of every 700. Cyclic
  garbage is still collected; a long batch keeps flat memory (``make bench``).
- **The garbage collector at exit.** The interpreter's shutdown walks every object again (about
  80 ms). ``quick_exit`` moves them to the permanent generation (``gc.freeze``) after the
  command is done, so the shutdown does not walk them; everything else of the shutdown (atexit
  handlers, flushing, finalizers) runs as before.
- **pydantic's plugin lookup.** pydantic imports ``importlib.metadata`` (email, zipfile, csv:
  about 25 ms) to look for plugins at the first validation, even when plugins are turned off
  with ``PYDANTIC_DISABLE_PLUGINS``. ``quick_start`` puts a stand-in for pydantic's loader in
  its place: while plugins are turned off it answers "none", as the real one does; if they are
  turned on later in the process, it hands over to the real loader.
"""

from __future__ import annotations

import gc
import os
import sys
import types
from collections.abc import Iterable
from typing import Any

__all__ = ["quick_exit", "quick_start"]

# The youngest generation is collected after this many allocations (CPython's default is 700).
YOUNG_THRESHOLD = 50_000

_LOADER = "pydantic.plugin._loader"
# The values of PYDANTIC_DISABLE_PLUGINS with which pydantic's own loader returns no plugins.
_ALL_OFF = ("__all__", "1", "true")


def quick_start() -> None:
    """Set up a command's process: fewer collections while it imports, no plugin scan."""
    _threshold, *older = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, *older)
    if _LOADER not in sys.modules and "pydantic" not in sys.modules:
        sys.modules[_LOADER] = _stand_in_loader()


def quick_exit() -> None:
    """Spare the interpreter's shutdown a walk over every object the command left alive."""
    gc.freeze()


def _stand_in_loader() -> types.ModuleType:
    module = types.ModuleType(_LOADER, "Stands in for pydantic's plugin loader (iopdocs.cli).")

    def get_plugins() -> Iterable[Any]:
        """No plugins while they are turned off, else whatever pydantic's own loader finds."""
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _ALL_OFF:
            return ()
        if sys.modules.get(_LOADER) is module:
            del sys.modules[_LOADER]
        import importlib

        real = importlib.import_module(_LOADER)
        found: Iterable[Any] = real.get_plugins()
        return found

    module.get_plugins = get_plugins  # type: ignore[attr-defined]
    return module
