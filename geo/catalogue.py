"""The data catalogue: every source file the build reads, with its licence, date and checksum.

The catalogue lives in ``data/catalogue.json`` (see :attr:`geo.settings.Settings.catalogue_path`).
Its descriptive fields (titles, pillar, kind, licence, date, origin) are written by hand; the
``files`` list of each source is recomputed from disk by :func:`refresh_checksums`. The real
files are read in place from :attr:`geo.settings.Settings.data_dir` and never copied into the
repository; :func:`verify` and :func:`verify_source` check them against the catalogue before a
build reads them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from geo.errors import ChecksumError, DataError, MissingFileError, NotFoundError
from geo.vocabulary import Pillar, Text

CHUNK_SIZE = 1024 * 1024
"""Bytes read at a time when hashing a file (1 MiB)."""

INDEX_FILES = frozenset({"SOURCES.md"})
"""Files at the top of the data folder that index it and belong to no source."""

SourcePillar = Pillar | Literal["all"]
"""A source serves one pillar, or all of them (boundaries, population)."""
Kind = Literal["boundary", "shock", "stress", "asset", "population", "strategy"]
Format = Literal["ESRI Shapefile", "GeoJSON", "GTFS", "GTFS zip", "ESRI ASCII grid", "CSV"]
ProgressCallback = Callable[[str], None]


def _check_relpath(value: str) -> str:
    """Reject absolute paths, backslashes, empty parts and ``..`` in a data-dir-relative path."""
    parts = PurePosixPath(value).parts
    if (
        not value
        or "\\" in value
        or value.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or value.endswith("/")
    ):
        raise ValueError(f"{value!r} is not a plain relative path (forward slashes, no '..')")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Origin(_Model):
    """Where a source's files were copied from: a public repository at one commit."""

    repository: str = Field(pattern=r"^https://github\.com/[\w.-]+/[\w.-]+$")
    commit: str = Field(pattern=r"^[0-9a-f]{40}$")
    path: str = Field(min_length=1, description="Path (or path pattern) in that repository.")


class SourceFile(_Model):
    """One file on disk: its path relative to the data folder, sha256 and size in bytes."""

    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _plain_path(cls, value: str) -> str:
        return _check_relpath(value)

    @property
    def name(self) -> str:
        """The file's base name."""
        return PurePosixPath(self.path).name


class Source(_Model):
    """One data source: a folder of files with a title, pillar, kind, licence and origin."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: Text
    pillar: SourcePillar
    kind: Kind
    format: Format
    licence: str = Field(min_length=1, description="Licence as stated by the source.")
    date: str = Field(min_length=1, description="Date of the data as stated.")
    origin: Origin | None = Field(
        default=None, description="Repository the files came from; null for web-page sources."
    )
    references: list[str] = Field(
        default_factory=list, description="Web pages the data was read from, if not a repository."
    )
    folder: str
    files: list[SourceFile] = Field(default_factory=list)

    @field_validator("folder")
    @classmethod
    def _plain_folder(cls, value: str) -> str:
        return _check_relpath(value)

    @model_validator(mode="after")
    def _files_in_folder(self) -> Source:
        prefix = self.folder + "/"
        outside = [f.path for f in self.files if not f.path.startswith(prefix)]
        if outside:
            raise ValueError(
                f"source {self.id!r}: files outside its folder {self.folder!r}: "
                + ", ".join(outside)
            )
        if self.origin is None and not self.references:
            raise ValueError(f"source {self.id!r}: give an origin or at least one reference")
        return self

    def file(self, name_or_relpath: str) -> SourceFile:
        """Return the catalogue entry of one of this source's files.

        Parameters
        ----------
        name_or_relpath
            The file's path relative to the data folder (``flood/x/a.shp``), relative to the
            source's folder (``gtfs/stops.txt``), or its base name when that is unique
            (``stops.txt``).

        Returns
        -------
        SourceFile
            The matching entry.

        Raises
        ------
        MissingFileError
            If the source lists no such file.
        DataError
            If a base name matches more than one file.
        """
        wanted = name_or_relpath.replace("\\", "/").strip("/")
        for candidate in (wanted, f"{self.folder}/{wanted}"):
            for entry in self.files:
                if entry.path == candidate:
                    return entry
        by_name = [entry for entry in self.files if entry.name == wanted]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise DataError(
                f"{name_or_relpath!r} names {len(by_name)} files of source {self.id!r}: "
                f"{', '.join(e.path for e in by_name)}; give the path inside {self.folder}/"
            )
        raise MissingFileError(
            f"source {self.id!r} lists no file {name_or_relpath!r} in the data catalogue; "
            f"its files are: {', '.join(e.path for e in self.files) or '(none)'}",
            details={"source": self.id, "file": name_or_relpath},
        )

    def path(self, data_dir: Path, name_or_relpath: str) -> Path:
        """Return the absolute path of one of this source's files, checking it is on disk.

        Parameters
        ----------
        data_dir
            The data folder (``Settings.data_dir``).
        name_or_relpath
            As for :meth:`file`: a data-dir-relative path, a folder-relative path or a
            unique base name.

        Returns
        -------
        Path
            ``data_dir / entry.path``, resolved.

        Raises
        ------
        MissingFileError
            If the source lists no such file, or the file is not on disk.
        """
        entry = self.file(name_or_relpath)
        full = (Path(data_dir) / entry.path).resolve()
        if not full.is_file():
            raise MissingFileError(
                f"data file {entry.path} (source {self.id!r}) is missing: expected it at {full}. "
                "Fetch it as data/README.md describes, or point KETAHANAN_DATA_DIR at a folder "
                "that holds it.",
                details={"source": self.id, "file": entry.path, "expected_at": str(full)},
            )
        return full


class Catalogue(_Model):
    """The whole catalogue: a version number and the list of sources."""

    version: Literal[1] = 1
    sources: list[Source]

    @model_validator(mode="after")
    def _unique(self) -> Catalogue:
        counts = Counter(s.id for s in self.sources)
        dupes = sorted(i for i, n in counts.items() if n > 1)
        if dupes:
            raise ValueError(f"duplicate source ids: {', '.join(dupes)}")
        owner: dict[str, str] = {}
        for source in self.sources:
            for entry in source.files:
                if entry.path in owner:
                    raise ValueError(
                        f"file {entry.path} is listed by both {owner[entry.path]!r} "
                        f"and {source.id!r}"
                    )
                owner[entry.path] = source.id
        return self

    @property
    def ids(self) -> list[str]:
        """The source ids, in catalogue order."""
        return [s.id for s in self.sources]

    def source(self, source_id: str) -> Source:
        """Return the source with this id.

        Raises
        ------
        NotFoundError
            If no source has this id (the message lists the known ids).
        """
        for source in self.sources:
            if source.id == source_id:
                return source
        raise NotFoundError(
            f"no data source {source_id!r} in the catalogue; known ids: {', '.join(self.ids)}",
            details={"source": source_id},
        )

    def iter_files(self) -> Iterator[tuple[Source, SourceFile]]:
        """Yield every (source, file) pair in catalogue order."""
        for source in self.sources:
            for entry in source.files:
                yield source, entry


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue JSON.

    Parameters
    ----------
    path
        The catalogue file (``Settings.catalogue_path``).

    Returns
    -------
    Catalogue
        The validated catalogue.

    Raises
    ------
    MissingFileError
        If the file does not exist.
    DataError
        If it is not valid JSON or does not match the catalogue's shape; the message names
        the file and the first problems found.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError(
            f"data catalogue not found: {path}", details={"file": str(path)}
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"cannot read data catalogue {path}: {exc}", details={"file": str(path)}
        ) from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"data catalogue {path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}",
            details={"file": str(path), "line": exc.lineno, "column": exc.colno},
        ) from None
    try:
        return Catalogue.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(top level)'}: {err['msg']}"
            for err in exc.errors()
        ]
        shown = "; ".join(problems[:5]) + (
            f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
        )
        raise DataError(
            f"data catalogue {path} does not match the expected shape: {shown}",
            details={"file": str(path), "errors": problems},
        ) from None


def dump_catalogue(catalogue: Catalogue) -> str:
    """Return the catalogue as pretty-printed JSON (indent 2, UTF-8 text, trailing newline)."""
    data = catalogue.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_catalogue(catalogue: Catalogue, path: Path) -> None:
    """Write the catalogue to ``path`` as :func:`dump_catalogue` formats it."""
    Path(path).write_text(dump_catalogue(catalogue), encoding="utf-8")


def sha256_file(path: Path, *, chunk_size: int = CHUNK_SIZE) -> str:
    """Return the hex sha256 of a file, read in chunks so large files use little memory.

    Parameters
    ----------
    path
        The file to hash.
    chunk_size
        Bytes read at a time (1 MiB by default).

    Returns
    -------
    str
        64 lower-case hex digits.
    """
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(data_dir: Path, folder: Path) -> list[str]:
    """Every regular file under ``folder`` (recursively), as sorted data-dir-relative paths."""
    return sorted(p.relative_to(data_dir).as_posix() for p in folder.rglob("*") if p.is_file())


def _require_data_dir(data_dir: Path) -> Path:
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise MissingFileError(
            f"data folder not found: {data_dir}. Set KETAHANAN_DATA_DIR to the folder that holds "
            "the Jakarta data (see data/README.md).",
            details={"file": str(data_dir)},
        )
    return data_dir


def refresh_checksums(
    catalogue: Catalogue, data_dir: Path, *, progress: ProgressCallback | None = None
) -> Catalogue:
    """Return a copy of the catalogue whose file lists are recomputed from disk.

    Every file under each source's folder (recursively, sorted, sidecars included) is listed
    with its sha256 and size. The descriptive fields are kept as they are.

    Parameters
    ----------
    catalogue
        The catalogue whose sources (ids, folders) to refresh.
    data_dir
        The data folder.
    progress
        Called with each file's relative path before it is hashed.

    Returns
    -------
    Catalogue
        A new, validated catalogue; the argument is not changed.

    Raises
    ------
    MissingFileError
        If the data folder, or a source's folder, does not exist.
    """
    data_dir = _require_data_dir(data_dir)
    sources = []
    for source in catalogue.sources:
        folder = data_dir / source.folder
        if not folder.is_dir():
            raise MissingFileError(
                f"folder {source.folder} of source {source.id!r} not found in {data_dir}",
                details={"source": source.id, "file": source.folder},
            )
        files = []
        for rel in _files_under(data_dir, folder):
            if progress is not None:
                progress(rel)
            full = data_dir / rel
            files.append(SourceFile(path=rel, sha256=sha256_file(full), bytes=full.stat().st_size))
        sources.append(source.model_copy(update={"files": files}))
    return Catalogue.model_validate(
        catalogue.model_copy(update={"sources": sources}).model_dump(mode="json")
    )


@dataclass
class VerifyResult:
    """What :func:`verify` found.

    Attributes
    ----------
    ok
        True when no listed file is missing or changed (unexpected files do not count).
    checked
        Number of listed files looked at.
    missing
        Listed files (data-dir-relative) that are not on disk.
    changed
        ``(path, expected_sha256, actual_sha256)`` for files whose content differs.
    unexpected
        Files on disk that no source lists, when that was checked; ``None`` otherwise.
    """

    ok: bool = True
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    unexpected: list[str] | None = None


def _verify_files(
    entries: Iterable[SourceFile], data_dir: Path, progress: ProgressCallback | None
) -> VerifyResult:
    result = VerifyResult()
    for entry in entries:
        result.checked += 1
        if progress is not None:
            progress(entry.path)
        full = data_dir / entry.path
        if not full.is_file():
            result.missing.append(entry.path)
            continue
        actual = sha256_file(full)
        if actual != entry.sha256:
            result.changed.append((entry.path, entry.sha256, actual))
    result.ok = not result.missing and not result.changed
    return result


def unexpected_files(catalogue: Catalogue, data_dir: Path) -> list[str]:
    """List the files in the data folder that no source lists (the top-level index excepted).

    Parameters
    ----------
    catalogue
        The catalogue.
    data_dir
        The data folder.

    Returns
    -------
    list of str
        Sorted data-dir-relative paths.
    """
    data_dir = _require_data_dir(data_dir)
    listed = {entry.path for _, entry in catalogue.iter_files()}
    return [
        rel
        for rel in _files_under(data_dir, data_dir)
        if rel not in listed and rel not in INDEX_FILES
    ]


def verify(
    catalogue: Catalogue,
    data_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    check_unexpected: bool = True,
) -> VerifyResult:
    """Check every file the catalogue lists against the data folder.

    Parameters
    ----------
    catalogue
        The catalogue.
    data_dir
        The data folder.
    progress
        Called with each file's relative path before it is checked (for a progress bar).
    check_unexpected
        Also list files on disk that no source lists (reported, never an error).

    Returns
    -------
    VerifyResult
        Counts and the missing, changed and unexpected files.

    Raises
    ------
    MissingFileError
        If the data folder itself does not exist.
    """
    data_dir = _require_data_dir(data_dir)
    result = _verify_files((e for _, e in catalogue.iter_files()), data_dir, progress)
    if check_unexpected:
        result.unexpected = unexpected_files(catalogue, data_dir)
    return result


def raise_for_result(result: VerifyResult, data_dir: Path) -> None:
    """Raise the error that describes a failed :class:`VerifyResult`; do nothing if it is ok.

    Raises
    ------
    MissingFileError
        If any listed file is missing (the message names each one, and any changed files too).
    ChecksumError
        If files are present but differ (the message names each one with its expected and
        actual sha256).
    """
    if result.ok:
        return
    details = {
        "data_dir": str(data_dir),
        "missing": list(result.missing),
        "changed": [
            {"file": path, "expected_sha256": exp, "actual_sha256": act}
            for path, exp, act in result.changed
        ],
    }
    changed_text = "; ".join(
        f"{path}: expected sha256 {exp}, found {act}" for path, exp, act in result.changed
    )
    if result.missing:
        noun = "file is" if len(result.missing) == 1 else f"{len(result.missing)} files are"
        message = (
            f"{noun} listed in the data catalogue but missing from {data_dir}: "
            f"{', '.join(result.missing)}. Fetch them as data/README.md describes, or set "
            "KETAHANAN_DATA_DIR."
        )
        if result.changed:
            message += f" Also changed: {changed_text}."
        raise MissingFileError(message, details=details)
    noun = "file differs" if len(result.changed) == 1 else f"{len(result.changed)} files differ"
    raise ChecksumError(
        f"{noun} from the data catalogue in {data_dir}: {changed_text}. If the change is "
        "intended, refresh the catalogue with `ketahanan data checksums --write`.",
        details=details,
    )


def verify_or_raise(
    catalogue: Catalogue,
    data_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    check_unexpected: bool = True,
) -> VerifyResult:
    """Like :func:`verify`, but raise when a listed file is missing or changed.

    Returns
    -------
    VerifyResult
        The (passing) result, with any unexpected files listed.

    Raises
    ------
    MissingFileError
        If the data folder or any listed file is missing; the message names the files.
    ChecksumError
        If any listed file's sha256 differs; the message names the files, expected and actual.
    """
    result = verify(catalogue, data_dir, progress=progress, check_unexpected=check_unexpected)
    raise_for_result(result, Path(data_dir))
    return result


def verify_source(
    catalogue: Catalogue,
    data_dir: Path,
    source_id: str,
    *,
    progress: ProgressCallback | None = None,
) -> Source:
    """Check the files of one source before the build reads them.

    Parameters
    ----------
    catalogue
        The catalogue.
    data_dir
        The data folder.
    source_id
        The source to check (e.g. ``"rw_2014"``).
    progress
        Called with each file's relative path before it is checked.

    Returns
    -------
    Source
        The verified source, so the caller can go on with ``source.path(data_dir, name)``.

    Raises
    ------
    NotFoundError
        If the catalogue has no such source.
    MissingFileError
        If the data folder or one of the source's files is missing.
    ChecksumError
        If one of the source's files differs from its recorded sha256.
    """
    source = catalogue.source(source_id)
    data_dir = _require_data_dir(data_dir)
    result = _verify_files(source.files, data_dir, progress)
    raise_for_result(result, data_dir)
    return source
