"""ORM models, one module per aggregate. Every table but `district` and `server_setting` is scoped by district."""

from app.models.district import District, DistrictScenario, ServerSetting
from app.models.errorlog import ErrorLogEntry
from app.models.fault import FaultRule
from app.models.household import Address, Household, HouseholdLocation, HouseholdMember
from app.models.job import BackgroundJob
from app.models.journal import RequestJournalEntry
from app.models.notification import CampusUser, Message, Notification, NotificationRecipient
from app.models.person import DistrictAssignment, Employment, Identity, Person
from app.models.reference import AssignmentCode, Gender, School, Title
from app.models.sync import SyncReport, SyncRun, SyncStagingRow

__all__ = [
    "Address",
    "AssignmentCode",
    "BackgroundJob",
    "CampusUser",
    "District",
    "DistrictAssignment",
    "DistrictScenario",
    "Employment",
    "ErrorLogEntry",
    "FaultRule",
    "Gender",
    "Household",
    "HouseholdLocation",
    "HouseholdMember",
    "Identity",
    "Message",
    "Notification",
    "NotificationRecipient",
    "Person",
    "RequestJournalEntry",
    "School",
    "ServerSetting",
    "SyncReport",
    "SyncRun",
    "SyncStagingRow",
    "Title",
]
