"""boi-mock from plain Python, no pytest: e.g. a CI job next to `docker compose up`.

    BOI_MOCK_URL=http://127.0.0.1:8080 python examples/quickstart.py
"""

from __future__ import annotations

import os

from boi_mock.client import BoiApiError, BoiClient, MockControl

SCENARIO = {
    "schools": [{"schoolNumber": "010", "name": "Lincoln Elementary"}],
    "genders": [{"code": "F", "name": "Female"}, {"code": "M", "name": "Male"}],
    "assignmentCodes": [{"code": "20", "name": "Classroom Teacher"}],
}


def main() -> None:
    url = os.environ.get("BOI_MOCK_URL", "http://127.0.0.1:8080")
    with MockControl(url, admin_token=os.environ.get("BOI_MOCK_ADMIN_TOKEN")) as control:
        credentials = control.create_district(SCENARIO)  # a fresh district: appName and secret generated
        district = control.district(credentials.app_name)
        try:
            with BoiClient(credentials.base_url, credentials.app_name, credentials.client_id,
                           credentials.client_secret) as boi:
                print("schools:", [s.name for s in boi.schools()])
                pat = boi.create_staff({"staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat",
                                        "positions": [{"schoolNumber": "010", "assignmentCode": "20",
                                                       "startDate": "2024-08-01"}]})
                print("created:", pat.staff_number, pat.person_id, "isStaff:", pat.is_staff)
                try:
                    boi.create_staff({"staffNumber": "90001", "lastName": "Simpson", "firstName": "Pat"})
                except BoiApiError as error:
                    print("again:", error.status, error.code)
            for entry in reversed(district.journal()):
                print("journal:", entry.method, entry.path.rsplit("/", 1)[-1], entry.status, entry.rules)
        finally:
            district.delete()


if __name__ == "__main__":
    main()
