"""Admin-unit names and codes: normalising names, matching them to Kemendagri codes.

Sources spell kelurahan, kecamatan and kota names differently (upper/lower case, "Kep. Seribu"
vs "Kepulauan Seribu", "Pulo Gadung" vs "Pulogadung", seven known spelling variants, and
abbreviations such as "Pad Tmr"). Matching is by a normalised key within the right parent unit
(kecamatan) where a source has no code, and every name that does not match is reported.

Codes: the canonical form everywhere in the project is the dotted Kemendagri code
(``31.71.01.1001``); :func:`to_plain_code` gives the undotted digits (``3171011001``) used by
Dukcapil's ``KODE_DESA``. Convert at the edges only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from geo.errors import DataError, SchemaError

__all__ = [
    "ABBREVIATIONS",
    "SPELLING_VARIANTS",
    "TYPO_VARIANTS",
    "MatchResult",
    "NameMatch",
    "kecamatan_code",
    "kota_code",
    "match_key",
    "match_names",
    "normalise_name",
    "to_dotted_code",
    "to_plain_code",
]

SPELLING_VARIANTS: dict[str, str] = {
    # The seven variants between the 2012-2014 InaSAFE/Kartoza layers (osm_2012 KEL_NAME2,
    # rw_2014 KEL_NAME) and the Kemendagri 2025 layer (kelurahan_kemendagri_2025 `nama`),
    # mapped to the Kemendagri spelling. Keys and values are normalised names.
    "HARAPAN MULYA": "HARAPAN MULIA",  # Kemayoran, Jakarta Pusat
    "KAMPUNG TENGAH": "TENGAH",  # Kramat Jati, Jakarta Timur (Kemendagri: "Tengah")
    "KREDANG": "KRENDANG",  # Tambora, Jakarta Barat
    # rw_2014 writes "PAL MERIEM", osm_2012 "Pal Meriem"; Kemendagri "Palmeriam" (Matraman).
    # Keys are compared without spaces, so "PALMERIEM" covers both.
    "PALMERIEM": "PALMERIAM",
    "PAPANGO": "PAPANGGO",  # Tanjung Priok, Jakarta Utara
    "TANJUNG PRIUK": "TANJUNG PRIOK",  # kelurahan and kecamatan of Jakarta Utara
    "WIJAYA KESUMA": "WIJAYA KUSUMA",  # Grogol Petamburan, Jakarta Barat
    # BPS MFD 2018 spelling (see the crosswalk in kelurahan_kemendagri_2025/PROVENANCE.md);
    # Kemendagri, Dukcapil and rw_2014 all write "Halim Perdana Kusuma" (Makasar).
    "HALIM PERDANA KUSUMAH": "HALIM PERDANA KUSUMA",
}
"""Known spelling variants (normalised) mapped to the Kemendagri 2025 spelling."""

TYPO_VARIANTS: dict[str, str] = {
    # sehat/bank_sampah_3r: "Glora" (kecamatan Tanah Abang) is Kelurahan Gelora.
    "GLORA": "GELORA",
}
"""Plain misspellings found in single sources, mapped to the Kemendagri spelling."""

ABBREVIATIONS: dict[str, str] = {
    "TMR": "TIMUR",
    "TIM": "TIMUR",
    "BRT": "BARAT",
    "BAR": "BARAT",
    "SLT": "SELATAN",
    "SEL": "SELATAN",
    "SLTN": "SELATAN",
    "UTR": "UTARA",
    "UT": "UTARA",
    "PST": "PUSAT",
    "KLP": "KELAPA",
    "TG": "TANJUNG",
    "TJ": "TANJUNG",
    "KP": "KAMPUNG",
    "KEP": "KEPULAUAN",
    "II": "DUA",  # "Pegangsaan II" is Kelurahan Pegangsaan Dua
}
"""Whole-word abbreviations expanded by :func:`normalise_name` (after punctuation is removed)."""

_KOTA_ABBREVIATIONS = {
    "JAKBAR": "JAKARTA BARAT",
    "JAKPUS": "JAKARTA PUSAT",
    "JAKSEL": "JAKARTA SELATAN",
    "JAKTIM": "JAKARTA TIMUR",
    "JAKUT": "JAKARTA UTARA",
}

# Prefixes removed from the start of a name (checked after punctuation is gone and in this
# order, so the longest forms win). "KOTA" is removed only before JAKARTA: "Kota Bambu Utara"
# is a kelurahan.
_PREFIXES = (
    "KABUPATEN ADMINISTRASI ",
    "KAB ADM ",
    "KABUPATEN ",
    "KOTA ADMINISTRASI ",
    "KOTA ADM ",
    "KELURAHAN ",
    "KEL ",
    "KECAMATAN ",
    "KEC ",
    "DESA ",
)
_KOTA_BEFORE_JAKARTA = re.compile(r"^KOTA (?=JAKARTA\b)")
_KEC_SUFFIX = re.compile(r" KEC(AMATAN)? .*$")
_REMOVED = re.compile(r"['`’‘\"]")
_TO_SPACE = re.compile(r"[^\w ]|_")
_SPACES = re.compile(r"\s+")

_DOTTED = re.compile(r"^(\d{2})\.(\d{2})\.(\d{2})\.(\d{4})$")
_PLAIN = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{4})$")
_KEC_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_KEC_PLAIN = re.compile(r"^\d{6}$")


def normalise_name(s: Any) -> str:
    """Normalise an admin-unit name for comparison.

    Upper-cases, removes apostrophes and quotes, turns other punctuation ('.', '-', ',', '/')
    into spaces, collapses whitespace, expands whole-word abbreviations (:data:`ABBREVIATIONS`,
    e.g. "KEP" -> "KEPULAUAN", "TMR" -> "TIMUR") and the kota short forms (JAKBAR ...), drops
    unit prefixes ("KELURAHAN ", "KEL. ", "KECAMATAN ", "KOTA ADM. ", "KOTA ADMINISTRASI ",
    "KABUPATEN ADMINISTRASI ", "KAB. ADM. ", and "KOTA " before JAKARTA) and a trailing
    " KEC. <name>" qualifier.

    Parameters
    ----------
    s : Any
        The name; None or NaN give "".

    Returns
    -------
    str
        The normalised name, words separated by single spaces. Spelling variants are not
        applied here (see :func:`match_key`).

    Examples
    --------
    >>> normalise_name("Kep. Seribu") == normalise_name("KEPULAUAN SERIBU")
    True
    >>> normalise_name("Kota Adm. Jakarta Barat")
    'JAKARTA BARAT'
    >>> normalise_name("Pad Tmr")
    'PAD TIMUR'
    """
    if s is None or (isinstance(s, float) and s != s):
        return ""
    text = _REMOVED.sub("", str(s).upper())
    text = _SPACES.sub(" ", _TO_SPACE.sub(" ", text)).strip()
    if not text:
        return ""
    words = [ABBREVIATIONS.get(w, _KOTA_ABBREVIATIONS.get(w, w)) for w in text.split(" ")]
    text = " ".join(words)
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                changed = True
        new = _KOTA_BEFORE_JAKARTA.sub("", text)
        changed = changed or new != text
        text = new
    return _KEC_SUFFIX.sub("", text)


def _variant_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for variants in (SPELLING_VARIANTS, TYPO_VARIANTS):
        for wrong, right in variants.items():
            table[wrong.replace(" ", "")] = right.replace(" ", "")
    return table


_VARIANTS_NOSPACE = _variant_table()


def match_key(s: Any) -> str:
    """The key two names must share to match: normalised, variants applied, spaces removed.

    Comparing without spaces makes "PULO GADUNG" equal "PULOGADUNG", "TAMAN SARI" equal
    "TAMANSARI" and "PAL MERIEM" equal "PALMERIEM" (then mapped to "PALMERIAM").

    Parameters
    ----------
    s : Any
        The name (None or NaN give "").

    Returns
    -------
    str
        The comparison key.
    """
    key = normalise_name(s).replace(" ", "")
    return _VARIANTS_NOSPACE.get(key, key)


# --- codes ------------------------------------------------------------------------------------


def _code_parts(kode: Any) -> tuple[str, str, str, str]:
    text = str(kode).strip() if kode is not None else ""
    if text.endswith(".0") and text[:-2].isdigit():  # a code read as a float
        text = text[:-2]
    found = _DOTTED.match(text) or _PLAIN.match(text)
    if found is None:
        raise DataError(
            f"malformed kelurahan code {kode!r}: expected a Kemendagri code like "
            "'31.71.01.1001' or its 10 digits '3171011001'",
            details={"code": str(kode)},
        )
    a, b, c, d = found.groups()
    return a, b, c, d


def to_dotted_code(kode: Any) -> str:
    """Return a kelurahan code in the canonical dotted form.

    Parameters
    ----------
    kode : Any
        '3173031006', 3173031006 or '31.73.03.1006'.

    Returns
    -------
    str
        '31.73.03.1006'.

    Raises
    ------
    DataError
        When the value is not a 10-digit Kemendagri kelurahan code.
    """
    return ".".join(_code_parts(kode))


def to_plain_code(kode: Any) -> str:
    """Return a kelurahan code as 10 digits without dots ('31.73.03.1006' -> '3173031006').

    Parameters
    ----------
    kode : Any
        A dotted or plain kelurahan code.

    Returns
    -------
    str
        The code's 10 digits.

    Raises
    ------
    DataError
        When the value is not a 10-digit Kemendagri kelurahan code.
    """
    return "".join(_code_parts(kode))


def kecamatan_code(kode: Any) -> str:
    """Return the dotted kecamatan code of a kelurahan (or kecamatan) code.

    Parameters
    ----------
    kode : Any
        A kelurahan code ('31.73.03.1006' or '3173031006') or a kecamatan code
        ('31.73.03' or '317303').

    Returns
    -------
    str
        '31.73.03'.

    Raises
    ------
    DataError
        On a malformed code.
    """
    text = str(kode).strip()
    if _KEC_DOTTED.match(text):
        return text
    if _KEC_PLAIN.match(text):
        return f"{text[:2]}.{text[2:4]}.{text[4:]}"
    a, b, c, _ = _code_parts(kode)
    return f"{a}.{b}.{c}"


def kota_code(kode: Any) -> str:
    """Return the dotted kota/kabupaten code of a kelurahan or kecamatan code ('31.73').

    Parameters
    ----------
    kode : Any
        A kelurahan or kecamatan code, dotted or plain.

    Returns
    -------
    str
        '31.73'.

    Raises
    ------
    DataError
        On a malformed code.
    """
    return kecamatan_code(kode)[:5]


def _looks_like_codes(values: pd.Series) -> bool:
    text = values.dropna().astype(str).str.strip()
    return bool(len(text)) and bool(text.str.fullmatch(r"[\d.]+").all())


def _code_key(value: Any) -> str:
    """Normalise a code of any level (kota, kecamatan, kelurahan) to dotted form, or ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    digits = str(value).strip().replace(".", "")
    if not digits.isdigit() or len(digits) not in (4, 6, 10):
        return ""
    parts = [digits[:2], digits[2:4], digits[4:6], digits[6:]]
    return ".".join(p for p in parts if p)


# --- matching -----------------------------------------------------------------------------------


@dataclass
class NameMatch:
    """How one input name matched.

    Attributes
    ----------
    name : str | None
        The name as given.
    within : str | None
        The parent unit given with it (kecamatan name or code), if any.
    key : str
        The comparison key (see :func:`match_key`).
    code : str | None
        The matched reference code, None when unmatched or ambiguous.
    status : str
        "matched", "partial" (matched within its parent by an abbreviated name such as
        "Pad Tmr" -> "Pademangan Timur"; also listed in ``MatchResult.partial``),
        "other_parent" (see ``match_names(other_parent=True)``), "unmatched", "ambiguous"
        or "missing" (no name given).
    matched_name : str | None
        The reference name it matched.
    """

    name: str | None
    within: str | None
    key: str
    code: str | None
    status: str
    matched_name: str | None = None


@dataclass
class MatchResult:
    """Result of :func:`match_names`, in the order of the input names.

    Attributes
    ----------
    codes : list[str | None]
        One reference code per input name, None where unmatched, ambiguous or missing.
    matches : list[NameMatch]
        One record per input name.
    unmatched : list[str]
        Distinct input names (as given) that matched no reference name.
    ambiguous : list[str]
        Distinct input names that matched more than one reference row.
    partial : list[str]
        Distinct input names matched by the abbreviated-name fallback (reported, not silent).
    other_parent : list[str]
        Distinct input names matched in another parent than the one given (only with
        ``other_parent=True``).
    missing : int
        How many inputs had no name at all (None, NaN or blank).
    """

    codes: list[str | None]
    matches: list[NameMatch] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    other_parent: list[str] = field(default_factory=list)
    missing: int = 0

    @property
    def matched(self) -> int:
        """How many input names got a code."""
        return sum(code is not None for code in self.codes)

    def to_frame(self) -> pd.DataFrame:
        """One row per input name: name, within, key, code, status, matched_name."""
        return pd.DataFrame([m.__dict__ for m in self.matches])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe summary (counts and the reported names)."""
        return {
            "total": len(self.codes),
            "matched": self.matched,
            "unmatched": list(self.unmatched),
            "ambiguous": list(self.ambiguous),
            "partial": list(self.partial),
            "other_parent": list(self.other_parent),
            "missing": self.missing,
        }


def _partial_candidates(key_words: list[str], ref_words: pd.Series) -> list[int]:
    """Reference positions whose trailing words the input's words abbreviate, word by word."""
    n = len(key_words)
    hits = []
    for pos, words in ref_words.items():
        if len(words) < n or n == 0:
            continue
        tail = words[len(words) - n :]
        if all(t.startswith(k) for k, t in zip(key_words, tail, strict=True)):
            hits.append(int(pos))  # type: ignore[call-overload]
    return hits


def match_names(
    names: Sequence[Any],
    reference: pd.DataFrame,
    *,
    name_col: str,
    code_col: str,
    within: Sequence[Any] | None = None,
    within_col: str | None = None,
    other_parent: bool = False,
) -> MatchResult:
    """Match names to reference codes by normalised name, optionally within a parent unit.

    Names are compared by :func:`match_key` (normalised, spelling variants applied, spaces
    removed). With ``within``/``within_col`` a name matches only a reference row of the same
    parent (kecamatan), which disambiguates names that occur in two kecamatan; the parents
    are compared as codes when the reference column holds codes (dotted or plain) and as
    normalised names otherwise. A name that repeats its parent's name at the end ("Pulau Tidung
    Kepulauan Seribu Selatan") is tried without it.

    When a name has no exact match within its parent, one fallback is tried: each word of the
    name abbreviates (is a prefix of) the corresponding trailing word of exactly one reference
    name in that parent ("Pad Tmr" -> "Pademangan Timur", "Gading Brt" -> "Kelapa Gading
    Barat"). Such matches get status "partial" and are listed in ``MatchResult.partial``.

    With ``other_parent=True``, a name still unmatched that matches exactly one reference row
    in another parent takes that row's code, with status "other_parent" (listed in
    ``MatchResult.other_parent``). Use it where the source's kelurahan name is more reliable
    than its kecamatan (rw_2014 files Gunung Sahari Utara under Kemayoran; Kemendagri and the
    polygons themselves put it in Sawah Besar). Off by default: for the bank sampah table a
    wrong parent usually means a wrong kelurahan ("Kebon Pala, Gambir").

    Parameters
    ----------
    names : Sequence[Any]
        Names to match (None/NaN allowed; counted in ``missing``).
    reference : DataFrame
        The reference units, e.g. the Kemendagri kelurahan layer.
    name_col, code_col : str
        Columns of ``reference`` holding the name and the code returned.
    within : Sequence[Any], optional
        One parent (kecamatan name or code) per name.
    within_col : str, optional
        Column of ``reference`` holding the parent; required with ``within``.
    other_parent : bool, default False
        Accept a unique match in another parent when none exists in the given one.

    Returns
    -------
    MatchResult
        Codes in input order, and the unmatched, ambiguous and partial names.

    Raises
    ------
    SchemaError
        When a named column is not in ``reference``.
    DataError
        When ``within`` is given without ``within_col`` or with a different length.
    """
    needed = [name_col, code_col] + ([within_col] if within_col else [])
    missing_cols = [c for c in needed if c not in reference.columns]
    if missing_cols:
        raise SchemaError(
            f"reference table lacks column(s) {missing_cols}; it has {list(reference.columns)}"
        )
    use_within = within is not None
    if use_within and within_col is None:
        raise DataError("match_names: `within` needs `within_col` (the reference parent column)")
    if use_within and len(within) != len(names):  # type: ignore[arg-type]
        raise DataError(
            f"match_names: {len(names)} names but {len(within)} parents"  # type: ignore[arg-type]
        )

    inputs = pd.DataFrame({"name": list(names)})
    inputs["within"] = list(within) if use_within else None  # type: ignore[arg-type]
    inputs["key"] = inputs["name"].map(match_key)

    ref = pd.DataFrame(
        {
            "ref_key": reference[name_col].map(match_key).to_numpy(),
            "code": reference[code_col].to_numpy(),
            "ref_name": reference[name_col].to_numpy(),
        }
    )
    by_code = False
    if use_within:
        assert within_col is not None
        by_code = _looks_like_codes(reference[within_col])
        parent_key = _code_key if by_code else match_key
        ref["parent"] = reference[within_col].map(parent_key).to_numpy()
        inputs["parent"] = inputs["within"].map(parent_key)
        # "Pulau Tidung Kepulauan Seribu Selatan": drop a repeated parent name at the end
        if not by_code:
            ends = [
                bool(p) and k != p and k.endswith(p)
                for k, p in zip(inputs["key"], inputs["parent"], strict=True)
            ]
            trimmed = [
                k[: -len(p)] if e else k
                for k, p, e in zip(inputs["key"], inputs["parent"], ends, strict=True)
            ]
            inputs["key"] = [match_key(t) for t in trimmed]
    join_on = ["ref_key", "parent"] if use_within else ["ref_key"]
    inputs_keys = inputs.rename(columns={"key": "ref_key"})

    counts = ref.groupby(join_on, dropna=False).agg(
        n=("code", "size"), code=("code", "first"), ref_name=("ref_name", "first")
    )
    merged = inputs_keys.reset_index().merge(
        counts.reset_index(), on=join_on, how="left", validate="many_to_one"
    )
    merged = merged.sort_values("index").reset_index(drop=True)

    is_missing = merged["ref_key"].eq("")
    n_match = merged["n"].fillna(0).astype(int)
    status = pd.Series("unmatched", index=merged.index)
    status[n_match == 1] = "matched"
    status[n_match > 1] = "ambiguous"
    status[is_missing] = "missing"
    codes: list[Any] = merged["code"].where(status == "matched").tolist()
    matched_names: list[Any] = merged["ref_name"].where(status == "matched").tolist()

    # fallback: abbreviated names within their parent (the loop runs over unmatched names only)
    if use_within:
        ref_words = pd.Series([_variant_words(s) for s in reference[name_col]], dtype=object)
        for i in merged.index[status == "unmatched"]:
            words = _variant_words(merged.at[i, "name"])
            same_parent = ref.index[ref["parent"] == merged.at[i, "parent"]]
            hits = _partial_candidates(words, ref_words.loc[same_parent])
            if len(hits) == 1:
                status[i] = "partial"
                codes[i] = ref.at[hits[0], "code"]
                matched_names[i] = ref.at[hits[0], "ref_name"]

    if use_within and other_parent:
        anywhere = ref.groupby("ref_key").agg(
            n=("code", "size"), code=("code", "first"), ref_name=("ref_name", "first")
        )
        left = merged.loc[status == "unmatched", ["ref_key"]]
        found = left.join(anywhere, on="ref_key")
        for i in found.index[found["n"].eq(1)]:
            status[i] = "other_parent"
            codes[i] = found.at[i, "code"]
            matched_names[i] = found.at[i, "ref_name"]

    matches = [
        NameMatch(
            name=None if _is_blank(n) else str(n),
            within=None if _is_blank(w) else str(w),
            key=k,
            code=None if _is_blank(c) else c,
            status=s,
            matched_name=None if _is_blank(m) else str(m),
        )
        for n, w, k, c, s, m in zip(
            merged["name"],
            merged["within"],
            merged["ref_key"],
            codes,
            status,
            matched_names,
            strict=True,
        )
    ]
    return MatchResult(
        codes=[m.code for m in matches],
        matches=matches,
        unmatched=_distinct(m.name for m in matches if m.status == "unmatched"),
        ambiguous=_distinct(m.name for m in matches if m.status == "ambiguous"),
        partial=_distinct(m.name for m in matches if m.status == "partial"),
        other_parent=_distinct(m.name for m in matches if m.status == "other_parent"),
        missing=int(is_missing.sum()),
    )


_VARIANTS_SPACED = {
    wrong.replace(" ", ""): right
    for variants in (SPELLING_VARIANTS, TYPO_VARIANTS)
    for wrong, right in variants.items()
}


def _variant_words(s: Any) -> list[str]:
    """The words of a normalised name, spelling variants applied."""
    name = normalise_name(s)
    name = _VARIANTS_SPACED.get(name.replace(" ", ""), name)
    return name.split(" ") if name else []


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def _distinct(values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in values if v is not None))
