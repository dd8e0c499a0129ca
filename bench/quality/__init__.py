"""Quality benchmark of the matcher: a development set built from the real lists, and a runner.

Modules: ``variants`` / ``variants_lang`` (auditor-style name manipulations), ``scripts``
(script detection), ``lists`` (list files read through ``clearance.sources`` parsers),
``resolver`` (OpenSanctions 2021-10 cross-list judgements), ``negatives`` (hard negatives),
``build_devset`` (CLI writing the set), ``algorithms`` (our matcher and nomenklatura side by
side), ``metrics``, ``plots``, ``report`` and ``run`` (CLI scoring the set).
"""
