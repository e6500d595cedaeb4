"""Messages in the reader's language: Swedish or English, through gettext catalogs.

The English text is written in the source and is the message id; ``locale/sv/LC_MESSAGES/
iopdocs.po`` holds the Swedish, compiled to ``iopdocs.mo`` and packaged with the code
(``make messages`` extracts, merges and compiles them with babel). The language is chosen from
``--lang``, then the locale environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, the
first one set), and is Swedish when that is Swedish, English otherwise. Modules import
``gettext as _``, the name babel extracts. Only the standard library's gettext is used at run
time, so a command pays nothing for babel.

Error codes (``[org_number_checksum]``) and field paths stay the same in every language; only the
words around them change.

A library error is worded where it is shown, not where it is raised: its message is a ``Message``,
a ``str`` whose text is the English (so ``str(exc)``, logs and ``except`` clauses see English, the
same in every process) and which keeps its catalog id and parameters, so that ``translated``
gives it in the language in use. A parameter that is itself a ``Message`` (the reason of a wrapped
error) is translated with it.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import os
from collections.abc import Mapping
from typing import IO

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "Listing",
    "Message",
    "Plural",
    "catalog_messages",
    "choose_language",
    "gettext",
    "language",
    "ngettext",
    "reason",
    "set_language",
    "translated",
]

DOMAIN = "iopdocs"
LANGUAGES = ("sv", "en")
_ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def N_(message: str) -> str:  # noqa: N802 - the conventional name babel extracts
    """Mark ``message`` for the catalog without translating it yet (it is translated where it is
    shown)."""
    return message


# argparse's own messages (Python 3.11-3.13), so that usage, help and its errors are translated.
ARGPARSE = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


class _State:
    """The catalog in use: English (the message ids themselves) until ``set_language``."""

    translations: stdlib_gettext.NullTranslations = stdlib_gettext.NullTranslations()
    language = "en"


def choose_language(requested: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``sv`` or ``en``: ``requested`` (``--lang``) when given, else the first locale variable set.

    ``requested`` may be ``sv``, ``en`` or a locale name such as ``sv_SE.UTF-8``; anything else
    raises ``ValueError``. A locale that is not Swedish (``C``, ``de_DE``) gives English.
    """
    if requested is not None:
        code = _code(requested)
        if code not in LANGUAGES:
            raise ValueError(requested)
        return code
    env = os.environ if environ is None else environ
    for variable in _ENVIRONMENT:
        value = env.get(variable, "")
        if value:
            return "sv" if _code(value.split(":")[0]) == "sv" else "en"
    return "en"


def _code(name: str) -> str:
    return name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()


def set_language(code: str) -> None:
    """Use the catalog of ``code`` (``sv`` or ``en``) for every message from now on."""
    if code == "en":
        _State.translations = stdlib_gettext.NullTranslations()
    else:
        with _catalog_file(code) as file:
            _State.translations = stdlib_gettext.GNUTranslations(file)
    _State.language = code


def _catalog_file(code: str) -> IO[bytes]:
    """The compiled catalog of ``code``: beside this module, or through importlib.resources
    when the package is not in plain files (a zip), which costs a command some 10 ms more."""
    name = f"locale/{code}/LC_MESSAGES/{DOMAIN}.mo"
    try:
        return open(os.path.join(os.path.dirname(__file__), name), "rb")
    except OSError:
        from importlib import resources

        return resources.files("iopdocs").joinpath(name).open("rb")


def language() -> str:
    """The language messages are in now: ``sv`` or ``en``."""
    return _State.language


def gettext(message: str) -> str:
    """``message`` in the language in use (itself when there is no translation)."""
    return _State.translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for ``count``, in the language in use."""
    return _State.translations.ngettext(singular, plural, count)


def catalog_messages() -> list[str]:
    """The message ids of the catalog in use (empty for English)."""
    catalog = getattr(_State.translations, "_catalog", {})
    return [key for key in catalog if isinstance(key, str) and key]


class Message(str):
    """A message of the catalog with its parameters: the English text as a ``str``, and the same
    in the language in use through ``translated()``.

    ``Message("{path}: no such file", path=p)`` is written where an error is raised; the first
    argument is the catalog id (``make messages`` extracts it), the keywords fill its ``{name}``
    placeholders (``str.format`` syntax, so ``{seconds:g}`` works). It pickles with its id and
    parameters, so it crosses to and from a worker process unchanged.
    """

    id: str
    params: dict[str, object]

    def __new__(cls, id: str, /, **params: object) -> Message:
        self = super().__new__(cls, id.format(**params) if params else id)
        self.id = id
        self.params = params
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self._arguments(), self.params))

    def _arguments(self) -> tuple[object, ...]:
        return (self.id,)

    def _template(self) -> str:
        return gettext(self.id)

    def translated(self) -> str:
        """The message in the language in use (``set_language``), its parameters too."""
        values = {key: translated(value) for key, value in self.params.items()}
        template = self._template()
        return template.format(**values) if self.params else template


class Plural(Message):
    """A ``Message`` whose words depend on a number: ``Plural("{count} file", "{count} files",
    count=n)``. ``count`` is the number that chooses the form (and a parameter like the others)."""

    plural: str

    def __new__(cls, singular: str, plural: str, /, **params: object) -> Plural:
        count = params.get("count")
        chosen = singular if count == 1 else plural
        self = str.__new__(cls, chosen.format(**params))
        self.id = singular
        self.plural = plural
        self.params = params
        return self

    def _arguments(self) -> tuple[object, ...]:
        return (self.id, self.plural)

    def _template(self) -> str:
        count = self.params.get("count")
        return ngettext(self.id, self.plural, count if isinstance(count, int) else 2)


class Listing(tuple[object, ...]):
    """Items to show as ``a, b, c`` inside a message, each translated when it is a ``Message``."""

    __slots__ = ()

    def __str__(self) -> str:
        return ", ".join(str(item) for item in self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def translated(self) -> str:
        return ", ".join(str(translated(item)) for item in self)


def _rebuild(cls: type[Message], arguments: tuple[str, ...], params: dict[str, object]) -> Message:
    return cls(*arguments, **params)


def translated(value: object) -> object:
    """``value`` in the language in use when it is a ``Message``; anything else as it is."""
    return value.translated() if isinstance(value, Message | Listing) else value


def reason(exc: BaseException) -> str:
    """What ``exc`` says, kept as a ``Message`` when it is one, to go into another message: an
    error of ours wrapped by another keeps its translation."""
    message = getattr(exc, "message", None)
    if isinstance(message, Message):
        return message
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Message) else str(exc)
