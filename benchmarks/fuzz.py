"""The fuzz campaign: thousands of Hypothesis-generated inputs through ``newsgraph.analyze``.

Counts, over all examples: reports, coded errors (NewsgraphError, by code), crashes
(any other exception) and reports that fail to serialise, validate or round-trip; and
prints the first failures with their input. The inputs and the property are those of
tests/fuzzing.py (CI runs 150 of them, derandomised, in tests/test_fuzz.py).

    .venv/bin/python benchmarks/fuzz.py                  # 2,000 examples
    .venv/bin/python benchmarks/fuzz.py -n 5000 --seed 7 --check   # exit 1 on any failure
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from hypothesis import HealthCheck, given, seed, settings

import newsgraph
from fuzzing import check, published, schema_validator, source, title


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--examples", type=int, default=2000, help="inputs to try")
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed (random if unset)")
    parser.add_argument("--show", type=int, default=5, help="failures to print in full")
    parser.add_argument("--check", action="store_true", help="exit 1 on any failure")
    args = parser.parse_args()

    newsgraph.analyze("Warm-up: load the model once.")
    validator = schema_validator()
    counts: collections.Counter[str] = collections.Counter()
    codes: collections.Counter[str] = collections.Counter()
    failures: list[tuple[str, Any, str]] = []
    started = time.perf_counter()

    @settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(src=source, day=published, head=title)
    def run(src: str | bytes, day: str | None, head: str | None) -> None:
        counts["examples"] += 1
        try:
            newsgraph.analyze(src, published=day, title=head)
        except newsgraph.NewsgraphError as exc:
            codes[exc.code] += 1
            if exc.code in ("E029", "E999"):  # a coded crash is still a crash
                counts["crashes"] += 1
                failures.append(("crash", (src, day, head), str(exc)))
            return
        except Exception:
            counts["crashes"] += 1
            failures.append(("crash", (src, day, head), traceback.format_exc(limit=-4)))
            return
        counts["reports"] += 1
        try:
            check(src, day, head, validator)
        except AssertionError as exc:
            counts["bad reports"] += 1
            failures.append(("bad report", (src, day, head), str(exc)))
        except Exception:
            counts["bad reports"] += 1
            failures.append(("bad report", (src, day, head), traceback.format_exc(limit=-4)))

    if args.seed is not None:
        run = seed(args.seed)(run)
    run()
    elapsed = time.perf_counter() - started

    n = counts["examples"]
    print(f"examples           {n:>6}   ({elapsed:.0f} s, {n / elapsed:.1f} per second)")
    print(f"reports            {counts['reports']:>6}")
    print(
        f"coded errors       {sum(codes.values()):>6}   "
        + ", ".join(f"{code} {k}" for code, k in sorted(codes.items()))
    )
    print(f"crashes            {counts['crashes']:>6}")
    print(
        f"bad reports        {counts['bad reports']:>6}   (fail to serialise/validate/round-trip)"
    )
    for kind, (src, day, head), detail in failures[: args.show]:
        print(f"\n--- {kind}: source={src!r:.300} published={day!r} title={head!r:.80}")
        print(detail.rstrip())
    failed = counts["crashes"] + counts["bad reports"]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
