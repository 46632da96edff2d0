"""Business Office Notifications (NOTE-1) and the Message Center."""

from __future__ import annotations

import re

from tests.support import staff_payload
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
    users = _users(campus)
    campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["mpostma"]]})
    (note_id,) = _note_ids(campus)
    form = campus.get(f"notifications/{note_id}")
    assert form.status_code == 200
    assert '<option value="HR-Staff" selected>' in form.text
    response = campus.post(f"notifications/{note_id}", {"type": "HR Sync Commit", "recipients": [users["akline"]]})
    table = element(response, "notifications")
    assert "HR Sync Commit" in table and "Kline, Andrea" in table and "Postma, Madison" not in table


def test_note1_removing_all_recipients_deletes_the_notification(campus: Campus) -> None:
    users = _users(campus)
    campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["mpostma"], users["akline"]]})
    (note_id,) = _note_ids(campus)
    response = campus.post(f"notifications/{note_id}/recipients/{users['akline']}/remove")
    assert response.url.path == campus.path(f"notifications/{note_id}")
    assert flash(response) == "Recipient removed."
    response = campus.post(f"notifications/{note_id}/recipients/{users['mpostma']}/remove")
    assert "the notification was deleted" in flash(response)
    assert _note_ids(campus) == []
    assert campus.get(f"notifications/{note_id}").status_code == 404


def test_note1_saving_with_no_recipient_deletes_it(campus: Campus) -> None:
    users = _users(campus)
    campus.post("notifications/new", {"type": "HR-Staff", "recipients": [users["mpostma"]]})
    (note_id,) = _note_ids(campus)
    response = campus.post(f"notifications/{note_id}", {"type": "HR-Staff"})
    assert "so the notification was deleted" in flash(response)
    assert _note_ids(campus) == []


def test_note1_delete_button(campus: Campus) -> None:
    users = _users(campus)
    campus.post("notifications/new", {"type": "HR Sync Commit", "recipients": [users["akline"]]})
    (note_id,) = _note_ids(campus)
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
