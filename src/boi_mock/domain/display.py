"""How the Campus UI writes a date and a time: one format each, on every page (issue 17 item 9).

Dates as Campus does, MM/DD/YYYY; timestamps as the Validation Report's "Generated on 05/08/2023 07:57:36 AM"
(UTC here, and said so). The UI's Jinja filters `campus_date` / `campus_timestamp` and any text the UI or a
Campus message builds use these, never `isoformat()`. Wire formats (the API, CSV and JSON downloads) stay ISO.
"""

from __future__ import annotations

from datetime import date, datetime


def display_date(value: date | datetime | str | None) -> str:
    """MM/DD/YYYY; an ISO date or timestamp string is read first; text that is no date is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed: date = date.fromisoformat(value[:10])
        except ValueError:
            return value
    else:
        parsed = value
    return f"{parsed.month:02d}/{parsed.day:02d}/{parsed.year:04d}"


def display_timestamp(value: datetime | str | None) -> str:
    """MM/DD/YYYY hh:mm:ss AM UTC."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    else:
        parsed = value
    return parsed.strftime("%m/%d/%Y %I:%M:%S %p") + " UTC"
