"""A diff of two word sequences that stays near-linear on long texts with few changes.

``difflib.SequenceMatcher`` is quadratic on long sequences: comparing the 30 000 words of a
long contract's PDF with its rendering took close to a minute. ``sequence_opcodes`` gives the
same kind of opcodes by matching the common start and end, anchoring on words unique to both
sides (patience diff), and finding the few edits of a repetitive stretch with Myers' O(ND)
algorithm; difflib only sees short stretches.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

__all__ = ["Opcode", "few_edits", "sequence_opcodes"]

Opcode = tuple[str, int, int, int, int]
_SMALL = 4_000_000  # a span compared by difflib directly: len(a) * len(b) at most


def sequence_opcodes(a: Sequence[str], b: Sequence[str]) -> list[Opcode]:
    """``difflib.SequenceMatcher(None, a, b).get_opcodes()`` in near-linear time on long texts.

    The common start and end are matched first (an unchanged contract is one comparison), then
    words that occur exactly once on each side and in the same order anchor the rest (the
    patience diff's idea), so difflib, quadratic on long texts, only sees the short stretches
    between anchors; a long stretch without any such word (a repetitive text) goes to Myers'
    algorithm, linear in its length for a few changes. Adjacent operations of one kind are
    merged.
    """
    result: list[Opcode] = []
    _diff_span(a, b, 0, len(a), 0, len(b), result)
    merged: list[Opcode] = []
    for op in result:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0] == "equal":
            last = merged[-1]
            merged[-1] = ("equal", last[1], op[2], last[3], op[4])
        else:
            merged.append(op)
    return merged


def _diff_span(
    a: Sequence[str], b: Sequence[str], a1: int, a2: int, b1: int, b2: int, out: list[Opcode]
) -> None:
    start_a, start_b = a1, b1
    while a1 < a2 and b1 < b2 and a[a1] == b[b1]:
        a1, b1 = a1 + 1, b1 + 1
    if a1 > start_a:
        out.append(("equal", start_a, a1, start_b, b1))
    end_a, end_b = a2, b2
    while a2 > a1 and b2 > b1 and a[a2 - 1] == b[b2 - 1]:
        a2, b2 = a2 - 1, b2 - 1
    tail = ("equal", a2, end_a, b2, end_b)
    if (a2 - a1) * (b2 - b1) <= _SMALL or a1 == a2 or b1 == b2:
        matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            out.append((tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2))
    else:
        anchors = _anchors(a, b, a1, a2, b1, b2)
        if not anchors:  # a repetitive text: few edits are cheap to find (Myers), else difflib
            edits = few_edits(a, b, a1, a2, b1, b2, _MAX_EDITS)
            if edits is not None:
                out += edits
            else:
                matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2])
                for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                    out.append((tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2))
        else:
            i, j = a1, b1
            for x, y in anchors:
                _diff_span(a, b, i, x, j, y, out)
                out.append(("equal", x, x + 1, y, y + 1))
                i, j = x + 1, y + 1
            _diff_span(a, b, i, a2, j, b2, out)
    if end_a > a2 or end_b > b2:
        out.append(tail)


_MAX_EDITS = 400


def few_edits(
    a: Sequence[str], b: Sequence[str], a1: int, a2: int, b1: int, b2: int, limit: int
) -> list[Opcode] | None:
    """The opcodes of the span by Myers' O((N+M)·D) algorithm, or ``None`` when it needs more
    than ``limit`` insertions and deletions: linear for a long text with a few changes."""
    n, m = a2 - a1, b2 - b1
    offset = limit + 1
    v = [0] * (2 * limit + 3)
    trace: list[list[int]] = []
    found = False
    for d in range(min(limit, n + m) + 1):
        trace.append(v[:])
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and v[offset + k - 1] < v[offset + k + 1]):
                x = v[offset + k + 1]
            else:
                x = v[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and a[a1 + x] == b[b1 + y]:
                x, y = x + 1, y + 1
            v[offset + k] = x
            if x >= n and y >= m:
                found = True
                break
        if found:
            break
    if not found:
        return None
    steps: list[tuple[str, int, int]] = []  # ("equal" | "delete" | "insert", x, y) backwards
    x, y = n, m
    for d in range(len(trace) - 1, -1, -1):
        before = trace[d]
        k = x - y
        if k == -d or (k != d and before[offset + k - 1] < before[offset + k + 1]):
            previous_k = k + 1
        else:
            previous_k = k - 1
        previous_x = before[offset + previous_k]
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            x, y = x - 1, y - 1
            steps.append(("equal", x, y))
        if d > 0:
            steps.append(("insert", x, y - 1) if x == previous_x else ("delete", x - 1, y))
        x, y = previous_x, previous_y
    result: list[Opcode] = []
    for kind, i, j in reversed(steps):
        i2 = i + (kind != "insert")
        j2 = j + (kind != "delete")
        tag = "equal" if kind == "equal" else "replace"
        if result and result[-1][0] == tag:
            last = result[-1]
            result[-1] = (tag, last[1], a1 + i2, last[3], b1 + j2)
        else:
            result.append((tag, a1 + i, a1 + i2, b1 + j, b1 + j2))
    return [_retag(op) for op in result]


def _retag(op: Opcode) -> Opcode:
    tag, i1, i2, j1, j2 = op
    if tag == "replace" and i1 == i2:
        return ("insert", i1, i2, j1, j2)
    if tag == "replace" and j1 == j2:
        return ("delete", i1, i2, j1, j2)
    return op


def _anchors(
    a: Sequence[str], b: Sequence[str], a1: int, a2: int, b1: int, b2: int
) -> list[tuple[int, int]]:
    """Pairs of positions of the words unique on both sides of the span, in increasing order
    on both sides (the longest such chain, found by patience sorting)."""
    count_a = Counter(a[a1:a2])
    count_b = Counter(b[b1:b2])
    where_b = {b[j]: j for j in range(b1, b2) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(a1, a2) if count_a[a[i]] == 1 and a[i] in where_b]
    # The longest increasing run of the b positions, kept with back-links.
    tops: list[int] = []
    top_index: list[int] = []
    back: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect_left(tops, j)
        if k == len(tops):
            tops.append(j)
            top_index.append(index)
        else:
            tops[k] = j
            top_index[k] = index
        back.append(top_index[k - 1] if k > 0 else -1)
    chain: list[tuple[int, int]] = []
    index = top_index[-1] if top_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = back[index]
    return chain[::-1]
