"""Turning store entities and screening hits into yente's JSON shapes.

``/match`` answers with :func:`json_response` (orjson, no response-model validation): on the
full lists a hit carries every alias of the listed entity, and validating then encoding those
dicts through pydantic cost more than the rest of the API's work. The dicts built here hold
every field of the declared models (``tests/api/test_load_bits.py`` checks the output equals
the model's), so the OpenAPI document still describes the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi.responses import Response
from followthemoney.proxy import EntityProxy

from clearance.api.state import Timeline
from clearance.screen import Hit

TARGET_TOPICS = ("sanction", "export.control", "debarment")
_NAME_FEATURES = ("name_match", "alias_match", "previous_name_match", "weak_alias_match")


def is_target(schema: str, properties: dict[str, list[Any]], listed: bool) -> bool:
    topics = properties.get("topics", [])
    return listed or any(t in topics for t in TARGET_TOPICS)


def entity_response(
    proxy: EntityProxy,
    source: str,
    timeline: Timeline,
    nested: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """``EntityResponse``: the entity, with nested adjacent entities inside ``properties``."""
    properties: dict[str, list[Any]] = {p: list(v) for p, v in proxy.properties.items()}
    for prop, items in (nested or {}).items():
        properties[prop] = items
    return {
        "id": proxy.id,
        "caption": proxy.caption,
        "schema": proxy.schema.name,
        "properties": properties,
        "datasets": [source],
        "referents": [],
        "target": is_target(proxy.schema.name, properties, bool((nested or {}).get("sanctions"))),
        "first_seen": timeline.first_seen,
        "last_seen": timeline.last_seen,
        "last_change": timeline.last_change,
    }


def features_of(hit: Hit) -> tuple[dict[str, float], dict[str, dict[str, Any]]]:
    """yente's ``features`` (name → contribution) and ``explanations`` (name → FtResult)."""
    features: dict[str, float] = {}
    explanations: dict[str, dict[str, Any]] = {}
    for feature in hit.explanation:
        features[feature.name] = round(feature.contribution, 4)
        entry: dict[str, Any] = {
            "detail": feature.detail or None,
            "score": round(feature.value, 4),
            "query": None,
            "candidate": None,
        }  # every FeatureExplanation field: /match bypasses the response model (json_response)
        if feature.name in _NAME_FEATURES and feature.tokens:
            entry["query"] = " ".join(str(t.get("query") or "") for t in feature.tokens).strip()
            entry["candidate"] = " ".join(
                str(t.get("candidate") or "") for t in feature.tokens
            ).strip()
        explanations[feature.name] = entry
    return features, explanations


def scored_response(hit: Hit, timeline: Timeline, threshold: float) -> dict[str, Any]:
    """``ScoredEntityResponse`` of one hit; ``match`` is ``score >= threshold``."""
    record = hit.record
    features, explanations = features_of(hit)
    properties: dict[str, list[Any]] = {p: list(v) for p, v in record.properties.items()}
    return {
        "id": record.id,
        "caption": record.caption,
        "schema": record.schema,
        "properties": properties,
        "datasets": [record.source],
        "referents": [],
        "target": is_target(record.schema, properties, bool(record.listings)),
        "first_seen": timeline.first_seen,
        "last_seen": timeline.last_seen,
        "last_change": timeline.last_change,
        "score": round(hit.score, 4),
        "match": hit.score >= threshold,
        "features": features,
        "explanations": explanations,
    }


def hit_record(hit: Hit) -> dict[str, Any]:
    """What the screening record keeps of a hit."""
    return {
        "entity_id": hit.entity_id,
        "caption": hit.caption,
        "schema": hit.schema,
        "source": hit.source,
        "version_id": hit.version_id,
        "score": round(hit.score, 4),
        "match": hit.match,
        "explanation": [f.to_dict() for f in hit.explanation],
    }


def json_response(payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON response encoded by orjson (non-string keys and NaN are not expected here)."""
    return Response(orjson.dumps(payload), media_type="application/json", headers=headers)
