"""Business Office Notifications (NOTE-1) and the Message Center."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from boi_mock.admin.routes import notifications as notifications_routes
from tests.support import create_district, minimal_scenario, staff_payload
from tests.ui.support import Campus, element, flash, text


def _users(campus: Campus) -> dict[str, int]:
    """username → Campus user id, read from the New form's checkboxes."""
    page = campus.get("notifications/new").text
    found = re.findall(r'<input type="checkbox" id="r-(\d+)"[^>]*>\s*<label[^>]*>[^<]*<span class="hint">\((\w+)\)',
                       page)
    return {username: int(uid) for uid, username in found}


def _note_ids(campus: Campus) -> list[int]:
    found = re.findall(r'href="[^"]*/notifications/(\d+)"', campus.get("notifications").text)
    return [int(i) for i in dict.fromkeys(found)]


def _new_note(campus: Campus, note_type: str, *usernames: str) -> tuple[dict[str, int], int]:
    """A notification of `note_type` for these users made on the New form, the district's only one: the users'
    ids (as `_users`) and its id."""
    users = _users(campus)
    campus.post("notifications/new", {"type": note_type, "recipients": [users[name] for name in usernames]})
    (note_id,) = _note_ids(campus)
    return users, note_id


def test_note1_new_notification_with_recipients(campus: Campus) -> None:
    users = _users(campus)
    assert set(users) == {"mpostma", "akline"}
    response = campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["mpostma"],
                                                                                      users["akline"]]})
    assert response.url.path == campus.path("notifications")
    assert "saved with 2 recipient(s)" in flash(response)
    table = element(response, "notifications")
    assert "HR-Staff" in table and "Postma, Madison" in table and "Kline, Andrea" in table


def test_note1_unknown_type_or_no_recipient_is_refused(campus: Campus) -> None:
    users = _users(campus)
    response = campus.post("notifications/new", {"type": "Payroll", "recipients": [users["mpostma"]]})
    assert "is not one of HR-Staff, HR Sync Commit" in flash(response)
    response = campus.post("notifications/new", {"type": "HR-Staff"})
    assert "Pick at least one recipient" in flash(response)
    assert _note_ids(campus) == []


def test_note1_edit_type_and_recipients(campus: Campus) -> None:
    users, note_id = _new_note(campus, "HR-Staff", "mpostma")
    form = campus.get(f"notifications/{note_id}")
    assert form.status_code == 200
    assert '<option value="HR-Staff" selected>' in form.text
    response = campus.post(f"notifications/{note_id}", {"type": "HR Sync Commit", "recipients": [users["akline"]]})
    table = element(response, "notifications")
    assert "HR Sync Commit" in table and "Kline, Andrea" in table and "Postma, Madison" not in table


def test_note1_removing_all_recipients_deletes_the_notification(campus: Campus) -> None:
    users, note_id = _new_note(campus, "HR-Staff", "mpostma", "akline")
    response = campus.post(f"notifications/{note_id}/recipients/{users['akline']}/remove")
    assert response.url.path == campus.path(f"notifications/{note_id}")
    assert flash(response) == "Recipient removed."
    response = campus.post(f"notifications/{note_id}/recipients/{users['mpostma']}/remove")
    assert "the notification was deleted" in flash(response)
    assert _note_ids(campus) == []
    assert campus.get(f"notifications/{note_id}").status_code == 404


def test_note1_saving_with_no_recipient_deletes_it(campus: Campus) -> None:
    _ids, note_id = _new_note(campus, "HR-Staff", "mpostma")
    response = campus.post(f"notifications/{note_id}", {"type": "HR-Staff"})
    assert "so the notification was deleted" in flash(response)
    assert _note_ids(campus) == []


def test_note1_delete_button(campus: Campus) -> None:
    _ids, note_id = _new_note(campus, "HR Sync Commit", "akline")
    assert flash(campus.post(f"notifications/{note_id}/delete")) == "Notification deleted."
    assert _note_ids(campus) == []


def test_note1_message_center_shows_delivered_messages(campus: Campus) -> None:
    users = _users(campus)
    campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["akline"]]})
    assert campus.district.post("/staffMembers", staff_payload("90031", lastName="Quill")).status_code == 201
    empty = campus.get("messages", params={"user": users["mpostma"]})
    assert "No messages" in text(empty)
    inbox = campus.get("messages", params={"user": users["akline"]})
    messages = element(inbox, "messages")
    assert "HR-Staff" in messages and "Quill" in messages and "unread" in messages
    assert "1 unread" in text(inbox)
    response = campus.post(f"messages/{users['akline']}/read")
    assert "1 message(s) marked read" in flash(response)
    assert "0 unread" in text(response)


def test_message_center_defaults_to_the_signed_in_user(campus: Campus) -> None:
    response = campus.get("messages")
    assert response.status_code == 200
    assert "Message Center Postma, Madison" in text(response)
    assert campus.get("messages", params={"user": 999999}).status_code == 404


CLERK = {"username": "tnguyen", "name": "Nguyen, Thanh"}  # a Campus user without the tool rights (NOTE-2)


def _all_users(campus: Campus) -> dict[str, int]:
    """username → id of every Campus user, from the Message Center's user picker (which lists them all)."""
    found = re.findall(r'<option value="(\d+)"[^>]*>[^<]*\((\w+)\)</option>', campus.get("messages").text)
    return {username: int(uid) for uid, username in found}


def _with_clerk(client: TestClient) -> Campus:
    scenario = minimal_scenario()
    scenario["users"] = [*scenario["users"], CLERK]
    return Campus(create_district(client, scenario))


def test_note2_recipients_list_offers_only_users_with_tool_rights(client: TestClient) -> None:
    campus = _with_clerk(client)
    assert set(_users(campus)) == {"mpostma", "akline"}  # akline holds District Assignments only: enough
    assert set(_all_users(campus)) == {"mpostma", "akline", "tnguyen"}
    hint = text(campus.get("notifications/new"))
    assert "Only Campus users with tool rights to District Employment and/or District Assignments" in hint
    assert "1 user(s) without them are not listed" in hint


def test_note2_a_recipient_without_tool_rights_is_refused(client: TestClient) -> None:
    campus = _with_clerk(client)
    users = _all_users(campus)
    response = campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["mpostma"],
                                                                                      users["tnguyen"]]})
    message = flash(response)
    assert "Nguyen, Thanh (tnguyen) cannot be a recipient" in message
    assert "District Employment and/or District Assignments" in message
    assert _note_ids(campus) == []  # nothing saved
    campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["mpostma"]]})
    (note_id,) = _note_ids(campus)
    response = campus.post(f"notifications/{note_id}", {"type": "HR-Staff",
                                                         "recipients": [users["mpostma"], users["tnguyen"]]})
    assert "cannot be a recipient" in flash(response)
    assert "Nguyen, Thanh" not in element(campus.get("notifications"), "notifications")


def _inbox_of(campus: Campus, username: str, writes: int) -> int:
    """`writes` HR-Staff messages delivered to one Campus user (one staff update each); returns the user's id."""
    users = _users(campus)
    campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users[username]]})
    assert campus.district.post("/staffMembers", staff_payload("90031", lastName="Quill")).status_code == 201
    for n in range(writes - 1):
        assert campus.district.put("/staffMembers/90031", {"workPhone": f"(417) 555-{n:04d}"}).status_code == 200
    return users[username]


def test_message_center_pages_with_counts_that_agree(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 17 item 4: no silent cap. Every message is counted and reachable; the pages' rows add up."""
    monkeypatch.setattr(notifications_routes, "MESSAGES_PER_PAGE", 5)
    user = _inbox_of(campus, "akline", 12)
    first = campus.get("messages", params={"user": user})
    assert element(first, "message-count") == "12 messages, 12 unread · showing 1\u20135 (page 1 of 3)."
    assert first.text.count('class="message message-unread"') == 5
    pages = re.findall(r'aria-label="Page (\d)"', first.text)
    assert pages == ["2", "3"]
    assert 'aria-current="page">1<' in first.text
    assert 'rel="next"' in first.text and 'rel="last"' in first.text and 'rel="prev"' not in first.text
    seen: list[str] = []
    for page in (1, 2, 3):
        shown = campus.get("messages", params={"user": user, "page": page})
        seen += re.findall(r'<div class="message-body">([^<]*)</div>', shown.text)
    assert len(seen) == 12
    last = campus.get("messages", params={"user": user, "page": 3})
    assert element(last, "message-count") == "12 messages, 12 unread · showing 11\u201312 (page 3 of 3)."
    assert 'rel="prev"' in last.text and 'rel="first"' in last.text and 'rel="next"' not in last.text
    beyond = campus.get("messages", params={"user": user, "page": 99})
    assert "page 3 of 3" in element(beyond, "message-count")


def test_message_center_mark_all_read_marks_every_page(campus: Campus, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mark all read reaches the messages of every page, not only the ones shown (the old cap was 10,000)."""
    monkeypatch.setattr(notifications_routes, "MESSAGES_PER_PAGE", 5)
    user = _inbox_of(campus, "akline", 12)
    response = campus.post(f"messages/{user}/read")
    assert "12 message(s) marked read" in flash(response)
    assert element(response, "message-count").startswith("12 messages, 0 unread")
    assert "message-unread" not in campus.get("messages", params={"user": user, "page": 3}).text
    assert "0 message(s) marked read" in flash(campus.post(f"messages/{user}/read"))


def test_message_center_counts_one_message_in_the_singular(campus: Campus) -> None:
    user = _inbox_of(campus, "akline", 1)
    shown = campus.get("messages", params={"user": user})
    assert element(shown, "message-count") == "1 message, 1 unread."
    assert 'class="pager"' not in shown.text
