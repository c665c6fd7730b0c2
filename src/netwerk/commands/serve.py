"""`netwerk serve`: the web application and the API from one process."""

from __future__ import annotations

from typing import Annotated

import typer

from netwerk.commands.common import StoreOpt, console

__all__ = ["register", "serve"]


def serve(
    host: Annotated[str, typer.Option("--host", help="Adres om op te luisteren (standaard alleen deze computer).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Poort.")] = 8000,
    store: StoreOpt = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="Aantal serverprocessen (één per processorkern).")] = 1,
) -> None:
    """Start de webapplicatie en de API (`--workers N`: N processen).

    Inloggen met een gebruiker van `netwerk gebruiker`.
    """
    from netwerk.serving import serve as run
    from netwerk.settings import Settings

    settings = Settings(store=store) if store else Settings()
    if host not in settings.trusted_hosts and host not in ("0.0.0.0", "::"):
        settings.trusted_hosts = [*settings.trusted_hosts, host]
    if settings.cookie_secure and host not in ("127.0.0.1", "localhost", "::1"):
        console.print("[yellow]Let op:[/] sessiecookies zijn 'Secure'; zet een HTTPS-proxy voor deze server "
                      "(of NETWERK_COOKIE_SECURE=false, alleen voor een afgeschermd testnet).")
    console.print(f"netwerk draait op http://{host}:{port}/ (opslag: {settings.store}); stoppen met Ctrl+C.")
    run("netwerk.web.app:create_app", settings, host, port, workers)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
