"""Business Office Notifications (NOTE-1): events put messages in the recipients' Message Center.

Types: "HR-Staff" (staff created, staff updated, district assignments updated) and "HR Sync Commit".
"""

from __future__ import annotations

from sqlalchemy import select

from app import models as m
from app.clock import utcnow
from app.services.context import DistrictContext

HR_STAFF = "HR-Staff"
HR_SYNC_COMMIT = "HR Sync Commit"
TYPES = (HR_STAFF, HR_SYNC_COMMIT)
STAFF_CREATED = "staff created"
STAFF_UPDATED = "staff updated"
ASSIGNMENTS_UPDATED = "district assignments updated"
SYNC_COMMITTED = "sync commit finished"


def notify(ctx: DistrictContext, notification_type: str, event: str, subject: str, body: str) -> int:
    """Deliver one message to every recipient of every notification of this type; returns how many."""
    recipients = ctx.session.scalars(
        select(m.NotificationRecipient.campus_user_id)
        .join(m.Notification, m.Notification.id == m.NotificationRecipient.notification_id)
        .where(m.Notification.district_id == ctx.district_id, m.Notification.type == notification_type)
    ).all()
    now = utcnow()
    for user_id in dict.fromkeys(recipients):
        ctx.session.add(m.Message(
            district_id=ctx.district_id, campus_user_id=user_id, notification_type=notification_type,
            event=event, subject=subject, body=body, created_at=now, read=False,
        ))
    if recipients:
        ctx.fire(f"NOTE-1 {notification_type}: {event}")
    return len(set(recipients))
