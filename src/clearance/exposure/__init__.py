"""Exposure: what a listing means for a deal.

Pure, data-driven knowledge that screening, the API and reports call:

* :mod:`~clearance.exposure.programs`: the program catalogue (``data/programs.yml``): authority,
  legal basis and kind of measure of every program code the parsers emit.
* :mod:`~clearance.exposure.caatsa`: the twelve CAATSA section 235 measures
  (``data/caatsa_235.yml``) and the ones a listing imposes.
* :mod:`~clearance.exposure.explain`: one entity's listings explained (:class:`Exposure`).
* :mod:`~clearance.exposure.ownership`: OFAC's 50 Percent Rule over ownership edges.
"""

from clearance.exposure.caatsa import (
    CaatsaMeasure,
    UnknownCaatsaMeasure,
    caatsa_235,
    caatsa_measures,
)
from clearance.exposure.explain import Exposure, ListingExposure, explain_listing, explain_sanctions
from clearance.exposure.ownership import (
    OwnershipEdge,
    OwnershipFinding,
    OwnershipResult,
    apply_50_percent_rule,
    edges_from_ftm,
)
from clearance.exposure.programs import (
    MEASURE_TYPES,
    ProgramInfo,
    UnknownProgram,
    resolve_program,
)
from clearance.exposure.shares import Share, parse_share

__all__ = [
    "MEASURE_TYPES",
    "CaatsaMeasure",
    "Exposure",
    "ListingExposure",
    "OwnershipEdge",
    "OwnershipFinding",
    "OwnershipResult",
    "ProgramInfo",
    "Share",
    "UnknownCaatsaMeasure",
    "UnknownProgram",
    "apply_50_percent_rule",
    "caatsa_235",
    "caatsa_measures",
    "edges_from_ftm",
    "explain_listing",
    "explain_sanctions",
    "parse_share",
    "resolve_program",
]
