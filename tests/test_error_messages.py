"""Every message a library error carries can be shown in the reader's language.

Checked on the source itself: wherever an iopdocs error (or a limit, a sandbox refusal or a
warning a person reads) is made, its message is an ``i18n.Message`` with a literal catalog id,
or the ``Message`` of another error passed on, never a text assembled in English (an f-string,
``str(exc)``, a concatenation). ``make messages`` extracts the ids; tests/test_messages.py holds
every one translated. And the messages behave: English ``str``, Swedish ``translated()``,
pickled unchanged, with the same placeholders and format specs in both languages.
"""

from __future__ import annotations

import ast
import pickle
import string
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iopdocs import errors, i18n
from iopdocs.i18n import Message, Plural
from iopdocs.problems import YAML_PROBLEMS
from tests.conftest import ROOT
from tests.test_messages import catalog

SOURCE = ROOT / "src" / "iopdocs"


def _classes(root: type) -> set[str]:
    return {root.__name__}.union(*(_classes(sub) for sub in root.__subclasses__()))


# What is made with a message a person reads: our errors, the bounded read's refusal (put after
# a file's name), the sandbox's refusals (put into a TemplateSandboxError), and our warnings.
MESSAGE_TAKERS = _classes(errors.IopdocsError) | {
    "FileLimitError",
    "SecurityError",
    "SchemaMigrationWarning",
    "NotPdfAWarning",
    "NotPdfUAWarning",
    "MissingEmailWarning",
    "DraftWarning",
}
# The command line's own usage errors are worded when raised, through gettext (``_``).
WORDED_WHEN_RAISED = {"UsageError"}


class Scopes:
    """Where a name is bound: the functions around a node, then the module."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def enclosing(self, node: ast.AST) -> Iterator[ast.AST]:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
                yield node

    def bindings(self, name: str, at: ast.AST) -> list[ast.expr]:
        """The expressions ``name`` is given in the nearest scope that binds it (a ``for``
        loop's target is bound to the items of what it iterates)."""
        for scope in self.enclosing(at):
            found: list[ast.expr] = []
            for node in ast.walk(scope):
                if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                        found.append(node.value)
                elif (
                    isinstance(node, ast.For | ast.comprehension)
                    and isinstance(node.target, ast.Name)
                    and node.target.id == name
                ):
                    found.append(ast.Starred(value=node.iter))
            if found:
                return found
        return []


def worded(expr: ast.expr, scopes: Scopes, seen: frozenset[str] = frozenset()) -> bool:
    """Whether ``expr`` is a message that can be translated where it is shown."""
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        if expr.func.id in ("Message", "Plural"):
            first = expr.args[0] if expr.args else None
            if isinstance(first, ast.Name):  # an id marked N_("…") once, used here
                ids = scopes.bindings(first.id, first)
                return bool(ids) and all(_marked(value) for value in ids)
            return isinstance(first, ast.Constant) and isinstance(first.value, str)
        if expr.func.id == "reason":  # a wrapped error's own Message, passed on
            return True
    if isinstance(expr, ast.Attribute) and expr.attr == "message":
        return True
    if isinstance(expr, ast.IfExp):
        return worded(expr.body, scopes, seen) and worded(expr.orelse, scopes, seen)
    if isinstance(expr, ast.Starred):  # the items of a list a loop goes through
        inner = expr.value
        if isinstance(inner, ast.Name):
            values = scopes.bindings(inner.id, inner)
            return bool(values) and all(_items_worded(v, scopes, seen) for v in values)
        return _items_worded(inner, scopes, seen)
    if isinstance(expr, ast.Name) and expr.id not in seen:
        values = scopes.bindings(expr.id, expr)
        return bool(values) and all(worded(v, scopes, seen | {expr.id}) for v in values)
    return False


def _marked(expr: ast.expr) -> bool:
    """``N_("…")``: a literal catalog id."""
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "N_"
        and bool(expr.args)
        and isinstance(expr.args[0], ast.Constant)
    )


def _items_worded(expr: ast.expr, scopes: Scopes, seen: frozenset[str]) -> bool:
    if isinstance(expr, ast.ListComp):
        return worded(expr.elt, scopes, seen)
    if isinstance(expr, ast.List | ast.Tuple):
        return all(worded(e, scopes, seen) for e in expr.elts)
    return False


def gettext_call(expr: ast.expr) -> bool:
    """``_("…")`` or ``_("…").format(…)``: translated when made."""
    if (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr == "format"
    ):
        expr = expr.func.value
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Name)
        and expr.func.id == "_"
        and bool(expr.args)
        and isinstance(expr.args[0], ast.Constant)
    )


def _called(node: ast.Call) -> str | None:
    func = node.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else None
    )


def unworded(tree: ast.Module, where: str) -> Iterator[str]:
    """Each place in ``tree`` that makes an error or warning with a message that cannot be
    translated where it is shown."""
    scopes = Scopes(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name == "warn" and node.args:  # warnings.warn(message, Category)
            message = node.args[0]
            made = isinstance(message, ast.Call) and _called(message) in MESSAGE_TAKERS
            if not made and not worded(message, scopes):
                yield f"{where}:{node.lineno}: warnings.warn({ast.unparse(message)[:60]})"
            continue
        if name in MESSAGE_TAKERS:
            if not node.args or not worded(node.args[0], scopes):
                text = ast.unparse(node.args[0])[:60] if node.args else ""
                yield f"{where}:{node.lineno}: {name}({text})"
        elif name in WORDED_WHEN_RAISED and not (node.args and gettext_call(node.args[0])):
            yield f"{where}:{node.lineno}: {name}({ast.unparse(node)[:60]})"


def test_every_error_of_the_library_is_made_with_a_translatable_message() -> None:
    """No error or warning a person reads is made from English assembled in code: its message
    is a Message with a literal catalog id (or another error's Message passed on)."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += unworded(tree, str(path.relative_to(SOURCE)))
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        'raise ReportError(f"{year} is outside the period")',
        "raise LimitError(str(exc))",
        'raise ClauseError("unknown key " + key, clause_id=c)',
        'raise ProvenanceError(Message(f"{origin}: damaged"))',
        'ID = "{origin}: damaged"\nraise ProvenanceError(Message(ID, origin=o))',
        'message = f"{a} was rendered"\nraise TemplateMismatchError(message, recorded=r, given=g)',
        'warnings.warn(f"{file} is not PDF/A", NotPdfAWarning)',
        'raise UsageError(f"{path}: is a folder")',
    ],
)
def test_the_check_catches_a_message_assembled_in_english(source: str) -> None:
    """The scan above is not vacuous: each of these would be English in a Swedish sentence."""
    assert list(unworded(ast.parse(source), "example.py")) != []


def test_the_check_accepts_what_the_library_writes() -> None:
    source = (
        'raise ReportError(Message("{year} is outside", year=year))\n'
        "raise LimitError(reason(exc))\n"
        'message = Message("a") if x else Message("b {c}", c=c)\n'
        "raise TemplateMismatchError(message, recorded=r, given=g)\n"
        'raise UsageError(_("{path}: is a folder").format(path=p))\n'
        'ID = N_("{origin}: damaged")\nraise ProvenanceError(Message(ID, origin=o))\n'
    )
    assert list(unworded(ast.parse(source), "example.py")) == []


def _fields(text: str) -> list[tuple[str, str, str]]:
    """The replacement fields of a brace-format text: name, conversion and format spec."""
    return sorted(
        (name, conversion or "", spec or "")
        for _, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


def test_a_translation_keeps_the_format_specs_of_its_message() -> None:
    """``{seconds:g}`` stays ``{seconds:g}``: a translation that drops or changes a spec would
    fail (or print differently) only when that error happens."""
    for message, translation in catalog().items():
        if "{" not in str(message) or "%(" in str(message):
            continue
        originals = [message] if isinstance(message, str) else list(message)
        translations = [translation] if isinstance(translation, str) else list(translation)
        for original, translated in zip(originals, translations, strict=True):
            assert _fields(translated) == _fields(original), message


@pytest.fixture
def swedish() -> Iterator[None]:
    i18n.set_language("sv")
    try:
        yield
    finally:
        i18n.set_language("en")


def test_a_message_is_english_as_text_and_swedish_when_translated(swedish: None) -> None:
    """``str`` is English whatever the language in use; ``translated()`` follows it, and
    translates the messages inside it too."""
    inner = Message("is larger than the limit of {mib} MiB", mib=10)
    outer = Message("{path}: {reason}", path="stor.yaml", reason=inner)
    assert str(outer) == "stor.yaml: is larger than the limit of 10 MiB"
    assert outer.translated() == "stor.yaml: är större än gränsen på 10 MiB"
    assert outer == "stor.yaml: is larger than the limit of 10 MiB"  # compares as its English


def test_a_plural_chooses_its_form_by_count_in_each_language(swedish: None) -> None:
    one = Plural("{count} file was given", "{count} files were given", count=1)
    many = Plural("{count} file was given", "{count} files were given", count=3)
    assert (str(one), str(many)) == ("1 file was given", "3 files were given")
    assert (one.translated(), many.translated()) == ("1 fil gavs", "3 filer gavs")


def _every_error() -> list[errors.IopdocsError]:
    message = Message("{path}: no such file", path="avtal.yaml")
    made: list[errors.IopdocsError] = [
        errors.AgreementFileError(Message("no such file"), path="a.yaml", line=3, column=7),
        errors.ClauseError(Message("the id is used by two clauses"), clause_id="k1"),
        errors.TemplateSyntaxError(message, context=["{{ x", "}}"]),
        errors.TemplateMismatchError(message, recorded="a" * 64, given="b" * 64),
    ]
    special = {type(e) for e in made}
    for name in errors.__all__:
        cls = getattr(errors, name)
        if cls not in special:
            made.append(cls(message))
    return made


@pytest.mark.parametrize("error", _every_error(), ids=lambda e: type(e).__name__)
def test_an_error_pickles_with_its_attributes_and_its_message(
    error: errors.IopdocsError, swedish: None
) -> None:
    """A batch's worker processes send errors back pickled: the class, the attributes (path,
    line, clause id, template hashes) and the translatable message all arrive."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.__dict__ == error.__dict__
    assert str(copy) == str(error)
    assert copy.translated() == error.translated() != str(error)
    assert isinstance(copy, errors.IopdocsError)


def test_except_clauses_and_str_keep_working() -> None:
    """The English text and the classes an ``except`` names are as before."""
    error = errors.AgreementFileError(Message("no such file"), path="a.yaml", line=3)
    assert str(error) == "a.yaml:3: no such file"
    with pytest.raises(ValueError, match="outside"):
        raise errors.ReportError(Message("{year} is outside the agreement period", year=2030))


@given(
    st.dictionaries(
        st.sampled_from(["path", "reason", "name", "count"]),
        st.text(min_size=0, max_size=20) | st.integers(),
        min_size=4,
        max_size=4,
    )
)
def test_any_parameters_survive_a_pickle_and_fill_the_same_text(
    params: dict[str, object],
) -> None:
    """Whatever a message holds (braces, quotes, newlines in a parameter), its copy from a worker
    process says the same."""
    message = Message("{path}: {name} {reason} ({count})", **params)
    copy = pickle.loads(pickle.dumps(message))
    assert (copy, copy.id, copy.params, copy.translated()) == (
        message,
        message.id,
        message.params,
        message.translated(),
    )


def test_every_literal_message_of_the_source_is_in_the_catalog() -> None:
    """Found by Python's own parser, not babel's: a Message nested where babel's extractor does
    not look (inside a generator in another Message's arguments) would otherwise be missed by
    `make messages` and stay English."""
    translations = catalog()
    missing = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("Message", "Plural", "N_") or not node.args:
                continue
            literals = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
            if not literals:
                continue
            key = tuple(literals) if node.func.id == "Plural" else literals[0]
            if key not in translations:
                missing.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {key}")
    assert missing == []


_QUOTED = st.text(min_size=1, max_size=12).map(lambda text: f"'{text}'")
_FOREIGN = st.one_of(
    st.sampled_from(list(YAML_PROBLEMS)),
    _QUOTED.map(lambda q: f"found character {q} that cannot start any token"),
    _QUOTED.map(lambda q: f"found undefined alias {q}"),
    _QUOTED.map(lambda q: f"found unknown escape character {q}"),
    _QUOTED.map(lambda q: f"expected <block end>, but found {q}"),
    _QUOTED.map(lambda q: f"could not determine a constructor for the tag {q}"),
    _QUOTED.map(lambda q: f"access to attribute {q} of 'str' object is unsafe."),
    st.text(max_size=40).map(lambda t: f"{t} is not safely callable"),
    st.text(min_size=1, max_size=60),  # (no text at all is "syntax error")
)


@given(_FOREIGN)
def test_a_foreign_text_worded_for_the_catalog_keeps_its_english(text: str) -> None:
    """PyYAML's and Jinja's words are matched to catalog messages only to translate them: the
    English a Python caller reads (``str``) is exactly what the library said, whatever it
    quoted."""
    from jinja2.exceptions import SecurityError

    from iopdocs.problems import yaml_problem
    from iopdocs.word.environment import refusal

    assert str(yaml_problem(text)) == text
    assert str(refusal(SecurityError(text))) == text


@given(
    st.from_regex(r"[a-z_\[\]0-9.]{1,30}", fullmatch=True),
    st.from_regex(r"[a-z_]{1,20}", fullmatch=True),
    st.integers(min_value=2, max_value=99),
)
def test_a_migration_note_keeps_its_english_and_reads_in_swedish(
    old: str, new: str, version: int
) -> None:
    """What a schema migration says of a renamed key: the same English, and Swedish around the
    same key names when shown in Swedish."""
    from iopdocs.problems import migration_change

    change = f"{old} is now {new} (schema version {version})"
    worded = migration_change(change)
    assert str(worded) == change
    i18n.set_language("sv")
    try:
        assert str(i18n.translated(worded)) == f"{old} heter nu {new} (schemaversion {version})"
    finally:
        i18n.set_language("en")


def test_the_command_line_words_errors_warnings_and_results_alike(swedish: None) -> None:
    """``said`` is how the command line shows what the library gives it: an error, a warning
    caught while a PDF is made, or a batch result's error, in the language in use; anything
    that is not ours as its own text."""
    from iopdocs.cli.common import said
    from iopdocs.pdf import NotPdfAWarning

    message = Message("{path}: no such file", path="bilaga.pdf")
    assert said(errors.AppendixError(message)) == "bilaga.pdf: filen finns inte"
    assert said(NotPdfAWarning(message)) == "bilaga.pdf: filen finns inte"
    assert said(message) == "bilaga.pdf: filen finns inte"
    assert said("avtal.yaml: rad 3") == "avtal.yaml: rad 3"
    assert said(OSError(28, "No space left on device")) == "[Errno 28] No space left on device"


def test_every_message_is_given_exactly_the_parameters_its_text_names() -> None:
    """A placeholder without its parameter would raise KeyError where the error is raised (often
    a path no other test reaches); a parameter no placeholder names is a mistake too."""
    wrong = []
    for path in sorted(SOURCE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in ("Message", "Plural") or not node.args:
                continue
            texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant)]
            if not texts or any(k.arg is None for k in node.keywords):  # **unpacked: unknown
                continue
            named = {name for text in texts for _, name, _, _ in string.Formatter().parse(text)}
            named.discard(None)
            given = {k.arg for k in node.keywords}
            if named != given:
                wrong.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {named} != {given}")
    assert wrong == []
