"""The demographic fields of the wire models, derived from `domain.demographics.DEMOGRAPHICS`.

A model that carries them is declared with its other fields and decorated with `with_demographics`,
which rebuilds it with the demographic fields inserted after the named field (`create_model`: same
name, module, docstring and config, so its OpenAPI schema reads as if written out by hand). Type
checkers see the declared fields; the demographic ones are read by name (`DEMOGRAPHIC_FIELDS`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal, TypeVar, cast

from pydantic import AfterValidator, BaseModel, StringConstraints, create_model
from pydantic.fields import FieldInfo

from boi_mock.domain.demographics import DEMOGRAPHIC_FIELDS, DEMOGRAPHICS, DemographicField
from boi_mock.schemas.base import Date, Ssn, no_control_characters

M = TypeVar("M", bound=BaseModel)
# in: every field optional (create and update: STAFF-6, absent unchanged); scenario: the required ones
# required (a scenario's person has names); out: every field present, null when empty.
Mode = Literal["in", "scenario", "out"]
_BUILT: dict[type[BaseModel], tuple[str, Mode]] = {}  # each model `with_demographics` built: (after, mode)


def wire_type(f: DemographicField) -> Any:
    """How the wire checks the field (CONTRACT §1: bounded by its width, no control characters)."""
    if f.kind == "date":
        return Date
    if f.kind == "ssn":
        return Ssn
    return Annotated[str, StringConstraints(max_length=f.max_length), AfterValidator(no_control_characters)]


def definitions(mode: Mode, table: Iterable[DemographicField] = DEMOGRAPHICS) -> dict[str, Any]:
    """`create_model` field definitions for the table's fields, in its order."""
    out: dict[str, Any] = {}
    for f in table:
        if mode == "out":
            out[f.name] = (f.python_type if f.required else f.python_type | None, ...)
        elif mode == "scenario" and f.required:
            out[f.name] = (wire_type(f), ...)
        else:
            out[f.name] = (wire_type(f) | None, None)
    return out


def with_demographics(*, after: str, mode: Mode) -> Callable[[type[M]], type[M]]:
    """Rebuild the decorated model with the demographic fields after its field `after`."""
    def build(cls: type[M]) -> type[M]:
        if after not in cls.model_fields:
            raise TypeError(f"{cls.__name__} has no field {after!r} to put the demographic fields after")
        _refuse_what_a_rebuild_drops(cls)
        model = _build(cls, dict(cls.model_fields), after, mode, DEMOGRAPHICS)
        _BUILT[model] = (after, mode)
        return model
    return build


def built() -> dict[type[BaseModel], tuple[str, Mode]]:
    """Every model `with_demographics` built, with where its fields go and how (a test walks them all)."""
    return dict(_BUILT)


def derive(model: type[M], table: Iterable[DemographicField]) -> type[M]:
    """The model `with_demographics` built, as it would be from another table (a test adds a field to a copy)."""
    after, mode = _BUILT[model]
    declared = {name: info for name, info in model.model_fields.items() if name not in DEMOGRAPHIC_FIELDS}
    return _build(model, declared, after, mode, table)


def _build(cls: type[M], declared: dict[str, FieldInfo], after: str, mode: Mode,
           table: Iterable[DemographicField]) -> type[M]:
    fields: dict[str, Any] = {}
    for name, info in declared.items():
        fields[name] = (info.annotation, _declared(info))
        if name == after:
            fields.update(definitions(mode, table))
    model = cast("type[M]", create_model(cls.__name__, __base__=cls.__base__, __module__=cls.__module__,
                                         __doc__=cls.__doc__, **fields))
    model.__qualname__ = cls.__qualname__
    return model


def _refuse_what_a_rebuild_drops(cls: type[BaseModel]) -> None:
    """The rebuilt model keeps the declared fields, docstring and config, not methods or validators of the
    declared class: refuse those rather than lose them silently (put them on a base class instead)."""
    own = [name for name, value in vars(cls).items() if callable(value) and not name.startswith("__")]
    decorators = cls.__pydantic_decorators__
    parent = cls.__base__
    base = parent.__pydantic_decorators__ if parent is not None and issubclass(parent, BaseModel) else None
    for kind in dataclasses.fields(decorators):
        inherited = set(getattr(base, kind.name)) if base is not None else set()
        own += [name for name in getattr(decorators, kind.name) if name not in inherited]
    if own:
        raise TypeError(f"{cls.__name__}: with_demographics would drop {', '.join(sorted(own))}; declare them on "
                        f"a base class")


def _declared(info: FieldInfo) -> FieldInfo:
    """The field as declared, without the alias the base's alias generator gave it (the rebuilt model's
    generator gives it again; a declared alias is kept)."""
    copy = FieldInfo.merge_field_infos(info)
    if info.alias_priority is not None and info.alias_priority < 2:
        copy.alias = copy.validation_alias = copy.serialization_alias = None
        copy.alias_priority = None
    return copy
