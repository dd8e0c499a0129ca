"""``GET /lists``: every source's versions, the active one, its age and download state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends

from clearance.api.datasets import source_titles
from clearance.api.deps import get_state, require
from clearance.api.models import ErrorResponse, ListsResponse
from clearance.api.state import AppState, iso
from clearance.store import VersionInfo

router = APIRouter(tags=["Lists"])


def _version(v: VersionInfo) -> dict[str, Any]:
    return {
        "id": v.id,
        "source": v.source,
        "format": v.format,
        "publication_date": v.publication_date,
        "sha256": v.sha256,
        "entity_count": v.entity_count,
        "loaded_at": iso(v.loaded_at),
        "active": v.active,
    }


@router.get(
    "/lists",
    response_model=ListsResponse,
    responses={c: {"model": ErrorResponse} for c in (401, 403, 429)},
    dependencies=[Depends(require("screen"))],
)
def lists(state: AppState = Depends(get_state)) -> dict[str, Any]:
    """List versions per source and their freshness (age of the active version, stale flag)."""
    now = datetime.now(UTC)
    loaded = state.current
    indexed = {v.id for v in loaded.versions} if loaded is not None else set()
    states = {s.source: s for s in state.store.source_states()}
    by_source: dict[str, list[VersionInfo]] = {}
    for v in state.store.versions():
        by_source.setdefault(v.source, []).append(v)
    titles = source_titles()
    out = []
    for source in sorted(set(by_source) | set(states)):
        versions = by_source.get(source, [])
        active = next((v for v in versions if v.active), None)
        st = states.get(source)
        out.append(
            {
                "source": source,
                "title": titles.get(source, source),
                "active": _version(active) if active else None,
                "age_days": round(active.age_seconds(now) / 86400, 3) if active else None,
                "indexed": active is not None and active.id in indexed,
                "stale": bool(st and st.stale),
                "last_error": st.last_error if st else None,
                "checked_at": iso(st.checked_at) if st and st.checked_at else None,
                "fetched_at": iso(st.fetched_at) if st and st.fetched_at else None,
                "versions": [_version(v) for v in versions],
            }
        )
    return {"lists": out, "index_key": loaded.key if loaded is not None else None}
