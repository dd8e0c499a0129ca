"""``GET /catalog`` (datasets: our sources and collections) and ``GET /algorithms``."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from fastapi import APIRouter, Depends

from clearance.api.datasets import COLLECTIONS, source_titles
from clearance.api.deps import get_state, require
from clearance.api.models import AlgorithmResponse, CatalogResponse, ErrorResponse
from clearance.api.state import AppState, iso
from clearance.match import ALGORITHM, DEFAULT_THRESHOLD, MatchConfig

router = APIRouter(tags=["System information"])
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse},
    403: {"model": ErrorResponse},
    429: {"model": ErrorResponse},
}

# What each finding of the matcher means (docs/matching.md has the full description).
FEATURES = {
    "name_match": "Best aligned pair of primary names (token similarity, order-free)",
    "alias_match": "Best name pair found among the candidate's aliases",
    "previous_name_match": "Best name pair found among the candidate's former names",
    "weak_alias_match": "Name matched only a weak (low-quality) alias; score damped",
    "no_name_overlap": "No name token of the query matches the candidate",
    "schema_mismatch": "Query and candidate schemata cannot describe the same thing",
    "birth_date_match": "Birth dates agree",
    "birth_year_match": "Birth years agree",
    "birth_date_mismatch": "Birth dates differ within the same year",
    "birth_date_compatible": "One birth date (month, range) covers the other",
    "birth_date_swapped": "Same birth year, day and month swapped: lowers the score a little",
    "birth_year_typo": "Same day and month, one year digit differs or two are swapped: small cut",
    "birth_year_near": "Birth years one apart: lowers the score",
    "birth_years_apart": "Birth years 2-5 apart: lowers the score",
    "birth_year_disjoint": "Birth years more than 5 apart: lowers the score strongly",
    "identifier_match": "A strong identifier (passport, IMO, LEI, INN...) is shared",
    "identifier_conflict": "Same kind of identifier with a different value: lowers the score",
    "country_match": "Countries / nationalities overlap",
    "country_conflict": "Countries / nationalities disagree: lowers the score",
    "gender_conflict": "Genders disagree: lowers the score",
    "contact_match": "Shared phone number or e-mail address (small bonus)",
}


@router.get(
    "/catalog",
    response_model=CatalogResponse,
    responses=AUTH_ERRORS,
    dependencies=[Depends(require("screen"))],
)
def catalog(state: AppState = Depends(get_state)) -> dict[str, Any]:
    """Datasets this server can screen against: each loaded source and the collections."""
    versions = state.store.active_versions()
    loaded = state.current
    indexed = {v.id for v in loaded.versions} if loaded is not None else set()
    titles = source_titles()
    datasets: list[dict[str, Any]] = []
    for name, title in COLLECTIONS.items():
        datasets.append(
            {
                "name": name,
                "title": title,
                "type": "collection",
                "children": [v.source for v in versions],
                "version": loaded.key if loaded is not None else None,
                "index_version": loaded.key if loaded is not None else None,
                "index_current": loaded is not None and all(v.id in indexed for v in versions),
            }
        )
    for v in versions:
        version = f"{v.id}-{v.sha256[:12]}"
        datasets.append(
            {
                "name": v.source,
                "title": titles.get(v.source, v.source),
                "type": "source",
                "version": version,
                "updated_at": iso(v.loaded_at),
                "publication_date": v.publication_date,
                "entity_count": v.entity_count,
                "index_version": version if v.id in indexed else None,
                "index_current": v.id in indexed,
            }
        )
    outdated = [d["name"] for d in datasets if not d["index_current"]]
    return {
        "datasets": datasets,
        "current": [d["name"] for d in datasets if d["index_current"]],
        "outdated": outdated,
        "index_stale": bool(outdated),
    }


@router.get(
    "/algorithms",
    response_model=AlgorithmResponse,
    responses=AUTH_ERRORS,
    dependencies=[Depends(require("screen"))],
)
def algorithms() -> dict[str, Any]:
    """The matching algorithms: only ``clearance-v2``, which is both default and best."""
    defaults = MatchConfig()
    config = {f.name: float(getattr(defaults, f.name)) for f in fields(MatchConfig)}
    return {
        "algorithms": [
            {
                "name": ALGORITHM,
                "description": (
                    "Explainable multi-script name matching with date, identifier and country "
                    f"evidence; default threshold {DEFAULT_THRESHOLD}. See docs/matching.md."
                ),
                "features": {k: {"description": v} for k, v in FEATURES.items()},
                "config": config,
            }
        ],
        "default": ALGORITHM,
        "best": ALGORITHM,
    }
