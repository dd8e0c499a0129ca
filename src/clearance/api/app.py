"""The FastAPI application factory: ``create_app(settings, store=None)``.

Wires the routers, the error handlers (:mod:`clearance.api.errors`), the body guard
(:mod:`clearance.api.limits`) and — only when origins are configured — CORS. The screening
index is opened in the background at start-up (``/readyz`` says when it is there).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from clearance.api import errors
from clearance.api.jobs import JobRunner
from clearance.api.limits import BodyGuard, BodyLimits
from clearance.api.routers import (
    catalog,
    deals,
    entities,
    explain,
    health,
    jobs,
    lists,
    match,
    monitor,
    search,
)
from clearance.api.settings import ApiSettings
from clearance.api.state import AppState
from clearance.store import Store

DESCRIPTION = """Sanctions screening over the official lists loaded in clearance.

`/match`, `/search`, `/entities`, `/catalog`, `/algorithms`, `/healthz` and `/readyz` follow
yente's request and response shapes; `/lists`, `/jobs`, `/explain`, `/deals/screen` and
`/text/screen` are clearance's own.
Every endpoint except the health checks needs an API key (`Authorization: Bearer <key>` or
`X-API-Key: <key>`). Errors are `{"detail": ..., "status": ...}`. See docs/api.md."""


def _version() -> str:
    try:
        return version("clearance")
    except PackageNotFoundError:
        return "0.0.0"


def routed_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app with every router and error handler but no state (also the OpenAPI
    document's source, see :mod:`clearance.api.openapi`)."""
    app = FastAPI(
        title="clearance",
        version=_version(),
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url="/",
        **kwargs,
    )
    errors.install(app)
    for module in (
        match,
        search,
        entities,
        catalog,
        lists,
        jobs,
        explain,
        deals,
        monitor,
        health,
    ):
        app.include_router(module.router)
    return app


def create_app(
    settings: ApiSettings, store: Store | None = None, *, index_root: Path | None = None
) -> FastAPI:
    """The application on ``store`` (default: the settings' database)."""
    store = store or Store.open(settings.db_url)
    state = AppState(settings, store, index_root)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.start()
        yield
        app.state.jobs.close()
        state.stop()

    app = routed_app(lifespan=lifespan)
    app.state.clearance = state
    app.state.jobs = JobRunner(state)
    app.add_middleware(
        BodyGuard,
        limits=BodyLimits(
            max_body_bytes=settings.api_max_body_bytes,
            max_upload_bytes=settings.api_max_job_bytes,
            max_depth=settings.api_max_depth,
        ),
    )
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["X-Screening-Id", "X-Batch-Size", "Retry-After"],
        )
    from clearance.workbench.web import install as install_workbench  # the UI under /ui

    install_workbench(app, state)
    return app


def app_from_env() -> FastAPI:
    """The application configured from the environment (uvicorn factory of ``clearance serve``)."""
    from clearance.api.settings import load_api_settings

    return create_app(load_api_settings())
