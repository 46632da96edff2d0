"""The BOI request pipeline: what happens to every BOI call, in order, and the one context it carries.

1. `api.gate.BoiGate` (the only ASGI middleware; it must see raw bytes): reads the body once, bounded
   (413), refuses a non-JSON body (415) and a control character in the URL (400), and creates the
   call's `BoiCall`, kept as `request.state.boi_call` (one typed object, not loose keys).
2. `api.routing.BoiRoute` (the route class of every BOI operation), in one worker-thread hop:
   decodes the token once and loads its district once, with a marker saying whether the district has
   fault rules at all. A write call takes the district's write lock on its one session only just before
   its handler (in the handler's worker thread), so steps 3-4 and the body's validation hold no lock.
3. Faults (`api.faults`): only for a district with rules — delay, injected answer or dropped
   connection; the hit counts commit on their own.
4. Strictness from the district already loaded: an undeclared query parameter is 400; with
   `strictUnknownProperties=false` unknown body properties are dropped (the journal says so). The
   body is parsed once here and handed to FastAPI, which validates it once.
5. The handler: `deps.boi_context` hands it the `DistrictContext` built from this call (no second
   session, no second authentication).
6. The end of the call, in the route (in the handler's own worker thread when a sync handler answers
   with a `Response`): a successful write adds its journal entry to its own transaction and commits
   once; anything else rolls back (a read has nothing to commit).
7. Back in the gate, before the answer's last byte is sent: every call not journalled yet (reads,
   rejected calls, injected faults) is handed to the process's `JournalWriter`, which writes the
   journal entry and, for 4xx/5xx, the Error Log row together, after answering.

Read-your-writes lives on the read side: every /_mock control call first waits for this process's
writer (`settle_journal`), so a journal or Error Log read sees every call answered before it began.
Across replicas there is no shared marker: see docs/architecture.md ("The request pipeline").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import Request
from sqlalchemy.orm import Session

from boi_mock.services.observability import CallRecord

if TYPE_CHECKING:  # row types only: the HTTP faces never query (docs/architecture.md)
    from boi_mock import models as m

BOI_MARKER = "/api/businessOfficeIntegration"
STATE_KEY = "boi_call"


def is_boi_path(path: str) -> bool:
    return BOI_MARKER in path and not path.rstrip("/").endswith(("/documentation", "/openapi.json")) \
        and "/documentation/" not in path


@dataclass
class BoiCall:
    """One BOI call as it goes through the pipeline: what the journal and the Error Log need, in one place."""

    method: str
    path: str
    query: str | None
    authorization: str | None
    started: float = field(default_factory=time.perf_counter)
    body: bytes = b""
    # The call's one session (step 2); None for routes that manage their own transactions (sync validate/commit).
    session: Session | None = None
    # Set by authentication (step 2): the district and the OAuth client acting.
    district: m.District | None = None
    district_id: int | None = None
    client_id: str | None = None
    # Rule codes fired while serving the call (`DistrictContext.rules` is this very list).
    rules: list[str] = field(default_factory=list)
    # Set by whoever renders a problem (problems.py, the gate, an injected fault).
    error_detail: str | None = None
    error_code: str | None = None
    # True once the call's journal entry is taken care of (a committed write, a dropped connection).
    journalled: bool = False

    def elapsed_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000

    def fire(self, rule: str) -> None:
        if rule not in self.rules:
            self.rules.append(rule)

    def record(self, status: int, response_body: bytes | None) -> CallRecord:
        """What the journal (and, for 4xx/5xx, the Error Log) keeps of this call."""
        return CallRecord(
            method=self.method, path=self.path, query=self.query, status=status, duration_ms=self.elapsed_ms(),
            request_body=self.body, response_body=response_body, rules=list(self.rules),
            district_id=self.district_id, error_message=self.error_detail, error_code=self.error_code,
            # Kept in memory only, to find the district of a call rejected before authentication.
            authorization=self.authorization if self.district_id is None and status >= 400 else None,
        )


def note_problem(request: Request, body: dict[str, Any], district_id: int | None) -> None:
    """What the Error Log says about a BOI call whose answer is a problem (`web.problems.ProblemObserver`)."""
    if (call := current_call(request)) is not None:
        call.error_detail, call.error_code = body.get("detail"), body.get("code")
        if district_id is not None:  # a genuine token of that district: its Error Log
            call.district_id = district_id


def current_call(request: Request) -> BoiCall | None:
    """The call's context, when the request is a BOI call that went through the gate."""
    call = request.scope.get("state", {}).get(STATE_KEY)
    return call if isinstance(call, BoiCall) else None
