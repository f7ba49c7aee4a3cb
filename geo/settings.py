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
        description="Planner-loaded indicator layers (`ketahanan layer add`), used by the next build.",
    )
    score_weights: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Indicator weights for the pillar scores, e.g. "
            '\'{"siap_flood_share_2007": 2}\'; indicators not named keep their documented default.'
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `ketahanan serve` binds.")
    port: int = Field(default=8000, description="Port `ketahanan serve` listens on.")

    @property
    def report_path(self) -> Path:
        """The build report (JSON) written beside the build output."""
        return self.build_path.with_suffix(".report.json")


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
