"""Other codes of a feature: a kelurahan asked for by its BPS code answers with its own.

A kelurahan's feature id is its Kemendagri code (``31.71.01.1001``). The kelurahan layer also
holds the BPS MFD 2018 code (``kode_bps``, from the crosswalk of the data folder; null for the
13 kelurahan it has none for), so a client holding BPS codes (PetaBencana files, BPS tables)
can ask for ``items/3171010001`` and be sent to the canonical feature.
"""

from __future__ import annotations

from geo.ogc.collection import Collection

ALIAS_COLUMNS = ("kode_bps",)
"""Properties whose value names the same feature as its id (one to one)."""


def canonical_id(collection: Collection, feature_id: str) -> str | None:
    """The id of the feature ``feature_id`` is another code of, or None.

    None when ``feature_id`` is already a feature id, or no feature of ``collection`` has
    it as one of its :data:`ALIAS_COLUMNS` (an unknown code stays unknown: never guessed).
    """
    if feature_id in collection.index_of:
        return None
    wanted = feature_id.strip()
    if not wanted:
        return None
    for column in ALIAS_COLUMNS:
        if column not in collection.frame.columns:
            continue
        for pos, record in enumerate(collection.records):
            if record.get(column) == wanted:
                return str(collection.feature_ids[pos])
    return None
