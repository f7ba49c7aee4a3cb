"""The one parser of every request header the app reads: strict grammar, bounded length.

Headers read: ``Authorization`` (:func:`bearer_secret`), ``If-Match`` (:func:`if_match_versions`),
``If-None-Match`` (:func:`none_match`), ``Content-Length`` (:func:`content_length`),
``Content-Type`` (:func:`require_json_media_type`) and ``Accept-Language``
(:func:`preferred_language`).

Starlette decodes header bytes as latin-1, so a byte such as 0xB2 arrives as ``"²"``, for
which ``str.isdigit()`` is true and ``int()`` then fails: numbers here are ASCII digits
matched by a regular expression, and every value is refused (or, for the purely advisory
``If-None-Match`` and ``Accept-Language``, ignored) past :data:`MAX_HEADER_CHARS`.

Entity tags follow RFC 9110 section 8.8.3: ``If-Match`` uses the *strong* comparison, so a
weak tag ``W/"3"`` never matches (section 13.1.1); ``If-None-Match`` uses the weak one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from fastapi import Request

from geo.errors import (
    InvalidParameterError,
    PreconditionRequiredError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from geo.params import MAX_INT_DIGITS, shown

MAX_HEADER_CHARS = 4096
"""Longest value of a header this module reads."""
MAX_AUTHORIZATION_CHARS = 512
"""Longest ``Authorization`` value (a token made by ``ketahanan token create`` has 43)."""
MAX_LANGUAGE_RANGES = 32
"""Most language ranges of ``Accept-Language`` looked at."""

JSON_MEDIA_TYPES = ("application/json", "application/geo+json", "application/merge-patch+json")
"""Media types of a request body the app reads (and any other ``application/...+json``)."""

_ELEMENT = re.compile(r'[ \t]*(?:(W/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|\Z)')
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*", re.ASCII)
_LANGUAGE = re.compile(
    r"[ \t]*(?P<tag>[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)[ \t]*"
    r"(?:;[ \t]*[qQ][ \t]*=[ \t]*(?P<q>0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?))?[ \t]*",
    re.ASCII,
)


@dataclass(frozen=True)
class EntityTag:
    """One entity-tag of a conditional header: its opaque text and whether it is weak."""

    opaque: str
    weak: bool


def parse_entity_tags(value: str, header: str) -> tuple[EntityTag, ...] | None:
    """The entity-tags of an ``If-Match`` / ``If-None-Match`` value; None for ``*``.

    Raises
    ------
    InvalidParameterError
        A value longer than :data:`MAX_HEADER_CHARS`, or not ``*`` and not a comma-separated
        list of ``"tag"`` / ``W/"tag"``.
    """
    text = value.strip(" \t")
    if text == "*":
        return None
    tags = _entity_tag_list(text) if len(text) <= MAX_HEADER_CHARS else None
    if tags:
        return tags
    raise InvalidParameterError(
        f"{header} {shown(value)} is not an entity tag: send the ETag of your last GET "
        'exactly as it came, quotes included (like "3"), or *',
        details=[{"field": header, "message": 'an entity tag like "3", or *'}],
    )


def _entity_tag_list(text: str) -> tuple[EntityTag, ...] | None:
    """The tags of ``#entity-tag`` (empty list elements allowed), or None if it does not parse."""
    tags: list[EntityTag] = []
    pos = 0
    while (match := _ELEMENT.match(text, pos)) is not None:
        if match.group(2) is not None:
            tags.append(EntityTag(match.group(2), match.group(1) is not None))
        if match.group(3) == "":  # the end of the value
            return tuple(tags)
        pos = match.end()
    return None


def if_match_versions(request: Request, *, required: bool = True) -> frozenset[int] | None:
    """The action versions an ``If-Match`` header names (strong comparison); None for ``*``.

    A weak tag (``W/"3"``) never matches under the strong comparison, and a tag that is not a
    version number cannot match any version: both leave the set without them, so the store
    answers 412 (Precondition Failed) rather than acting on a weak or foreign validator.

    Raises
    ------
    PreconditionRequiredError
        No (or an empty) header where one is required (428).
    InvalidParameterError
        A header that is not an entity-tag list (400).
    """
    header = request.headers.get("if-match")
    if header is None or not header.strip(" \t"):
        if required:
            raise PreconditionRequiredError(
                "send If-Match with the ETag from your last GET of this action, so that "
                "nobody's change is overwritten",
                details=[{"field": "If-Match", "message": "required"}],
            )
        return None
    tags = parse_entity_tags(header, "If-Match")
    if tags is None:
        return None
    return frozenset(
        int(t.opaque)
        for t in tags
        if not t.weak and _DIGITS.fullmatch(t.opaque) and len(t.opaque) <= MAX_INT_DIGITS
    )


def none_match(header: str | None, current: Collection[str]) -> bool:
    """Whether ``If-None-Match`` names one of the ``current`` opaque tags (weak comparison).

    A malformed or over-long header is ignored (the full response is sent), as a cache may
    send anything and a conditional GET only saves bytes.
    """
    if not header:
        return False
    try:
        tags = parse_entity_tags(header, "If-None-Match")
    except InvalidParameterError:
        return False
    return tags is None or any(t.opaque in current for t in tags)


def content_length(value: str | None) -> int | None:
    """The declared body size, or None without the header.

    Raises
    ------
    InvalidParameterError
        Not a number of bytes written with the digits 0-9 (at most 18 of them).
    """
    if value is None:
        return None
    text = value.strip(" \t")
    if not _DIGITS.fullmatch(text) or len(text) > MAX_INT_DIGITS:
        raise InvalidParameterError(
            f"Content-Length {shown(value)} is not a number of bytes (digits 0-9)",
            details=[{"field": "Content-Length", "message": "a number of bytes"}],
        )
    return int(text)


def require_json_media_type(value: str | None) -> None:
    """Check that a body is declared as JSON or GeoJSON in UTF-8.

    Raises
    ------
    UnsupportedMediaTypeError
        No ``Content-Type``, another media type (``text/plain``, a form), or a charset other
        than UTF-8 (415).
    """
    text = (value or "")[:MAX_HEADER_CHARS]
    media, *params = (p.strip(" \t").lower() for p in text.split(";"))
    kind, _, subtype = media.partition("/")
    is_json = media in JSON_MEDIA_TYPES or (kind == "application" and subtype.endswith("+json"))
    charset = next((p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")), "")
    if not is_json:
        sent = f"Content-Type {shown(value)}" if value else "no Content-Type"
        raise UnsupportedMediaTypeError(
            f"the body was sent with {sent}; send it as application/geo+json or "
            "application/json (application/merge-patch+json for PATCH)",
            details=[{"field": "Content-Type", "message": "application/geo+json or JSON"}],
        )
    if charset not in ("", "utf-8", "utf8"):
        raise UnsupportedMediaTypeError(
            f"the body is declared as {shown(charset)} text; JSON is read as UTF-8 only",
            details=[{"field": "Content-Type", "message": "charset must be utf-8"}],
        )


def bearer_secret(header: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` value.

    Raises
    ------
    UnauthorizedError
        Another scheme, no token, a value over :data:`MAX_AUTHORIZATION_CHARS`, or a token
        with characters RFC 6750 does not allow (401).
    """
    text = header.strip(" \t")
    if len(text) > MAX_AUTHORIZATION_CHARS:
        raise UnauthorizedError(
            f"the Authorization header is longer than {MAX_AUTHORIZATION_CHARS} characters; "
            "send 'Bearer <token>' with a token from `ketahanan token create`"
        )
    scheme, _, secret = text.partition(" ")
    secret = secret.strip(" \t")
    if scheme.lower() != "bearer" or not secret:
        raise UnauthorizedError("the Authorization header must be 'Bearer <token>'")
    if not _B64TOKEN.fullmatch(secret):
        raise UnauthorizedError(
            "the bearer token holds characters a token never has (letters, digits and "
            "-._~+/ only); copy it again from `ketahanan token create`"
        )
    return secret


def preferred_language(header: str | None, languages: Sequence[str]) -> str | None:
    """The best of ``languages`` for an ``Accept-Language`` value, or None.

    Ranges that do not parse (a quality that is not 0..1 with up to three decimals, a tag
    with other characters) are skipped; only the first :data:`MAX_LANGUAGE_RANGES` ranges of
    the first :data:`MAX_HEADER_CHARS` characters are read. ``in`` (the old ISO 639 code of
    Bahasa Indonesia) counts as ``id``.
    """
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header[:MAX_HEADER_CHARS].split(",")[:MAX_LANGUAGE_RANGES]):
        match = _LANGUAGE.fullmatch(part)
        if match is None:
            continue
        q = float(match.group("q") or "1")
        primary = match.group("tag").lower().split("-")[0]
        primary = "id" if primary == "in" else primary
        if primary in languages and q > 0:
            ranked.append((-q, i, primary))
    return min(ranked)[2] if ranked else None
