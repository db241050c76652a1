"""Error catalogue: every user-facing failure has a stable code and one plain sentence.

The CLI prints ``E001: <sentence>`` on stderr and exits non-zero; library callers
catch :class:`NewsgraphError` and read ``code`` and ``message``.
"""

from __future__ import annotations

from typing import Any, Final

# code -> message template (str.format fields). One plain sentence each.
CATALOGUE: Final[dict[str, str]] = {
    "E001": "the input {where}is empty or holds only whitespace",
    "E002": "the input {where}looks like binary data ({what}), not text or HTML",
    "E003": "the input {where}is not valid UTF-8 text (bad byte at offset {offset}); "
    "convert it to UTF-8 first",
    "E004": "no main text could be extracted from the HTML {where}",
    "E005": "the input {where}is too large ({size} over the limit of {limit})",
    "E006": "could not fetch {url}: {reason}",
    "E007": "refusing to fetch {url}: it points to a {kind} address ({address}); "
    "pass --allow-private to allow it",
    "E008": "line {line} of {where} is not a valid article record: {reason}",
    "E009": "cannot read {where}: {reason}",
    "E010": "'{value}' is not a date newsgraph can read; use YYYY-MM-DD",
    "E011": "unsupported URL {url}: only http and https are fetched",
    "E012": "cannot read the WARC file {where}: {reason}",
    "E013": "the database {where} cannot be used: {reason}",
    "E014": "the spaCy model is not installed: {reason}; run 'make install'",
    "E015": "the fetched page {url} has content type '{ctype}', not HTML or plain text",
    "E016": "cannot read the options file {where}: {reason}",
    "E017": "{where} is not a known kind of source (a .txt/.html file, a folder of them, "
    "a .jsonl, a .warc or .warc.gz file, or a URL)",
    "E018": "cannot write {where}: {reason}",
    "E019": "cannot refresh the knowledge base from {endpoint}: {reason}",
    "E020": "the knowledge base in {where} is broken: {reason}",
    "E021": "'{value}' is not {what}; use {expected}",
    "E022": "no stored article has the id '{id}'",
    "E023": "no stored article mentions the entity '{kb_id}' and the knowledge base does not "
    "know it",
    "E024": "{method} {path} is not available ({status} {reason})",
    "E025": "the request is not valid: {reason}",
    "E026": "this server needs a token for writes; send the header 'Authorization: Bearer <token>'",
    "E027": "the token given is not this server's token",
    "E028": "refusing to serve on {host} without a token: a non-loopback address needs --token "
    "or NEWSGRAPH_TOKEN",
    "E029": "the analysis of {where} failed in {step} ({reason}); the article was skipped",
    "E030": "the input {where}is a {kind} that sent nothing within {seconds:g} seconds",
    "E031": "{where} is a link that leads {why}; links are followed only to files inside the "
    "folder",
    "E032": "found no article in {where}: {reason}",
    "E033": "cannot analyse a {kind}: give text (str), bytes or an Article",
    "E034": "this server does not answer to the host name '{host}'; start it with "
    "--allowed-host {host} to allow it",
    "E035": "refusing a cross-origin {method} from {origin}; writes are taken only from this "
    "server's own pages",
    "E036": "the analysis took longer than {seconds:g} seconds and was stopped",
    "E037": "the server is busy ({pending} analyses waiting); try again in a moment",
    "E038": "no actor known as '{actor}' in the store or the knowledge base; give a "
    "QID (Q43), a name or an alias",
    "E039": "no story '{story}' in the store; `newsgraph stories --db FILE` lists them",
    "E040": "{reason}; give --events FORMAT (polecat or csv), --parquet DIR or both",
    "E041": "Spark is not available ({reason}); install it with "
    "pip install 'newsgraph[spark]' and a Java 17 or later runtime",
    "E042": "the Spark job failed ({reason}); the inputs it finished are kept: run the same "
    "command again to go on",
    "E043": "{where} is not a folder of newsgraph Parquet tables ({reason})",
    "E999": "internal error ({reason}); set NEWSGRAPH_DEBUG=1 to see the traceback",
}


class NewsgraphError(Exception):
    """An expected failure with a catalogue code and a one-sentence message."""

    def __init__(self, code: str, **fields: object) -> None:
        template = CATALOGUE[code]
        if fields.get("where"):
            # "the input {where}is empty": where reads "x.txt " so the sentence flows.
            w = str(fields["where"])
            if "{where}is" in template or "{where}looks" in template:
                fields["where"] = f"{w.rstrip()} "
        fields.setdefault("where", "")
        message = template.format(**fields)
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.fields = fields

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from code and fields, so errors cross process boundaries intact.
        return (_rebuild, (self.code, self.fields))


def _rebuild(code: str, fields: dict[str, object]) -> NewsgraphError:
    return NewsgraphError(code, **fields)


def human_size(n: int) -> str:
    """Render a byte count as a short human string (``12.3 MB``)."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{n} bytes"  # pragma: no cover
