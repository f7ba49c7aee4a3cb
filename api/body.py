"""The one decoder of request bodies: JSON (or GeoJSON) in UTF-8, size and nesting bounded.

Every route that reads a body depends on :func:`json_body`. In order, it refuses:

1. a ``Content-Type`` that is not JSON or GeoJSON in UTF-8 (415);
2. a body over ``KETAHANAN_MAX_BODY_BYTES`` (413: by ``Content-Length`` before reading, and
   by counting a streamed body);
3. an empty body, bytes that are not UTF-8 (a UTF-16 body included) (400);
4. nesting deeper than :data:`MAX_JSON_DEPTH` arrays and objects (400). The depth is found
   by scanning the text for brackets outside strings *before* decoding, because Python's
   decoder is recursive and a body of about a thousand ``[`` exhausts the stack;
5. text that is not JSON, a member name given twice in one object (which one counts
   differs between readers), an integer of more than 4,300 digits (400). ``NaN`` and
   ``Infinity`` are decoded (Python reads them) so that the field checks can name the field
   (a coordinate must be finite: 422);
6. a lone surrogate (``"\\ud800"`` escaped in the JSON) in any string or member name (400):
   it is not Unicode text, so it could be neither stored nor echoed in a message.

Each message names the place (byte offset, line and column, or member path) and is itself
plain, encodable text.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

import numpy as np
from fastapi import Depends, Request

from api.headers import content_length, require_json_media_type
from geo.errors import InvalidParameterError, PayloadTooLargeError
from geo.params import shown
from geo.settings import Settings

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects accepted in a body (a MultiPolygon action inside an
import is 8 levels deep)."""

_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_OPEN = frozenset("[{")


def _too_large(limit: int, declared: int | None = None) -> PayloadTooLargeError:
    text = (
        f"the body has {declared:,} bytes; at most {limit:,} are accepted"
        if declared is not None
        else f"the body is larger than {limit:,} bytes"
    )
    return PayloadTooLargeError(
        text, details=[{"field": "body", "message": f"larger than {limit:,} bytes"}]
    )


def _bad(message: str) -> InvalidParameterError:
    return InvalidParameterError(message, details=[{"field": "body", "message": message}])


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text`` (strings skipped); no recursion."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's members; a name given twice is refused (which one would count?)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise ValueError(f"the member name {shown(name)} appears twice in one object")
            seen.add(name)
    return out


def _lone_surrogate_at(value: Any) -> str | None:
    """The member path of the first string or name holding a lone surrogate, or None."""
    stack: list[tuple[Any, str]] = [(value, "body")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if not _encodes(node):
                return path
        elif isinstance(node, dict):
            for key, child in node.items():
                name = key if _encodes(key) else key.encode("utf-8", "backslashreplace").decode()
                if name is not key:
                    return f"{path} (the member name {name})"
                stack.append((child, f"{path}.{key}"))
        elif isinstance(node, list):
            stack.extend((child, f"{path}.{i}") for i, child in enumerate(node))
    return None


def _encodes(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode_json(raw: bytes) -> Any:
    """Decode a request body (see the module text for every check, in order).

    Raises
    ------
    InvalidParameterError
        Empty, not UTF-8, nested too deeply, not JSON, or holding a lone surrogate.
    """
    if not raw.strip():
        raise _bad("the body is empty: send a GeoJSON Feature or FeatureCollection")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(
            f"the body is not UTF-8 text (byte {exc.start:,} is 0x{raw[exc.start]:02x}); "
            "send JSON encoded as UTF-8"
        ) from None
    text = text.removeprefix("\ufeff")
    depth = nesting_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise _bad(
            f"the body nests arrays and objects {depth:,} levels deep; at most "
            f"{MAX_JSON_DEPTH} are accepted"
        )
    try:
        value = json.loads(text, object_pairs_hook=_unique_members)
    except json.JSONDecodeError as exc:
        raise _bad(
            f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:  # a repeated name, or an integer of over 4,300 digits
        message = str(exc)
        if "integer string conversion" in message:
            message = "a number in it has more than 4,300 digits"
        raise _bad(f"the body is not valid JSON: {message}") from None
    where = _lone_surrogate_at(value)
    if where is not None:
        raise _bad(
            f"the body holds a lone surrogate (an unpaired \\ud800-\\udfff escape) at {where}: "
            "it is not Unicode text; send valid UTF-8"
        )
    return value


async def json_body(request: Request) -> Any:
    """The request body decoded as JSON (415, 413 or 400 with a message when it cannot be)."""
    settings: Settings = request.app.state.settings
    limit = settings.max_body_bytes
    require_json_media_type(request.headers.get("content-type"))
    declared = content_length(request.headers.get("content-length"))
    if declared is not None and declared > limit:
        raise _too_large(limit, declared)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return decode_json(b"".join(chunks))


JsonBodyDep = Annotated[Any, Depends(json_body)]
"""A route parameter holding the decoded JSON body."""
