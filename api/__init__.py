"""Ketahanan's web adapter: a thin FastAPI layer over :mod:`geo` and the stores."""
