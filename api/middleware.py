"""Hardening around every request: security headers, body size, rate limit per caller, time limit."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time

from fastapi import FastAPI, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from netwerk.auth import COOKIE_NAME
from netwerk.settings import Settings

__all__ = ["Guard", "RateLimiter", "install"]

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


def _caller(scope: Scope, headers: dict[bytes, bytes]) -> str:
    """The rate-limit identity: the credential (hashed) or else the client address."""
    cred = headers.get(b"authorization", b"").decode("latin-1") or Request(scope).cookies.get(COOKIE_NAME)
    if cred:
        return hashlib.sha256(cred.encode()).hexdigest()[:32]
    client = scope.get("client")
    return f"ip:{client[0] if client else '?'}"


def _trusted(host: str, allowed: list[str]) -> bool:
    """DNS-rebinding guard: the Host header must name one of the configured hosts."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]").lower()
    return any(a == "*" or name == a.lower() or (a.startswith("*.") and name.endswith(a[1:].lower()))
               for a in allowed)


class Guard:
    """Pure ASGI middleware (no per-request task or body streaming as with ``BaseHTTPMiddleware``).

    Trusted hosts first, then the body size and the rate limit, then a time limit that cancels the
    request's work; security headers on every answer.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = RateLimiter(settings.rate_limit_per_minute)
        headers = dict(SECURITY_HEADERS)
        if settings.cookie_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.headers if h[0] not in present)]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_secured)
            return
        timeout = self.settings.request_timeout_s
        try:
            async with asyncio.timeout(timeout):
                await self.app(scope, receive, send_secured)
        except TimeoutError:
            if started:
                raise
            late = error_response(504, f"het verzoek duurde langer dan {timeout:g} s en is afgebroken")
            await late(scope, receive, send_secured)

    def _refusal(self, scope: Scope) -> Response | None:
        settings = self.settings
        headers = dict(reversed(scope["headers"]))  # the first of repeated headers, as Starlette reads them
        length = headers.get(b"content-length", b"").decode("latin-1")
        if not _trusted(headers.get(b"host", b"").decode("latin-1"), settings.trusted_hosts):
            return error_response(400, "onbekende host (zet NETWERK_TRUSTED_HOSTS)")
        if length and (not length.isdigit() or int(length) > settings.max_body_bytes):
            return error_response(413, f"verzoek te groot (hoogstens {settings.max_body_bytes} bytes)")
        if scope["path"] != "/health" and not self.limiter.allow(_caller(scope, headers)):
            return error_response(429, "te veel verzoeken; probeer het over een minuut opnieuw",
                                  headers={"Retry-After": "60"})
        return None


def install(app: FastAPI, settings: Settings) -> None:
    """Add the :class:`Guard` around the whole application."""
    app.add_middleware(Guard, settings=settings)
