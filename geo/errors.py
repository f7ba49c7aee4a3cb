"""One error hierarchy for the whole project.

Every error carries an HTTP-like ``status`` and a stable machine ``code`` so the API renders
it with one handler and the CLI prints it as a plain message. Messages are written for a
person: they name the file, row or field and say what was expected.
"""

from __future__ import annotations

from typing import Any


class KetahananError(Exception):
    """Base of every error the project raises on purpose."""

    status: int = 400
    code: str = "bad_request"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class DataError(KetahananError):
    """An input file is missing, changed, unreadable or not what the build expects."""

    status = 422
    code = "data_error"


class MissingFileError(DataError):
    """A file named in the data catalogue is not on disk."""

    code = "missing_file"


class ChecksumError(DataError):
    """A file's sha256 differs from the one recorded in the data catalogue."""

    code = "checksum_mismatch"


class CRSError(DataError):
    """A layer has no coordinate reference system, or one the build cannot use."""

    code = "crs_error"


class ExtentError(DataError):
    """Coordinates fall outside the Jakarta extent (with its margin)."""

    code = "outside_extent"


class SwappedCoordinatesError(ExtentError):
    """Coordinates look like latitude/longitude in the wrong order."""

    code = "swapped_coordinates"


class SchemaError(DataError):
    """A table or layer lacks a column the build needs, or a value does not parse."""

    code = "schema_error"


class NotFoundError(KetahananError):
    """An unknown collection, feature, unit code or indicator."""

    status = 404
    code = "not_found"


class InvalidParameterError(KetahananError):
    """A request or command parameter is malformed or out of range."""

    status = 400
    code = "invalid_parameter"
