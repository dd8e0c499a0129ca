"""The HTTP API: yente-compatible matching, search and entity endpoints, with API keys, limits,
screening records and batch jobs. ``create_app(settings, store)`` builds the FastAPI app;
``clearance serve`` runs it with uvicorn. See docs/api.md.
"""

from clearance.api.app import create_app
from clearance.api.settings import ApiSettings, load_api_settings

__all__ = ["ApiSettings", "create_app", "load_api_settings"]
