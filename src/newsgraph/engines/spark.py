"""The Spark engine: the per-article analysis of ``analyze`` and ``ingest`` as a PySpark
job over WARC and JSON Lines inputs, written as Parquet tables that mirror the store's.

The job (:func:`run_job`; ``newsgraph spark`` on the command line), in the manner of
cc-pyspark:

- The driver plans one task per input file, and one per split of a local JSON Lines
  file larger than ``split_bytes``. Splits end at line ends and know their first line's
  number, so every item keeps the origin ``ingest`` gives it (``news.jsonl:151``,
  ``cc.warc.gz#7``). A local path is read in place by the task; an input with a scheme
  (``hdfs://``, ``s3a://``, ``file://`` ...) is read through Spark's Hadoop file systems
  (``binaryFiles``: a glob or folder is allowed, each file is one task, read whole).
- Each task runs in a Python worker, which loads the pipeline once (on its first task;
  Spark reuses its Python workers) and never pickles it. The task reads its input,
  analyses blocks of articles with :func:`newsgraph.api.analyze_block` (the function
  every engine calls), stores the reports in an in-memory store exactly as ``ingest``
  does, and writes that store's tables as Parquet partitioned by publication month
  (:mod:`newsgraph.store.parquet`): ``OUT/<table>/published_month=2025-11/part-<task>.parquet``.
- A task is complete once its files are in place and its record
  ``OUT/_tasks/<task>.json`` (input, counts, bad records) is written. A rerun skips
  complete tasks and redoes the others, replacing their partial files (the same
  names), so nothing is written twice. Inputs are taken as immutable, as WARC files are.
- Bad records (unreadable lines, failed extractions or analyses) are counted and
  reported with their coded errors, never fatal.

The corpus tables (duplicates, stories, links) are placed in one ordered pass over the
whole store, so the job leaves them to ``newsgraph import-parquet``, which loads its
output into a DuckDB store and places it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import IO, Any, Final

from ..api import __version__, analyze_block
from ..errors import NewsgraphError
from ..ingest import JSONL_SUFFIXES, WARC_SUFFIXES, given_published, is_url
from ..ingest.item import Item
from ..ingest.jsonl import iter_jsonl_stream
from ..ingest.warc import iter_warc_stream
from ..options import DEFAULT_OPTIONS, Options
from ..report import Report
from ..store import Store
from ..store.parquet import write_months

#: A local JSON Lines file larger than this is split into tasks of about this size.
DEFAULT_SPLIT_BYTES: Final = 64 * 1024 * 1024
#: Where each complete task's record is kept, under the output folder.
TASKS_DIR: Final = "_tasks"
_TMP_DIR: Final = "_tmp"
_BLOCK: Final = 1 << 20
_KINDS: Final = ", ".join((*JSONL_SUFFIXES, *WARC_SUFFIXES))
#: The smallest split a small local job's JSONL is cut into (to give every core work).
_MIN_SPLIT: Final = 256 * 1024


def input_kind(name: str) -> str | None:
    """``"jsonl"``, ``"warc"`` or None (not an input the job reads) for a file name."""
    low = name.lower()
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if low.endswith(WARC_SUFFIXES):
        return "warc"
    return None


@dataclass(frozen=True)
class Task:
    """One unit of the job: a whole input file, or a line-aligned byte range of a local
    JSON Lines file (``end`` -1: to the end of the file)."""

    input: str
    kind: str
    start: int = 0
    end: int = -1
    first_line: int = 1
    #: the split size that planned this task (0: the file is not split)
    split_bytes: int = 0
    #: bytes to read, for scheduling the largest first
    size: int = 0

    @property
    def key(self) -> str:
        """The task's stable name: the same input and range, the same name on every run."""
        ident = f"{self.input}\0{self.start}\0{self.end}".encode()
        return hashlib.sha256(ident).hexdigest()[:24]


@dataclass(frozen=True)
class Job:
    """What every task needs to know (pickled to the workers: no pipeline in it)."""

    out: str
    options: Options = DEFAULT_OPTIONS
    published: str | None = None


@dataclass
class JobSummary:
    """What a run of the job did."""

    out: Path
    #: tasks run now, and tasks found complete from an earlier run
    ran: int = 0
    already: int = 0
    records: int = 0
    articles: int = 0
    #: the bad records of the tasks run now: ``{"where", "code", "message"}``
    bad: list[dict[str, str]] = field(default_factory=list)
    #: inputs that could not be read at all
    failed: list[NewsgraphError] = field(default_factory=list)
    seconds: float = 0.0


# -- planning (the driver) ---------------------------------------------------------------


def line_splits(path: Path, split_bytes: int) -> list[tuple[int, int, int]]:
    """``(start, end, first line)`` byte ranges of about ``split_bytes`` each that cover
    ``path`` and end just after a newline (or at the end of the file)."""
    out: list[tuple[int, int, int]] = []
    start, first, pos, lines, target = 0, 1, 0, 0, split_bytes
    with path.open("rb") as fh:
        while chunk := fh.read(_BLOCK):
            k = 0
            while pos + len(chunk) > target:
                j = chunk.find(b"\n", max(k, target - pos))
                if j < 0:
                    break
                end = pos + j + 1
                out.append((start, end, first))
                first = lines + chunk.count(b"\n", 0, j + 1) + 1
                start, target, k = end, end + split_bytes, j + 1
            lines += chunk.count(b"\n")
            pos += len(chunk)
    if start < pos:
        out.append((start, pos, first))
    return out


def completed(out: Path) -> dict[str, dict[str, Any]]:
    """The records of the tasks complete in ``out``, by task key."""
    done: dict[str, dict[str, Any]] = {}
    for path in sorted((out / TASKS_DIR).glob("*.json")):
        with contextlib.suppress(OSError, ValueError):
            record = json.loads(path.read_text("utf-8"))
            done[str(record["task"])] = record
    return done


def _local_files(spec: str) -> Iterator[Path]:
    path = Path(spec)
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file() and input_kind(p.name))
    else:
        yield path


def plan(
    inputs: Iterable[str], *, split_bytes: int, done: dict[str, dict[str, Any]] | None = None
) -> tuple[list[Task], list[str], list[NewsgraphError]]:
    """The tasks for the local inputs, the inputs with a scheme (listed by Spark), and
    the inputs that cannot be read at all.

    A JSON Lines file that earlier runs split is split as they did (their records say
    how), whatever ``split_bytes`` is now, so that no range is analysed twice."""
    earlier = {str(r["input"]): int(r.get("split_bytes", 0)) for r in (done or {}).values()}
    tasks: list[Task] = []
    urls: list[str] = []
    failed: list[NewsgraphError] = []
    for spec in inputs:
        if is_url(spec):
            urls.append(spec)
            continue
        found = False
        for path in _local_files(spec):
            found = True
            name = str(path)
            kind = input_kind(path.name)
            if not path.is_file():
                failed.append(NewsgraphError("E009", where=name, reason="no such file"))
                continue
            if kind is None:
                reason = f"the Spark job reads {_KINDS} files"
                failed.append(NewsgraphError("E032", where=name, reason=reason))
                continue
            size = path.stat().st_size
            split = earlier.get(name, split_bytes) if kind == "jsonl" else 0
            if split <= 0 or size <= split:
                tasks.append(Task(name, kind, size=size))
                continue
            for start, end, first in line_splits(path, split):
                tasks.append(Task(name, kind, start, end, first, split, end - start))
        if not found:
            reason = f"the folder holds no {_KINDS} files"
            failed.append(NewsgraphError("E032", where=spec, reason=reason))
    return tasks, urls, failed


# -- one task (a Python worker) ----------------------------------------------------------


def _stream(task: Task, content: bytes | None) -> IO[bytes]:
    if content is not None:
        return io.BytesIO(content)
    fh = open(task.input, "rb")  # noqa: SIM115 - closed by the caller
    if task.end < 0:
        return fh
    with fh:
        fh.seek(task.start)
        return io.BytesIO(fh.read(task.end - task.start))


def _items(task: Task, options: Options, content: bytes | None) -> Iterator[Item]:
    try:
        stream = _stream(task, content)
    except OSError as exc:
        code = "E009" if task.kind == "jsonl" else "E012"
        reason = exc.strerror or str(exc)
        yield Item(origin=task.input, error=NewsgraphError(code, where=task.input, reason=reason))
        return
    with stream:
        if task.kind == "jsonl":
            yield from iter_jsonl_stream(
                stream, options=options, name=task.input, first_line=task.first_line
            )
        else:
            yield from iter_warc_stream(stream, name=task.input, options=options)


def _bad(origin: str, exc: NewsgraphError) -> dict[str, str]:
    return {"where": origin, "code": exc.code, "message": exc.message}


def _write_json(path: Path, record: dict[str, Any]) -> None:
    """Write ``record`` to ``path`` whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    part.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", "utf-8")
    os.replace(part, path)


def _analysed(task: Task, job: Job, content: bytes | None, store: Store) -> dict[str, Any]:
    """Read, analyse and store the task's articles; its counts and bad records."""
    opts = job.options
    bad: list[dict[str, str]] = []
    records = 0
    pending: list[tuple[Report, str, str | None]] = []

    def commit() -> None:
        _, unstored = store.add_each(pending)
        bad.extend(_bad(pending[k][1], exc) for k, exc in unstored)
        pending.clear()

    items = _items(task, opts, content)
    while block := list(islice(items, max(1, opts.batch_size))):
        good: list[Item] = []
        for item in block:
            records += 1
            given_published(item, job.published)
            if item.article is None:
                assert item.error is not None
                bad.append(_bad(item.origin, item.error))
            else:
                good.append(item)
        articles = [i.article for i in good if i.article is not None]
        outcomes = analyze_block(articles, [i.origin for i in good], options=opts)
        for item, outcome in zip(good, outcomes, strict=True):
            if isinstance(outcome, NewsgraphError):
                bad.append(_bad(item.origin, outcome))
            else:
                pending.append((outcome, item.origin, item.record_id))
        if len(pending) >= opts.commit_every:
            commit()
    if pending:
        commit()
    return {"records": records, "articles": store.count(), "bad": bad}


def _clear(out: Path, key: str) -> None:
    """Remove a task's files left by a run that did not finish it."""
    for stale in out.glob(f"*/*/part-{key}.parquet"):
        stale.unlink(missing_ok=True)


def run_task(task: Task, job: Job, content: bytes | None = None) -> dict[str, Any]:
    """Run one task (in a Spark Python worker, or anywhere): analyse its input and write
    its Parquet files and its record; the record says what it did. A task already
    complete is not run again (its record comes back with ``"skipped": True``)."""
    out = Path(job.out)
    record_path = out / TASKS_DIR / f"{task.key}.json"
    if record_path.exists():
        with contextlib.suppress(OSError, ValueError):
            return {**json.loads(record_path.read_text("utf-8")), "skipped": True}
    started = time.perf_counter()
    tmp = out / _TMP_DIR / f"{task.key}-{uuid.uuid4().hex}"
    try:
        with Store.open(":memory:") as store:
            counts = _analysed(task, job, content, store)
            files = write_months(store, tmp, task.key)
            months = sorted({f.parent.name.split("=", 1)[1] for f in files})
        _clear(out, task.key)
        for f in files:
            dest = out / f.relative_to(tmp)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    record = {
        "task": task.key,
        **{k: v for k, v in asdict(task).items() if k != "size"},
        **counts,
        "months": months,
        "seconds": round(time.perf_counter() - started, 3),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "newsgraph": __version__,
    }
    _write_json(record_path, record)
    return {**record, "skipped": False}


def _run_url_file(pair: tuple[str, bytes], job: Job) -> dict[str, Any]:
    """A task for one file that Spark read from a Hadoop file system."""
    name, content = pair
    kind = input_kind(name)
    if kind is None:
        return {"task": None, "input": name, "ignored": True}
    return run_task(Task(name, kind, size=len(content)), job, content)


# -- the driver --------------------------------------------------------------------------


def spark_context(master: str | None = None, conf: dict[str, str] | None = None) -> Any:
    """A SparkContext for the job (the running one under ``spark-submit``). ``master``
    wins over the configuration's; with neither, ``local[*]``. E041 when Spark cannot
    start (no pyspark, no Java)."""
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError:
        raise NewsgraphError("E041", reason="the pyspark package is not installed") from None
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise NewsgraphError("E041", reason="no Java runtime: java is not on the PATH")
    # local workers run this interpreter (a cluster's come from its own configuration)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    if not os.environ.get("SPARK_CONF_DIR") and not os.environ.get("SPARK_HOME"):
        # no Spark set-up of the user's: log errors only (the job reports its own)
        os.environ["SPARK_CONF_DIR"] = str(Path(__file__).with_name("sparkconf"))
    if (master or "local").startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    sconf = SparkConf().setAppName("newsgraph")
    if master:
        sconf.setMaster(master)
    elif not sconf.contains("spark.master"):
        sconf.setMaster("local[*]")
    sconf.setIfMissing("spark.python.worker.reuse", "true")
    for key, value in (conf or {}).items():
        sconf.set(key, value)
    try:
        sc = SparkContext.getOrCreate(sconf)
    except Exception as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise NewsgraphError("E041", reason=reason[:300]) from None
    sc.setLogLevel("ERROR")
    return sc


def run_job(
    inputs: Iterable[str],
    out: str | Path,
    *,
    master: str | None = None,
    options: Options | None = None,
    published: str | None = None,
    split_bytes: int = DEFAULT_SPLIT_BYTES,
    conf: dict[str, str] | None = None,
) -> JobSummary:
    """Run the job over ``inputs`` into the folder ``out`` (created); see the module.

    ``published`` (YYYY-MM-DD) applies where a record gives no date, as ``--published``
    does for ``ingest``. E018 when ``out`` cannot be written, E041 when Spark cannot
    start, E042 when the job fails (the tasks it completed are kept)."""
    started = time.perf_counter()
    target = Path(out).absolute()
    try:
        (target / TASKS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsgraphError("E018", where=str(target), reason=exc.strerror or str(exc)) from None
    done = completed(target)
    _clear_orphans(target, done)
    inputs = list(inputs)
    tasks, urls, failed = plan(inputs, split_bytes=split_bytes, done=done)
    cores = local_cores(master)
    if cores > 1 and len(tasks) < 2 * cores:
        # a small local job: split its JSONL finer, so that every core has work
        jsonl = sum(t.size for t in tasks if t.kind == "jsonl")
        finer = max(_MIN_SPLIT, -(-jsonl // (2 * cores)))
        if finer < split_bytes:
            tasks, urls, failed = plan(inputs, split_bytes=finer, done=done)
    todo = sorted((t for t in tasks if t.key not in done), key=lambda t: -t.size)
    summary = JobSummary(out=target, already=len(tasks) - len(todo), failed=failed)
    job = Job(str(target), options or DEFAULT_OPTIONS, published)
    if todo or urls:
        sc = spark_context(master, conf)
        try:
            rdds = []
            if todo:
                rdds.append(sc.parallelize(todo, len(todo)).map(partial(run_task, job=job)))
            rdds += [sc.binaryFiles(url).map(partial(_run_url_file, job=job)) for url in urls]
            results = sc.union(rdds).collect()
        except Exception as exc:
            raise NewsgraphError("E042", reason=_first_line(exc)) from None
        finally:
            sc.stop()
        for r in results:
            if r.get("ignored"):
                continue
            if r.get("skipped"):
                summary.already += 1
                continue
            summary.ran += 1
            summary.records += int(r["records"])
            summary.articles += int(r["articles"])
            summary.bad += r["bad"]
    summary.seconds = time.perf_counter() - started
    if not failed:
        _write_json(target / "_SUCCESS", {"tasks": summary.ran + summary.already})
    return summary


def local_cores(master: str | None) -> int:
    """The cores a local master runs on (``local[4]``: 4, ``local[*]``: all of this
    machine's); 0 for a cluster's master, whose size the driver does not know."""
    m = re.match(r"^local(?:\[(\*|\d+)(?:,\d+)?\])?$", master or "local[*]")
    if m is None:
        return 0
    if m.group(1) in (None, "*"):
        return 1 if m.group(1) is None else os.cpu_count() or 1
    return int(m.group(1))


def _clear_orphans(out: Path, done: dict[str, dict[str, Any]]) -> None:
    """Remove the files of tasks that an interrupted run left unfinished (no record):
    their inputs are analysed again, perhaps split differently, so the files must go."""
    shutil.rmtree(out / _TMP_DIR, ignore_errors=True)
    for part in out.glob("*/*/part-*.parquet"):
        if part.stem.removeprefix("part-") not in done:
            part.unlink(missing_ok=True)


def _first_line(exc: BaseException) -> str:
    """The gist of a Spark failure: the Python error a task raised, else the first line."""
    text = str(exc)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if "Error:" in ln or "Exception:" in ln:
            return ln[:300]
    return (lines[0] if lines else type(exc).__name__)[:300]


__all__ = [
    "DEFAULT_SPLIT_BYTES",
    "Job",
    "JobSummary",
    "Task",
    "completed",
    "input_kind",
    "line_splits",
    "local_cores",
    "plan",
    "run_job",
    "run_task",
    "spark_context",
]
