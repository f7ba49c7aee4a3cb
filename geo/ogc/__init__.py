"""The OGC API - Features core (no web framework): collections, queries, rendering, documents."""
