"""Control API for contract tests (mounted under /_mock): the district's fault rules (the faults capability:
domain/faults.py, services/faults.py, api/faults.py, models/fault.py; docs/architecture.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from pydantic import Field, JsonValue

from boi_mock.control.guard import ControlRoute
from boi_mock.schemas.base import WireModel
from boi_mock.services import districts, faults
from boi_mock.web.deps import SessionDep
from boi_mock.wire.control import FaultRule

router = APIRouter(tags=["Mock control: contract testing"], route_class=ControlRoute)


class FaultIn(WireModel):
    """One fault rule for the district's BOI calls (and, with a `/oauth2/token` path, its token requests)."""

    method: str | None = Field(default=None, pattern=r"^[A-Za-z]{1,10}$", description="HTTP method; any when absent")
    path: str | None = Field(
        default=None, max_length=500,
        description="Prefix or glob (*, ?, [..]) of the path under /campus/api/businessOfficeIntegration, "
                    "e.g. /staffMembers or /staffMembers/*/position; a full path when it starts with /campus/. "
                    "Absent: every BOI call (not the token endpoint).")
    status: int | None = Field(default=None, ge=400, le=599, description="Answer with this status (problem+json)")
    body: dict[str, JsonValue] | None = Field(
        default=None, description="Fields merged into the problem+json body (code, detail, errors, …)")
    headers: dict[str, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, description="Extra response headers, e.g. Retry-After")
    delay_ms: int = Field(default=0, ge=0, le=120_000, description="Wait this long first (then answer or pass on)")
    times: int | None = Field(default=None, ge=1, lt=2**31,  # a 32-bit column (PostgreSQL integer)
                              description="Fire on the first N matching calls only")
    probability: float | None = Field(default=None, gt=0, le=1, description="Fire on this share of matching calls")
    seed: int | None = Field(default=None, ge=0, lt=2**31,
                             description="Seed for probability (generated and reported when absent)")
    drop_connection: bool = Field(default=False, description="Close the connection without any answer")

    def to_new(self) -> faults.NewFault:
        return faults.NewFault(
            method=self.method, path=self.path, status=self.status, problem=self.body, headers=self.headers,
            delay_ms=self.delay_ms, times=self.times, probability=self.probability, seed=self.seed,
            drop_connection=self.drop_connection)


FAULT_EXAMPLES = {
    "first call fails": {"value": {"method": "POST", "path": "/staffMembers", "status": 503, "times": 1,
                                   "headers": {"Retry-After": "1"}}},
    "slow reads": {"value": {"method": "GET", "delayMs": 1500}},
    "flaky network": {"value": {"probability": 0.2, "seed": 42, "dropConnection": True}},
    "custom problem": {"value": {"path": "/staffMembers/*/position", "status": 409,
                                 "body": {"code": "position_in_use", "detail": "Position is linked"}}},
}


@router.post("/districts/{appName}/faults", status_code=201,
             summary="Add fault rules for the district's BOI calls (one rule or a list)",
             response_model=list[FaultRule], response_model_exclude_unset=True)
def add_faults(session: SessionDep, appName: str,
               body: Annotated[FaultIn | list[FaultIn], Body(openapi_examples=FAULT_EXAMPLES)]
               ) -> Any:
    district = districts.get(session, appName)
    rules = body if isinstance(body, list) else [body]
    created = [faults.add(session, district, rule.to_new()) for rule in rules]
    return [faults.row(rule) for rule in created]


@router.get("/districts/{appName}/faults", summary="The district's fault rules, with how often each matched and fired",
            response_model=list[FaultRule], response_model_exclude_unset=True)
def list_faults(session: SessionDep, appName: str) -> Any:
    district = districts.get(session, appName)
    return [faults.row(rule) for rule in faults.list_rules(session, district.id)]


@router.delete("/districts/{appName}/faults", status_code=204, summary="Remove every fault rule of the district")
def clear_faults(session: SessionDep, appName: str) -> Response:
    faults.clear(session, districts.get(session, appName).id)
    return Response(status_code=204)


@router.delete("/districts/{appName}/faults/{faultId}", status_code=204, summary="Remove one fault rule")
def delete_fault(session: SessionDep, appName: str, faultId: int) -> Response:
    faults.remove(session, districts.get(session, appName).id, faultId)
    return Response(status_code=204)
