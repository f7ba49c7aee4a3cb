"""Helpers of the property-based tests: raw requests, input strategies, the store's fingerprint.

Requests go to the app as raw ASGI messages (through the harness client's event loop), so a
test controls every byte: header values with bytes 0x80-0xFF (``"²"`` once decoded), query
strings that are not UTF-8, any body with any ``Content-Type``. A real server (uvicorn with
h11) delivers exactly these: header bytes as they came, the query string undecoded.

Profiles: :data:`PROPERTIES` runs a fixed number of examples per test; with ``CI=true`` it is
derandomised (the same inputs every run), elsewhere each run draws new ones (a failure prints
the seed to reproduce it).
"""

from __future__ import annotations

import hashlib
import json
import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from fuzzkit import Harness
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from geo.ogc.query import RESERVED_PARAMETERS
from geo.settings import get_settings

IN_CI = os.environ.get("CI", "").lower() == "true"
settings.register_profile(
    "ketahanan-properties",
    max_examples=50,
    deadline=None,
    database=None,
    derandomize=IN_CI,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROPERTIES = settings.get_profile("ketahanan-properties")
"""Decorator of every HTTP property test (50 examples each)."""
CORE_PROPERTIES = settings(PROPERTIES, max_examples=150)
"""Decorator of the pure-function property tests (cheap: 150 examples each)."""

BASE = "/collections/actions"


@dataclass
class Answer:
    """What the app sent back."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The body decoded as JSON."""
        return json.loads(self.body)


def raw_request(
    h: Harness,
    method: str,
    path: str,
    *,
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
) -> Answer:
    """Send one request to the app as raw ASGI and collect the answer."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": quote(path, safe="/%").encode("ascii"),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def call() -> None:
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await h.app(scope, receive, send)

    h.client.portal.call(call)  # type: ignore[union-attr]
    start = next(m for m in sent if m["type"] == "http.response.start")
    out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    names = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in start["headers"]}
    return Answer(start["status"], names, out)


def assert_handled(answer: Answer, what: str, *, html_ok: bool = False) -> None:
    """No 5xx; an error is the one JSON body with a description (or a page's HTML)."""
    assert answer.status < 500, f"{what}: {answer.status} {answer.body[:300]!r}"
    if answer.status < 400:
        return
    media = answer.headers.get("content-type", "")
    if html_ok and media.startswith("text/html"):
        assert b"<html" in answer.body.lower()
        return
    assert media.startswith("application/json"), f"{what}: {media} {answer.body[:200]!r}"
    body = answer.json()
    assert isinstance(body.get("description"), str) and body["description"], (what, body)
    assert isinstance(body.get("code"), str), (what, body)
    answer.body.decode("utf-8")  # strict: the message itself encodes


def fingerprint(h: Harness) -> tuple[int, int, str]:
    """Live actions, history rows and a digest of the export (everything a write can change)."""
    actions, total = h.store.query()
    t = h.store.tables
    with h.store.read() as conn:
        rows = conn.execute(sa.select(sa.func.count()).select_from(t.history)).scalar_one()
        deleted = conn.execute(
            sa.select(t.actions.c.id, t.actions.c.version, t.actions.c.deleted).order_by(
                t.actions.c.id
            )
        ).all()
    export = json.dumps(
        [[a.to_feature() for a in actions], [list(r) for r in deleted]], sort_keys=True
    )
    return total, int(rows), hashlib.sha256(export.encode()).hexdigest()


def cli_environment(mp: pytest.MonkeyPatch, folder: Path) -> None:
    """Point the command line at a fresh actions database and layer registry in ``folder``."""
    mp.setenv("KETAHANAN_DATABASE_URL", f"sqlite:///{folder / 'actions.sqlite'}")
    mp.setenv("KETAHANAN_USER_LAYERS_PATH", str(folder / "user_layers.json"))
    mp.setenv("KETAHANAN_USER_SCENARIOS_PATH", str(folder / "user_scenarios.json"))
    mp.setenv("KETAHANAN_BUILD_PATH", str(folder / "none.gpkg"))
    get_settings.cache_clear()


def auth(h: Harness) -> tuple[bytes, bytes]:
    """The planner's Authorization header."""
    return (b"authorization", f"Bearer {h.planner}".encode())


def current_etag(h: Harness, index: int = 0) -> bytes:
    """The current ETag of a seeded action (restored first if a test deleted it)."""
    action = h.actions[index]
    current = h.store.get(action.id, include_deleted=True)
    if current.deleted:
        current = h.store.restore(action.id, None, "property-test")
    return current.etag.encode()


# --- strategies --------------------------------------------------------------------------------

HUGE_INTS = st.sampled_from([2**63, -(2**63) - 1, 10**30, 10**309, 10**400, -(10**400)])
INTEGERS = st.one_of(st.integers(), HUGE_INTS)
FLOATS = st.floats(allow_nan=True, allow_infinity=True)
ANY_TEXT = st.text(max_size=40)
"""Any code points, lone surrogates and control characters included."""
SURROGATES = st.sampled_from(["\ud800", "\udfff", "a\udc80b", "\udbff"])
"""Text holding a lone surrogate (a JSON ``\\ud800`` escape decodes to one)."""
KEYS = st.one_of(
    st.sampled_from(["type", "geometry", "properties", "coordinates", "id", "features"]),
    st.sampled_from(["title", "pillar", "lead_agency", "partners", "budget_idr"]),
    SURROGATES,
    ANY_TEXT,
)
SCALARS = st.one_of(st.none(), st.booleans(), INTEGERS, FLOATS, ANY_TEXT)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=5)
    ),
    max_leaves=25,
)
"""Arbitrary decoded JSON, with NaN, infinities, huge integers and surrogates."""


def to_json(value: Any) -> bytes:
    """Encode like a careless client: NaN/Infinity allowed, surrogates as \\u escapes."""
    return json.dumps(value, allow_nan=True).encode("ascii")


COORDINATE = st.one_of(
    st.floats(106.7, 106.95), st.floats(-6.35, -6.1), FLOATS, INTEGERS, ANY_TEXT, st.none()
)
POSITION = st.lists(COORDINATE, min_size=0, max_size=4)
GEOMETRY = st.one_of(
    st.none(),
    JSON_VALUES,
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon", "Circle"])
            | JSON_VALUES,
            "coordinates": st.one_of(
                POSITION,
                st.lists(POSITION, max_size=6),
                st.lists(st.lists(POSITION, max_size=6), max_size=3),
                JSON_VALUES,
            ),
        },
        optional={"bbox": JSON_VALUES, "\ud800": SCALARS},
    ),
)
TEXTS = st.one_of(
    ANY_TEXT,
    st.sampled_from(["", " ", "   ", "\t\n", "BPBD DKI", "[/]", "a\x1b[31mb", "x" * 201]),
)
DATES = st.one_of(
    st.sampled_from(["0000-01-01", "0001-01-01", "9999-12-31", "2017-02-30", "٢٠١٧-02-20"]),
    ANY_TEXT,
    INTEGERS,
)
PROPERTIES_STRATEGY = st.fixed_dictionaries(
    {},
    optional={
        "title": TEXTS | SCALARS,
        "pillar": st.sampled_from(["siap", "sehat", "terhubung", "SIAP", ""]) | SCALARS,
        "lead_agency": TEXTS | SCALARS,
        "strategy_goal": TEXTS | SCALARS,
        "partners": st.lists(TEXTS, max_size=4) | JSON_VALUES,
        "status": st.sampled_from(["planned", "done", "x"]) | SCALARS,
        "progress": INTEGERS | FLOATS | ANY_TEXT,
        "budget_idr": INTEGERS | FLOATS | ANY_TEXT,
        "start_date": DATES,
        "end_date": DATES,
        "unit_codes": st.lists(st.sampled_from(["31.71.01", "31.71.01.1001", "x"]) | TEXTS)
        | JSON_VALUES,
        "\ud800": SCALARS,
    },
)
FEATURES = st.fixed_dictionaries(
    {"type": st.just("Feature") | JSON_VALUES},
    optional={"geometry": GEOMETRY, "properties": PROPERTIES_STRATEGY | JSON_VALUES, "id": SCALARS},
)
"""Feature-shaped bodies: close enough to reach every field check, wrong in every way."""

HEADER_BYTES = st.binary(max_size=60).map(
    lambda b: bytes(c for c in b if c not in b"\r\n\x00")
) | st.sampled_from(
    [
        b'"\xb2"',
        b'"\xb9"',
        b'W/"1"',
        b"*",
        b'"' + b"1" * 4301 + b'"',
        b'"1", W/"2"',
        b"\xb2",
        b"-1",
        b"1e3",
        b"Bearer \xff",
        b"Bearer " + b"x" * 5000,
        b"id;q=1e400, en;q=nan",
        b"application/json; charset=utf-16",
        b"text/plain",
    ]
)
"""Header values as a server may deliver them (no CR, LF or NUL)."""

QUERY_VALUES = st.one_of(
    st.sampled_from(
        [
            "9223372036854775808",
            "1" + "0" * 30,
            "-1",
            "0",
            "١٢",
            "²",
            "1_0",
            "+5",
            " 5",
            "nan",
            "inf",
            "-inf",
            "1e400",
            "1e-400",
            "0000-01-01",
            "0001-01-01T00:00:00+01:00",
            "9999-12-31T23:00:00-05:00",
            "2017-02-20T10:00:00Z/..",
            "../..",
            "0,0,1,91",
            "106,-6.3,107,-6",
            "1,2,3",
            "siap",
            "siap_flood_share_2007:1e308",
            "siap_flood_share_2007:2,siap_flood_share_2007:3",
            "x" * 5000,
            "9" * 5000,
        ]
    ),
    st.integers().map(str),
    HUGE_INTS.map(str),
    st.floats().map(str),
    st.text(max_size=30),
)
INTEGER_TEXT = st.one_of(
    st.integers().map(str),
    st.integers(2**63 - 2, 2**70).map(str),  # around the 64-bit edge of SQLite and numpy
    HUGE_INTS.map(str),
    st.sampled_from(["١٢", "²", "1_0", "+5", " 5", "-0", "0x10", "1e3", "9" * 5000]),
)
"""Text of a whole number, and of everything int() takes or chokes on."""
NUMBER_LISTS = st.lists(
    st.one_of(st.floats().map(repr), INTEGER_TEXT, st.floats(-200, 200).map(str)), max_size=7
).map(",".join)
"""Comma-separated numbers (bbox, breaks), finite or not."""

QUERY_NAMES = st.sampled_from(
    [
        *sorted(RESERVED_PARAMETERS),
        *("pillar", "pilar", "status", "agency", "kelurahan", "tingkat", "indikator"),
        *("klasifikasi", "kode_kota", "score_siap", "access_token", "foo"),
    ]
) | st.text(alphabet=string.ascii_letters + "_-", min_size=1, max_size=10)
"""Parameter names: every reserved one of the items routes, the others' and unknown ones."""


@st.composite
def query_strings(draw: st.DrawFn) -> bytes:
    """A raw query string: known and unknown names, hostile values, repeats, bad escapes."""
    pairs = draw(st.lists(st.tuples(QUERY_NAMES, QUERY_VALUES), max_size=5))
    parts = [f"{quote(k, safe='')}={quote(v, safe=',:/')}" for k, v in pairs]
    tail = draw(st.sampled_from([b"", b"&%zz=%", b"&x=%ff%fe", b"&=", b"&&", b"&k\xff=\xb2"]))
    return "&".join(parts).encode("ascii") + tail


@st.composite
def instants(draw: st.DrawFn) -> str:
    """RFC 3339-shaped text around every edge: years 0 and 10000, month 13, offsets of 25 h."""
    year = draw(st.integers(0, 10000))
    month, day = draw(st.integers(0, 13)), draw(st.integers(0, 32))
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if draw(st.booleans()):
        hour, minute, second = (
            draw(st.integers(0, 25)),
            draw(st.integers(0, 61)),
            draw(st.integers(0, 61)),
        )
        text += f"T{hour:02d}:{minute:02d}:{second:02d}"
        text += draw(
            st.sampled_from(["", "Z"])
            | st.builds(
                lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
                st.sampled_from("+-"),
                st.integers(0, 25),
                st.integers(0, 61),
            )
        )
    return text


@st.composite
def geometries(draw: st.DrawFn) -> dict[str, Any]:
    """A geometry of an accepted type whose positions hold numbers of every kind."""
    depth = {"Point": 0, "LineString": 1, "Polygon": 2, "MultiPolygon": 3}
    kind = draw(st.sampled_from(sorted(depth)))
    number = st.one_of(
        st.floats(106.7, 106.95), st.floats(-6.35, -6.1), FLOATS, INTEGERS, st.booleans()
    )

    def nest(level: int) -> st.SearchStrategy[Any]:
        if level == 0:
            return st.lists(number, min_size=2, max_size=3)
        return st.lists(nest(level - 1), min_size=1, max_size=5)

    return {"type": kind, "coordinates": draw(nest(depth[kind]))}


@st.composite
def deep_bodies(draw: st.DrawFn) -> bytes:
    """JSON nested 0..5000 levels (arrays or objects) at the top, in a property or a type."""
    depth = draw(st.integers(0, 5000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    nested = opener * depth + "1" + closer * depth
    where = draw(st.sampled_from(["top", "property", "geometry.type"]))
    if where == "top":
        return nested.encode()
    if where == "property":
        return (
            '{"type":"Feature","geometry":{"type":"Point","coordinates":[106.8,-6.2]},'
            f'"properties":{{"title":"a","pillar":"siap","lead_agency":"x","v":{nested}}}}}'
        ).encode()
    return (
        f'{{"type":"Feature","geometry":{{"type":{nested},"coordinates":[1,2]}},"properties":{{}}}}'
    ).encode()
