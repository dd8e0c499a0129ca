"""The deal model: who takes part in a transaction (parties with roles), what and where.

A deal is read from JSON or YAML (:func:`load_deal`) or built from a dict (:func:`parse_deal`,
the API's request body). Validation errors name the field (``parties.2.role: ...``) and the file.
"""

from __future__ import annotations

import json
from datetime import date as Date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from clearance.errors import ClearanceError

PARTY_SCHEMAS = (
    "LegalEntity",
    "Person",
    "Organization",
    "Company",
    "PublicBody",
    "Vessel",
    "Airplane",
)


class DealError(ClearanceError):
    """A deal file or body that cannot be used; the message names the file and field."""


class Role(StrEnum):
    """What a party does in the deal."""

    buyer = "buyer"
    seller = "seller"
    manufacturer = "manufacturer"
    end_user = "end_user"
    broker = "broker"
    bank = "bank"
    carrier = "carrier"
    vessel = "vessel"
    other = "other"


class Party(BaseModel):
    """One party: its role, names and whatever identifies it."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    role: Role
    name: str = Field(min_length=1, max_length=400)
    aliases: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(
        default_factory=list, description='"type:value" (inn:7707083893, imo:9187629) or bare'
    )
    country: list[str] = Field(default_factory=list)
    schema_: str = Field(default="LegalEntity", alias="schema")
    birth_date: str | None = None
    notes: str | None = None

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name is empty")
        return value.strip()

    @field_validator("country", "aliases", "identifiers", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("schema_")
    @classmethod
    def _schema(cls, value: str) -> str:
        if value not in PARTY_SCHEMAS:
            raise ValueError(f"schema must be one of {', '.join(PARTY_SCHEMAS)}")
        return value

    def query(self) -> dict[str, Any]:
        """The flat screening query of this party (see clearance.screen.query)."""
        schema = (
            "Vessel" if self.role is Role.vessel and self.schema_ == "LegalEntity" else self.schema_
        )
        return {
            "id": self.id,
            "schema": schema,
            "name": "|".join([self.name, *self.aliases]),
            "country": ";".join(self.country) or None,
            "identifiers": ";".join(self.identifiers) or None,
            "birth_date": self.birth_date,
        }


class OwnershipLink(BaseModel):
    """``owner`` holds ``percentage`` of ``asset`` (party ids or list entity ids)."""

    model_config = ConfigDict(extra="forbid")

    owner: str
    asset: str
    percentage: str | float | None = None


class Review(BaseModel):
    """A reviewer's decision on the screening, shown in the evidence report."""

    model_config = ConfigDict(extra="forbid")

    reviewer: str
    decision: str
    date: Date | None = None
    comment: str | None = None


class Deal(BaseModel):
    """A transaction to screen (see docs/deals.md)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    title: str | None = None
    parties: list[Party] = Field(min_length=1)
    countries: list[str] = Field(default_factory=list)
    goods: str | None = None
    value: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    date: Date | None = None
    ownership: list[OwnershipLink] = Field(default_factory=list)
    review: Review | None = None

    @model_validator(mode="after")
    def _party_ids(self) -> Deal:
        seen: set[str] = set()
        for n, party in enumerate(self.parties, start=1):
            if party.id is None:
                party.id = f"party-{n}"
            if party.id in seen:
                raise ValueError(f"duplicate party id {party.id!r}")
            seen.add(party.id)
        return self


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "deal"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def parse_deal(data: Any, origin: str = "deal") -> Deal:
    """Validate a dict into a :class:`Deal` (:class:`DealError` naming the fields)."""
    if not isinstance(data, dict):
        raise DealError(f"{origin}: expected a mapping at the top, got {type(data).__name__}")
    try:
        return Deal.model_validate(data)
    except ValidationError as exc:
        raise DealError(f"{origin}: {_describe(exc)}") from exc


def load_deal(path: Path) -> Deal:
    """Read a deal from a ``.json``, ``.yml`` or ``.yaml`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DealError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise DealError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if not text.strip():
        raise DealError(f"{path}: empty file")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise DealError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DealError(f"{path}: invalid YAML{where}: {exc}") from exc
    return parse_deal(data, str(path))
