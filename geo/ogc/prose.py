"""Titles and descriptions of collections and properties, read from ``prose.json``.

The prose is data, shipped with the package beside this module: edit ``geo/ogc/prose.json`` to
retitle a layer or describe a new one (a layer missing there is titled by its name). Every text
is a :class:`geo.vocabulary.Text` (Bahasa Indonesia first, English second).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from geo.vocabulary import Text

PROSE_FILE = "prose.json"


@dataclass(frozen=True)
class LayerProse:
    """Title and description of a collection, and the catalogue source it comes from."""

    title: Text
    description: Text
    source: str | None = None


@lru_cache(maxsize=1)
def _prose() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(PROSE_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _layer(entry: dict[str, Any]) -> LayerProse:
    return LayerProse(
        Text.from_json(entry["title"]),
        Text.from_json(entry["description"]),
        entry.get("source"),
    )


def layer_prose(name: str) -> LayerProse:
    """The prose of build layer ``name`` (its name as title and description when unknown).

    A layer not listed whose name starts with a prefix of ``layer_templates`` (a planner's
    impact scenario, ``dampak_<id>``) takes that template with ``{name}`` filled in.
    """
    entry = _prose()["layers"].get(name)
    if entry:
        return _layer(entry)
    templates = _prose().get("layer_templates", {})
    for prefix in sorted((k for k in templates if k != "about"), key=len, reverse=True):
        if name.startswith(prefix) and len(name) > len(prefix):
            return _filled(_layer(templates[prefix]), {"name": name[len(prefix) :]})
    return LayerProse(Text(name, name), Text(name, name))


def property_title(name: str) -> Text | None:
    """The title of a non-indicator property of the admin layers (kode, nama, ...)."""
    entry = _prose()["properties"].get(name)
    return None if entry is None else Text.from_json(entry)


def collection_prose(kind: str, **fill: Any) -> LayerProse:
    """The prose of a collection that is not a build layer (``actions``, ``coverage_gaps``),
    with ``{placeholders}`` filled from ``fill``."""
    entry = _prose()["collections"][kind]
    return _filled(_layer(entry), fill)


def score_title(pillar: str) -> Text:
    """The title of a pillar's score column."""
    return _fill(Text.from_json(_prose()["score"]["title"]), {"pillar": pillar})


def _fill(text: Text, fill: dict[str, Any]) -> Text:
    return Text(text.id.format(**fill), text.en.format(**fill)) if fill else text


def _filled(prose: LayerProse, fill: dict[str, Any]) -> LayerProse:
    return LayerProse(_fill(prose.title, fill), _fill(prose.description, fill), prose.source)
