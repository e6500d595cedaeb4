"""Write docs/reference.md, the agreement file reference, from the model's JSON Schema.

The schema carries each field's type, default and the docstring written under it in the model
(``iopdocs.loading.agreement_schema``), so the reference cannot say what the model does not.
``python docs/reference.py`` writes the page; ``--check`` exits 1 when the page is not what the
model gives (``make docs`` runs it, and tests/test_docs.py does too).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from iopdocs.loading import agreement_schema, report_schema

PAGE = Path(__file__).resolve().parent / "reference.md"

INTRO = """\
# Agreement file reference

Every key of an agreement file and of annual report data, generated from the model's JSON Schema
and the descriptions written beside each field in the model (`docs/reference.py`; a test fails
when this page is not current). [The agreement file](agreement.md) gives the overview.
`iopdocs schema` and `iopdocs schema --report` print the same schemas for editors such as VS Code.

Keys not listed are errors. A key marked *required* must be given; the others have the default
shown, or are left out of the contract when empty.
"""


def kind(schema: dict[str, Any], prefix: str) -> str:
    """A short readable type: `text`, `list of [Party](#party)`, `'draft' or 'final'`."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{prefix}{name.lower()})"
    if "enum" in schema:
        values = [f"`{json.dumps(v, ensure_ascii=False)}`" for v in schema["enum"]]
        return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else values[0]
    if "const" in schema:
        return f"`{json.dumps(schema['const'], ensure_ascii=False)}`"
    if "anyOf" in schema:
        options = [kind(s, prefix) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(dict.fromkeys(options))
    if schema.get("type") == "array":
        return "list of " + kind(schema.get("items", {}), prefix)
    names = {
        "string": "text",
        "integer": "whole number",
        "number": "number",
        "boolean": "true/false",
        "object": "mapping",
    }
    base = names.get(str(schema.get("type")), "any value")
    if schema.get("format") == "date":
        base = "date (YYYY-MM-DD)"
    return base


def default(schema: dict[str, Any]) -> str:
    if "default" not in schema:
        return "optional"
    value = schema["default"]
    if value in (None, [], {}):
        return "empty"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def cell(text: str) -> str:
    """Docstring text on one line of a Markdown table."""
    return " ".join(text.split()).replace("``", "`").replace("|", "\\|")


def model_section(name: str, schema: dict[str, Any], prefix: str, level: str) -> str:
    lines = [f"{level} {name}", ""]
    if schema.get("description"):
        lines += [cell(schema["description"]), ""]
    properties = schema.get("properties", {})
    if not properties:
        return "\n".join(lines)
    required = set(schema.get("required", []))
    lines += ["| key | type | required or default | description |", "|---|---|---|---|"]
    for key, prop in properties.items():
        need = "*required*" if key in required else default(prop)
        lines.append(
            f"| `{key}` | {kind(prop, prefix)} | {need} | {cell(prop.get('description', ''))} |"
        )
    return "\n".join([*lines, ""])


def document(title: str, schema: dict[str, Any], prefix: str) -> str:
    parts = [f"## {title}", "", model_section(schema["title"], schema, prefix, "###")]
    for name, definition in sorted(schema.get("$defs", {}).items()):
        objects = [d for d in definition.get("anyOf", []) if "properties" in d]
        if objects:  # a model that may also be written as a plain string
            parts.append(model_section(name, objects[0], prefix, "###"))
            parts.append("May also be written as a plain string.\n")
        elif "properties" in definition or "enum" in definition:
            parts.append(model_section(name, definition, prefix, "###"))
            if "enum" in definition and "properties" not in definition:
                parts.append("One of " + kind(definition, prefix) + ".\n")
    return "\n".join(parts)


def page() -> str:
    # Links point at section titles in lower case: the model's class names are unique.
    return (
        "\n".join(
            [
                INTRO,
                document("Agreement files", agreement_schema(), ""),
                document("Annual report data (`iopdocs report --data`)", report_schema(), ""),
            ]
        ).rstrip()
        + "\n"
    )


def main(argv: list[str]) -> int:
    text = page()
    if "--check" in argv:
        if not PAGE.is_file() or PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} is not current: run python docs/reference.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
