"""Deterministic generator for the demo district 7634-MO and a matching HR export.

Run ``python tools/generate_demo.py`` to (re)write ``boi_mock/seed/demo-7634-MO.json`` (a scenario document,
CONTRACT §9) and ``boi_mock/seed/hr-export-demo.json`` (an array of HR staff member objects, CONTRACT §4).
Transferring the HR export into the demo district and validating it (SYNC-2..SYNC-4) is meant to give
a report shaped like the "Staff Synchronization Validation Report" in the vendor's guide; the counts it
is built to produce are in ``INTENDED`` (also printed, and listed in src/boi_mock/seed/README.md).

Everything comes from one seed (Faker's own seeded instance for names, ``random.Random`` for the rest);
nothing reads the clock, so every run writes the same bytes (for a given Faker version).
"""

from __future__ import annotations

import copy
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from faker import Faker

JSON = dict[str, Any]

# Where the package ships its seed scenarios (boi_mock.settings.PACKAGE_SEED_DIR; no import: no server needed).
PACKAGE_SEED_DIR = Path(__file__).resolve().parent.parent / "src" / "boi_mock" / "seed"

SEED = 7634
APP_NAME = "7634-MO"
CLIENT_ID = "Business Office Administration ClientID"
CLIENT_SECRET = "Dm7634MoBoiDemoSecret0f4c2a9b81e7d35a6c0"
SCENARIO_FILE = "demo-7634-MO.json"
HR_FILE = "hr-export-demo.json"
WORK_EMAIL_DOMAIN = "school.k12.mo.us"

# --- Campus population -----------------------------------------------------------------------------
N_NUMBERED_STAFF = 893  # unique staff numbers 10000-19999
N_STAFF_PARENTS = 30  # of those: parents of students, members of a shared (non-staff) household (HH-3)
N_STAFF_WITHOUT_POSITION = 5  # of those: staff number but no position (STAFF-7)
DUPLICATE_STAFF_NUMBERS = {"30001": 2, "30002": 2, "30003": 3}  # 7 persons (SYNC-4/SYNC-9/SYNC-10)
N_STAFF_WITHOUT_NUMBER = 39  # positions and employments, no staff number
N_STUDENTS = 1500
N_PARENTS = 600
N_TWO_ADULT_HOUSEHOLDS = 120
N_ONE_ADULT_HOUSEHOLDS = N_PARENTS + N_STAFF_PARENTS - 2 * N_TWO_ADULT_HOUSEHOLDS
N_PAST_STAFF_LOCATIONS = 20  # staff households with an end-dated earlier location
N_PO_BOX_MAILING = 5  # non-staff households with a PO Box as their mailing location

# --- HR export groups (disjoint sets of uniquely numbered Campus staff) ----------------------------
# Demographic differences: what real syncs show, one correction per staff member (a married name change
# brings its new work e-mail). A few rows stay genuinely different people on one staff number (a mismatch the
# district must sort out before committing). Rows per kind, in the order they are given out:
DEMOGRAPHIC_KINDS = {
    "married name": 5,  # new last name (HR's, upper case); Campus keeps the old one as identity history (IDENT-1)
    "married name + work e-mail": 3,  # ... and the new name's work e-mail
    "hyphenated name": 2,  # "LOPEZ-HART"
    "birthdate corrected": 5,  # day and month swapped, or two year digits transposed, at data entry
    "new work e-mail": 3,  # a new address at the district's domain
    "work e-mail added": 2,  # Campus had none
    "gender corrected": 3,  # Campus's was keyed wrong
    "middle initial added": 5,  # Campus had no middle name
    "SSN typo fixed": 4,  # two adjacent digits transposed in Campus
    "SSN added": 2,  # Campus had none
    "new cell phone": 2,
    "other phone added": 1,
    "mismatched person": 3,  # a different person on the same staff number: every identity field differs
}
N_DEMOGRAPHIC = sum(DEMOGRAPHIC_KINDS.values())  # 40
# The report's per-field columns, in the guide's order (boi_mock.domain.sync_report.BY_FIELD).
BY_FIELD = ("ssn", "staffNumber", "name", "gender", "personalEmail", "workEmail", "cellPhone", "otherPhone",
            "workPhone", "birthdate")
N_EMPLOYMENT = 40
N_ASSIGNMENT = 40
N_ADDRESS_DIFFERENT = 41  # 39 new street addresses + 2 PO boxes
N_ADDRESS_PO_BOX = 2
N_ADDRESS_EQUIVALENT = 40  # long-form / upper-case spellings of the Campus address: NOT differences
N_HR_STAFF_PARENTS = 10  # HH-3: household ignored on commit; sent equal to Campus anyway
N_HR_PLAIN = 139  # identical except upper-case names (IDENT-3: not a difference)
N_HR_NEW = 4  # HR staff not in Campus

CHANGE_DATE = "2025-12-19"

SCHOOLS: list[tuple[str, str, str]] = [
    ("010", "Central High School", "H"),
    ("020", "Northview High School", "H"),
    ("030", "Pershing Middle School", "M"),
    ("040", "Jefferson Middle School", "M"),
    ("050", "Truman Middle School", "M"),
    ("060", "Lincoln Elementary", "E"),
    ("070", "Washington Elementary", "E"),
    ("080", "Boyd Elementary", "E"),
    ("090", "Cherokee Elementary", "E"),
    ("100", "Harrison Elementary", "E"),
    ("110", "Sunshine Elementary", "E"),
    ("120", "Wilder Elementary", "E"),
    ("130", "Mark Twain Elementary", "E"),
    ("140", "Early Childhood Center", "E"),
    ("900", "District Office", "D"),
]

ASSIGNMENT_CODES: list[tuple[str, str]] = [
    ("01", "Superintendent"),
    ("02", "Assistant Superintendent/Central Office Administrator"),
    ("10", "Principal"),
    ("11", "Assistant Principal"),
    ("20", "Classroom Teacher"),
    ("21", "Special Education Teacher"),
    ("22", "English Learner/Reading Specialist"),
    ("30", "School Counselor"),
    ("31", "Library Media Specialist"),
    ("33", "Student Services Specialist"),
    ("40", "School Nurse"),
    ("50", "Paraprofessional"),
    ("60", "Clerical/Secretarial"),
    ("70", "Custodial/Maintenance"),
    ("80", "Food Service"),
    ("90", "Transportation"),
    ("95", "Coach/Activity Sponsor"),
]

# (title, assignment code, school kinds, weight); weight 0 = never a primary position.
ROLES: list[tuple[str, str, str, int]] = [
    ("Superintendent", "01", "D", 0),
    ("Assistant Superintendent", "02", "D", 0),
    ("Director of Human Resources", "02", "D", 0),
    ("Principal", "10", "EMH", 0),
    ("Assistant Principal", "11", "MH", 0),
    ("Athletic Director", "11", "H", 0),
    ("Kindergarten Teacher", "20", "E", 24),
    ("Grade 1 Teacher", "20", "E", 24),
    ("Grade 2 Teacher", "20", "E", 24),
    ("Grade 3 Teacher", "20", "E", 24),
    ("Grade 4 Teacher", "20", "E", 22),
    ("Grade 5 Teacher", "20", "E", 22),
    ("Math Teacher", "20", "MH", 30),
    ("English Teacher", "20", "MH", 30),
    ("Science Teacher", "20", "MH", 26),
    ("Social Studies Teacher", "20", "MH", 24),
    ("Spanish Teacher", "20", "MH", 8),
    ("Art Teacher", "20", "EMH", 10),
    ("Music Teacher", "20", "EMH", 10),
    ("Physical Education Teacher", "20", "EMH", 14),
    ("Band Director", "20", "MH", 4),
    ("Choir Director", "20", "MH", 4),
    ("Special Education Teacher", "21", "EMH", 30),
    ("ELL Teacher", "22", "EMH", 8),
    ("Reading Specialist", "22", "E", 8),
    ("Instructional Coach", "20", "EMH", 0),
    ("Substitute Teacher", "20", "EMH", 12),
    ("School Counselor", "30", "EMH", 14),
    ("Library Media Specialist", "31", "EMH", 10),
    ("School Psychologist", "33", "D", 4),
    ("Speech-Language Pathologist", "33", "E", 6),
    ("School Nurse", "40", "EMH", 12),
    ("Paraprofessional", "50", "EMH", 60),
    ("Administrative Assistant", "60", "EMHD", 24),
    ("Registrar", "60", "MH", 4),
    ("Custodian", "70", "EMH", 40),
    ("Maintenance Technician", "70", "D", 12),
    ("Food Service Worker", "80", "EMH", 36),
    ("Bus Driver", "90", "D", 30),
    ("Varsity Basketball", "95", "H", 0),
    ("Head Football Coach", "95", "H", 0),
    ("Assistant Football Coach", "95", "H", 0),
    ("Varsity Volleyball", "95", "H", 0),
    ("Cross Country Coach", "95", "MH", 0),
    ("Track and Field Coach", "95", "MH", 0),
]
COACH_TITLES = [r[0] for r in ROLES if r[1] == "95"]
FIXED_TITLE_CODES = {"Varsity Basketball": "4A61E262"}

EMPLOYMENT = "District Employment"
ASSIGNMENTS = "District Assignments"
# Campus users and their tool rights (NOTE-2: only users with District Employment and/or District Assignments
# rights can be notification recipients): HR and the business office have them, a registrar and a front-office
# clerk do not.
USERS: list[tuple[str, str, list[str]]] = [
    ("mpostma", "Postma, Madison", [EMPLOYMENT, ASSIGNMENTS]),
    ("akline", "Kline, Andrea", [EMPLOYMENT]),
    ("dreyes", "Reyes, Daniel", [ASSIGNMENTS]),
    ("tnguyen", "Nguyen, Thanh", []),
    ("bharper", "Harper, Brooke", [EMPLOYMENT, ASSIGNMENTS]),
    ("jwhitfield", "Whitfield, James", []),
]

# USPS Publication 28 forms used in the scenario and their long spellings (for HR variants).
DIRECTIONS = {
    "N": "North",
    "S": "South",
    "E": "East",
    "W": "West",
    "NE": "Northeast",
    "NW": "Northwest",
    "SE": "Southeast",
    "SW": "Southwest",
}
SUFFIXES = {
    "St": "Street",
    "Ave": "Avenue",
    "Rd": "Road",
    "Dr": "Drive",
    "Ln": "Lane",
    "Ct": "Court",
    "Blvd": "Boulevard",
    "Pl": "Place",
    "Ter": "Terrace",
    "Cir": "Circle",
    "Trl": "Trail",
    "Pkwy": "Parkway",
}
STREET_NAMES = [
    "Lexington",
    "Walnut",
    "Cherry",
    "Elm",
    "Chestnut",
    "Sunshine",
    "Battlefield",
    "Glenstone",
    "Kansas",
    "Grand",
    "Fremont",
    "National",
    "Pershing",
    "Campbell",
    "Jefferson",
    "Kearney",
    "Division",
    "Catalpa",
    "Cedar",
    "Sycamore",
    "Hickory",
    "Oak",
    "Maple",
    "Pine",
    "Willow",
    "Dogwood",
    "Redbud",
    "Magnolia",
    "Bellview",
    "Ridgecrest",
    "Brookside",
    "Fairway",
    "Lakewood",
    "Woodland",
    "Prairie",
    "Bluebell",
    "Harvest",
    "Timber",
    "Portland",
    "Kingsley",
    "Delmar",
    "Benton",
    "Madison",
    "Monroe",
    "Barnes",
    "Holland",
    "Cardinal",
    "Sequoia",
    "Primrose",
    "Cottonwood",
    "Linden",
    "Aspen",
    "Briarwood",
    "Stonegate",
    "Wildwood",
    "Farmington",
    "Greenwood",
    "Rosewood",
    "Pheasant",
    "Hollister",
    "Evergreen",
    "Riverbend",
    "Sunset",
    "Highland",
    "Tanglewood",
    "Bradford",
    "Westwood",
    "Golden",
    "Clay",
    "Loren",
    "Seminole",
    "Cherokee",
]
CITIES: list[tuple[str, list[str], int]] = [  # city, zip codes, weight
    ("Springfield", ["65802", "65803", "65804", "65806", "65807", "65809", "65810"], 12),
    ("Nixa", ["65714"], 3),
    ("Ozark", ["65721"], 3),
    ("Republic", ["65738"], 2),
    ("Battlefield", ["65619"], 1),
    ("Willard", ["65781"], 1),
    ("Strafford", ["65757"], 1),
]
N_APARTMENT_BUILDINGS = 30


@dataclass
class Street:
    prefix: str | None
    name: str
    tag: str
    direction: str | None
    city: str
    zip: str


@dataclass
class Demo:
    scenario: JSON
    hr: list[JSON]
    intended: dict[str, Any]
    counts: dict[str, int]


def _d(value: date) -> str:
    return value.isoformat()


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def dump_scenario(doc: JSON) -> str:
    """One list item per line: small diffs, readable, and far smaller than indent=2."""
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f"  {json.dumps(key)}: [")
            lines.extend(
                "    " + _compact(item) + ("," if j < len(value) - 1 else "") for j, item in enumerate(value)
            )
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {_compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def dump_array(items: list[JSON]) -> str:
    return "[\n" + ",\n".join("  " + _compact(item) for item in items) + "\n]\n"


def address_key(address: JSON) -> tuple[str, ...]:
    """ADDR-4 matching key of a canonical scenario address."""
    parts = ("postOfficeBox", "number", "prefix", "street", "tag", "direction", "apt", "zip")
    return tuple(str(address.get(p) or "").lower() for p in parts)


def street_line(
    address: JSON, *, long_form: bool = False, upper: bool = False, designator: str = "Apt"
) -> str:
    """Render a canonical address's street line, optionally spelled out (North, Avenue, Apartment)."""
    if address.get("postOfficeBox"):
        line = f"PO Box {address['number']}"
    else:
        words = [str(address["number"])]
        if address.get("prefix"):
            words.append(DIRECTIONS[address["prefix"]] if long_form else address["prefix"])
        words.append(address["street"])
        words.append(SUFFIXES[address["tag"]] if long_form else address["tag"])
        if address.get("direction"):
            words.append(DIRECTIONS[address["direction"]] if long_form else address["direction"])
        if address.get("apt"):
            words.append(f"#{address['apt']}" if designator == "#" else f"{designator} {address['apt']}")
        line = " ".join(words)
    return line.upper() if upper else line


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.used_addresses: set[tuple[str, ...]] = set()
        self.used_ssns: set[str] = set()
        self.used_work_emails: set[str] = set()
        self.used_personal_emails: set[str] = set()
        self.used_po_boxes: set[str] = set()
        self.next_ref = 1
        self.title_codes = self._title_codes()
        self.streets = self._streets()
        self.buildings = self._buildings()
        self.school_phones = {s[0]: self.phone() for s in SCHOOLS}

    # --- reference data -------------------------------------------------------------------------
    def _title_codes(self) -> dict[str, str]:
        codes: dict[str, str] = {}
        taken = set(FIXED_TITLE_CODES.values())
        for title, _code, _kinds, _weight in ROLES:
            if title in FIXED_TITLE_CODES:
                codes[title] = FIXED_TITLE_CODES[title]
                continue
            while True:
                code = f"{self.rng.getrandbits(32):08X}"
                if code not in taken and not code.isdigit():
                    taken.add(code)
                    codes[title] = code
                    break
        return codes

    def _streets(self) -> list[Street]:
        streets: list[Street] = []
        weights = [c[2] for c in CITIES]
        for name in STREET_NAMES:
            city, zips, _w = self.rng.choices(CITIES, weights=weights)[0]
            prefix = self.rng.choice(["N", "S", "E", "W"]) if self.rng.random() < 0.45 else None
            direction = None
            if prefix is None and self.rng.random() < 0.12:
                direction = self.rng.choice(["NE", "NW", "SE", "SW"])
            tag = self.rng.choice(list(SUFFIXES))
            streets.append(Street(prefix, name, tag, direction, city, self.rng.choice(zips)))
        return streets

    def _buildings(self) -> list[tuple[Street, str]]:
        buildings: list[tuple[Street, str]] = []
        for _ in range(N_APARTMENT_BUILDINGS):
            street = self.rng.choice(self.streets)
            buildings.append((street, str(self.rng.randrange(100, 4000))))
        return buildings

    def reference_data(self) -> JSON:
        return {
            "schools": [{"schoolNumber": n, "name": name} for n, name, _k in SCHOOLS],
            "genders": [
                {"code": "F", "name": "Female"},
                {"code": "M", "name": "Male"},
                {"code": "X", "name": "Non-binary"},
            ],
            "assignmentCodes": [{"code": c, "name": name} for c, name in ASSIGNMENT_CODES],
            "titles": [
                {"titleCode": self.title_codes[title], "description": title} for title, *_rest in ROLES
            ],
            "users": [{"username": u, "name": n, "toolRights": rights} for u, n, rights in USERS],
        }

    # --- small values ---------------------------------------------------------------------------
    def ref(self) -> str:
        ref = f"p{self.next_ref}"
        self.next_ref += 1
        return ref

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def school_start(self, year: int) -> date:
        return date(year, 8, self.rng.randint(8, 20))

    def phone(self) -> str:
        return f"(417) {self.rng.randint(200, 989)}-{self.rng.randrange(10000):04d}"

    def ssn(self) -> str:
        while True:
            area = self.rng.randint(100, 665)
            value = f"{area:03d}{self.rng.randint(1, 99):02d}{self.rng.randint(1, 9999):04d}"
            if value not in self.used_ssns:
                self.used_ssns.add(value)
                return value

    @staticmethod
    def _local(text: str) -> str:
        return re.sub(r"[^a-z]", "", text.lower())

    def _unused_work_email(self, base: str) -> str:
        """base@ the district's domain, or base2@, base3@ … when taken; then taken."""
        email, n = f"{base}@{WORK_EMAIL_DOMAIN}", 1
        while email in self.used_work_emails:
            n += 1
            email = f"{base}{n}@{WORK_EMAIL_DOMAIN}"
        self.used_work_emails.add(email)
        return email

    def work_email(self, first: str, last: str) -> str:
        return self._unused_work_email(self._local(first)[:1] + self._local(last))

    def dotted_work_email(self, first: str, last: str) -> str:
        """The district's newer address form (first.last@), as HR sends it after a change."""
        return self._unused_work_email(f"{self._local(first)}.{self._local(last)}")

    def personal_email(self, first: str, last: str) -> str:
        domain = self.rng.choice(["example.com", "example.net", "example.org"])
        base = f"{self._local(first)}.{self._local(last)}"
        email = f"{base}@{domain}"
        while email in self.used_personal_emails:
            email = f"{base}{self.rng.randint(2, 99)}@{domain}"
        self.used_personal_emails.add(email)
        return email

    def gender(self, adult: bool) -> str:
        return self.rng.choices(["F", "M", "X"], weights=[58, 40, 2] if adult else [49, 49, 2])[0]

    def first_name(self, gender: str) -> str:
        if gender == "F":
            return str(self.fake.first_name_female())
        if gender == "M":
            return str(self.fake.first_name_male())
        return str(self.fake.first_name_nonbinary())

    def middle_name(self, gender: str) -> str | None:
        roll = self.rng.random()
        if roll < 0.5:
            return self.first_name(gender)
        if roll < 0.7:
            return self.rng.choice("ABCDEFGHJKLMNPRSTW")
        return None

    # --- addresses ------------------------------------------------------------------------------
    def _claim(self, address: JSON) -> bool:
        key = address_key(address)
        if key in self.used_addresses:
            return False
        self.used_addresses.add(key)
        return True

    def address(self, *, apartment_share: float = 0.12) -> JSON:
        while True:
            if self.rng.random() < apartment_share:
                street, number = self.rng.choice(self.buildings)
                apt = self.rng.choice(
                    [
                        str(self.rng.randint(1, 48)),
                        f"{self.rng.randint(1, 3)}{self.rng.randint(1, 24):02d}",
                        f"{self.rng.randint(1, 12)}{self.rng.choice('ABCD')}",
                    ]
                )
            else:
                street, number, apt = self.rng.choice(self.streets), str(self.rng.randrange(100, 6000)), None
            address: JSON = {"number": number}
            if street.prefix:
                address["prefix"] = street.prefix
            address["street"] = street.name
            address["tag"] = street.tag
            if street.direction:
                address["direction"] = street.direction
            if apt:
                address["apt"] = apt
            address.update({"city": street.city, "state": "MO", "zip": street.zip})
            if self._claim(address):
                return address

    def po_box(self) -> JSON:
        while True:
            city, zips, _w = self.rng.choice(CITIES)
            address: JSON = {
                "postOfficeBox": True,
                "number": str(self.rng.randint(10, 9999)),
                "city": city,
                "state": "MO",
                "zip": zips[0],
            }
            if self._claim(address):
                return address

    @staticmethod
    def location(
        address: JSON,
        start: str,
        *,
        end: str | None = None,
        mailing: bool = True,
        physical: bool = True,
        secondary: bool = False,
    ) -> JSON:
        return {
            "address": address,
            "startDate": start,
            "endDate": end,
            "mailing": mailing,
            "physical": physical,
            "secondary": secondary,
            "private": False,
        }

    # --- persons --------------------------------------------------------------------------------
    def person(self, *, staff_number: str | None, kind: str, last_name: str | None = None) -> JSON:
        """kind: staff, student or parent."""
        adult = kind != "student"
        gender = self.gender(adult)
        first = self.first_name(gender)
        last = last_name or str(self.fake.last_name())
        if kind == "staff":
            birth = self.day(date(1958, 1, 1), date(2001, 12, 31))
        elif kind == "parent":
            birth = self.day(date(1968, 1, 1), date(1996, 12, 31))
        else:
            birth = self.day(date(2007, 9, 1), date(2021, 8, 31))
        p: JSON = {
            "ref": self.ref(),
            "staffNumber": staff_number,
            "lastName": last,
            "firstName": first,
            "middleName": self.middle_name(gender),
            "gender": gender,
            "birthdate": _d(birth),
        }
        ssn_share = {"staff": 0.85, "parent": 0.3, "student": 0.25}[kind]
        if self.rng.random() < ssn_share:
            p["ssn"] = self.ssn()
        if kind == "staff":
            p["workPhone"] = None
            p["cellPhone"] = self.phone() if self.rng.random() < 0.9 else None
            p["otherPhone"] = self.phone() if self.rng.random() < 0.1 else None
            p["workEmail"] = self.work_email(first, last) if self.rng.random() < 0.9 else None
            p["personalEmail"] = self.personal_email(first, last) if self.rng.random() < 0.5 else None
        elif kind == "parent":
            p["cellPhone"] = self.phone() if self.rng.random() < 0.85 else None
            p["personalEmail"] = self.personal_email(first, last) if self.rng.random() < 0.6 else None
        elif birth < date(2011, 1, 1) and self.rng.random() < 0.4:
            p["cellPhone"] = self.phone()
        return p

    def pick_role(self) -> tuple[str, str, str]:
        """A weighted primary role and a school where it exists: (title, assignment code, school)."""
        weighted = [r for r in ROLES if r[3] > 0]
        title, code, kinds, _w = self.rng.choices(weighted, weights=[r[3] for r in weighted])[0]
        schools = [s[0] for s in SCHOOLS if s[2] in kinds]
        return title, code, self.rng.choice(schools)

    def position(
        self,
        title: str | None,
        code: str | None,
        school: str,
        start: str,
        end: str | None = None,
        *,
        linked: bool = False,
    ) -> JSON:
        return {
            "schoolNumber": school,
            "assignmentCode": code,
            "titleCode": self.title_codes[title] if title else None,
            "startDate": start,
            "endDate": end,
            "linked": linked,
        }

    def staff_work(
        self, p: JSON, *, role: tuple[str, str, str] | None = None, with_positions: bool = True
    ) -> date:
        """Employments and positions for a staff member; returns the hire date."""
        hire_year = self.rng.choices(range(1994, 2026), weights=[1] * 12 + [2] * 10 + [3] * 10)[0]
        hire = (
            self.school_start(hire_year)
            if self.rng.random() < 0.8
            else self.day(date(hire_year, 1, 5), date(hire_year, 12, 15))
        )
        employments: list[JSON] = []
        if self.rng.random() < 0.08 and hire_year > 2000:
            old_hire = self.school_start(self.rng.randint(1990, hire_year - 6))
            old_term = date(self.rng.randint(old_hire.year + 1, hire_year - 2), 5, self.rng.randint(20, 31))
            employments.append({"hireDate": _d(old_hire), "terminationDate": _d(old_term)})
        employments.append({"hireDate": _d(hire), "terminationDate": None})
        p["employments"] = employments
        if not with_positions:
            p["positions"] = []
            return hire
        title, code, school = role or self.pick_role()
        teacher = code in {"20", "21", "22"}
        # Best practice is both codes (POS-1); some districts' data has only one.
        roll = self.rng.random()
        use_code, use_title = (code, title) if roll < 0.85 else (code, None) if roll < 0.95 else (None, title)
        positions: list[JSON] = []
        start = hire
        if hire_year < 2021 and self.rng.random() < 0.15:  # transferred from another school
            moved = self.rng.randint(hire_year + 1, 2024)
            other = (
                self.rng.choice([s[0] for s in SCHOOLS if s[0] != school and s[2] != "D"])
                if school != "900"
                else school
            )
            positions.append(
                self.position(
                    use_title,
                    use_code,
                    other,
                    _d(hire),
                    _d(date(moved, 5, 31)),
                    linked=teacher and self.rng.random() < 0.6,
                )
            )
            start = self.school_start(moved)
        positions.append(
            self.position(use_title, use_code, school, _d(start), linked=teacher and self.rng.random() < 0.5)
        )
        kind = next(s[2] for s in SCHOOLS if s[0] == school)
        if teacher and kind in "MH" and self.rng.random() < 0.2:
            kinds_of = {r[0]: r[2] for r in ROLES}
            coach = self.rng.choice([t for t in COACH_TITLES if kind in kinds_of[t]])
            coach_start = self.school_start(self.rng.randint(max(start.year, 2005), 2025))
            coach_end = _d(date(coach_start.year + 1, 5, 31)) if self.rng.random() < 0.3 else None
            positions.append(
                self.position(
                    coach, "95" if self.rng.random() < 0.5 else None, school, _d(coach_start), coach_end
                )
            )
        p["positions"] = positions
        if p.get("workPhone") is None and self.rng.random() < 0.6:
            p["workPhone"] = self.school_phones[school]
        return hire

    def staff_household(self, p: JSON, start: date, *, past: bool = False) -> JSON:
        locations: list[JSON] = []
        begin = _d(start)
        if past:
            old_start = self.day(date(1985, 6, 1), start - timedelta(days=400))
            moved = self.day(old_start + timedelta(days=200), start - timedelta(days=1))
            locations.append(self.location(self.address(), _d(old_start), end=_d(moved - timedelta(days=1))))
            begin = _d(moved)
        locations.append(self.location(self.address(), begin))
        return {
            "name": f"{p['lastName']} Household",
            "phone": p.get("cellPhone") or self.phone(),
            "staffHousehold": True,
            "members": [p["ref"]],
            "locations": locations,
        }


def _hr_address(address: JSON) -> JSON:
    return {k: v for k, v in address.items()}


def hr_member(person: JSON, household: JSON | None) -> JSON:
    """The HR system's view of a Campus person: the same values, names in upper case (IDENT-3)."""
    hr: JSON = {"staffNumber": person["staffNumber"]}
    for key in ("lastName", "firstName", "middleName"):
        value = person.get(key)
        hr[key] = value.upper() if isinstance(value, str) else None
    for key in (
        "gender",
        "ssn",
        "birthdate",
        "workPhone",
        "cellPhone",
        "otherPhone",
        "workEmail",
        "personalEmail",
    ):
        hr[key] = person.get(key)
    hr["employments"] = copy.deepcopy(person.get("employments", []))
    hr["positions"] = [{k: v for k, v in pos.items() if k != "linked"} for pos in person.get("positions", [])]
    if household is not None:
        current = next(loc for loc in household["locations"] if loc["endDate"] is None)
        location = copy.deepcopy(current)
        location["address"] = _hr_address(current["address"])
        hr["household"] = {
            "name": household["name"],
            "phone": household["phone"],
            "householdLocations": [location],
        }
    return hr


def build(seed: int = SEED) -> Demo:
    g = Generator(seed)
    rng = g.rng
    ref_data = g.reference_data()
    persons: list[JSON] = []
    households: list[JSON] = []
    household_of: dict[str, JSON] = {}

    def add_household(h: JSON) -> None:
        households.append(h)
        for member in h["members"]:
            household_of[member] = h

    # Numbered staff (10000-19999), the last ones being parents / number-only persons.
    numbers = sorted(rng.sample(range(10000, 20000), N_NUMBERED_STAFF + N_HR_NEW))
    new_hr_numbers = [str(n) for n in rng.sample(numbers, N_HR_NEW)]
    campus_numbers = [str(n) for n in numbers if str(n) not in new_hr_numbers]
    special = rng.sample(range(N_NUMBERED_STAFF), N_STAFF_PARENTS + N_STAFF_WITHOUT_POSITION)
    parent_idx = set(special[:N_STAFF_PARENTS])
    no_position_idx = set(special[N_STAFF_PARENTS:])
    past_idx = set(rng.sample(sorted(set(range(N_NUMBERED_STAFF)) - parent_idx), N_PAST_STAFF_LOCATIONS))
    staff_parents: list[JSON] = []
    regular_staff: list[JSON] = []
    staff7: list[JSON] = []
    for i, number in enumerate(campus_numbers):
        p = g.person(staff_number=number, kind="staff")
        if i in no_position_idx:
            hire = g.staff_work(p, with_positions=False)
            if rng.random() < 0.6:  # a retiree kept in Campus with their number
                p["employments"][-1]["terminationDate"] = _d(date(rng.randint(hire.year + 1, 2025), 5, 29))
            else:
                p["employments"] = []
            staff7.append(p)
        else:
            hire = g.staff_work(p)
        persons.append(p)
        if i in parent_idx:
            staff_parents.append(p)
        else:
            add_household(g.staff_household(p, hire, past=i in past_idx))
            if i not in no_position_idx:
                regular_staff.append(p)

    # Dirty data: duplicate staff numbers, staff without a staff number.
    duplicate_groups: dict[str, list[JSON]] = {}
    for number, size in DUPLICATE_STAFF_NUMBERS.items():
        for _ in range(size):
            p = g.person(staff_number=number, kind="staff")
            hire = g.staff_work(p)
            persons.append(p)
            add_household(g.staff_household(p, hire))
            duplicate_groups.setdefault(number, []).append(p)
    unnumbered: list[JSON] = []
    for _ in range(N_STAFF_WITHOUT_NUMBER):
        p = g.person(staff_number=None, kind="staff")
        hire = g.staff_work(p)
        persons.append(p)
        add_household(g.staff_household(p, hire))
        unnumbered.append(p)

    # Families: shared, non-staff households of 2-5 members; 30 of them include a staff parent.
    adult_counts = [2] * N_TWO_ADULT_HOUSEHOLDS + [1] * N_ONE_ADULT_HOUSEHOLDS
    rng.shuffle(adult_counts)
    staff_parent_homes = set(rng.sample(range(len(adult_counts)), N_STAFF_PARENTS))
    student_counts = [1] * len(adult_counts)
    extra_slots = [i for i, a in enumerate(adult_counts) for _ in range(5 - a - 1)]
    rng.shuffle(extra_slots)
    for i in extra_slots[: N_STUDENTS - len(adult_counts)]:
        student_counts[i] += 1
    staff_parent_iter = iter(staff_parents)
    parents: list[JSON] = []
    po_box_homes = set(rng.sample(range(len(adult_counts)), N_PO_BOX_MAILING))
    for h_index, (n_adults, n_students) in enumerate(zip(adult_counts, student_counts, strict=True)):
        members: list[JSON] = []
        family = str(g.fake.last_name())
        first_adult: JSON
        if h_index in staff_parent_homes:
            first_adult = next(staff_parent_iter)
        else:
            first_adult = g.person(staff_number=None, kind="parent", last_name=family)
            persons.append(first_adult)
            parents.append(first_adult)
        family = first_adult["lastName"]
        members.append(first_adult)
        if n_adults == 2:
            second = g.person(
                staff_number=None, kind="parent", last_name=family if rng.random() < 0.7 else None
            )
            persons.append(second)
            parents.append(second)
            members.append(second)
        for _ in range(n_students):
            student = g.person(
                staff_number=None, kind="student", last_name=family if rng.random() < 0.85 else None
            )
            persons.append(student)
            members.append(student)
        start = _d(g.day(date(2005, 6, 1), date(2025, 8, 1)))
        if h_index in po_box_homes:
            locations = [
                g.location(g.address(apartment_share=0.2), start, mailing=False),
                g.location(g.po_box(), start, physical=False, secondary=True),
            ]
        else:
            locations = [g.location(g.address(apartment_share=0.2), start)]
        add_household(
            {
                "name": f"{family} Household",
                "phone": first_adult.get("cellPhone") or g.phone(),
                "staffHousehold": False,
                "members": [m["ref"] for m in members],
                "locations": locations,
            }
        )

    # Deliberate duplicate (README): one staff household shares its exact address with a family's.
    shared_family = next(h for h in households if not h["staffHousehold"] and len(h["locations"]) == 1)
    lodger = next(p for p in reversed(regular_staff) if len(household_of[p["ref"]]["locations"]) == 1)
    household_of[lodger["ref"]]["locations"][0]["address"] = copy.deepcopy(
        shared_family["locations"][0]["address"]
    )
    regular_staff.remove(lodger)

    # --- HR export -------------------------------------------------------------------------------
    pool = list(regular_staff)
    rng.shuffle(pool)
    cursor = 0

    def take(n: int) -> list[JSON]:
        nonlocal cursor
        chunk = pool[cursor : cursor + n]
        cursor += n
        return chunk

    demographic = take(N_DEMOGRAPHIC)
    employment = take(N_EMPLOYMENT)
    assignment = take(N_ASSIGNMENT)
    address_diff = take(N_ADDRESS_DIFFERENT)
    # Equivalent spellings matter most for units (Apt/Apartment/Unit/#), so interleave apartments.
    rest = pool[cursor:]
    flats = [p for p in rest if household_of[p["ref"]]["locations"][-1]["address"].get("apt")][:12]
    houses = [p for p in rest if p not in flats]
    pool[cursor:] = [p for pair in zip(flats, houses, strict=False) for p in pair] + houses[len(flats) :]
    address_same = take(N_ADDRESS_EQUIVALENT)
    plain = take(N_HR_PLAIN)
    hr_staff_parents = rng.sample(staff_parents, N_HR_STAFF_PARENTS)

    hr_rows: dict[str, JSON] = {}

    # Demographic differences: one plausible correction per staff member (DEMOGRAPHIC_KINDS). Where the
    # correction is Campus's mistake (a typo, a blank), Campus is changed first; then HR is derived from
    # Campus and the HR side of the change applied.
    kinds = [kind for kind, n in DEMOGRAPHIC_KINDS.items() for _ in range(n)]
    # Married names go to adults whose Campus gender is F where possible (the common case, not a rule).
    order = sorted(demographic, key=lambda p: (p["gender"] != "F", p["staffNumber"]))
    married = {p["staffNumber"] for p in order[: sum(n for k, n in DEMOGRAPHIC_KINDS.items() if "name" in k)]}
    demographic = [p for p in demographic if p["staffNumber"] in married] + [
        p for p in demographic if p["staffNumber"] not in married
    ]
    right: dict[str, JSON] = {}  # staff number → the values HR has right where Campus has a typo
    for p, kind in zip(demographic, kinds, strict=True):
        if kind == "birthdate corrected":
            right[p["staffNumber"]] = {"birthdate": p["birthdate"]}
            born = date.fromisoformat(p["birthdate"])
            if born.day <= 12 and born.day != born.month:  # keyed as DD/MM
                p["birthdate"] = _d(date(born.year, born.day, born.month))
            else:  # 1987 keyed as 1978
                year = born.year // 100 * 100 + born.year % 10 * 10 + born.year // 10 % 10
                year = year if year != born.year else born.year - 10
                p["birthdate"] = _d(born.replace(year=year, day=min(born.day, 28) if born.month == 2 else born.day))
        elif kind == "work e-mail added":
            p["workEmail"] = None
        elif kind == "gender corrected":
            right[p["staffNumber"]] = {"gender": p["gender"]}
            p["gender"] = {"F": "M", "M": "F"}.get(p["gender"], "F")
        elif kind == "middle initial added":
            p["middleName"] = None
        elif kind == "SSN typo fixed":
            ssn = p.get("ssn") or g.ssn()
            while not (swappable := [k for k in (5, 6, 7) if ssn[k] != ssn[k + 1]]):
                ssn = g.ssn()
            right[p["staffNumber"]] = {"ssn": ssn}
            k = rng.choice(swappable)  # in the last 4 digits: the masked SSN (AUTH/ERR masking) still shows it
            p["ssn"] = ssn[:k] + ssn[k + 1] + ssn[k] + ssn[k + 2 :]
        elif kind == "SSN added":
            p.pop("ssn", None)
        elif kind == "other phone added":
            p["otherPhone"] = None
    for p, kind in zip(demographic, kinds, strict=True):
        hr = hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
        hr.update(right.get(p["staffNumber"], {}))  # birthdate corrected, SSN typo fixed
        if kind.startswith("married name") or kind == "hyphenated name":
            while (new_last := str(g.fake.last_name())).upper() == p["lastName"].upper():
                pass
            hr["lastName"] = (f"{p['lastName']}-{new_last}" if kind == "hyphenated name" else new_last).upper()
            if kind.endswith("work e-mail"):
                hr["workEmail"] = g.dotted_work_email(p["firstName"], new_last)
        elif kind in ("new work e-mail", "work e-mail added"):
            hr["workEmail"] = g.dotted_work_email(p["firstName"], p["lastName"])
        elif kind == "middle initial added":
            hr["middleName"] = rng.choice("ABCDEFGHJKLMNPRSTW")
        elif kind == "SSN added":
            hr["ssn"] = g.ssn()
        elif kind == "new cell phone":
            while (cell := g.phone()) == p.get("cellPhone"):
                pass
            hr["cellPhone"] = cell
        elif kind == "other phone added":
            hr["otherPhone"] = g.phone()
        elif kind == "mismatched person":
            gender = g.gender(True)
            while True:
                last, first = str(g.fake.last_name()), g.first_name(gender)
                if last.upper() != p["lastName"].upper() and first.upper() != p["firstName"].upper():
                    break
            hr.update(lastName=last.upper(), firstName=first.upper(), middleName=rng.choice("ABCDEJKLMRST"),
                      gender=gender, birthdate=_d(g.day(date(1958, 1, 1), date(2001, 12, 31))), ssn=g.ssn(),
                      workEmail=g.work_email(first, last), cellPhone=g.phone())

    # What the validation report's "Demographic differences by field" counts for these rows (SYNC-4: names as
    # IDENT-3 compares them, case ignored).
    demographic_by_field = dict.fromkeys(BY_FIELD, 0)
    for p in demographic:
        hr = hr_rows[p["staffNumber"]]
        for column in BY_FIELD:
            if column == "name":
                differs = any((p.get(k) or "").upper() != (hr.get(k) or "").upper()
                              for k in ("lastName", "firstName", "middleName"))
            else:
                differs = column != "staffNumber" and p.get(column) != hr.get(column)
            demographic_by_field[column] += differs

    # Employment differences (EMP-2 shapes): termination added, earlier employment the HR has,
    # corrected hire date, termination removed (Campus had one by mistake).
    for i, p in enumerate(employment):
        if i >= 35:
            p["employments"][-1]["terminationDate"] = "2023-05-31"
        hr = hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
        last = hr["employments"][-1]
        if i < 15:
            last["terminationDate"] = CHANGE_DATE
        elif i < 25:
            first_hire = date.fromisoformat(hr["employments"][0]["hireDate"])
            old_hire = g.school_start(first_hire.year - rng.randint(6, 12))
            hr["employments"].insert(
                0, {"hireDate": _d(old_hire), "terminationDate": _d(date(old_hire.year + 2, 5, 29))}
            )
        elif i < 35:
            shift = rng.choice([-7, 1, 14])
            last["hireDate"] = _d(date.fromisoformat(last["hireDate"]) + timedelta(days=shift))
        else:
            last["terminationDate"] = None

    # Assignment differences (POS-8 shapes that never remove a position): end-dated, coaching added,
    # title-only position added.
    for i, p in enumerate(assignment):
        hr = hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
        current = (
            next(pos for pos in reversed(hr["positions"]) if pos["endDate"] is None)
            if any(pos["endDate"] is None for pos in hr["positions"])
            else hr["positions"][-1]
        )
        if i < 15:
            current["endDate"] = CHANGE_DATE
        elif i < 30:
            high = [s[0] for s in SCHOOLS if s[2] == "H"]
            school = current["schoolNumber"] if current["schoolNumber"] in high else rng.choice(high)
            hr["positions"].append(
                {
                    "schoolNumber": school,
                    "assignmentCode": "95",
                    "titleCode": g.title_codes[rng.choice(COACH_TITLES)],
                    "startDate": "2025-11-03",
                    "endDate": None,
                }
            )
        else:
            school = rng.choice([s[0] for s in SCHOOLS if s[2] != "D"])
            hr["positions"].append(
                {
                    "schoolNumber": school,
                    "assignmentCode": None,
                    "titleCode": g.title_codes["Instructional Coach"],
                    "startDate": "2026-01-05",
                    "endDate": None,
                }
            )

    # Address differences: the HR system has a new address (HH-2 would move the household).
    for i, p in enumerate(address_diff):
        hr = hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
        loc = hr["household"]["householdLocations"][0]
        loc["startDate"] = "2025-10-01"
        if i < N_ADDRESS_PO_BOX:
            loc["address"], loc["physical"] = g.po_box(), False
        else:
            new = g.address()
            loc["address"] = (
                new
                if i % 2
                else {
                    "fullStreetAddress": street_line(new),
                    "city": new["city"],
                    "state": new["state"],
                    "zip": new["zip"],
                }
            )

    # Same address written differently (ADDR-3/ADDR-4/ADDR-5): must NOT count as differences.
    designators = ["Apt", "Apartment", "Unit", "#"]
    for i, p in enumerate(address_same):
        hr = hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
        loc = hr["household"]["householdLocations"][0]
        campus = loc["address"]
        tail = {"city": campus["city"], "state": campus["state"], "zip": campus["zip"]}
        if i < 20:
            line = street_line(campus, long_form=True, designator=designators[(i // 2) % 4])
            loc["address"] = {"fullStreetAddress": line, **tail}
        elif i < 30:
            line = street_line(campus, upper=True, designator=designators[(i // 2) % 4].upper())
            loc["address"] = {"fullStreetAddress": line, **tail}
        else:
            parts: JSON = {"number": campus["number"]}
            if campus.get("prefix"):
                parts["prefix"] = DIRECTIONS[campus["prefix"]]
            parts["street"] = campus["street"]
            parts["tag"] = SUFFIXES[campus["tag"]]
            if campus.get("direction"):
                parts["direction"] = DIRECTIONS[campus["direction"]]
            if campus.get("apt"):
                parts["apt"] = f"Apt {campus['apt']}"
            loc["address"] = {**parts, **tail}

    for i, p in enumerate(plain):
        hr = hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
        if i % 3 == 0:  # canonical one-line form of the same address
            campus = hr["household"]["householdLocations"][0]["address"]
            hr["household"]["householdLocations"][0]["address"] = {
                "fullStreetAddress": street_line(campus),
                "city": campus["city"],
                "state": campus["state"],
                "zip": campus["zip"],
            }
    for p in hr_staff_parents:
        hr_rows[p["staffNumber"]] = hr_member(p, household_of[p["ref"]])
    for number, group in duplicate_groups.items():
        hr_rows[number] = hr_member(group[0], household_of[group[0]["ref"]])

    # HR staff not in Campus: a Campus parent who was hired (the guide's "Student/Parent becomes an
    # Employee" case), an unnumbered Campus staff member, and two brand-new people.
    new_people: list[JSON] = []
    hired_parent = next(
        p
        for p in parents
        if household_of[p["ref"]] is not shared_family and len(household_of[p["ref"]]["locations"]) == 1
    )
    known_unnumbered = unnumbered[0]
    for k, number in enumerate(sorted(new_hr_numbers)):
        if k == 0:
            source = copy.deepcopy(hired_parent)
            source["staffNumber"] = number
            source["employments"] = [{"hireDate": "2025-08-11", "terminationDate": None}]
            source["positions"] = [g.position("Paraprofessional", "50", "060", "2025-08-11")]
            home = copy.deepcopy(household_of[hired_parent["ref"]])
        elif k == 1:
            source = copy.deepcopy(known_unnumbered)
            source["staffNumber"] = number
            home = copy.deepcopy(household_of[known_unnumbered["ref"]])
        else:
            source = g.person(staff_number=number, kind="staff")
            g.next_ref -= 1  # not a Campus person: keep refs dense
            hired = _d(g.school_start(2025))
            source["employments"] = [{"hireDate": hired, "terminationDate": None}]
            title, code, school = g.pick_role()
            source["positions"] = [g.position(title, code, school, hired)]
            home = {
                "name": f"{source['lastName']} Household",
                "phone": source.get("cellPhone") or g.phone(),
                "locations": [g.location(g.address(), hired)],
            }
        hr = hr_member(source, home)
        hr["household"]["householdLocations"][0]["startDate"] = hr["employments"][-1]["hireDate"]
        hr_rows[number] = hr
        new_people.append(hr)

    hr_export = [hr_rows[n] for n in sorted(hr_rows)]

    scenario: JSON = {
        "appName": APP_NAME,
        "clientId": CLIENT_ID,
        "clientSecret": CLIENT_SECRET,
        "tokenLifetimeSeconds": 3600,
        "preferences": {
            "allowHouseholdUpdates": True,
            "strictUnknownProperties": True,
            "locks": {
                "staffCreation": True,
                "staffNumber": True,
                "staffDemographics": True,
                "staffEmployment": True,
                "staffEmploymentAssignments": True,
                "staffHousehold": True,
            },
        },
        **ref_data,
        "persons": persons,
        "households": households,
    }

    numbered_in_hr = sum(1 for p in persons if p["staffNumber"] is not None and p["staffNumber"] in hr_rows)
    campus_staff = [
        p for p in persons if p["staffNumber"] is not None or p.get("positions") or p.get("employments")
    ]
    not_in_hr = [p for p in campus_staff if p["staffNumber"] not in hr_rows]
    intended: dict[str, Any] = {
        "demographicDifferences": {"total": N_DEMOGRAPHIC, "byField": demographic_by_field},
        "employmentDifferences": N_EMPLOYMENT,
        "assignmentDifferences": N_ASSIGNMENT,
        "addressDifferences": N_ADDRESS_DIFFERENT,
        "hrStaffNotInCampus": N_HR_NEW,
        "campusStaffNotInHr": len(not_in_hr),
        "campusDuplicateStaffNumbers": sum(DUPLICATE_STAFF_NUMBERS.values()),
        "campusStaffWithoutStaffNumber": N_STAFF_WITHOUT_NUMBER,
        "addressesToAdd": N_ADDRESS_DIFFERENT + 2,
        "commitFailures": len(DUPLICATE_STAFF_NUMBERS),
    }
    counts = {
        "persons": len(persons),
        "households": len(households),
        "staffHouseholds": sum(1 for h in households if h["staffHousehold"]),
        "numberedStaff": sum(1 for p in persons if p["staffNumber"] is not None),
        "staffParents": N_STAFF_PARENTS,
        "staffWithoutPosition": len(staff7),
        "staffWithoutNumber": len(unnumbered),
        "students": N_STUDENTS,
        "parents": len(parents),
        "campusStaff": len(campus_staff),
        "numberedCampusStaffInHr": numbered_in_hr,
        "hrStaff": len(hr_export),
        "addressEquivalentSpellings": N_ADDRESS_EQUIVALENT,
        "schools": len(SCHOOLS),
        "assignmentCodes": len(ASSIGNMENT_CODES),
        "titles": len(ROLES),
        "users": len(USERS),
    }
    return Demo(scenario=scenario, hr=hr_export, intended=intended, counts=counts)


def write(demo: Demo, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SCENARIO_FILE).write_text(dump_scenario(demo.scenario), encoding="utf-8", newline="\n")
    (out_dir / HR_FILE).write_text(dump_array(demo.hr), encoding="utf-8", newline="\n")


def generate(out_dir: Path) -> None:
    """Write the demo scenario and the HR export into ``out_dir``."""
    write(build(), out_dir)


def main() -> None:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else PACKAGE_SEED_DIR
    demo = build()
    write(demo, out_dir)
    print(f"wrote {out_dir / SCENARIO_FILE} and {out_dir / HR_FILE}")
    for key, value in demo.counts.items():
        print(f"  {key:30} {value}")
    print("intended validation report (SYNC-4):")
    for key, value in demo.intended.items():
        print(f"  {key:30} {value}")


if __name__ == "__main__":
    main()
