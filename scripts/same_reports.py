"""Do two versions of newsgraph give the same reports? Dump a fixed sample, then compare.

    .venv/bin/python scripts/same_reports.py dump /tmp/before.jsonl     # before a change
    .venv/bin/python scripts/same_reports.py dump /tmp/after.jsonl      # after it
    .venv/bin/python scripts/same_reports.py compare /tmp/before.jsonl /tmp/after.jsonl

``dump`` analyses a fixed, deterministic sample with ``newsgraph.analyze_many`` and
writes one line per document, in sample order: the report as ``Report.to_dict()``
gives it, minus ``generator`` (it names the package version), as compact JSON; a
document whose analysis fails gets ``{"error": CODE, "message": ...}`` instead, so the
lines stay aligned. The sample is:

- the seed article ``<shared>/seed/s400-return.txt`` (published 2025-12-19);
- ``examples/baltic-air-defence.txt`` (published 2025-11-03);
- from every ``<shared>/data/*.jsonl`` set, in name order, ``--per-set`` records (40)
  spread evenly over the file (record ``i * n // k`` for i < k), each with its own
  ``published``; the text is ``text``, else ``sentence`` (claims-checkworthy).

With ``--long N`` one more document ends the sample: the sample's texts joined by blank
lines, cut at the last blank line before N characters (to pin down long texts, which
newsgraph parses in pieces above ``newsgraph.text.pieces.LONG_TEXT_CHARS``); dumps
compared must have been made with the same options.

``<shared>`` is ``$NEWSGRAPH_SHARED``, else ``../shared`` next to the repository; what
is missing of it is left out (so without it the sample is the bundled example alone),
and the dump's first lines on stderr say what the sample holds. ``list`` prints the
sample without analysing it, one document a line: line N of a dump is its N-th.

``compare`` says how many reports are byte-identical and shows the first differences
(JSON paths with both values); it exits 1 when any line differs or the files differ in
length (2 when a file is missing). ``--without KEY`` (repeatable) compares the reports
with that key left out wherever it occurs: a field one version adds, such as the
``titles`` and ``took_office`` of person entities.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSGRAPH_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "s400-return.txt"
EXAMPLE = ROOT / "examples" / "baltic-air-defence.txt"
#: The fixed documents: path and publication date.
FIXED: tuple[tuple[Path, str], ...] = ((SEED, "2025-12-19"), (EXAMPLE, "2025-11-03"))


@dataclass(frozen=True)
class Sample:
    name: str  # where it comes from: a path, or "set.jsonl#line"
    text: str
    published: str | None


def spread(n: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n)`` (all of them when ``n <= k``)."""
    if n <= k:
        return list(range(n))
    return [i * n // k for i in range(k)]


def _set_samples(path: Path, per_set: int) -> Iterator[Sample]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()]
    for i in spread(len(lines), per_set):
        record = json.loads(lines[i])
        text = record.get("text") or record.get("sentence")
        if not isinstance(text, str) or not text.strip():
            continue
        published = record.get("published")
        yield Sample(
            f"{path.name}#{i + 1}", text, published if isinstance(published, str) else None
        )


def long_sample(docs: list[Sample], chars: int) -> Sample:
    """The sample's texts joined by blank lines, cut at the last blank line before
    ``chars`` (the texts repeat when they are too few)."""
    parts: list[str] = []
    size = 0
    while docs and size <= chars:
        for doc in docs:
            parts.append(doc.text.strip())
            size += len(parts[-1]) + 2
            if size > chars:
                break
    text = "\n\n".join(parts)
    cut = text.rfind("\n\n", 0, chars)
    return Sample(f"long#{chars}", text[:cut] + "\n" if cut > 0 else text[:chars], "2025-11-03")


def sample(per_set: int, long: int = 0) -> list[Sample]:
    """The fixed sample, in order (see the module docstring)."""
    out = [
        Sample(str(path.relative_to(path.parent.parent)), path.read_text("utf-8"), published)
        for path, published in FIXED
        if path.is_file()
    ]
    data = SHARED / "data"
    if data.is_dir():
        for path in sorted(data.glob("*.jsonl")):
            out.extend(_set_samples(path, per_set))
    if long > 0:
        out.append(long_sample(out, long))
    return out


def dump_line(outcome: Any) -> str:
    """One output line: the report without ``generator``, or the error."""
    from newsgraph import NewsgraphError

    if isinstance(outcome, NewsgraphError):
        row: dict[str, Any] = {"error": outcome.code, "message": str(outcome)}
    else:
        row = outcome.to_dict()
        row.pop("generator", None)
    return json.dumps(row, ensure_ascii=False)


def dump(out: Path, per_set: int, batch_size: int, long: int) -> int:
    from newsgraph import analyze_many
    from newsgraph.api import to_article

    docs = sample(per_set, long)
    counts: dict[str, int] = {}
    for doc in docs:
        key = doc.name.split("#")[0]
        counts[key] = counts.get(key, 0) + 1
    print(f"sample: {len(docs)} documents from {SHARED} and {EXAMPLE.name}", file=sys.stderr)
    for key, n in counts.items():
        print(f"  {key}: {n}", file=sys.stderr)

    from newsgraph import NewsgraphError

    prepared: list[Any] = []  # an Article, or the error that reading the document raised
    for doc in docs:
        try:
            prepared.append(to_article(doc.text, published=doc.published))
        except NewsgraphError as exc:
            prepared.append(exc)
    reports = analyze_many(
        (a for a in prepared if not isinstance(a, NewsgraphError)),
        batch_size=batch_size,
        errors="include",
    )
    n = 0
    with out.open("w", encoding="utf-8") as handle:
        for item in prepared:
            outcome = item if isinstance(item, NewsgraphError) else next(reports)
            handle.write(dump_line(outcome) + "\n")
            n += 1
    if n != len(docs):
        print(f"error: {n} outcomes for {len(docs)} documents", file=sys.stderr)
        return 1
    print(f"wrote {n} lines to {out}", file=sys.stderr)
    return 0


def diff_paths(a: Any, b: Any, path: str = "") -> Iterator[str]:
    """The JSON paths where ``a`` and ``b`` differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            where = f"{path}.{key}" if path else str(key)
            if key not in a:
                yield f"{where}: missing in A, B has {_short(b[key])}"
            elif key not in b:
                yield f"{where}: A has {_short(a[key])}, missing in B"
            else:
                yield from diff_paths(a[key], b[key], where)
        if list(a) != list(b) and set(a) == set(b):
            yield f"{path or '(top)'}: same keys in another order"
    elif isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            yield from diff_paths(x, y, f"{path}[{i}]")
        if len(a) != len(b):
            yield f"{path}: {len(a)} items in A, {len(b)} in B"
    elif a != b or type(a) is not type(b):
        yield f"{path}: {_short(a)} != {_short(b)}"


def _short(value: Any, limit: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _label(line: str) -> str:
    try:
        row = json.loads(line)
    except ValueError:
        return "(not JSON)"
    if "error" in row:
        return f"error {row['error']}"
    article = row.get("article") or {}
    text = " ".join(str(article.get("text", "")).split())
    return f"id {str(article.get('id', ''))[:12]} {text[:60]!r}"


def _without(value: Any, keys: frozenset[str]) -> Any:
    """``value`` with every object key in ``keys`` removed, at any depth."""
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def _drop(lines: list[str], keys: frozenset[str]) -> list[str]:
    """Each line re-dumped without ``keys`` (as :func:`dump_line` writes)."""
    if not keys:
        return lines
    out = []
    for line in lines:
        try:
            out.append(json.dumps(_without(json.loads(line), keys), ensure_ascii=False))
        except ValueError:
            out.append(line)
    return out


def compare(
    a_path: Path, b_path: Path, show: int, paths: int, without: frozenset[str] = frozenset()
) -> int:
    for path in (a_path, b_path):
        if not path.is_file():
            print(f"error: no file {path}", file=sys.stderr)
            return 2
    a_lines = _drop(a_path.read_text("utf-8").splitlines(), without)
    b_lines = _drop(b_path.read_text("utf-8").splitlines(), without)
    if without:
        print(f"(compared without the keys {', '.join(sorted(without))})")
    same = sum(1 for x, y in zip(a_lines, b_lines, strict=False) if x == y)
    total = max(len(a_lines), len(b_lines))
    print(f"{same} of {total} reports identical ({a_path} vs {b_path})")
    if len(a_lines) != len(b_lines):
        print(f"A has {len(a_lines)} lines, B has {len(b_lines)}")
    shown = 0
    for lineno, (x, y) in enumerate(zip(a_lines, b_lines, strict=False), 1):
        if x == y:
            continue
        if shown == show:
            print("...")
            break
        shown += 1
        print(f"line {lineno}: {_label(x)}")
        try:
            found = list(diff_paths(json.loads(x), json.loads(y)))
        except ValueError:
            found = ["a line is not JSON"]
        if not found:
            found = ["same JSON value, different bytes"]
        for item in found[:paths]:
            print(f"  {item}")
        if len(found) > paths:
            print(f"  ... {len(found) - paths} more")
    return 0 if same == total and len(a_lines) == len(b_lines) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_dump = sub.add_parser("dump", help="analyse the sample, one report per line")
    p_dump.add_argument("out", type=Path)
    p_dump.add_argument("--per-set", type=int, default=40, help="records per data set (40)")
    p_dump.add_argument("--batch-size", type=int, default=32, help="analyze_many batch size")
    p_dump.add_argument("--long", type=int, default=0, help="add a document of N characters")
    p_list = sub.add_parser("list", help="print the sample without analysing it")
    p_list.add_argument("--per-set", type=int, default=40)
    p_list.add_argument("--long", type=int, default=0)
    p_cmp = sub.add_parser("compare", help="compare two dumps; exit 1 when they differ")
    p_cmp.add_argument("a", type=Path)
    p_cmp.add_argument("b", type=Path)
    p_cmp.add_argument("--show", type=int, default=5, help="differing reports to show (5)")
    p_cmp.add_argument("--paths", type=int, default=10, help="differences per report (10)")
    p_cmp.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="KEY",
        help="leave out this key wherever it occurs (a field one of the versions adds)",
    )
    args = parser.parse_args()
    if args.command == "dump":
        return dump(args.out, args.per_set, args.batch_size, args.long)
    if args.command == "list":
        for doc in sample(args.per_set, args.long):
            print(f"{doc.name}\t{doc.published or '-'}\t{len(doc.text)} chars")
        return 0
    return compare(args.a, args.b, args.show, args.paths, frozenset(args.without))


if __name__ == "__main__":
    sys.exit(main())
