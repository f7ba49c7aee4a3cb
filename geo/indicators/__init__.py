"""Pillar indicators: their definitions (data) and their computation.

* :mod:`geo.indicators.definitions`: one :class:`IndicatorDef` per indicator, as data (no
  project imports but the vocabulary); what scores, planner layers and the API depend on.
* :mod:`geo.indicators.dictionary`: the data dictionary a build writes, and reading it back.
* :mod:`geo.indicators.compute`: :func:`compute_indicators`, run by the build.
* :mod:`geo.indicators.measures`, :mod:`geo.indicators.spatial`,
  :mod:`geo.indicators.aggregate`: the formulas, their geometry helpers and the aggregation.

This package module imports nothing, so reading the definitions never loads the computation.
"""
