"""The complete-list rule EMP-2 and POS-8 share: on a staff update the sent list is the whole list.

Stored and sent records are matched by a key; several with the same key (dirty Campus data, POS-6
duplicates, or sent twice) pair up in order. A match keeps the stored record with the sent end date,
an unmatched stored record is removed and an unmatched sent one created. Pure: plain values in, indexes out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True)
class Matching(Generic[Record]):
    # (index into the stored records, the sent end date) for every match, changed or not.
    keep: list[tuple[int, date | None]]
    create: list[Record]
    remove: list[int]


def match_complete_list(stored: Sequence[Record], sent: Sequence[Record], key: Callable[[Record], Hashable],
                        end: Callable[[Record], date | None]) -> Matching[Record]:
    """Pairs `sent` with `stored` by `key`, in order; `end` is a record's end (termination) date."""
    waiting: dict[Hashable, list[int]] = defaultdict(list)
    for i, record in enumerate(stored):
        waiting[key(record)].append(i)
    matching: Matching[Record] = Matching(keep=[], create=[], remove=[])
    for record in sent:
        queue = waiting.get(key(record))
        if queue:
            matching.keep.append((queue.pop(0), end(record)))
        else:
            matching.create.append(record)
    matching.remove.extend(sorted(i for queue in waiting.values() for i in queue))
    return matching
