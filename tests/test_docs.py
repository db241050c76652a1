"""The docs stay true to the code: every error code and option is documented."""

from __future__ import annotations

from dataclasses import fields

from conftest import ROOT
from newsgraph.errors import CATALOGUE
from newsgraph.options import Options


def test_every_error_code_is_in_the_docs() -> None:
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"| {code} |" in doc, code


def test_every_option_is_in_the_docs_with_its_default() -> None:
    doc = (ROOT / "docs" / "options.md").read_text(encoding="utf-8")
    for f in fields(Options):
        assert f"| `{f.name}` | `{getattr(Options(), f.name)!r}` |" in doc, f.name


def test_readme_opens_with_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[0:2] for line in block.strip().splitlines()] == [
        ["make", "example"],
        ["make", "test"],
    ]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci


def test_the_shipped_schema_matches_the_shared_spec() -> None:
    from conftest import shared_path

    shared = shared_path("spec", "report.schema.json").read_text(encoding="utf-8")
    ours = (ROOT / "src" / "newsgraph" / "data" / "report.schema.json").read_text(encoding="utf-8")
    assert ours == shared


def test_every_flag_code_is_in_the_checks_catalogue() -> None:
    import re

    doc = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    call = re.compile(r'(?:Flag|_flag)\(\s*"([A-Z]{3,}(?:_[A-Z]+)*)"')
    codes = {
        code
        for path in (ROOT / "src" / "newsgraph").rglob("*.py")
        for code in call.findall(path.read_text(encoding="utf-8"))
    }
    assert {"OFFICE_ANACHRONISM", "MIXED_SCRIPT", "MOJIBAKE", "DATE_CONTRADICTION"} <= codes
    for code in sorted(codes):
        assert f"`{code}`" in doc, code
        assert f"`{code}`" in readme, code
