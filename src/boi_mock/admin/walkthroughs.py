"""Short, linked walk-throughs of the guide's scenarios, with examples picked from the district's own data.

Only for reading: each names the BOI call to make (the trainer runs it from the HR system or curl)
and links the Campus page that shows the outcome. No rule is applied here.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from boi_mock.admin.deps import Links
from boi_mock.clock import Clock
from boi_mock.domain.display import display_date
from boi_mock.services import samples
from boi_mock.settings import PACKAGE_SEED_DIR

if TYPE_CHECKING:  # row types only: the HTTP faces never query (docs/architecture.md)
    from boi_mock import models as m

# The demo HR export that ships in the package, and the district it was made for (`boi-mock sync` sends it).
DEMO_EXPORT = PACKAGE_SEED_DIR / "hr-export-demo.json"
DEMO_EXPORT_APP = "7634-MO"

# Display only: long forms to show that a differently spelled address still matches (ADDR-3/4).
_LONG_DIRECTIONS = {"N": "North", "S": "South", "E": "East", "W": "West", "NE": "Northeast",
                    "NW": "Northwest", "SE": "Southeast", "SW": "Southwest"}
_LONG_TAGS = {"Ave": "Avenue", "St": "Street", "Rd": "Road", "Ln": "Lane", "Dr": "Drive", "Ct": "Court",
              "Blvd": "Boulevard", "Cir": "Circle", "Pl": "Place", "Pkwy": "Parkway", "Ter": "Terrace",
              "Trl": "Trail", "Hwy": "Highway", "Way": "Way"}


@dataclass(frozen=True)
class ApiCall:
    """One BOI call, shown as a curl command a trainer can paste as is (after the page's token block)."""

    method: str
    path: str
    body: dict[str, Any] | list[dict[str, Any]] | None = None
    query: dict[str, str] | None = None  # sent with -G --data-urlencode: spaces and "#" need no hand-encoding
    body_file: str | None = None  # a shell word naming the JSON file to send, e.g. "$HR_EXPORT"

    @property
    def body_text(self) -> str:
        return json.dumps(self.body, indent=2) if self.body is not None else ""

    @property
    def command(self) -> str:
        """`curl -sS --fail-with-body`: an error prints its problem+json and exits non-zero, never silently."""
        path = quote(self.path, safe="/")
        url = f'"$BOI{path}"' if shlex.quote(path) == path else f'"$BOI"{shlex.quote(path)}'
        method = "-G" if self.method == "GET" else f"-X {self.method}"
        lines = [f'curl -sS --fail-with-body {method} {url} -H "Authorization: Bearer $TOKEN"']
        if self.query:
            lines.append(" ".join(f"--data-urlencode {shlex.quote(f'{k}={v}')}" for k, v in self.query.items()))
        if self.body is not None:
            lines.append(f"-H 'Content-Type: application/json' -d {shlex.quote(self.body_text)}")
        elif self.body_file is not None:
            lines.append(f"-H 'Content-Type: application/json' --data-binary @{self.body_file}")
        return " \\\n  ".join(lines)


@dataclass(frozen=True)
class Walkthrough:
    key: str
    title: str
    rules: str
    summary: str
    steps: list[str]
    calls: list[ApiCall] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    available: bool = True
    setup: str = ""  # shell lines to run before the calls (e.g. which file to send)


def _long_street(address: m.Address) -> str:
    words = [address.number, _LONG_DIRECTIONS.get(address.prefix or "", address.prefix), address.street,
             _LONG_TAGS.get(address.tag or "", address.tag), _LONG_DIRECTIONS.get(address.direction or "",
                                                                                  address.direction)]
    line = " ".join(w for w in words if w)
    return f"{line} Apartment {address.apt}" if address.apt else line


def _short_street(address: m.Address) -> str:
    words = [address.number, address.prefix, address.street, address.tag, address.direction]
    line = " ".join(w for w in words if w)
    return f"{line} #{address.apt}" if address.apt else line


def walkthroughs(session: Session, district: m.District, links: Links, clock: Clock) -> list[Walkthrough]:
    did = district.id
    today = clock.today().isoformat()
    out: list[Walkthrough] = []

    solo = samples.staff_with_position(session, did, shared_household=False)
    if solo:
        new_last = f"{solo.last_name}-Simpson"
        out.append(Walkthrough(
            "name-change", "Name change → identity history", "IDENT-1, IDENT-2, IDENT-3",
            f"{solo.first_name} {solo.last_name} ({solo.staff_number}) changes last name in the HR system.",
            ["Send the update below. Only the last name changes.",
             f"Open the staff page: the identity timeline shows the old identity end-dated and a new current "
             f"identity starting {display_date(clock.today())} (the district's date).",
             "Send the same name again in capitals: nothing changes (a case-only difference is not a change)."],
            [ApiCall("PUT", f"/staffMembers/{solo.staff_number}", {"lastName": new_last})],
            [("Staff page: identity history", links("staff", solo.person_id) + "#identities")],
        ))
    shared = samples.staff_with_position(session, did, shared_household=True)
    if shared:
        out.append(Walkthrough(
            "shared-household", "Shared household ignored", "HH-3, HH-2",
            f"{shared.first_name} {shared.last_name} ({shared.staff_number}) lives in a household with "
            "other members (e.g. their children, who are students).",
            ["Send an update with a new address.",
             "The call answers 200, but Campus ignores the household data: the students' address must not "
             "move because of an HR record.",
             "Open the staff page: the household, its members and its location are unchanged."],
            [ApiCall("PUT", f"/staffMembers/{shared.staff_number}", {"household": {"householdLocations": [
                {"address": {"fullStreetAddress": "900 W Walnut St", "city": "Springfield", "state": "MO",
                             "zip": "65806"}}]}})],
            [("Staff page: household", links("staff", shared.person_id) + "#household")],
        ))
    variant = samples.address_with_variant(session, did, _LONG_TAGS)
    if variant:
        address, resident = variant
        parts = {"fullStreetAddress": _long_street(address), "city": address.city, "state": address.state,
                 "zip": address.zip}
        query = {k: v for k, v in parts.items() if v}
        out.append(Walkthrough(
            "address-variants", "Address variants matched", "ADDR-3, ADDR-4, ADDR-5",
            f"Campus holds “{_short_street(address)}, {address.city}”. The HR system spells it "
            f"“{_long_street(address)}”.",
            ["Search for the long spelling: Campus answers with the existing address (same addressID).",
             "Create a staff member living there: the new staff household points to the existing address; "
             "no second copy is created (Campus prevents address proliferation).",
             "Open a resident's staff page and compare the address parts."],
            [ApiCall("GET", "/addresses", query=query),
             ApiCall("POST", "/staffMembers", {
                 "staffNumber": "99001", "lastName": "Variant", "firstName": "Vera",
                 "household": {"householdLocations": [{"address": dict(query)}]}})],
            [("A resident's staff page", links("staff", resident) + "#household")] if resident else [],
        ))
    if solo:
        position = samples.first_position(session, solo.person_id)
        if position is not None and position.start_date is not None:
            ident = {"schoolNumber": position.school_number,
                     **({"titleCode": position.title_code} if position.title_code else {}),
                     **({"assignmentCode": position.assignment_code} if position.assignment_code else {})}
            out.append(Walkthrough(
                "position-update", "Position update by start/end date", "POS-7",
                f"End {solo.first_name} {solo.last_name}'s district assignment at school "
                f"{position.school_number}, then correct its start date.",
                ["A position has no identifier: school plus title and/or assignment code pick it.",
                 "With a matching startDate, the endDate is set (all matching positions).",
                 "With a matching endDate instead, the startDate is set.",
                 "Open the staff page: District Assignments show the new dates."],
                [ApiCall("PUT", f"/staffMembers/{solo.staff_number}/position",
                         {**ident, "startDate": position.start_date.isoformat(), "endDate": today}),
                 ApiCall("PUT", f"/staffMembers/{solo.staff_number}/position",
                         {**ident, "startDate": position.start_date.replace(day=1).isoformat(),
                          "endDate": today})],
                [("Staff page: district assignments", links("staff", solo.person_id) + "#assignments")],
            ))
    out.append(_full_sync(district, links, solo))
    return out


def _full_sync(district: m.District, links: Links, solo: samples.Staff | None) -> Walkthrough:
    """The demo district sends the demo HR export; another district a one-person export of its own staff."""
    if district.app_name == DEMO_EXPORT_APP or solo is None:
        setup = f"HR_EXPORT={shlex.quote(str(DEMO_EXPORT))}  # the demo HR export that ships with boi-mock"
        transfer = ApiCall("POST", "/staffMembers/sync/transfer", body_file='"$HR_EXPORT"')
        what = (f"the demo HR export hr-export-demo.json, which ships in the package (made for {DEMO_EXPORT_APP}; "
                f"`boi-mock sync --app {DEMO_EXPORT_APP}` sends it through the API)")
    else:
        setup = ""
        transfer = ApiCall("POST", "/staffMembers/sync/transfer", [
            {"staffNumber": solo.staff_number, "lastName": solo.last_name, "firstName": solo.first_name}])
        what = (f"here a one-person export of {solo.first_name} {solo.last_name}; Campus staff not in the "
                "export are left untouched")
    return Walkthrough(
        "full-sync", "Full staff synchronization", "SYNC-1 … SYNC-9",
        "The one-time synchronization of every HR staff member, with the Staff Synchronization tool.",
        ["Check Campus Data: duplicate staff numbers and staff without one.",
         f"Start Sync, Start Transfer, then Transfer Staff Via File Upload (a JSON array of staff objects: {what}; "
         "or CSV), End Transfer.",
         "Validate, read the Validation Report, then Commit (or Submit Commit Job and watch the progress).",
         "Afterwards the synced staff are read-only in Campus."],
        [ApiCall("POST", "/staffMembers/sync/start"), transfer,
         ApiCall("POST", "/staffMembers/sync/end"), ApiCall("POST", "/staffMembers/sync/validate"),
         ApiCall("POST", "/staffMembers/sync/commit")],
        [("Business Office Synchronization", links("sync")), ("Check Campus Data", links("sync", "check"))],
        setup=setup,
    )
