"""The one settings class of Ketahanan (environment prefix ``KETAHANAN_``).

No other module reads ``os.environ``. Each field's default is documented here and in the README.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding pyproject.toml (the repository root in a checkout)."""

VAR_DIR = PROJECT_ROOT / "var"
"""Ignored working folder for the build output and the default SQLite database."""


def _default_data_dir() -> Path:
    return (PROJECT_ROOT / ".." / "shared" / "data" / "jakarta").resolve()


class Settings(BaseSettings):
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
