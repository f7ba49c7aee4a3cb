"""What every planner page shares: the Jinja environment, the header, numbers, page JSON.

The pages are built on the server: the map by folium (:mod:`web.pages`), the others by the
Jinja templates in ``web/templates``. Each page carries one ``<script type="application/json"
id="ketahanan-config">`` (see :func:`json_for_script`) that its ES modules read.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import jinja2

from geo.styles import number_text
from web.assets import APP_CSS, FAVICON, TEMPLATES_DIR
from web.i18n import Translator, normalise_lang

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=jinja2.select_autoescape(["html"]),
)

NAV = (
    ("peta", "/peta"),
    ("aksi", "/aksi"),
    ("peringkat", "/peringkat"),
    ("strategi", "/strategi"),
    ("organisasi", "/organisasi"),
)
"""The pages of the header's navigation: (key of nav.<key> in the catalogue, path)."""


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def escape(text: str) -> str:
    """Text safe in HTML (attributes too)."""
    return html.escape(text, quote=True)


def clean(value: Any) -> Any:
    """None for a float that is not finite (NaN: missing data)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def other_lang(lang: str) -> str:
    """The language the page's switch links to."""
    return "en" if lang == "id" else "id"


def format_number(value: Any, lang: str = "id", decimals: int = 3) -> str:
    """A number as planners read it: '1.234,5' in Bahasa Indonesia, '1,234.5' in English."""
    return number_text(value, lang, decimals)


def page_url(path: str, params: Mapping[str, Any]) -> str:
    """``path?a=1&b=2`` with empty values left out (URL-encoded; a list value repeats its key)."""
    kept = {
        k: [str(x) for x in v] if isinstance(v, list | tuple) else str(v)
        for k, v in params.items()
        if v not in (None, "")
    }
    return f"{path}?{urlencode(kept, doseq=True)}" if kept else path


def header(t: Translator, active: str, params: Mapping[str, Any], path: str | None = None) -> str:
    """The pages' header: brand, navigation, language switch and the sign-in slot (HTML).

    ``params`` are the current page's query parameters: the language switch keeps them, and
    the map and ranking links carry the map parameters they share. ``path`` is the page's
    own path when it is not one of the navigation's (a profile).
    """
    shared = {k: v for k, v in params.items() if k not in ("kota", "kecamatan", "fokus")}
    links = []
    for key, target in NAV:
        carried = shared if key in ("peta", "peringkat") and active != "aksi" else {}
        links.append(
            {
                "key": key,
                "href": page_url(target, {**carried, "lang": t.lang}),
                "text": t(f"nav.{key}"),
                "current": key == active,
            }
        )
    current_path = path or dict(NAV).get(active, "/peta")
    switch = page_url(current_path, {**params, "lang": other_lang(t.lang)})
    return env.get_template("_header.html").render(
        t=t, links=links, switch=switch, other_lang=other_lang(t.lang)
    )


def server_page(
    t: Translator, active: str, params: Mapping[str, Any] | None = None, path: str | None = None
) -> dict[str, Any]:
    """What every server-built page (no script) hands ``base.html``: the translator, the
    language and the other one, the header, the stylesheet and the icon."""
    return {
        "t": t,
        "lang": t.lang,
        "other_lang": other_lang(t.lang),
        "header": header(t, active, params or {}, path=path),
        "app_css": APP_CSS,
        "favicon": FAVICON,
    }


def error_page(status: int, title_key: str, message: str, lang: str | None) -> str:
    """A friendly error page (HTML, escaped) with a link back to the map."""
    t = Translator(normalise_lang(lang))
    template = env.get_template("error.html")
    return template.render(
        t=t,
        lang=t.lang,
        status=status,
        title=t(title_key),
        message=message,
        header=header(t, "", {}),
        app_css=APP_CSS,
        favicon=FAVICON,
    )
