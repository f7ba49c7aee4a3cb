"""During a flood: which kelurahan are flooded now, which of them no action covers, which
actions stand in flooded places.

"Flooded now" is either the latest good state of the flood feed (``banjir=live``) or the
February 2017 snapshot in force at an instant (``banjir=<RFC 3339 instant>``, a replay hour).
A kelurahan is flooded when at least one of its RWs is (the RW's kelurahan is the build's
spatial link, ``rw.kode_kelurahan``). A gap is a flooded kelurahan that no planned or
in-progress action of the pillar touches; an action stands in a flooded place when a
kelurahan it touches is flooded (placed at kelurahan level, as the coverage gaps are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geo.errors import InvalidParameterError
from geo.params import iso_instant, parse_instant, shown

LIVE = "live"
"""``banjir=live``: the flood feed's latest good state."""
FEB2017 = "feb2017"
"""The source of a replay instant: the February 2017 hourly snapshots."""


@dataclass
class FloodedNow:
    """The kelurahan flooded at one moment, with their flooded RWs and worst state."""

    source: str
    """``live`` (the feed) or ``feb2017`` (the replay of the 2017 event)."""
    at: str | None
    """The time of the state (the fetch, or the 2017 snapshot in force)."""
    rw_by_kelurahan: dict[str, list[int]] = field(default_factory=dict)
    worst_state: dict[str, int] = field(default_factory=dict)
    feed: dict[str, Any] | None = None

    def summary(self) -> dict[str, Any]:
        """JSON-ready facts of the moment."""
        return {
            "source": self.source,
            "at": self.at,
            "kelurahan_flooded": len(self.rw_by_kelurahan),
            "rw_flooded": sum(len(v) for v in self.rw_by_kelurahan.values()),
            **({"feed": self.feed} if self.feed is not None else {}),
        }


def parse_banjir(value: str) -> str:
    """``live`` or the RFC 3339 instant of a replay (UTC text); 400 otherwise."""
    text = value.strip()
    if text.lower() == LIVE:
        return LIVE
    try:
        instant = parse_instant(text) if "/" not in text else None
    except InvalidParameterError:
        instant = None
    if instant is None:
        raise InvalidParameterError(
            f"banjir must be 'live' or an RFC 3339 instant (e.g. 2017-02-21T12:00:00+07:00), "
            f"got {shown(value)}",
            details=[{"field": "banjir", "message": "live or an RFC 3339 instant"}],
        )
    return iso_instant(instant)


def flooded_from_rw(
    source: str,
    at: str | None,
    rw_states: Iterable[tuple[int, int]],
    rw_kelurahan: Mapping[int, Any],
) -> FloodedNow:
    """Group flooded RWs ``(rw_fid, state)`` by kelurahan (``rw_kelurahan``: rw_fid -> kode)."""
    out = FloodedNow(source, at)
    for rw_id, state in rw_states:
        kode = rw_kelurahan.get(rw_id)
        if kode is None or pd.isna(kode):
            continue
        out.rw_by_kelurahan.setdefault(str(kode), []).append(int(rw_id))
        out.worst_state[str(kode)] = max(out.worst_state.get(str(kode), 0), int(state))
    return out


def actions_in_flood(actions: Iterable[Any], flooded: FloodedNow) -> list[dict[str, Any]]:
    """The live actions touching a flooded kelurahan, each with those kelurahan."""
    out = []
    for action in actions:
        hit = sorted(k for k in action.kelurahan if k in flooded.rw_by_kelurahan)
        if hit:
            props = action.props
            out.append(
                {
                    "id": action.id,
                    "title": props.get("title"),
                    "pillar": props.get("pillar"),
                    "status": props.get("status"),
                    "kelurahan_flooded": hit,
                }
            )
    return out
