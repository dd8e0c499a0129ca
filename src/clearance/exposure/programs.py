"""The sanctions program catalogue: what a program code on a listing means.

The catalogue is data (``data/programs.yml``): for each authority and each program code as the
parsers emit it in ``Sanction.program``, the legal basis, a short title and the default kind of
measure (:data:`MEASURE_TYPES`). :func:`resolve_program` looks a code up; a code the catalogue
does not know comes back as :class:`UnknownProgram` carrying the raw code, so callers report it
instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: The kinds of measure a listing can carry, from most to least restrictive.
MEASURE_TYPES: tuple[str, ...] = (
    "blocking",
    "sectoral",
    "menu",
    "export_control",
    "debarment",
    "other",
)

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Authority:
    """A body that lists people and companies (OFAC, the UN Security Council, ...)."""

    key: str
    name: str
    jurisdiction: str
    aliases: tuple[str, ...]
    url: str | None


@dataclass(frozen=True, slots=True)
class ProgramInfo:
    """One sanctions program of one authority, as catalogued."""

    code: str
    authority: Authority
    title: str
    legal_basis: str
    measure: str
    url: str | None = None
    note: str | None = None
    is_list: bool = False

    @property
    def jurisdiction(self) -> str:
        return self.authority.jurisdiction

    @property
    def known(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class UnknownProgram:
    """A program code the catalogue does not know (or cannot pick between authorities)."""

    code: str
    authority: str | None
    reason: str
    candidates: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return False


def _norm(text: str) -> str:
    """Loose key for matching: casefolded, dashes unified, whitespace collapsed."""
    return _SPACES.sub(" ", _DASHES.sub("-", text)).strip().casefold()


class Catalogue:
    """The loaded program catalogue with its lookup tables."""

    def __init__(self, authorities: dict[str, Authority], programs: tuple[ProgramInfo, ...]):
        self.authorities = authorities
        self.programs = programs
        self._by_auth: dict[str, str] = {}
        for auth in authorities.values():
            for name in (auth.key, auth.name, *auth.aliases):
                self._by_auth[_norm(name)] = auth.key
        self._exact: dict[tuple[str, str], ProgramInfo] = {}
        self._loose: dict[tuple[str, str], ProgramInfo] = {}
        self._by_code: dict[str, list[ProgramInfo]] = {}
        for prog in programs:
            key = (prog.authority.key, prog.code)
            if key in self._exact:
                raise ValueError(f"program catalogue: duplicate {key}")
            self._exact[key] = prog
            self._loose[(prog.authority.key, _norm(prog.code))] = prog
            self._by_code.setdefault(_norm(prog.code), []).append(prog)

    def authority(self, name: str) -> Authority | None:
        """The authority known by ``name`` (key, official name or alias), if any."""
        key = self._by_auth.get(_norm(name))
        return self.authorities[key] if key else None

    def resolve(self, code: str, authority: str | None = None) -> ProgramInfo | UnknownProgram:
        """Look ``code`` up, under ``authority`` when given (see :func:`resolve_program`)."""
        raw = code.strip()
        if authority is not None:
            auth = self.authority(authority)
            if auth is None:
                return UnknownProgram(raw, authority, f"unknown authority {authority!r}")
            found = self._exact.get((auth.key, raw))
            found = found or self._loose.get((auth.key, _norm(raw)))
            if found is not None:
                return found
            return UnknownProgram(raw, authority, f"no program {raw!r} under {auth.name}")
        matches = self._by_code.get(_norm(raw), [])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            return UnknownProgram(raw, None, f"no program {raw!r} in the catalogue")
        names = tuple(m.authority.name for m in matches)
        return UnknownProgram(
            raw, None, f"{raw!r} is a program of several authorities; name one", names
        )


def _authority(key: str, raw: dict[str, Any]) -> Authority:
    return Authority(
        key=key,
        name=str(raw["name"]),
        jurisdiction=str(raw["jurisdiction"]),
        aliases=tuple(str(a) for a in raw.get("aliases") or ()),
        url=raw.get("url"),
    )


def load_catalogue(text: str) -> Catalogue:
    """Build a catalogue from YAML text; a malformed entry raises ValueError naming it."""
    data = yaml.safe_load(text)
    authorities = {k: _authority(k, v) for k, v in data["authorities"].items()}
    programs = []
    for n, raw in enumerate(data["programs"], start=1):
        where = f"program entry {n} ({raw.get('code')!r})"
        auth = authorities.get(raw.get("authority"))
        if auth is None:
            raise ValueError(f"{where}: unknown authority {raw.get('authority')!r}")
        if raw.get("measure") not in MEASURE_TYPES:
            raise ValueError(f"{where}: measure must be one of {MEASURE_TYPES}")
        for field in ("code", "title", "legal_basis"):
            if not raw.get(field):
                raise ValueError(f"{where}: missing {field}")
        programs.append(
            ProgramInfo(
                code=str(raw["code"]),
                authority=auth,
                title=str(raw["title"]),
                legal_basis=str(raw["legal_basis"]),
                measure=str(raw["measure"]),
                url=raw.get("url"),
                note=raw.get("note"),
                is_list=bool(raw.get("list", False)),
            )
        )
    return Catalogue(authorities, tuple(programs))


@cache
def catalogue() -> Catalogue:
    """The catalogue shipped with clearance (``data/programs.yml``), loaded once."""
    text = (resources.files("clearance.exposure") / "data" / "programs.yml").read_text("utf-8")
    return load_catalogue(text)


def resolve_program(code: str, authority: str | None = None) -> ProgramInfo | UnknownProgram:
    """What program ``code`` is. ``authority`` (name, alias or key such as "OFAC") narrows the
    lookup; without it a code several authorities use ("CAR", "Libya") is reported ambiguous.
    Unknown codes come back as :class:`UnknownProgram` with the raw code, never dropped."""
    return catalogue().resolve(code, authority)


__all__ = [
    "MEASURE_TYPES",
    "Authority",
    "Catalogue",
    "ProgramInfo",
    "UnknownProgram",
    "catalogue",
    "load_catalogue",
    "resolve_program",
]
