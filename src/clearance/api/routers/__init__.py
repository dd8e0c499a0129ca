"""The API's routers, one per concern (see docs/api.md)."""
