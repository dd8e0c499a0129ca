"""Legal forms of organisations (LLC, OOO, ООО, ТОВ, GmbH, JSC, S.A. de C.V., ...).

Uses rigour's organisation-type database (``rigour.names.org_types``) in its *generic* compare
mode, so "Limited Liability Company", "OOO", "ООО", "ТОВ" and "GmbH" all become ``llc`` and
"AO", "ZAO", "PJSC" become ``jsc``. The matcher gives legal-form tokens a small weight: they
confirm, they never make a match.
"""

from __future__ import annotations

from functools import lru_cache

from rigour.names import extract_org_types, replace_org_types_compare


@lru_cache(maxsize=100_000)
def replace_legal_forms(text: str) -> str:
    """Rewrite every legal form in a cleaned, case-folded name into its generic compare form."""
    return replace_org_types_compare(text, generic=True)


@lru_cache(maxsize=100_000)
def is_legal_form(token: str) -> bool:
    """True when the whole token is a legal form (in any of its spellings or generic form)."""
    found = extract_org_types(token, generic=True)
    return len(found) == 1 and found[0][0] == token
