"""What every API schema and list shares: bounded numbers, clean text, capped pages.

Integers a client sends are bounded (a number past 2^63 would reach the database
and fail there); text refuses control characters with the field named; a list
answers at most MAX_PAGE rows at a time. A test reads the OpenAPI document and
fails on any integer without a maximum.
"""

import datetime
import re
import typing
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import BeforeValidator, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from dangvu.lib.cleaning import CONTROL, control_character_error
from dangvu.lib.ids import MAX_ID
from dangvu.lib.periods import FIRST_YEAR, LAST_YEAR

MAX_PAGE = 500
MAX_COUNT = 10**9

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_day(value):
    """A day is written YYYY-MM-DD: a number ("0", read by pydantic as 1 January 1970) or a
    date-time is refused as not a date (422 naming the field)."""
    if value is None or (isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)):
        return value
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        return value.strip()
    raise PydanticCustomError("date_parsing", "Not a valid date; use YYYY-MM-DD.")


Day = Annotated[datetime.date, BeforeValidator(iso_day)]


def _holds_a_date(annotation) -> bool:
    return annotation is datetime.date or any(_holds_a_date(a) for a in typing.get_args(annotation))


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]


def _check_text(value: Any, field: str) -> None:
    if isinstance(value, str):
        message = control_character_error(value, field)
        if message:
            raise PydanticCustomError("control_character", message)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(item, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, field)
            _check_text(item, field)


# Text without lib.cleaning.CONTROL's characters, for the OpenAPI document: clients (and
# schemathesis) learn from the schema what text is refused. Derived, so the two cannot drift.
TEXT_PATTERN = "^[^" + CONTROL.pattern[1:] + "*$"


def _document_text_rules(schema: dict) -> None:
    """Every text property of a request body carries the pattern; unknown properties are refused."""
    schema["additionalProperties"] = False
    for prop in schema.get("properties", {}).values():
        for variant in [prop] + prop.get("anyOf", []):
            if variant.get("type") == "string" and "format" not in variant and "enum" not in variant:
                variant.setdefault("pattern", TEXT_PATTERN)


class InSchema(Schema):
    """The base of every request body: no control characters in any text, no unknown fields."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_document_text_rules)

    @field_validator("*", mode="before")
    @classmethod
    def _days_written_as_days(cls, value, info):
        field = cls.model_fields.get(info.field_name)
        return iso_day(value) if field is not None and _holds_a_date(field.annotation) else value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value, info):
        _check_text(value, info.field_name)
        return value


class Paginated(LimitOffsetPagination):
    """limit/offset with bounds: at most MAX_PAGE rows a page."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_COUNT)
