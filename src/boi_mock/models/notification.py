from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boi_mock.db import Base
from boi_mock.models._columns import DistrictRow

# The Campus tools whose rights make a user a possible notification recipient (guide, Business Office
# Notifications: "users must have tool rights to District Employment and/or District Assignments").
DISTRICT_EMPLOYMENT = "District Employment"
DISTRICT_ASSIGNMENTS = "District Assignments"


class CampusUser(DistrictRow, Base):
    """A Campus user of the district, with a Message Center.

    Its tool rights to District Employment and District Assignments decide whether it can be a notification
    recipient (NOTE-2: the guide's Recipients drop-down offers only users with at least one of them).
    """

    __tablename__ = "campus_user"
    __table_args__ = (UniqueConstraint("district_id", "username"),)

    username: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    district_employment_rights: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    district_assignments_rights: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def tool_rights(self) -> list[str]:
        """The rights by the guide's tool names, as a scenario writes them."""
        return [name for name, held in ((DISTRICT_EMPLOYMENT, self.district_employment_rights),
                                        (DISTRICT_ASSIGNMENTS, self.district_assignments_rights)) if held]

    @property
    def may_receive_notifications(self) -> bool:
        return self.district_employment_rights or self.district_assignments_rights


class Notification(DistrictRow, Base):
    """Business Office Notification (NOTE-1): type HR-Staff or HR Sync Commit, with recipients."""

    __tablename__ = "notification"

    type: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[list[NotificationRecipient]] = relationship(cascade="all, delete-orphan")


class NotificationRecipient(DistrictRow, Base):
    __tablename__ = "notification_recipient"
    __table_args__ = (UniqueConstraint("notification_id", "campus_user_id"),)

    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notification.id", ondelete="CASCADE"), index=True
    )
    campus_user_id: Mapped[int] = mapped_column(ForeignKey("campus_user.id", ondelete="CASCADE"), index=True)


class Message(DistrictRow, Base):
    """A message delivered to a Campus user's Message Center."""

    __tablename__ = "message"

    campus_user_id: Mapped[int] = mapped_column(ForeignKey("campus_user.id", ondelete="CASCADE"), index=True)
    notification_type: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read: Mapped[bool] = mapped_column(Boolean, default=False)
