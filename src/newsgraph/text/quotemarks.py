"""Quotation marks: where quotes open and close, told from apostrophes and stray marks.

Shared by the quotes component (direct quotes) and the checks (loaded language in the
writer's own voice is the language outside quotes).
"""

from __future__ import annotations

from typing import Final

#: opening mark -> closing marks it may pair with
PAIRS: Final[dict[str, str]] = {"“": "”", '"': '"', "‘": "’", "«": "»", "„": "“”"}


def find_quote_marks(text: str) -> list[tuple[int, int, int, int]]:
    """(open, content start, content end, close) for every paired quotation mark."""
    out: list[tuple[int, int, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in PAIRS and _opens(text, i):
            j = _closing(text, i, PAIRS[ch])
            if j is not None:
                out.append((i, i + 1, j, j + 1))
                i = j + 1
                continue
        i += 1
    return out


def _opens(text: str, i: int) -> bool:
    """A mark opens a quote when it follows a space, line start or opening punctuation,
    and a non-space follows it; or when it follows a comma with no space and a letter
    or digit follows it ('Ryan said,“Look'): a closing mark is not followed by one."""
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else " "
    if before in ",;" and after.isalnum():
        return True
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _closing(text: str, i: int, closers: str) -> int | None:
    """The mark closing the quote opened at ``i``, within its paragraph."""
    j = i + 1
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == "\n":
            # a paragraph that opens a quote and does not close it continues in the next
            # one, which opens again (news style); otherwise the mark was stray: no quote
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k < n and text[k] == text[i] and (text[j + 1 : j + 2] == "\n" or k > j + 1):
                return j
            if j + 1 < n and text[j + 1] == "\n":
                return None
        if ch in closers:
            nxt = text[j + 1] if j + 1 < n else " "
            prev = text[j - 1]
            apostrophe = ch == "’" and prev.isalpha() and nxt.isalpha()
            if not apostrophe and not prev.isspace():
                return j
        j += 1
    return None


__all__ = ["PAIRS", "find_quote_marks"]
