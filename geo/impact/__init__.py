"""Flood impact analysis: people affected per hazard class, who they are, what they need.

InaSAFE's method, with Jakarta's inputs: a hazard (a flood depth grid, or the RW flood states
of February 2017) is classed (:mod:`geo.impact.hazard`), the register's population is spread
over each kelurahan's area and counted per class, displaced by a rate per class, and broken
down by sex and age group (:mod:`geo.impact.exposure`); the displaced get the BNPB minimum
needs (:mod:`geo.impact.needs`). Each scenario (today, with the planned works, February 2017,
planners' grids: :mod:`geo.impact.scenarios`) is computed per kelurahan and summed to
kecamatan and kota; a scenario is compared with today (:mod:`geo.impact.compare`). The build
step is :func:`geo.impact.compute.compute_impact`; every column is documented in
:mod:`geo.impact.dictionary`.

Modules: ``hazard`` (classes from grids and RW states, cell areas in METRIC_CRS),
``exposure`` (spreading, apportioning, displacement, sex and age), ``needs``, ``scenarios``,
``compare``, ``dictionary``, ``compute``, ``user_scenarios`` (``ketahanan layer add
--scenario``).
"""
