"""How to exercise each rule of the coverage catalogue (`boi_mock.domain.coverage.RULES`): one sentence each.

Shown by the Campus UI's coverage checklist beside every rule an integration has not exercised yet.
`tests/unit/test_coverage_catalogue.py` checks that every rule has exactly one.
"""

from __future__ import annotations

HOW_TO: dict[str, str] = {
    "AUTH-3": "Call any BOI endpoint with an expired or missing token (advance the district clock past the token's "
              "lifetime) and check that your client gets a new token and retries.",
    "REF-1": "GET /schools, as your integration should before it sends positions.",
    "REF-2": "GET /attributes/genders to map your HR genders to Campus codes.",
    "REF-3": "GET /attributes/assignmentCodes to map your HR job codes.",
    "REF-4": "GET /attributes/titles to map your HR titles (it grows when a new title code is sent).",
    "STAFF-1": "POST /staffMembers without lastName, or with an SSN that is not 9 digits, and handle the 400 "
               "naming the field.",
    "STAFF-2": "Send a gender code Campus does not have and handle the 400 unknown_gender.",
    "STAFF-3": "GET /staffMembers?lastName=… to find staff, paging with limit and offset.",
    "STAFF-4": "GET /staffMembers/{staffNumber} for a staff number Campus has, and for one it does not (404).",
    "STAFF-5": "POST /staffMembers for a new hire, then again with the same staff number and handle the 409 "
               "staff_exists by updating instead.",
    "STAFF-6": "PUT /staffMembers/{staffNumber} with only the fields that changed (null clears one).",
    "STAFF-7": "Search for a person who has a staff number but no position: Campus answers isStaff false.",
    "IDENT-1": "PUT a new lastName (a marriage) and check the old identity was end-dated.",
    "IDENT-2": "PUT a new phone, email or birthdate: the current identity changes in place.",
    "IDENT-3": "PUT the same name in other letter case or spacing: Campus sees no name change.",
    "EMP-1": "Create a staff member with employments (a rehire has several).",
    "EMP-2": "PUT the complete employments list with a terminationDate on one of them.",
    "POS-1": "Send a position without titleCode and assignmentCode and handle the 400.",
    "POS-2": "Send a position at a school number Campus does not have and handle the 400 unknown_school.",
    "POS-3": "Send an assignment code Campus does not have and handle the 400 unknown_assignment_code.",
    "POS-4": "Send a position whose endDate is before its startDate: Campus stores it as sent.",
    "POS-5": "Send a titleCode Campus does not have, with its titleDescription: the title is created.",
    "POS-6": "POST /staffMembers/{staffNumber}/position to add a district assignment.",
    "POS-7": "PUT /staffMembers/{staffNumber}/position to end-date a position, and handle the 404 "
             "position_not_found when nothing matches.",
    "POS-8": "PUT a staff member's complete positions list leaving one out (try one linked to other Campus "
             "records: 409 position_in_use).",
    "ADDR-1": "Send fullStreetAddress together with street parts and handle the 400 address_parts_conflict.",
    "ADDR-2": "Send a PO box address with a street and handle the 400 po_box_with_street_parts.",
    "ADDR-3": "Send a fullStreetAddress (or parts that need re-parsing), and one Campus cannot parse (400).",
    "ADDR-4": "Send an address Campus already holds, spelled differently (Avenue / Ave): it is matched.",
    "ADDR-5": "Send a household address as parts: Campus matches it exactly, after re-parsing, or creates it.",
    "ADDR-6": "GET /addresses?fullStreetAddress=…&city=…&state=… to look an address up before sending it.",
    "HH-1": "Create a staff member with a household and a location.",
    "HH-2": "PUT a staff member who is alone in a staff household with a new address (a move).",
    "HH-3": "PUT household data for a staff member who shares a household with others: it is ignored (200).",
    "HH-4": "Send a household without name or flags: Campus fills in the defaults.",
    "HH-5": "Turn the household preference off (control API preferences) and send household data.",
    "SYNC-1": "POST /staffMembers/sync/start, and call a later step before start to see the 409.",
    "SYNC-2": "POST /staffMembers/sync/transfer with up to 1000 staff a call (and a number twice: 400).",
    "SYNC-3": "POST /staffMembers/sync/end after the transfers (before any: 409 nothing_transferred).",
    "SYNC-4": "POST /staffMembers/sync/validate and read the report (GET /staffMembers/sync/report).",
    "SYNC-5": "Change Campus after validating (a PUT, say) and commit: handle the 409 validation_stale.",
    "SYNC-6": "POST /staffMembers/sync/commit and read which staff succeeded and which failed.",
    "SYNC-7": "POST /staffMembers/sync/submitCommitJob and poll GET /staffMembers/sync/commitJobStatus.",
    "SYNC-10": "Validate a sync: the report counts Campus staff as persons.",
    "ERR-1": "Make any call fail (an unknown school, say) and read the district's Error Log.",
    "NOTE-1": "Add an HR-Staff notification with a recipient (Campus UI or scenario), then create or update staff.",
}
