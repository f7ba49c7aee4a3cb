"""The OGC API - Features core, with no web framework.

* :mod:`~geo.ogc.collection`: a build layer held in memory with its serialisations;
* :mod:`~geo.ogc.query`: an items request parsed against a collection's queryables;
* :mod:`~geo.ogc.engine`: filtering, re-scoring, classifying and paging a collection;
* :mod:`~geo.ogc.render`: GeoJSON pages and features, GeoPackage downloads;
* :mod:`~geo.ogc.documents`: conformance and collection documents;
* :mod:`~geo.ogc.links`: which links a page, a feature and a collection carry;
* :mod:`~geo.ogc.prose`: titles and descriptions (``prose.json``);
* :mod:`~geo.ogc.providers`: one provider protocol, its three implementations, the registry.
"""
