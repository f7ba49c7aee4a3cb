"""The redirect from another code of a feature (a kelurahan's BPS code) to its canonical URL."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import RedirectResponse

from api.links import RequestHrefs
from geo.ogc.codes import canonical_id
from geo.ogc.providers.base import CollectionProvider
from geo.ogc.providers.layers import LayerProvider

CANONICAL_STATUS = 308
"""Permanent Redirect: the feature's identity is its Kemendagri code, every HTTP client
(curl and so GDAL, requests and so OWSLib, Qt and so QGIS, browsers) follows it on a GET,
caches may remember it, and unlike 301 it keeps the method."""


def canonical_redirect(
    request: Request, provider: CollectionProvider, feature_id: str
) -> RedirectResponse | None:
    """A 308 to ``items/{canonical id}`` (same query) when ``feature_id`` is another code."""
    if not isinstance(provider, LayerProvider):
        return None
    canonical = canonical_id(provider.collection, feature_id)
    if canonical is None:
        return None
    path = {"collectionId": provider.id, "featureId": canonical}
    target = RequestHrefs(request).url("item", path, request.query_params.multi_items())
    headers = {"Link": f'<{target}>; rel="canonical"'}
    return RedirectResponse(target, CANONICAL_STATUS, headers=headers)
