"""Business Office Notifications (NOTE-1) and each Campus user's Message Center."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from boi_mock.admin.deps import Ui, UiDep
from boi_mock.admin.paging import Pager
from boi_mock.admin.render import redirect, render
from boi_mock.errors import NotFound
from boi_mock.services import notifications as svc

router = APIRouter()
TYPE_HELP = {
    svc.HR_STAFF: "When the HR system creates a staff member, updates one, or updates district assignments.",
    svc.HR_SYNC_COMMIT: "When a staff synchronization commit (job) ends.",
}
Recipients = Annotated[list[int], Form()]
MESSAGES_PER_PAGE = 25


def _form(ui: Ui, template_note: object | None, chosen: list[int], note_type: str) -> Response:
    """The Recipients list offers only users with the tool rights (NOTE-2), plus those already chosen."""
    eligible = {u.id for u in svc.eligible_recipients(ui.users)}
    offered = [u for u in ui.users if u.id in eligible or u.id in chosen]
    return render(ui.request, "notification_form.html", {
        "nav": "notifications", "note": template_note, "chosen": chosen, "note_type": note_type,
        "types": svc.TYPES, "type_help": TYPE_HELP, "offered": offered,
        "not_offered": len(ui.users) - len(offered),
    }, ui=ui)


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(ui: UiDep) -> Response:
    users = {u.id: u for u in ui.users}
    rows = [(n, [users[i] for i in svc.recipient_ids(n) if i in users]) for n in svc.list_notifications(ui.ctx)]
    return render(ui.request, "notifications.html", {"nav": "notifications", "rows": rows,
                                                     "type_help": TYPE_HELP}, ui=ui)


@router.get("/notifications/new", response_class=HTMLResponse)
def new_notification_form(ui: UiDep) -> Response:
    return _form(ui, None, [], svc.HR_STAFF)


@router.post("/notifications/new")
def create_notification(ui: UiDep, type: Annotated[str, Form()], recipients: Recipients = []) -> Response:  # noqa: B006
    note = svc.create_notification(ui.ctx, type, recipients)
    return redirect(ui.request, ui.links("notifications"),
                    notice=f"Notification {note.type} saved with {len(note.recipients)} recipient(s).")


@router.get("/notifications/{notification_id}", response_class=HTMLResponse)
def edit_notification_form(ui: UiDep, notification_id: int) -> Response:
    note = svc.get_notification(ui.ctx, notification_id)
    return _form(ui, note, svc.recipient_ids(note), note.type)


@router.post("/notifications/{notification_id}")
def update_notification(ui: UiDep, notification_id: int, type: Annotated[str, Form()],
                        recipients: Recipients = []) -> Response:  # noqa: B006
    note = svc.update_notification(ui.ctx, notification_id, type, recipients)
    if note is None:
        return redirect(ui.request, ui.links("notifications"),
                        notice="All recipients were removed, so the notification was deleted.")
    return redirect(ui.request, ui.links("notifications"), notice=f"Notification {note.type} saved.")


@router.post("/notifications/{notification_id}/recipients/{user_id}/remove")
def remove_recipient(ui: UiDep, notification_id: int, user_id: int) -> Response:
    ui.back_to("notifications", notification_id)
    note = svc.remove_recipient(ui.ctx, notification_id, user_id)
    if note is None:
        return redirect(ui.request, ui.links("notifications"),
                        notice="The last recipient was removed, so the notification was deleted.")
    return redirect(ui.request, ui.links("notifications", notification_id), notice="Recipient removed.")


@router.post("/notifications/{notification_id}/delete")
def delete_notification(ui: UiDep, notification_id: int) -> Response:
    svc.delete_notification(ui.ctx, notification_id)
    return redirect(ui.request, ui.links("notifications"), notice="Notification deleted.")


@router.get("/messages", response_class=HTMLResponse)
def message_center(ui: UiDep, user: int | None = None, page: int = 1) -> Response:
    """Newest first, MESSAGES_PER_PAGE a page; the counts above the list are of all the user's messages."""
    target = svc.campus_user(ui.ctx, user) if user is not None else ui.user
    if target is None:
        raise NotFound("This district has no Campus users", code="campus_user_not_found")
    user_id = target.id
    pager = Pager.of(svc.message_count(ui.ctx, user_id), page, MESSAGES_PER_PAGE,
                     lambda n: ui.links("messages", user=user_id, page=n if n > 1 else None))
    return render(ui.request, "messages.html", {
        "nav": "messages", "target": target, "pager": pager,
        "messages": svc.messages(ui.ctx, user_id, limit=pager.per_page, offset=pager.offset),
        "unread": svc.unread_count(ui.ctx, user_id),
    }, ui=ui)


@router.post("/messages/{user_id}/read")
def mark_messages_read(ui: UiDep, user_id: int) -> Response:
    changed = svc.mark_read(ui.ctx, user_id)
    return redirect(ui.request, ui.links("messages", user=user_id), notice=f"{changed} message(s) marked read.")
