"""Free-text screening: listed names found in a text (remittance field, contract, article).

:mod:`~clearance.text.tokens` normalises text and names alike and maps offsets back;
:mod:`~clearance.text.gazetteer` builds (and caches) the Aho-Corasick automaton over every
indexed name; :mod:`~clearance.text.scan` confirms candidate spans with the matcher.
"""

from clearance.text.gazetteer import build_automaton, entity_patterns, load_automaton
from clearance.text.scan import TextHit, TextResult, TextScreener
from clearance.text.tokens import TokenMap, normalise_name, token_keys

__all__ = [
    "TextHit",
    "TextResult",
    "TextScreener",
    "TokenMap",
    "build_automaton",
    "entity_patterns",
    "load_automaton",
    "normalise_name",
    "token_keys",
]
