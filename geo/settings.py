"""The one settings class of Ketahanan (environment prefix ``KETAHANAN_``).

No other module reads ``os.environ``. Each field's default is documented here and in the README.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding pyproject.toml (the repository root in a checkout)."""

VAR_DIR = PROJECT_ROOT / "var"
"""Ignored working folder for the build output and the default SQLite database."""


def _default_data_dir() -> Path:
    return (PROJECT_ROOT / ".." / "shared" / "data" / "jakarta").resolve()


_INASAFE_CLASSES = (
    "InaSAFE flood_petabencana_hazard_classes (safe/definitions/hazard_classifications.py), "
    "after PetaBencana.id's flood states"
)
_INASAFE_RATE = (
    "InaSAFE flood_petabencana_hazard_classes; its code says the rate was 'estimated from DMI "
    "analysis of historical flood data and IDP numbers' (no further reference given)"
)
_BNPB = (
    "BNPB Perka 7/2008, as InaSAFE's BNPB minimum-needs profile states it "
    "(safe/resources/minimum_needs/BNPB_en.json: 'The minimum needs are based on Perka 7/2008')"
)


class ImpactSettings(BaseSettings):
    """Flood impact analysis: depth classes, displacement rates, minimum needs per person.

    Every default is InaSAFE's, with InaSAFE's source: the depth classes and displacement rates
    of its ``flood_petabencana_hazard_classes``, the minimum needs of its BNPB profile (based on
    BNPB Perka 7/2008). A depth exactly at a threshold belongs to the class below it
    (InaSAFE's rule: minimum < depth <= maximum). See :mod:`geo.impact`.
    """

    model_config = SettingsConfigDict(env_prefix="KETAHANAN_", env_file=".env", extra="ignore")

    impact_low_min_m: float = Field(
        default=0.1,
        ge=0,
        description=(
            "Depth (m) above which a place is in the low flood class (0.1-0.7 m); at or "
            f"below it people count as not affected. Source: {_INASAFE_CLASSES}."
        ),
    )
    impact_medium_min_m: float = Field(
        default=0.7,
        gt=0,
        description=(
            f"Depth (m) above which the class is medium (0.7-1.5 m). Source: {_INASAFE_CLASSES}."
        ),
    )
    impact_high_min_m: float = Field(
        default=1.5,
        gt=0,
        description=(
            f"Depth (m) above which the class is high (over 1.5 m). Source: {_INASAFE_CLASSES}."
        ),
    )
    impact_displacement_low: float = Field(
        default=0.01,
        ge=0,
        le=1,
        description=(
            "Share of the people in the low class who are displaced (1 %). "
            f"Source: {_INASAFE_RATE}."
        ),
    )
    impact_displacement_medium: float = Field(
        default=0.03,
        ge=0,
        le=1,
        description=f"Share displaced in the medium class (3 %). Source: {_INASAFE_RATE}.",
    )
    impact_displacement_high: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description=f"Share displaced in the high class (5 %). Source: {_INASAFE_RATE}.",
    )
    impact_need_rice_kg: float = Field(
        default=2.8,
        ge=0,
        description=f"Rice per displaced person per week, kg (= 0.4 kg a day). Source: {_BNPB}.",
    )
    impact_need_drinking_water_l: float = Field(
        default=17.5,
        ge=0,
        description=(
            f"Drinking water per displaced person per week, litres (2.5 l a day). Source: {_BNPB}."
        ),
    )
    impact_need_clean_water_l: float = Field(
        default=67.0,
        ge=0,
        description=(
            "Clean water (washing, sanitation) per displaced person per week, litres. Source: "
            f"{_BNPB}. Uncertain: the Perka's own text was not in reach to check the figure "
            "(67 l a week is about 9.6 l a day); only InaSAFE's profile states it."
        ),
    )
    impact_need_family_kits: float = Field(
        default=0.2,
        ge=0,
        description=(
            "Family kits per displaced person per week (one kit per family of 5). Source: "
            f"{_BNPB}. Uncertain: the profile's English text gives one kit per family of five "
            "a week, its Indonesian text one per person a week; the number (0.2) follows the "
            "English text."
        ),
    )
    impact_need_toilets: float = Field(
        default=0.05,
        ge=0,
        description=f"Toilets per displaced person, once (one per 20 persons). Source: {_BNPB}.",
    )

    @model_validator(mode="after")
    def _thresholds_ascend(self) -> ImpactSettings:
        low, medium, high = self.impact_low_min_m, self.impact_medium_min_m, self.impact_high_min_m
        if not low < medium < high:
            raise ValueError(
                "KETAHANAN_IMPACT_LOW_MIN_M < KETAHANAN_IMPACT_MEDIUM_MIN_M < "
                f"KETAHANAN_IMPACT_HIGH_MIN_M must hold; got {low} < {medium} < {high}"
            )
        return self


class Settings(ImpactSettings):
    """Runtime configuration, read from ``KETAHANAN_*`` environment variables or ``.env``."""

    model_config = SettingsConfigDict(env_prefix="KETAHANAN_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Folder with the real Jakarta data (default ../shared/data/jakarta).",
    )
    build_path: Path = Field(
        default=VAR_DIR / "ketahanan.gpkg",
        description="GeoPackage written by `ketahanan build` and read by the app.",
    )
    catalogue_path: Path = Field(
        default=PROJECT_ROOT / "data" / "catalogue.json",
        description="The data catalogue listing every source file and its checksum.",
    )
    database_url: str = Field(
        default=f"sqlite:///{VAR_DIR / 'ketahanan.sqlite'}",
        description="Actions store: a SQLite file by default, PostgreSQL/PostGIS by URL.",
    )
    user_layers_path: Path = Field(
        default=VAR_DIR / "user_layers.json",
        description="Planner-loaded indicator layers (`ketahanan layer add`) for the next build.",
    )
    user_scenarios_path: Path = Field(
        default=VAR_DIR / "user_scenarios.json",
        description=(
            "Planner-loaded flood depth grids (`ketahanan layer add --scenario`), each an "
            "impact scenario of the next build."
        ),
    )
    score_weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Indicator weights for the pillar scores, e.g. "
            "'{\"siap_flood_share_2007\": 2}'; indicators not named keep their documented default."
        ),
    )
    read_requires_token: bool = Field(
        default=False,
        description="When true, reading actions also needs a bearer token (any role).",
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        gt=0,
        description="Largest accepted request body in bytes (1 MB); larger bodies get 413.",
    )
    max_vertices: int = Field(
        default=10_000,
        gt=0,
        description="Most vertices one action geometry may have (10,000).",
    )
    max_import_features: int = Field(
        default=2_000,
        gt=0,
        description="Most features one import (a POSTed FeatureCollection) may hold.",
    )
    db_busy_timeout_ms: int = Field(
        default=15_000,
        ge=0,
        description="SQLite only: how long a write waits for the file lock before giving up.",
    )
    migrate_on_startup: bool = Field(
        default=True,
        description="Run the actions store's database migrations when the app starts.",
    )
    basemap_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description=(
            "Tile URL template of the map pages' basemap (OpenStreetMap by default); an "
            "intranet tile server works too; `none` draws no basemap (fully offline)."
        ),
    )
    basemap_attribution: str = Field(
        default="&copy; OpenStreetMap contributors",
        description="Attribution shown with the basemap (HTML allowed; it is configuration).",
    )
    host: str = Field(default="127.0.0.1", description="Address `ketahanan serve` binds.")
    port: int = Field(
        default=8000, ge=1, le=65535, description="Port `ketahanan serve` listens on (1-65535)."
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"],
        description=(
            "Origins allowed to call the API from a browser (CORS), as a JSON list, e.g. "
            '\'["https://gis.jakarta.go.id"]\'; ["*"] (the default) allows any, [] turns CORS off.'
        ),
    )
    items_limit_default: int = Field(
        default=100,
        ge=1,
        description="Features per page of /collections/{id}/items when `limit` is not given.",
    )
    items_limit_max: int = Field(
        default=10_000,
        ge=1,
        description=(
            "Largest page of /collections/{id}/items; a larger `limit` is lowered to it "
            "(OGC API - Features). At least 267 so the web map gets every kelurahan at once."
        ),
    )
    items_warm_zooms: list[int] = Field(
        default_factory=lambda: [10, 12, 14],
        description=(
            "Map zooms whose generalised admin geometry is computed at start-up "
            "(other zooms are computed on first use and then kept)."
        ),
    )
    response_cache_entries: int = Field(
        default=512,
        ge=0,
        description="Finished API responses kept in memory (LRU); 0 turns the cache off.",
    )
    response_cache_mb: int = Field(
        default=512,
        ge=1,
        description="Memory budget of the response cache, in MiB (bodies and gzip bodies).",
    )
    http_cache_max_age: int = Field(
        default=60,
        ge=0,
        description="Cache-Control max-age (seconds) of API responses; ETags allow revalidation.",
    )

    @property
    def report_path(self) -> Path:
        """The build report (JSON) written beside the build output."""
        return self.build_path.with_suffix(".report.json")


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
