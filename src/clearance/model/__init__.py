"""The entity model: FollowTheMoney entities plus the provenance clearance keeps for each.

Parsers emit :class:`Emitted` pairs (a FollowTheMoney ``EntityProxy`` and the id of the source
record it came from). The store adds the list and list version, so every value is traceable to
list, version and source record.
"""

from clearance.model.dates import parse_date, parse_date_range
from clearance.model.entity import Emitted, entity_id, make_entity

__all__ = ["Emitted", "entity_id", "make_entity", "parse_date", "parse_date_range"]
