"""Deal screening: "would this transaction trigger sanctions?".

:mod:`~clearance.deal.model` reads and validates deals (parties with roles, goods, value,
ownership links, a reviewer's decision); :mod:`~clearance.deal.screening` screens every party,
explains each hit's exposure (programs, measures, secondary sanctions, CAATSA 235), applies the
50 Percent Rule and gives a verdict per party and for the deal. See docs/deals.md.
"""

from clearance.deal.model import (
    Deal,
    DealError,
    OwnershipLink,
    Party,
    Review,
    Role,
    load_deal,
    parse_deal,
)
from clearance.deal.screening import DealResult, DealScreener, PartyHit, PartyResult, worst

__all__ = [
    "Deal",
    "DealError",
    "DealResult",
    "DealScreener",
    "OwnershipLink",
    "Party",
    "PartyHit",
    "PartyResult",
    "Review",
    "Role",
    "load_deal",
    "parse_deal",
    "worst",
]
