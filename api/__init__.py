"""The netwerk HTTP API (FastAPI)."""
