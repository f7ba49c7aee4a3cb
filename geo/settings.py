"""The settings of Ketahanan, grouped by concern (environment prefix ``KETAHANAN_``).

Each group is a settings class of its own, with the checks that tie its fields together:

* :class:`BuildSettings`: the data, the catalogue, the build output, planner layers, weights;
* :class:`StoreSettings`: the actions store (database, migrations, limits of what is stored);
* :class:`HTTPSettings`: where the app listens, CORS, body and page limits, response caching;
* :class:`MapSettings`: the map pages' basemap;
* :class:`ImpactSettings`: the flood impact analysis (depth classes, displacement, needs).

:class:`Settings` is all five in one object (a code path that needs one concern is typed with
its group, and any :class:`Settings` is one). Every field keeps the environment variable it
always had, ``KETAHANAN_<FIELD>``, as the README documents. A bad value or a bad combination
stops the app or the command at start with a plain message (:func:`settings_problem`). No
other module reads ``os.environ``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from geo.uncertainty import CONCENTRATION, DRAWS, MIN_DRAWS, SEED, UncertaintyParams

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding pyproject.toml (the repository root in a checkout)."""

VAR_DIR = PROJECT_ROOT / "var"
"""Ignored working folder for the build output and the default SQLite database."""

ENV_PREFIX = "KETAHANAN_"

_CONFIG = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")


def _default_data_dir() -> Path:
    return (PROJECT_ROOT / ".." / "shared" / "data" / "jakarta").resolve()


def env_name(field: str) -> str:
    """The environment variable of a settings field, e.g. ``KETAHANAN_BUILD_PATH``."""
    return f"{ENV_PREFIX}{field.upper()}"


class BuildSettings(BaseSettings):
    """The build: where the data is, where the output goes, what the scores weigh."""

    model_config = _CONFIG

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
    rank_draws: int = Field(
        default=DRAWS,
        ge=MIN_DRAWS,
        le=100_000,
        description="Monte Carlo draws of the rank uncertainty per level and pillar (>= 1000).",
    )
    rank_seed: int = Field(
        default=SEED,
        ge=0,
        description="Seed of the rank-uncertainty draws (same seed, same numbers).",
    )
    rank_concentration: float = Field(
        default=CONCENTRATION,
        gt=0,
        le=10_000,
        description="Dirichlet concentration per input of the drawn weights (higher = closer).",
    )

    @property
    def rank_uncertainty(self) -> UncertaintyParams:
        """The Monte Carlo parameters of the rank uncertainty."""
        return UncertaintyParams(self.rank_draws, self.rank_seed, self.rank_concentration)

    @property
    def report_path(self) -> Path:
        """The build report (JSON) written beside the build output."""
        return self.build_path.with_suffix(".report.json")

    @model_validator(mode="after")
    def _paths_apart(self) -> BuildSettings:
        named = ("build_path", "user_layers_path", "user_scenarios_path")
        for i, first in enumerate(named):
            for second in named[i + 1 :]:
                if getattr(self, first).resolve() == getattr(self, second).resolve():
                    raise ValueError(
                        f"{env_name(first)} and {env_name(second)} name the same file "
                        f"({getattr(self, first)}); give each its own"
                    )
        return self


class StoreSettings(BaseSettings):
    """The actions store: its database, migrations, read access and the limits of an action."""

    model_config = _CONFIG

    database_url: str = Field(
        default=f"sqlite:///{VAR_DIR / 'ketahanan.sqlite'}",
        description="Actions store: a SQLite file by default, PostgreSQL/PostGIS by URL.",
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
    read_requires_token: bool = Field(
        default=False,
        description="When true, reading actions also needs a bearer token (any role).",
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

    @model_validator(mode="after")
    def _known_database(self) -> StoreSettings:
        # only a URL's scheme is ever named: the rest may hold a password
        found = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", self.database_url)
        if found is None:
            raise ValueError(
                f"{env_name('database_url')} is not a database URL: give a sqlite:/// or "
                "postgresql+psycopg:// URL"
            )
        if found[1].partition("+")[0].lower() not in ("sqlite", "postgresql"):
            raise ValueError(
                f"{env_name('database_url')} must be a sqlite:/// or postgresql+psycopg:// URL, "
                f"not {found[0]}"
            )
        return self


class FloodFeedSettings(BaseSettings):
    """The flood feed: which URL ``serve`` follows, how often, and when its state is stale."""

    model_config = _CONFIG

    flood_feed_url: str = Field(
        default="",
        max_length=2000,
        description=(
            "Flood-state feed (PetaBencana format) `serve` follows in the background; empty: "
            "none (`ketahanan flood follow` does it from the command line)."
        ),
    )
    flood_feed_every_seconds: float = Field(
        default=300.0,
        ge=5,
        le=86_400,
        description="Seconds between two fetches of the followed feed (5 min).",
    )
    flood_feed_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="Seconds one fetch of the feed may take before it counts as a time-out.",
    )
    flood_feed_stale_seconds: float = Field(
        default=900.0,
        gt=0,
        description="Age after which the last good flood state is shown as stale (15 min).",
    )


class HTTPSettings(BaseSettings):
    """Serving over HTTP: address, CORS, request and page limits, response caching."""

    model_config = _CONFIG

    host: str = Field(default="127.0.0.1", description="Address `ketahanan serve` binds.")
    port: int = Field(
        default=8000, ge=1, le=65_535, description="Port `ketahanan serve` listens on (1-65535)."
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description=(
            "Worker processes of `ketahanan serve` (1-64); every worker and every instance on "
            "the same database answers alike (see deploy/README.md)."
        ),
    )
    keep_alive_seconds: int = Field(
        default=75,
        ge=1,
        le=3600,
        description=(
            "Seconds `ketahanan serve` keeps an idle HTTP connection open (1-3600). Longer "
            "than a reverse proxy's upstream keepalive_timeout (deploy/nginx.conf: 60 s), so the "
            "proxy closes an idle connection first and never sends on one the app has closed."
        ),
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description=(
            "Addresses of the reverse proxies whose X-Forwarded-Proto/-For `ketahanan serve` "
            "trusts (comma-separated, `*` for any); links then name the proxy's scheme."
        ),
    )
    cors_origins: list[str] = Field(
        default_factory=lambda: ["*"],
        description=(
            "Origins allowed to call the API from a browser (CORS), as a JSON list, e.g. "
            '\'["https://gis.jakarta.go.id"]\'; ["*"] (the default) allows any, [] turns CORS off.'
        ),
    )
    max_body_bytes: int = Field(
        default=1_000_000,
        gt=0,
        description="Largest accepted request body in bytes (1 MB); larger bodies get 413.",
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

    @model_validator(mode="after")
    def _limits_agree(self) -> HTTPSettings:
        if self.items_limit_default > self.items_limit_max:
            raise ValueError(
                f"{env_name('items_limit_default')} ({self.items_limit_default}) must not be "
                f"larger than {env_name('items_limit_max')} ({self.items_limit_max})"
            )
        return self


class MapSettings(BaseSettings):
    """The map pages: the basemap's tiles and attribution."""

    model_config = _CONFIG

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

    @property
    def has_basemap(self) -> bool:
        """False when the basemap is turned off (``none`` or empty)."""
        return self.basemap_url.strip().lower() not in ("", "none")

    @model_validator(mode="after")
    def _tile_template(self) -> MapSettings:
        if self.has_basemap:
            missing = [p for p in ("{z}", "{x}", "{y}") if p not in self.basemap_url]
            if missing:
                raise ValueError(
                    f"{env_name('basemap_url')} must be a tile URL template with {{z}}, {{x}} "
                    f"and {{y}} (or none); {', '.join(missing)} missing in {self.basemap_url!r}"
                )
        return self


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

    model_config = _CONFIG

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
                f"{env_name('impact_low_min_m')} < {env_name('impact_medium_min_m')} < "
                f"{env_name('impact_high_min_m')} must hold; got {low} < {medium} < {high}"
            )
        return self


class Settings(
    FloodFeedSettings, ImpactSettings, MapSettings, HTTPSettings, StoreSettings, BuildSettings
):
    """Every setting, read from ``KETAHANAN_*`` environment variables or ``.env``.

    A :class:`Settings` is a :class:`BuildSettings`, a :class:`StoreSettings`, an
    :class:`HTTPSettings`, a :class:`MapSettings`, an :class:`ImpactSettings` and a
    :class:`FloodFeedSettings` at once, with
    each group's checks.
    """

    model_config = _CONFIG


GROUPS: dict[str, type[BaseSettings]] = {
    "build": BuildSettings,
    "actions store": StoreSettings,
    "http": HTTPSettings,
    "map": MapSettings,
    "impact": ImpactSettings,
    "flood feed": FloodFeedSettings,
}
"""The settings groups by concern, as the README lists them."""


def settings_problem(exc: PydanticValidationError) -> str:
    """A plain message naming each bad ``KETAHANAN_*`` variable of a settings error."""
    lines = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
        loc = error.get("loc") or ()
        lines.append(f"{env_name(str(loc[0]))}: {message}" if loc else message)
    return "; ".join(lines)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, or raise :class:`geo.errors.SettingsError` with a plain message."""
    from geo.errors import SettingsError

    try:
        return Settings(**overrides)
    except PydanticValidationError as exc:
        raise SettingsError(settings_problem(exc)) from None


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (read once; SettingsError when they are bad)."""
    return load_settings()
