"""Printable reports: static SVG maps (:mod:`.maps`) and A4 PDFs (:mod:`.pdf`), made on the
server without a browser."""
