"""SYNC-2: transfer HR staff into the staging area of the current sync.

Each object is checked with the create/update rules (`check_staff`: STAFF, POS, ADDR),
as a create when Campus does not hold its staff number yet, else as an update. Any problem → 400
with every problem, paths prefixed `[index].`, and nothing of the call is staged. A staff number
sent twice in one sync (in this call or an earlier one) → 400 duplicate_staff_number.

Staging is not Campus data: a transfer never makes a validation stale (SYNC-5). Each row keeps the
parse of its household addresses (`address_parts`): an address is parsed once per sync.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select

from boi_mock import models as m
from boi_mock.errors import BadRequest, FieldError
from boi_mock.schemas.staff import StaffMemberIn
from boi_mock.services import addresses
from boi_mock.services.context import DistrictContext
from boi_mock.services.staff_checks import ReferenceSets, check_staff, invalid
from boi_mock.services.sync import state

MAX_PER_CALL = 1000
# How many problems one 400 lists (the detail counts them all).
MAX_ERRORS = 1000


def too_many(count: int) -> BadRequest:
    return BadRequest(f"A transfer takes at most {MAX_PER_CALL} staff members per call; got {count}. "
                      "Send them in several calls.", code="too_many_staff",
                      errors=[FieldError("", "too_many_staff", f"{count} items; the limit is {MAX_PER_CALL}")])


def _existing_numbers(ctx: DistrictContext, numbers: set[str]) -> set[str]:
    if not numbers:
        return set()
    return set(ctx.session.scalars(select(m.Person.staff_number).where(
        m.Person.district_id == ctx.district_id, m.Person.staff_number.in_(numbers))))


def _staged_numbers(ctx: DistrictContext, sync_id: int, numbers: set[str]) -> set[str]:
    if not numbers:
        return set()
    return set(ctx.session.scalars(select(m.SyncStagingRow.staff_number).where(
        m.SyncStagingRow.sync_id == sync_id, m.SyncStagingRow.staff_number.in_(numbers))))


def problems_of(ctx: DistrictContext, sync_id: int, items: Sequence[StaffMemberIn]
                ) -> tuple[list[FieldError], list[dict[int, addresses.Candidates]]]:
    """Every problem of the call, paths prefixed `[i].` (empty when the whole call may be staged); and each
    item's parsed household addresses (staged with it, so validate and commit do not parse them again)."""
    numbers = {item.staff_number for item in items if item.staff_number}
    in_campus = _existing_numbers(ctx, numbers)
    staged = _staged_numbers(ctx, sync_id, numbers)
    ref = ReferenceSets.load(ctx.session, ctx.district_id)
    seen: dict[str, int] = {}
    problems: list[FieldError] = []
    parsed: list[dict[int, addresses.Candidates]] = []
    for i, item in enumerate(items):
        prefix = f"[{i}]"
        number = item.staff_number
        checked = check_staff(ctx, item, creating=number not in in_campus, ref=ref)
        found = checked.problems
        parsed.append(checked.addresses)
        if number is None and not any(p.field == "staffNumber" for p in found):
            found.append(FieldError("staffNumber", "missing_field",
                                    "staffNumber is required to transfer a staff member"))
        problems.extend(p.prefixed(prefix) for p in found)
        if number is None:
            continue
        if number in staged:
            problems.append(FieldError(f"{prefix}.staffNumber", "duplicate_staff_number",
                                       f"Staff number {number} was already transferred in this sync"))
        elif number in seen:
            problems.append(FieldError(f"{prefix}.staffNumber", "duplicate_staff_number",
                                       f"Staff number {number} is sent twice in this call (also at [{seen[number]}])"))
        else:
            seen[number] = i
    return problems, parsed


def transfer(ctx: DistrictContext, items: Sequence[StaffMemberIn]) -> m.SyncRun:
    """SYNC-2: stage the whole call, or nothing. Returns the run (staff_transferred is the running total)."""
    run = state.require(state.current_run(ctx.session, ctx.district_id), "transfer staff", state.TRANSFER_STARTED)
    if len(items) > MAX_PER_CALL:
        raise too_many(len(items))
    problems, parsed = problems_of(ctx, run.id, items)
    if problems:
        error = invalid(problems[:MAX_ERRORS])
        if len(problems) > MAX_ERRORS:
            error.detail = f"{len(problems)} problems (first {MAX_ERRORS} listed); first: {problems[0].message}"
        raise error
    start = (ctx.session.scalar(select(func.max(m.SyncStagingRow.seq))
                                .where(m.SyncStagingRow.sync_id == run.id)) or 0) + 1
    rows: list[dict[str, Any]] = [{
        "district_id": ctx.district_id, "sync_id": run.id, "seq": start + i, "staff_number": item.staff_number,
        # As sent, normalised by the schema (SSN digits); absent stays absent (STAFF-6 on commit).
        "payload": item.model_dump(mode="json", by_alias=True, exclude_unset=True),
        "address_parts": addresses.parsed_to_json(parsed[i]) if parsed[i] else None,
        "outcome": None, "outcome_code": None, "outcome_message": None,
    } for i, item in enumerate(items)]
    if rows:
        ctx.session.execute(insert(m.SyncStagingRow), rows)
    run.staff_transferred += len(rows)
    ctx.fire("SYNC-2")
    return run
