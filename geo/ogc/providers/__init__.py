"""Collection providers: one protocol behind every collection the API serves.

* :mod:`~geo.ogc.providers.base`: the protocol (describe, queryables, query, get; optional
  create, import, replace, update, delete) and what a query returns.
* :mod:`~geo.ogc.providers.layers`: the layers and tables of the build snapshot.
* :mod:`~geo.ogc.providers.actions`: the resilience actions (the actions store; writable).
* :mod:`~geo.ogc.providers.gaps`: each pillar's coverage gaps (snapshot and actions store).
* :mod:`~geo.ogc.providers.registry`: every provider of one request, by collection id.
"""
