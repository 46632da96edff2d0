"""Business Office Notifications (NOTE-1): events put messages in the recipients' Message Center.

Types: "HR-Staff" (staff created, staff updated, district assignments updated) and "HR Sync Commit".
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, func, select, update
from sqlalchemy.orm import Session

from boi_mock import models as m
from boi_mock.errors import BadRequest, NotFound
from boi_mock.services.context import DistrictContext

HR_STAFF = "HR-Staff"
HR_SYNC_COMMIT = "HR Sync Commit"
TYPES = (HR_STAFF, HR_SYNC_COMMIT)
STAFF_CREATED = "staff created"
STAFF_UPDATED = "staff updated"
ASSIGNMENTS_UPDATED = "district assignments updated"
SYNC_COMMITTED = "sync commit finished"
# NOTE-2: a recipient added without tool rights to District Employment or District Assignments.
NO_TOOL_RIGHTS = "recipient_without_tool_rights"

# Built once (it runs on every staff write): building a select() costs more than SQLite takes to run it.
_RECIPIENTS = (select(m.NotificationRecipient.campus_user_id)
               .join(m.Notification, m.Notification.id == m.NotificationRecipient.notification_id)
               .where(m.Notification.district_id == bindparam("district_id"),
                      m.Notification.type == bindparam("type")))


def notify(ctx: DistrictContext, notification_type: str, event: str, subject: str, body: str) -> int:
    """Deliver one message to every recipient of every notification of this type; returns how many."""
    users = recipients(ctx, notification_type)
    now = ctx.clock.now()
    for user_id in users:
        ctx.session.add(m.Message(
            district_id=ctx.district_id, campus_user_id=user_id, notification_type=notification_type,
            event=event, subject=subject, body=body, created_at=now, read=False,
        ))
    if users:
        ctx.fire(f"NOTE-1 {notification_type}: {event}")
    return len(users)


def recipients(ctx: DistrictContext, notification_type: str) -> list[int]:
    """The Campus users who get a message of this type: each once, in the order the notifications list them."""
    return list(dict.fromkeys(ctx.session.scalars(_RECIPIENTS, {"district_id": ctx.district_id,
                                                                "type": notification_type})))


# --- Business Office Notifications tool: the Campus users, notification CRUD, Message Center -------------


def campus_users(session: Session, district_id: int) -> list[m.CampusUser]:
    return list(session.scalars(select(m.CampusUser).where(m.CampusUser.district_id == district_id)
                                .order_by(m.CampusUser.name, m.CampusUser.id)))


def campus_user(ctx: DistrictContext, user_id: int) -> m.CampusUser:
    user = ctx.session.get(m.CampusUser, user_id)
    if user is None or user.district_id != ctx.district_id:
        raise NotFound(f"Campus user {user_id} does not exist in this district", code="campus_user_not_found")
    return user


def list_notifications(ctx: DistrictContext) -> list[m.Notification]:
    return list(ctx.session.scalars(
        select(m.Notification).where(m.Notification.district_id == ctx.district_id).order_by(m.Notification.id)))


def get_notification(ctx: DistrictContext, notification_id: int) -> m.Notification:
    note = ctx.session.get(m.Notification, notification_id)
    if note is None or note.district_id != ctx.district_id:
        raise NotFound(f"Notification {notification_id} does not exist", code="notification_not_found")
    return note


def recipient_ids(note: m.Notification) -> list[int]:
    return [r.campus_user_id for r in note.recipients]


def eligible_recipients(users: list[m.CampusUser]) -> list[m.CampusUser]:
    """NOTE-2: what the Recipients drop-down offers: users with tool rights to District Employment and/or
    District Assignments."""
    return [u for u in users if u.may_receive_notifications]


def no_tool_rights_message(name: str, username: str) -> str:
    return (f"{name} ({username}) cannot be a recipient: only Campus users with tool rights to "
            f"{m.DISTRICT_EMPLOYMENT} and/or {m.DISTRICT_ASSIGNMENTS} can be (NOTE-2)")


def _check(ctx: DistrictContext, notification_type: str, user_ids: list[int],
           already: frozenset[int] = frozenset()) -> list[int]:
    """The recipients to keep. A recipient added now must have the tool rights (NOTE-2); one the notification
    already has stays (it was added under the rules of its time)."""
    if notification_type not in TYPES:
        raise BadRequest.field("type", "unknown_notification_type",
                               f"Notification type {notification_type!r} is not one of {', '.join(TYPES)}")
    wanted = list(dict.fromkeys(user_ids))
    users = {u.id: u for u in campus_users(ctx.session, ctx.district_id)}
    unknown = [i for i in wanted if i not in users]
    if unknown:
        raise BadRequest.field("recipients", "unknown_campus_user",
                               f"Campus user {unknown[0]} is not a user of this district")
    refused = [users[i] for i in wanted if i not in already and not users[i].may_receive_notifications]
    if refused:
        raise BadRequest.field("recipients", NO_TOOL_RIGHTS, no_tool_rights_message(refused[0].name,
                                                                                   refused[0].username))
    return wanted


def create_notification(ctx: DistrictContext, notification_type: str, user_ids: list[int]) -> m.Notification:
    """New: a type and at least one recipient (a notification without recipients does not exist, NOTE-1)."""
    wanted = _check(ctx, notification_type, user_ids)
    if not wanted:
        raise BadRequest.field("recipients", "recipients_required", "Pick at least one recipient")
    note = m.Notification(district_id=ctx.district_id, type=notification_type)
    note.recipients = [m.NotificationRecipient(district_id=ctx.district_id, campus_user_id=i) for i in wanted]
    ctx.session.add(note)
    ctx.session.flush()
    return note


def update_notification(ctx: DistrictContext, notification_id: int, notification_type: str,
                        user_ids: list[int]) -> m.Notification | None:
    """Change the type and the recipients; removing every recipient deletes the notification (NOTE-1)."""
    note = get_notification(ctx, notification_id)
    wanted = _check(ctx, notification_type, user_ids, frozenset(recipient_ids(note)))
    if not wanted:
        delete_notification(ctx, notification_id)
        return None
    note.type = notification_type
    keep = [r for r in note.recipients if r.campus_user_id in wanted]
    have = {r.campus_user_id for r in keep}
    note.recipients = keep + [m.NotificationRecipient(district_id=ctx.district_id, campus_user_id=i)
                              for i in wanted if i not in have]
    ctx.session.flush()
    return note


def remove_recipient(ctx: DistrictContext, notification_id: int, user_id: int) -> m.Notification | None:
    """The X next to a recipient; the last one going deletes the notification (NOTE-1)."""
    note = get_notification(ctx, notification_id)
    remaining = [i for i in recipient_ids(note) if i != user_id]
    return update_notification(ctx, notification_id, note.type, remaining)


def delete_notification(ctx: DistrictContext, notification_id: int) -> None:
    note = get_notification(ctx, notification_id)
    ctx.session.delete(note)
    ctx.session.flush()
    ctx.fire("NOTE-1 notification deleted")


def _of_user(ctx: DistrictContext, user_id: int) -> list[ColumnElement[bool]]:
    return [m.Message.district_id == ctx.district_id, m.Message.campus_user_id == user_id]


def message_count(ctx: DistrictContext, user_id: int) -> int:
    return int(ctx.session.scalar(select(func.count(m.Message.id)).where(*_of_user(ctx, user_id))) or 0)


def messages(ctx: DistrictContext, user_id: int, *, limit: int = 50, offset: int = 0) -> list[m.Message]:
    """A page of a Campus user's Message Center, newest first (the page counts come from message_count)."""
    campus_user(ctx, user_id)
    return list(ctx.session.scalars(
        select(m.Message).where(*_of_user(ctx, user_id)).order_by(m.Message.id.desc()).limit(limit).offset(offset)))


def unread_count(ctx: DistrictContext, user_id: int) -> int:
    return int(ctx.session.scalar(
        select(func.count(m.Message.id)).where(*_of_user(ctx, user_id), m.Message.read.is_(False))) or 0)


def mark_read(ctx: DistrictContext, user_id: int, message_ids: list[int] | None = None) -> int:
    """Mark the user's messages (all of them, however many, or the given ones) read; returns how many changed."""
    campus_user(ctx, user_id)
    stmt = update(m.Message).where(*_of_user(ctx, user_id), m.Message.read.is_(False))
    if message_ids is not None:
        stmt = stmt.where(m.Message.id.in_(message_ids))
    result = ctx.session.execute(stmt.values(read=True), execution_options={"synchronize_session": False})
    return int(getattr(result, "rowcount", 0) or 0)
