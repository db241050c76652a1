"""Regenerate docs/errors.md and docs/options.md from the code (``make docs``)."""

from __future__ import annotations

import inspect
import re
from dataclasses import fields
from pathlib import Path

from newsgraph.errors import CATALOGUE
from newsgraph.options import Options

DOCS = Path(__file__).resolve().parent.parent / "docs"


def errors() -> str:
    lines = [
        "# Error codes",
        "",
        "Every expected failure prints `CODE: sentence` on stderr (the CLI) or raises",
        "`newsgraph.NewsgraphError` with `.code` and `.message` (the library).",
        "",
        "| code | message |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v.replace('|', '/')} |" for k, v in CATALOGUE.items()]
    return "\n".join(lines) + "\n"


def options() -> str:
    source = inspect.getsource(Options)
    docs = {m.group(2): m.group(1) for m in re.finditer(r"#: (.+)\n    (\w+):", source)}
    lines = [
        "# Options",
        "",
        "`newsgraph.Options` holds every tunable with its packaged default. A TOML file",
        "given with `--config FILE` (top level or a `[newsgraph]` table) overrides only",
        "the options it names; an unknown name or a wrong type is error E016.",
        "",
        "| option | default | meaning |",
        "|---|---|---|",
    ]
    defaults = Options()
    lines += [
        f"| `{f.name}` | `{getattr(defaults, f.name)!r}` | {docs.get(f.name, '')} |"
        for f in fields(Options)
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (DOCS / "errors.md").write_text(errors(), encoding="utf-8")
    (DOCS / "options.md").write_text(options(), encoding="utf-8")
