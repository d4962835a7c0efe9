"""Views: the JSON shapes of each capability's answers, shared by the CLI and the API.

One module per capability (:mod:`~dualuse.views.screening`, :mod:`~dualuse.views.controls`,
:mod:`~dualuse.views.tracking`...): the functions that build each answer and, beside
them, the Pydantic models that describe it to the API's OpenAPI spec (``response_model=``).
The functions build plain dicts, so the JSON is the same whichever interface prints it;
the models forbid extra keys, so a function and its model cannot drift apart silently
(the API would answer 500 and the shape tests fail). Views sit above the domain packages
and storage and below the services (which store some of these shapes) and the
interfaces; they import neither a service nor an interface.
"""

from __future__ import annotations

import dataclasses
import enum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, RootModel, WithJsonSchema


def to_jsonable(value: Any) -> Any:
    """Dataclasses, enums, paths and tuples to plain JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    return value


Number = Annotated[int | float, WithJsonSchema({"type": "number"})]
"""A JSON number printed as it was given: a ``float`` field would print an int 1 as 1.0."""


class View(BaseModel):
    """Base of the response models: every key of the answer is declared."""

    model_config = ConfigDict(extra="forbid")


class Document(RootModel[dict[str, Any]]):
    """A report whose keys are many and documented in prose (each subclass names where);
    the spec names it, and the JSON passes through as built."""
