"""The resilience action: limits and the pydantic model of its editable properties.

An action is sent and returned as a GeoJSON Feature (RFC 7946). Its ``properties`` are
checked by :class:`ActionIn`; its ``geometry`` by :mod:`geo.actions.geometry`. The server
owns ``id``, ``version``, ``kelurahan`` (derived spatially) and the created/updated fields:
clients may send them back unchanged (a GET, edit, PUT round trip) and they are ignored.
Its pillar and status are the vocabulary's (:mod:`geo.vocabulary`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from geo.params import parse_iso_date
from geo.vocabulary import Pillar, Status

MAX_TITLE = 200
"""Longest title, in characters."""
MAX_DESCRIPTION = 5_000
"""Longest description, in characters."""
MAX_AGENCY = 200
"""Longest lead agency or partner name, in characters."""
MAX_PARTNERS = 50
"""Most partners one action may list."""
MAX_GOAL = 50
"""Longest strategy goal code, in characters."""
MAX_UNIT_CODES = 300
"""Most kelurahan/kecamatan codes one action may name (DKI has 267 kelurahan)."""
MAX_BUDGET_IDR = 10**15
"""Largest budget in rupiah (one quadrillion; DKI's yearly budget is about 8 x 10^13)."""

SERVER_FIELDS = frozenset(
    {"id", "version", "kelurahan", "created_by", "created_at", "updated_by", "updated_at"}
)
"""Properties the server owns: ignored when a client sends them."""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters refused in text (tab, line feed and carriage return are kept)."""


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain the NUL character")
    found = _CONTROL.search(value)
    if found is not None:
        raise ValueError(
            f"text must not contain control characters (found {found.group()!a} at "
            f"character {found.start() + 1}); tab and line breaks are fine"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank (spaces only)")
    return _clean_text(value)


class ActionIn(BaseModel):
    """The editable properties of an action (the ``properties`` of its GeoJSON Feature).

    Text never holds NUL, other control characters (tab and line breaks are fine in the
    description) or lone surrogates. Title, strategy goal, lead agency and each partner
    must not be blank: spaces only count as empty.

    Attributes
    ----------
    title : str
        1 to 200 characters, not blank.
    description : str
        Up to 5,000 characters; stored verbatim (HTML or SQL in it is just text).
    pillar : Pillar
        ``siap``, ``sehat`` or ``terhubung``.
    strategy_goal : str, optional
        A goal code of the resilience strategy, 1 to 50 characters, not blank.
    lead_agency : str
        The agency leading the action, 1 to 200 characters, not blank.
    partners : list of str
        Up to 50 partner names, each 1 to 200 characters, not blank.
    status : Status
        ``planned`` (default), ``in_progress``, ``done`` or ``cancelled``.
    progress : int
        Percent done, 0 to 100.
    budget_idr : int, optional
        Budget in whole rupiah, 0 to 10^15.
    start_date, end_date : date, optional
        ISO dates (``YYYY-MM-DD``, digits 0-9, years 0001 to 9999); the end may not be
        before the start.
    unit_codes : list of str
        Kelurahan (``31.71.01.1001``) or kecamatan (``31.71.01``) codes, used instead of a
        geometry.
    """

    model_config = ConfigDict(extra="forbid")

    title: StrictStr = Field(min_length=1, max_length=MAX_TITLE)
    description: StrictStr = Field(default="", max_length=MAX_DESCRIPTION)
    pillar: Pillar
    strategy_goal: StrictStr | None = Field(default=None, min_length=1, max_length=MAX_GOAL)
    lead_agency: StrictStr = Field(min_length=1, max_length=MAX_AGENCY)
    partners: list[
        Annotated[StrictStr, Field(min_length=1, max_length=MAX_AGENCY), AfterValidator(_not_blank)]
    ] = Field(default_factory=list, max_length=MAX_PARTNERS)
    status: Status = Status.planned
    progress: StrictInt = Field(default=0, ge=0, le=100)
    budget_idr: StrictInt | None = Field(default=None, ge=0, le=MAX_BUDGET_IDR)
    start_date: date | None = None
    end_date: date | None = None
    unit_codes: list[StrictStr] = Field(default_factory=list, max_length=MAX_UNIT_CODES)

    @field_validator("pillar", "status", mode="before")
    @classmethod
    def _enum_from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise ValueError("must be a string")
        return value

    @field_validator("start_date", "end_date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str):
            raise ValueError("must be an ISO date string like 2025-01-31")
        return parse_iso_date(value)

    @field_validator("title", "lead_agency", "strategy_goal")
    @classmethod
    def _single_text(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value)

    @field_validator("description")
    @classmethod
    def _text(cls, value: str) -> str:
        return _clean_text(value)

    @model_validator(mode="after")
    def _dates_in_order(self) -> ActionIn:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError(f"end_date {self.end_date} is before start_date {self.start_date}")
        return self


def property_errors(props: Any) -> tuple[ActionIn | None, list[dict[str, str]]]:
    """Validate a Feature's ``properties``.

    Parameters
    ----------
    props : Any
        The decoded ``properties`` member.

    Returns
    -------
    tuple of (ActionIn or None, list of dict)
        The model when valid, and every field error as ``{"field", "message"}`` with fields
        named ``properties.<name>`` (``properties.end_date`` for a date-order error).
    """
    if not isinstance(props, dict):
        return None, [{"field": "properties", "message": "must be a JSON object"}]
    data = {k: v for k, v in props.items() if k not in SERVER_FIELDS}
    try:
        return ActionIn.model_validate(data), []
    except PydanticValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ())]
            field = ".".join(["properties", *loc]) if loc else "properties.end_date"
            message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            errors.append({"field": field, "message": message})
        return None, errors
