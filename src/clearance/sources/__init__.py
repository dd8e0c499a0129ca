"""List parsers: one module per official format, and format detection.

``PARSERS`` is the explicit, ordered list of parser classes (most specific first); detection
asks each in turn. Parsers are imported when first needed so that importing clearance stays cheap.
"""

from __future__ import annotations

import importlib
from functools import cache

from clearance.sources.base import ListMeta, ListParser, ParseResult

#: "module:Class" for every parser, in detection order (most specific first).
PARSER_PATHS: tuple[str, ...] = (
    "clearance.sources.ofac_enhanced:OfacEnhancedXmlParser",
    "clearance.sources.ofac_advanced:OfacAdvancedXmlParser",
    "clearance.sources.ofac_xml:OfacXmlParser",
    "clearance.sources.ofac_csv:OfacSdnCsvParser",
    "clearance.sources.ofac_csv:OfacConsCsvParser",
    "clearance.sources.un_xml:UnScXmlParser",
    "clearance.sources.eu_fsf_xml:EuFsfXmlParser",
    "clearance.sources.eu_fsf_csv:EuFsfCsvParser",
    "clearance.sources.eu_fsf_derived:EuFsfDerivedJsonParser",
    "clearance.sources.uk_fcdo:UkFcdoParser",
    "clearance.sources.uk_fcdo:UkFcdoDerivedParser",
    "clearance.sources.uk_ofsi:UkOfsiCsvParser",
    "clearance.sources.us_csl:UsCslCsvParser",
    "clearance.sources.bis_dpl:BisDplParser",
    "clearance.sources.ca_sema:CaSemaXmlParser",
    "clearance.sources.au_dfat:AuDfatParser",
    "clearance.sources.senzing:SenzingJsonParser",
    "clearance.sources.ftm_json:FtmJsonParser",
)


@cache
def parsers() -> tuple[type[ListParser], ...]:
    """The parser classes, imported on first use."""
    out = []
    for spec in PARSER_PATHS:
        module_name, class_name = spec.split(":")
        module = importlib.import_module(module_name)
        out.append(getattr(module, class_name))
    return tuple(out)


def parser_for_format(fmt: str) -> type[ListParser]:
    """The parser class for a format id; KeyError lists the known ones."""
    for parser in parsers():
        if parser.format == fmt:
            return parser
    known = ", ".join(p.format for p in parsers())
    raise KeyError(f"unknown format {fmt!r}; known: {known}")


__all__ = ["PARSER_PATHS", "ListMeta", "ListParser", "ParseResult", "parser_for_format", "parsers"]
