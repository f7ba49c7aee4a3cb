"""Ketahanan's geospatial core: ingest, layers, indicators and the build.

Plain Python over GeoDataFrames; this package never imports a web framework.
"""
