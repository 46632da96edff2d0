"""MOCK-11: a district's contract coverage — every rule a BOI call can fire, every error code and every BOI
operation, with how often the district's calls hit each since it was created or its coverage was cleared."""

from __future__ import annotations

from fastapi import APIRouter, Response

from boi_mock.control.guard import ControlRoute
from boi_mock.services import coverage, districts
from boi_mock.web.deps import SessionDep
from boi_mock.wire.control import Coverage, ErrorCodeCoverage, OperationCoverage, RuleCoverage

router = APIRouter(tags=["Mock control: contract testing"], route_class=ControlRoute)


def _wire(found: coverage.Coverage) -> Coverage:
    return Coverage(
        rules=[RuleCoverage(id=r.id, title=r.title, section=r.section, how_to=r.how_to, hits=r.hits)
               for r in found.rules],
        error_codes=[ErrorCodeCoverage(code=c.code, hits=c.hits) for c in found.error_codes],
        operations=[OperationCoverage(method=o.method, path=o.path, hits=o.hits, statuses=o.statuses)
                    for o in found.operations],
        exercised=found.exercised, total=found.total)


@router.get("/districts/{appName}/coverage", response_model=Coverage,
            summary="MOCK-11: which rules, error codes and operations the district's BOI calls exercised")
def get_coverage(session: SessionDep, appName: str) -> Coverage:
    return _wire(coverage.of_district(session, districts.get(session, appName)))


@router.delete("/districts/{appName}/coverage", status_code=204,
               summary="MOCK-11: start counting the district's coverage again (journal and Error Log kept)")
def clear_coverage(session: SessionDep, appName: str) -> Response:
    coverage.clear(session, districts.get(session, appName))
    return Response(status_code=204)
