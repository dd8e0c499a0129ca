"""Pydantic models of what crosses the API (requests and responses).

The yente-compatible shapes (``EntityMatchQuery``, ``EntityMatchResponse``,
``ScoredEntityResponse``, ``EntityResponse``, ``SearchResponse``) keep yente's field names; see
docs/api.md for what differs.
"""

from __future__ import annotations

from typing import Any

from followthemoney import model
from pydantic import BaseModel, ConfigDict, Field, field_validator

from clearance.screen.query import SCREENABLE

MAX_VALUES = 50
MAX_VALUE_CHARS = 2000


class EntityExample(BaseModel):
    """One query by example: a FollowTheMoney schema and properties (values: list or string)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    id: str | None = Field(default=None, max_length=255)
    schema_: str = Field(alias="schema", min_length=1, max_length=64)
    properties: dict[str, list[str] | str] = Field(default_factory=dict, max_length=64)

    @field_validator("schema_")
    @classmethod
    def _known_schema(cls, value: str) -> str:
        schema = model.get(value)
        if schema is None or schema.name not in SCREENABLE:
            raise ValueError(f"unknown or unscreenable schema; use one of {', '.join(SCREENABLE)}")
        return schema.name

    @field_validator("properties")
    @classmethod
    def _bounded(cls, value: dict[str, list[str] | str]) -> dict[str, list[str] | str]:
        for prop, values in value.items():
            items = [values] if isinstance(values, str) else values
            if len(items) > MAX_VALUES:
                raise ValueError(f"property {prop!r} has more than {MAX_VALUES} values")
            if any(len(v) > MAX_VALUE_CHARS for v in items):
                raise ValueError(f"a value of {prop!r} is longer than {MAX_VALUE_CHARS} chars")
        return value


class EntityMatchQuery(BaseModel):
    """Body of ``POST /match/{dataset}`` (yente's shape)."""

    model_config = ConfigDict(extra="forbid")

    queries: dict[str, EntityExample]
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, float] = Field(default_factory=dict)


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class FeatureExplanation(BaseModel):
    """yente's ``FtResult``: a feature's readable detail and score."""

    detail: str | None = None
    score: float
    query: str | None = None
    candidate: str | None = None


class EntityResponse(BaseModel):
    """An entity as yente serves it (nested entities appear inside ``properties``)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, FeatureExplanation]


class QueryEcho(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = None
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: QueryEcho


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


class SearchResponse(BaseModel):
    results: list[EntityResponse]
    total: TotalSpec
    limit: int
    offset: int
    facets: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    detail: Any
    status: int


class HealthResponse(BaseModel):
    status: str


class DatasetInfo(BaseModel):
    name: str
    title: str
    type: str
    children: list[str] = Field(default_factory=list)
    version: str | None = None
    updated_at: str | None = None
    publication_date: str | None = None
    entity_count: int | None = None
    index_version: str | None = None
    index_current: bool
    load: bool = True


class CatalogResponse(BaseModel):
    datasets: list[DatasetInfo]
    current: list[str]
    outdated: list[str]
    index_stale: bool


class AlgorithmFeature(BaseModel):
    description: str
    coefficient: float | None = None


class AlgorithmDescription(BaseModel):
    name: str
    description: str
    features: dict[str, AlgorithmFeature]
    config: dict[str, float]


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmDescription]
    default: str
    best: str


class ListVersion(BaseModel):
    id: int
    source: str
    format: str
    publication_date: str | None
    sha256: str
    entity_count: int
    loaded_at: str
    active: bool


class ListStatus(BaseModel):
    source: str
    title: str
    active: ListVersion | None
    age_days: float | None
    indexed: bool
    stale: bool
    last_error: str | None
    checked_at: str | None
    fetched_at: str | None
    versions: list[ListVersion]


class ListsResponse(BaseModel):
    lists: list[ListStatus]
    index_key: str | None


class JobStatus(BaseModel):
    id: str
    status: str
    format: str
    total: int
    done: int
    hits: int
    errors: list[dict[str, Any]]
    message: str | None
    created_at: str
    finished_at: str | None
    options: dict[str, Any]
    screening_id: str | None = None


class HitRecord(BaseModel):
    entity_id: str
    caption: str
    schema_: str = Field(alias="schema")
    source: str
    version_id: int
    score: float
    match: bool
    explanation: list[dict[str, Any]]


class ReplayResult(BaseModel):
    score: float
    match: bool
    same_score: bool
    explanation: list[dict[str, Any]]


class ExplainResponse(BaseModel):
    screening_id: str
    created_at: str
    key_name: str | None
    endpoint: str
    query_sha256: str
    query: Any = None
    query_key: str
    redacted: bool
    algorithm: str
    versions: list[dict[str, Any]]
    hit: HitRecord
    entity: EntityResponse | None
    replay: ReplayResult | None
