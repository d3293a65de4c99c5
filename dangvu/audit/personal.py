"""Everything held about one member, gathered from every app for that member's own download.

Each app holding records about members says what they are in its own `personal_data.py`, a
function `records_of(member) -> list[Section]` that follows the app's rule of what a member may
see of their own records. This module finds those functions by that name: an app added later
adds its module and nothing else, and no module here knows the apps.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

MODULE = "personal_data"


@dataclass
class Section:
    """One kind of record: a title, its columns (key, label) and a row per record."""

    key: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Attachment:
    """An uploaded file that goes into the download beside the data (an essay's file)."""

    name: str
    file: models.fields.files.FieldFile


# a column: a field name (its verbose name is the label), (name, label) or (name, label, getter)
Column = str | tuple[str, str] | tuple[str, str, Callable]


def shown(obj, name: str):
    """A field's value as a person reads it: a choice's label, a related row's name."""
    f = obj._meta.get_field(name)
    value = getattr(obj, name)
    if f.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(f, models.FileField):
        return Attachment(getattr(obj, "file_name", "") or value.name.rsplit("/", 1)[-1], value) if value else None
    if f.is_relation:
        return str(value) if value is not None else None
    return value


def section(key: str, title, model, objects: Iterable, columns: list[Column]) -> Section:
    """A Section of `objects` (rows of `model`): each column labelled with its field's verbose
    name unless given one, and read with `shown` unless it has a getter of its own."""
    heads, getters = [], []
    for column in columns:
        name, label, getter = (*(column if isinstance(column, tuple) else (column,)), None, None)[:3]
        text = str(label if label is not None else model._meta.get_field(name).verbose_name)
        heads.append((name, text[:1].upper() + text[1:]))
        getters.append(getter or (lambda obj, name=name: shown(obj, name)))
    rows = [{name: get(obj) for (name, _label), get in zip(heads, getters, strict=True)} for obj in objects]
    return Section(key=key, title=str(title), columns=heads, rows=rows)


def sources() -> list[Callable]:
    """Each installed app's `personal_data.records_of`, by the module's POSITION (the record
    itself first, the change log last), then in the order of INSTALLED_APPS."""
    found = []
    for n, config in enumerate(apps.get_app_configs()):
        if module_has_submodule(config.module, MODULE):
            module = import_module(f"{config.name}.{MODULE}")
            found.append((getattr(module, "POSITION", 50), n, module.records_of))
    return [records_of for _position, _n, records_of in sorted(found, key=lambda f: f[:2])]


def sections_of(member) -> list[Section]:
    return [s for records_of in sources() for s in records_of(member)]
