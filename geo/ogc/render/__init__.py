"""The one renderer of items: GeoJSON pages, features and downloads, and GeoPackages.

Every collection's features reach :mod:`geo.ogc.render.geojson` as GeoJSON Feature bytes and
its downloads reach :mod:`geo.ogc.render.gpkg` as a :class:`~geo.ogc.render.gpkg.GpkgTable`, so
paging members, links, file names and GeoPackage layout are the same for every collection.
"""
