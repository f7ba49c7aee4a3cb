"""Source checks: general rules that catch a named table's defects before its rows are counted.

A table that names its places (kota, kecamatan, kelurahan) instead of giving coordinates can
be wrong in ways no geometry check sees. Three rules, the same for every such table:

1. **mislabelled_unit**: the row's names are matched to an admin unit: the kelurahan it
   names within the kecamatan it states, else the kecamatan it states. The row is *rejected*
   (not counted, listed in the report) when that unit lies in another kota than the row
   states, or when its kelurahan name matches no kelurahan of the stated kecamatan but
   exactly one kelurahan of another kecamatan (the row's kecamatan disagrees with its name).
2. **repeated_block**: a run of at least :data:`MIN_BLOCK_ROWS` consecutive rows under one
   group label (the kota a row states) that repeats, row for row, a run under another label
   (rows compared on their identifying columns, names normalised by
   :func:`geo.names.normalise_name`) is a copy. The copy is the run whose rows agree less
   with their own label (rule 1); on a tie, the run that comes later in the file. Its rows
   are *dropped* and listed.
3. **uncovered_units**: a list of things per kota covers the kota that keep at least one row
   after rules 1 and 2. Units of a kota it does not cover are null ("no data"), never 0; the
   report names the kota and counts its units.

:func:`check_named_rows` applies the three rules and returns what to keep, the findings (each
with its rows) and the covered kota; the layer builders of :mod:`geo.layers` call it and the
build report lists every finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np
import pandas as pd

from geo.names import match_key, match_names, normalise_name

MIN_BLOCK_ROWS = 5
"""Fewest consecutive rows repeated under another label that make a copied block."""

RULES = ("mislabelled_unit", "repeated_block", "uncovered_units")
"""The rules, in the order they are applied."""


@dataclass
class Finding:
    """One defect a rule found in a source, with the rows (or units) it concerns.

    Attributes
    ----------
    rule : str
        One of :data:`RULES`.
    source : str
        The catalogue source id.
    message : str
        What was found and what the build did about it, in plain words.
    action : str
        ``rows rejected``, ``rows dropped`` or ``units null``.
    rows : list of dict
        The rows concerned: ``row`` (0-based data row of the file) and the row's names.
    units : list of str
        Codes of the units concerned (uncovered kota).
    """

    rule: str
    source: str
    message: str
    action: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict."""
        return {
            "rule": self.rule,
            "source": self.source,
            "message": self.message,
            "action": self.action,
            "count": len(self.rows) or len(self.units),
            "rows": self.rows,
            "units": self.units,
        }


@dataclass
class CheckResult:
    """What :func:`check_named_rows` decided for each row of a table.

    Attributes
    ----------
    keep : ndarray of bool
        Rows to count (neither rejected nor dropped).
    kode_kelurahan : list of str or None
        The kelurahan each row's names match (None when unmatched or not kept).
    kode_kota : list of str or None
        The kota each row states, as a code (None when it names no kota).
    reason : list of str or None
        Why a row is not kept (a rule of :data:`RULES`), None for kept rows.
    findings : list of Finding
    covered_kota : tuple of str
        Kota codes with at least one kept row.
    unmatched : list of str
        Kelurahan names of kept rows that matched no kelurahan.
    """

    keep: np.ndarray
    kode_kelurahan: list[str | None]
    kode_kota: list[str | None]
    reason: list[str | None]
    findings: list[Finding]
    covered_kota: tuple[str, ...]
    unmatched: list[str]


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _row_keys(table: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """One comparison key per row: the normalised identifying columns joined."""
    parts = [table[c].map(normalise_name).tolist() for c in columns if c in table.columns]
    keys = ["|".join(p) for p in zip(*parts, strict=True)] if parts else [""] * len(table)
    return ["" if not k.replace("|", "") else k for k in keys]


def repeated_runs(
    keys: Sequence[str], groups: Sequence[str], *, min_rows: int = MIN_BLOCK_ROWS
) -> list[tuple[str, list[int], str, list[int]]]:
    """Runs of consecutive rows of one group that repeat a run of another group, row for row.

    Parameters
    ----------
    keys : sequence of str
        One comparison key per row ('' = no key: never matches).
    groups : sequence of str
        The group label of each row ('' = no group: never compared).
    min_rows : int
        Shortest run that counts.

    Returns
    -------
    list of (group_a, rows_a, group_b, rows_b)
        Each pair of matching runs once (``group_a`` before ``group_b`` in label order), with
        the row positions of each run, in file order.
    """
    order: dict[str, list[int]] = {}
    for pos, g in enumerate(groups):
        if g:
            order.setdefault(g, []).append(pos)
    labels = sorted(order)
    out = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            ka = [keys[p] or f"\0a{p}" for p in order[a]]
            kb = [keys[p] or f"\0b{p}" for p in order[b]]
            matcher = SequenceMatcher(None, ka, kb, autojunk=False)
            for block in matcher.get_matching_blocks():
                if block.size >= min_rows:
                    rows_a = order[a][block.a : block.a + block.size]
                    rows_b = order[b][block.b : block.b + block.size]
                    out.append((a, rows_a, b, rows_b))
    return out


def _kota_codes(stated: Sequence[Any], kelurahan: pd.DataFrame) -> list[str | None]:
    kota = kelurahan[["kode_kota", "nama_kota"]].drop_duplicates("kode_kota")
    by_key = {
        match_key(n): str(c) for c, n in zip(kota["kode_kota"], kota["nama_kota"], strict=True)
    }
    return [by_key.get(match_key(s)) if _text(s).strip() else None for s in stated]


def _row_record(table: pd.DataFrame, pos: int, columns: Sequence[str]) -> dict[str, Any]:
    record: dict[str, Any] = {"row": int(pos)}
    for c in columns:
        if c in table.columns:
            record[c] = _text(table[c].iloc[pos]) or None
    return record


@dataclass
class _Matched:
    """Each row's names matched: kelurahan, kota of the named unit, and the rule 1 verdict."""

    kode_kelurahan: list[str | None]
    unit_kota: list[str | None]
    disagrees: list[str | None]
    """Why a row is mislabelled (None when its label agrees or cannot be checked)."""
    unmatched: list[str]


def _match_rows(
    kel_names: Sequence[Any] | None,
    kec_names: Sequence[Any],
    stated_kota: Sequence[str | None],
    kelurahan: pd.DataFrame,
) -> _Matched:
    n = len(kec_names)
    kec = kelurahan[["kode_kecamatan", "nama_kecamatan", "kode_kota", "nama_kota"]]
    kec = kec.drop_duplicates("kode_kecamatan")
    kec_match = match_names(
        list(kec_names), kec, name_col="nama_kecamatan", code_col="kode_kecamatan"
    )
    codes: list[str | None] = [None] * n
    other: list[str | None] = [None] * n
    unmatched: list[str] = []
    if kel_names is not None:
        ref = kelurahan[["kode", "nama", "nama_kecamatan"]]
        within = match_names(
            list(kel_names),
            ref,
            name_col="nama",
            code_col="kode",
            within=list(kec_names),
            within_col="nama_kecamatan",
            other_parent=True,
        )
        for i, m in enumerate(within.matches):
            if m.status == "other_parent" and _text(kec_names[i]).strip():
                other[i] = m.code
            else:  # matched in its kecamatan, or by its name alone where none is stated
                codes[i] = m.code
        unmatched = list(within.unmatched)
    kec_kota = dict(zip(kec["kode_kecamatan"], kec["kode_kota"], strict=True))
    kel_kota = dict(zip(kelurahan["kode"], kelurahan["kode_kota"], strict=True))
    kel_kec = dict(zip(kelurahan["kode"], kelurahan["nama_kecamatan"], strict=True))
    kota_name = dict(zip(kec["kode_kota"], kec["nama_kota"], strict=True))
    unit_kota: list[str | None] = []
    disagrees: list[str | None] = []
    for i in range(n):
        kota = kel_kota.get(codes[i]) if codes[i] else kec_kota.get(kec_match.codes[i])
        unit_kota.append(None if kota is None else str(kota))
        if other[i] is not None:
            disagrees.append(
                f"kelurahan '{_text(kel_names[i])}' is in kecamatan {kel_kec[other[i]]}, "  # type: ignore[index]
                f"not {_text(kec_names[i])}"
            )
        elif kota is not None and stated_kota[i] is not None and kota != stated_kota[i]:
            disagrees.append(f"its kecamatan '{_text(kec_names[i])}' is in {kota_name[kota]}")
        else:
            disagrees.append(None)
    return _Matched(codes, unit_kota, disagrees, unmatched)


def _block_findings(
    table: pd.DataFrame,
    source: str,
    runs: list[tuple[str, list[int], str, list[int]]],
    matched: _Matched,
    stated: Sequence[Any],
    show: Sequence[str],
    min_rows: int,
) -> tuple[set[int], list[Finding]]:
    """Decide which run of each matching pair is the copy; one finding per pair of labels."""
    pairs: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for _, rows_a, _, rows_b in runs:
        agree_a = sum(matched.disagrees[p] is None for p in rows_a)
        agree_b = sum(matched.disagrees[p] is None for p in rows_b)
        copy_is_a = agree_a < agree_b if agree_a != agree_b else rows_a[0] > rows_b[0]
        copy, original = (rows_a, rows_b) if copy_is_a else (rows_b, rows_a)
        label = (_text(stated[copy[0]]), _text(stated[original[0]]))
        pairs.setdefault(label, []).extend(zip(copy, original, strict=True))
    dropped: set[int] = set()
    findings = []
    for (copy_label, original_label), rows in pairs.items():
        rows.sort()
        of_label = sum(1 for s in stated if _text(s) == copy_label)
        dropped.update(p for p, _ in rows)
        findings.append(
            Finding(
                "repeated_block",
                source,
                f"{len(rows)} of the {of_label} rows labelled '{copy_label}' (rows "
                f"{rows[0][0]}-{rows[-1][0]}, in runs of at least {min_rows}) repeat, "
                f"row for row, rows labelled '{original_label}'; the copy is dropped",
                "rows dropped",
                [{**_row_record(table, p, show), "repeats_row": int(o)} for p, o in rows],
            )
        )
    return dropped, findings


def check_named_rows(
    table: pd.DataFrame,
    kelurahan: pd.DataFrame,
    *,
    source: str,
    kota_col: str,
    kecamatan_col: str,
    kelurahan_col: str | None = None,
    key_cols: Sequence[str] = (),
    min_block_rows: int = MIN_BLOCK_ROWS,
) -> CheckResult:
    """Apply the three rules of this module to a table that names its places.

    Parameters
    ----------
    table : DataFrame
        The rows as read (positions are the file's data rows, 0-based).
    kelurahan : DataFrame
        The admin reference: ``kode``, ``nama``, ``kode_kecamatan``, ``nama_kecamatan``,
        ``kode_kota``, ``nama_kota``.
    source : str
        The catalogue source id (named in each finding).
    kota_col, kecamatan_col : str
        Columns stating the kota (the group label of rule 2) and the kecamatan.
    kelurahan_col : str, optional
        Column naming the kelurahan (tables per kecamatan have none).
    key_cols : sequence of str
        Columns that identify a row for rule 2 (default: the name columns).
    min_block_rows : int
        See :data:`MIN_BLOCK_ROWS`.

    Returns
    -------
    CheckResult
    """
    n = len(table)
    stated = table[kota_col].tolist()
    kec_names = table[kecamatan_col].tolist()
    kel_names = table[kelurahan_col].tolist() if kelurahan_col else None
    stated_kota = _kota_codes(stated, kelurahan)
    matched = _match_rows(kel_names, kec_names, stated_kota, kelurahan)
    show = [c for c in (kota_col, kecamatan_col, kelurahan_col, *key_cols) if c]
    show = list(dict.fromkeys(show))

    keys = _row_keys(table, key_cols or [c for c in (kelurahan_col, kecamatan_col) if c])
    groups = [k or "" for k in stated_kota]
    runs = repeated_runs(keys, groups, min_rows=min_block_rows)
    dropped, findings = _block_findings(table, source, runs, matched, stated, show, min_block_rows)

    reason: list[str | None] = ["repeated_block" if p in dropped else None for p in range(n)]
    rejected = [p for p in range(n) if reason[p] is None and matched.disagrees[p] is not None]
    for p in rejected:
        reason[p] = "mislabelled_unit"
    if rejected:
        findings.insert(
            0,
            Finding(
                "mislabelled_unit",
                source,
                f"{len(rejected)} rows state a kota or kecamatan that disagrees with the unit "
                "their names match; they are rejected (not counted)",
                "rows rejected",
                [{**_row_record(table, p, show), "why": matched.disagrees[p]} for p in rejected],
            ),
        )
    keep = np.array([r is None for r in reason], dtype=bool)
    covered = tuple(sorted({k for k, ok in zip(stated_kota, keep, strict=True) if ok and k}))
    all_kota = kelurahan[["kode_kota", "nama_kota"]].drop_duplicates("kode_kota")
    for code, name in zip(all_kota["kode_kota"], all_kota["nama_kota"], strict=True):
        if str(code) in covered:
            continue
        units = sorted(kelurahan.loc[kelurahan["kode_kota"] == code, "kode"].astype(str))
        had = sum(1 for k in stated_kota if k == code)
        findings.append(
            Finding(
                "uncovered_units",
                source,
                f"no row of kota {name} ({code}) is left after the checks ({had} read): the "
                f"source does not cover it, so its {len(units)} kelurahan are null (no data), "
                "not 0",
                "units null",
                units=units,
            )
        )
    codes = [c if ok else None for c, ok in zip(matched.kode_kelurahan, keep, strict=True)]
    kept_names = {_text(kel_names[p]) for p in range(n) if keep[p]} if kel_names else set()
    unmatched = [u for u in matched.unmatched if u in kept_names]
    return CheckResult(keep, codes, stated_kota, reason, findings, covered, unmatched)
