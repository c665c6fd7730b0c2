"""Hardening around every request: security headers, body size, rate limit per caller, time limit."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from api.errors import error_response
from netwerk.settings import Settings

__all__ = ["RateLimiter", "install"]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
}


class RateLimiter:
    """A token bucket per caller: ``per_minute`` requests, bursts up to the same number."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str) -> bool:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[caller] = (tokens, now)
                return False
            self._buckets[caller] = (tokens - 1, now)
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            return True


def _caller(request: Request) -> str:
    """The rate-limit identity: the credential (hashed) or else the client address."""
    cred = request.headers.get("authorization") or request.cookies.get("netwerk_sessie")
    if cred:
        return hashlib.sha256(cred.encode()).hexdigest()[:32]
    return f"ip:{request.client.host if request.client else '?'}"


def _trusted(host: str, allowed: list[str]) -> bool:
    """DNS-rebinding guard: the Host header must name one of the configured hosts."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]").lower()
    return any(a == "*" or name == a.lower() or (a.startswith("*.") and name.endswith(a[1:].lower()))
               for a in allowed)


def install(app: FastAPI, settings: Settings) -> None:
    """Add the middleware (order: trusted hosts first, then limits, then headers on every answer)."""
    limiter = RateLimiter(settings.rate_limit_per_minute)

    @app.middleware("http")
    async def _guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if not _trusted(request.headers.get("host", ""), settings.trusted_hosts):
            response: Response = error_response(400, "onbekende host (zet NETWERK_TRUSTED_HOSTS)")
        elif length and (not length.isdigit() or int(length) > settings.max_body_bytes):
            response = error_response(413, f"verzoek te groot (hoogstens {settings.max_body_bytes} bytes)")
        elif request.url.path != "/health" and not limiter.allow(_caller(request)):
            response = error_response(429, "te veel verzoeken; probeer het over een minuut opnieuw",
                                      headers={"Retry-After": "60"})
        else:
            try:
                response = await asyncio.wait_for(call_next(request), timeout=settings.request_timeout_s)
            except TimeoutError:
                response = error_response(504, f"het verzoek duurde langer dan {settings.request_timeout_s:g} s "
                                               "en is afgebroken")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.cookie_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
