"""Errors of the security layer (messages in Dutch)."""

from __future__ import annotations

__all__ = ["CsrfRefused", "NotAuthenticated"]


class NotAuthenticated(PermissionError):
    """No valid credentials (missing, wrong, expired or revoked): HTTP 401."""


class CsrfRefused(PermissionError):
    """A state-changing web request without the session's CSRF token: HTTP 403."""
