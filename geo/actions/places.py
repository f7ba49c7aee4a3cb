"""The kelurahan an action touches: codes checked against the build, geometry via STRtree.

A :class:`Places` is part of the build snapshot (:attr:`geo.snapshot.BuildSnapshot.places`),
made once per build and dropped with it: nothing here reads the build output or caches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

_KEL = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")
_KEC = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})$")


def normalise_unit_code(code: str) -> str | None:
    """Return a kelurahan or kecamatan code in dotted form, or None when malformed.

    Parameters
    ----------
    code : str
        ``31.71.01.1001`` / ``3171011001`` (kelurahan) or ``31.71.01`` / ``317101``
        (kecamatan).

    Returns
    -------
    str or None
    """
    text = code.strip()
    found = _KEL.match(text) or _KEC.match(text)
    return None if found is None else ".".join(found.groups())


@dataclass
class Places:
    """The build's kelurahan, indexed for the checks and joins of actions.

    Attributes
    ----------
    codes : ndarray of str
        Kelurahan codes (dotted).
    kecamatan : ndarray of str
        The kecamatan code of each kelurahan.
    geoms : ndarray of geometry
        Kelurahan polygons in lon/lat.
    """

    codes: np.ndarray
    kecamatan: np.ndarray
    geoms: np.ndarray
    tree: shapely.STRtree = field(init=False)

    def __post_init__(self) -> None:
        self.tree = shapely.STRtree(self.geoms)
        self._kel = set(self.codes.tolist())
        self._kec = set(self.kecamatan.tolist())

    @classmethod
    def from_frame(cls, kelurahan: gpd.GeoDataFrame) -> Places:
        """Index a kelurahan GeoDataFrame with ``kode``, ``kode_kecamatan`` and geometry."""
        return cls(
            codes=kelurahan["kode"].astype(str).to_numpy(),
            kecamatan=kelurahan["kode_kecamatan"].astype(str).to_numpy(),
            geoms=np.asarray(kelurahan.geometry.array),
        )

    def is_kelurahan(self, code: str) -> bool:
        """True when ``code`` (dotted) is a kelurahan of the build."""
        return code in self._kel

    def check_codes(self, codes: list[str]) -> tuple[list[str], list[dict[str, str]]]:
        """Normalise unit codes and report unknown ones.

        Parameters
        ----------
        codes : list of str
            Kelurahan or kecamatan codes, dotted or plain.

        Returns
        -------
        tuple of (list of str, list of dict)
            The dotted codes (duplicates dropped, order kept) and the field errors
            (``properties.unit_codes.<i>``).
        """
        out: list[str] = []
        errors: list[dict[str, str]] = []
        for i, raw in enumerate(codes):
            code = normalise_unit_code(raw)
            if code is None:
                errors.append(
                    {
                        "field": f"properties.unit_codes.{i}",
                        "message": f"{raw!r} is not a kelurahan code like 31.71.01.1001 "
                        "or a kecamatan code like 31.71.01",
                    }
                )
            elif code not in self._kel and code not in self._kec:
                errors.append(
                    {
                        "field": f"properties.unit_codes.{i}",
                        "message": f"{code} is not a kelurahan or kecamatan of DKI Jakarta",
                    }
                )
            elif code not in out:
                out.append(code)
        return out, errors

    def kelurahan_of_codes(self, codes: list[str]) -> list[str]:
        """Kelurahan codes covered by checked unit codes (a kecamatan gives all of its own)."""
        mask = np.isin(self.codes, codes) | np.isin(self.kecamatan, codes)
        return sorted(self.codes[mask].tolist())

    def kelurahan_touched(self, geom: BaseGeometry) -> list[str]:
        """Kelurahan codes whose polygon intersects ``geom`` (STRtree query, exact test)."""
        idx = self.tree.query(geom, predicate="intersects")
        return sorted(self.codes[idx].tolist())

    def bounds_of(self, kelurahan: list[str]) -> tuple[float, float, float, float] | None:
        """Bounding box of the named kelurahan, or None for none."""
        mask = np.isin(self.codes, kelurahan)
        if not mask.any():
            return None
        b = shapely.total_bounds(self.geoms[mask])
        return float(b[0]), float(b[1]), float(b[2]), float(b[3])
