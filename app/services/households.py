"""Placeholder (households feature): staff households and their locations (HH-1..5)."""

from __future__ import annotations

from app import models as m
from app.schemas.staff import HouseholdIn, HouseholdOut
from app.services.context import DistrictContext


def apply_household(ctx: DistrictContext, person: m.Person, household: HouseholdIn | None, *,
                    creating: bool, last_name: str) -> None:
    """Apply the HR system's household data to the person (HH-1..5). No-op until implemented."""


def household_out(ctx: DistrictContext, person: m.Person) -> HouseholdOut | None:
    """The person's household as the staff member object shows it; None when none."""
    return None
