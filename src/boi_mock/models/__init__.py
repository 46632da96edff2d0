"""ORM models, one module per aggregate. Every table but `district` and `server_setting` is scoped by district."""

from boi_mock.models.coverage import CoverageCounter
from boi_mock.models.district import District, DistrictScenario, ServerSetting
from boi_mock.models.errorlog import ErrorLogEntry
from boi_mock.models.fault import FaultRule
from boi_mock.models.household import Address, Household, HouseholdLocation, HouseholdMember
from boi_mock.models.job import BackgroundJob
from boi_mock.models.journal import RequestJournalEntry
from boi_mock.models.notification import (
    DISTRICT_ASSIGNMENTS,
    DISTRICT_EMPLOYMENT,
    CampusUser,
    Message,
    Notification,
    NotificationRecipient,
)
from boi_mock.models.person import DistrictAssignment, Employment, Identity, Person, fold_name
from boi_mock.models.reference import AssignmentCode, Gender, School, Title
from boi_mock.models.sync import SyncReport, SyncRun, SyncStagingRow

__all__ = [
    "DISTRICT_ASSIGNMENTS",
    "DISTRICT_EMPLOYMENT",
    "Address",
    "AssignmentCode",
    "BackgroundJob",
    "CampusUser",
    "CoverageCounter",
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
    "fold_name",
]
