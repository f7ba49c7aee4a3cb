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
    headers: dict[str, str] | None = None
    """HTTP headers the API adds to the error response (e.g. WWW-Authenticate on 401)."""

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class SettingsError(KetahananError):
    """A ``KETAHANAN_*`` setting (or a combination of them) is not valid; the message says
    which variable and why."""

    status = 500
    code = "invalid_setting"


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


class NoBuildError(DataError):
    """There is no build output yet (run ``ketahanan build``): the one "no build" error."""

    status = 503
    code = "no_build"


class SchemaError(DataError):
    """A table or layer lacks a column the build needs, or a value does not parse."""

    code = "schema_error"


class NotFoundError(KetahananError):
    """An unknown collection, feature, unit code or indicator."""

    status = 404
    code = "not_found"


class FeedError(DataError):
    """A fetch of the flood feed failed or gave something that is not a good flood state.

    Normal during an event (time-outs, HTTP errors, empty, truncated or garbage files, a state
    outside 1-4, a feed older than the last one): it is recorded with the fetch and the last
    good state stays served.
    """

    code = "feed_error"


class InvalidParameterError(KetahananError):
    """A request or command parameter is malformed or out of range."""

    status = 400
    code = "invalid_parameter"


class ValidationError(KetahananError):
    """A request body is well-formed JSON but breaks a rule.

    ``details`` lists every field error as ``{"field": ..., "message": ...}``.
    """

    status = 422
    code = "validation_error"


class UnauthorizedError(KetahananError):
    """No bearer token, or one that is unknown or revoked."""

    status = 401
    code = "unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="ketahanan"'}  # noqa: RUF012


class ForbiddenError(KetahananError):
    """A valid token whose role is too weak for the request."""

    status = 403
    code = "forbidden"


class MethodNotAllowedError(KetahananError):
    """The resource exists but does not take this method (e.g. writing to a build layer)."""

    status = 405
    code = "method_not_allowed"


class ConflictError(KetahananError):
    """The request conflicts with the current state (e.g. restoring a live action)."""

    status = 409
    code = "conflict"


class PreconditionFailedError(KetahananError):
    """An ``If-Match`` ETag no longer matches: someone else changed the resource first."""

    status = 412
    code = "precondition_failed"


class PayloadTooLargeError(KetahananError):
    """A request body is larger than the configured limit."""

    status = 413
    code = "payload_too_large"


class UnsupportedMediaTypeError(KetahananError):
    """A request body whose ``Content-Type`` is not one the route reads (JSON, GeoJSON)."""

    status = 415
    code = "unsupported_media_type"


class PreconditionRequiredError(KetahananError):
    """A change to an existing resource was sent without ``If-Match``."""

    status = 428
    code = "precondition_required"


class ServiceUnavailableError(KetahananError):
    """A backing service (the actions database) cannot be reached."""

    status = 503
    code = "service_unavailable"


class GoneError(KetahananError):
    """The resource existed but was deleted (an action can be restored)."""

    status = 410
    code = "gone"


class InsufficientStorageError(ServiceUnavailableError):
    """The actions database cannot grow: its disk is full (nothing was written)."""

    status = 507
    code = "insufficient_storage"
