"""The names an unknown property could have meant: the properties the model at that place knows
(the suggestion itself is `domain.suggest.did_you_mean`)."""

from __future__ import annotations

import types
from collections.abc import Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, unions, lists, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = get_origin(annotation)
    if origin is None:
        return []
    args = get_args(annotation)
    if origin is Annotated:
        return _models(args[0])
    if origin in (Union, types.UnionType, list, tuple, set, frozenset, Sequence):
        return [model for arg in args for model in _models(arg)]
    if origin is dict:
        return _models(args[1]) if len(args) == 2 else []
    return []


def known_properties(annotation: Any, loc: Sequence[int | str]) -> set[str]:
    """The wire names the model holding `loc`'s last key accepts; `loc` without the leading "body"."""
    current = _models(annotation)
    for part in loc[:-1]:
        if isinstance(part, int):
            continue  # a list item: the same models
        following: list[type[BaseModel]] = []
        for model in current:
            for name, field in model.model_fields.items():
                if part in (name, field.alias, field.validation_alias):
                    following += _models(field.annotation)
        current = following
    return {field.alias or name for model in current for name, field in model.model_fields.items()}
