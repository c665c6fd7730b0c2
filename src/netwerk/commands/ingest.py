"""`netwerk ingest DIR`: validate and load a format-v1 folder (or a Signalen export with --signalen);
`netwerk signalen convert`: turn a Signalen data-warehouse export into format v1."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from netwerk.commands.common import Format, FormatOpt, StoreOpt, console, err_console, fail, print_json, store_from
from netwerk.ingest import IngestError, ingest_folder
from netwerk.ingest.signalen import convert_signalen
from netwerk.privacy import PseudonymKeyMissing

if TYPE_CHECKING:
    from netwerk.auth.vault import Vault
    from netwerk.store import GraphStore

CategoriesOpt = Annotated[
    Path | None,
    typer.Option("--categories", envvar="NETWERK_CATEGORIES",
                 help="Eigen categorietabel (CSV: main_slug,main_name,sub_slug,sub_name,domain,origin) "
                      "die over de ingebouwde tabel heen gaat."),
]


def ingest(
    folder: Annotated[Path, typer.Argument(help="Map met CSV-bestanden in importformaat v1 (of een Signalen-export).")],
    store: StoreOpt = None,
    no_pseudonymise: Annotated[bool, typer.Option("--no-pseudonymise", help="Persoonsgegevens NIET pseudonimiseren (alleen voor al gepseudonimiseerde gegevens).")] = False,  # noqa: E501
    strict: Annotated[bool, typer.Option("--strict", help="Niets laden als er ook maar één regel wordt afgewezen.")] = False,  # noqa: E501
    drop_descriptions: Annotated[bool, typer.Option("--drop-descriptions", help="Vrije tekst van meldingen niet opslaan.")] = False,  # noqa: E501
    rejects: Annotated[Path | None, typer.Option("--rejects", help="CSV voor afgewezen regels (standaard in <opslag>/rejects/).")] = None,  # noqa: E501
    signalen: Annotated[bool, typer.Option("--signalen", help="De map is een Signalen-export (datawarehouse-CSV's).")] = False,  # noqa: E501
    categories: CategoriesOpt = None,
    fmt: FormatOpt = Format.table,
    risk: Annotated[bool, typer.Option("--ik-begrijp-het-risico", help="Met --no-pseudonymise: laad ook bestanden met persoonsgegevens (alleen als die al gepseudonimiseerd zijn).")] = False,  # noqa: E501
    identities: Annotated[bool, typer.Option("--identiteiten", help="Zet naam, geboortedatum en adres per pseudoniem versleuteld in de identiteitenkluis (NETWERK_VAULT_PATH en NETWERK_VAULT_KEY), buiten de opslag.")] = False,  # noqa: E501
) -> None:
    """Valideer en laad een map met CSV-bestanden; toon per bestand gelezen / geladen / afgewezen."""
    vault = _vault() if identities else None
    tmp = None
    shown = str(folder)
    if signalen:
        tmp = tempfile.TemporaryDirectory(prefix="netwerk-signalen-")
        try:
            conv = convert_signalen(folder, Path(tmp.name), categories=categories)
        except (ValueError, FileNotFoundError) as exc:
            raise fail(str(exc)) from exc
        for w in conv.warnings:
            err_console.print(f"[yellow]Let op:[/] {w}")
        folder = Path(tmp.name)
    try:
        with store_from(store, create=True) as st:
            try:
                report = ingest_folder(
                    folder, st, pseudonymise=not no_pseudonymise, drop_descriptions=drop_descriptions,
                    strict=strict, progress=fmt is Format.table, rejects_path=rejects, categories=categories,
                )
            except PseudonymKeyMissing as exc:
                raise fail(str(exc)) from exc
            except IngestError as exc:
                raise fail(str(exc)) from exc
            if report.loaded and st.counts()["nodes"].get("Watch"):
                report.warnings.append(_watch_alerts(st))
    finally:
        if tmp is not None:
            tmp.cleanup()
    report.folder = shown
    if fmt is Format.json:
        print_json(report.to_dict())
    else:
        console.print(report.table())
        for w in report.warnings:
            console.print(f"[yellow]Let op:[/] {w}")
        if report.rejects_path:
            console.print(f"Afgewezen regels (bestand, regel, veld, reden): {report.rejects_path}")
    if report.loaded == 0:
        raise fail("er kon niets worden geladen")
    if vault is not None:
        _fill_vault(vault, Path(shown))
    if strict and report.rejected:
        raise fail(f"--strict: {report.rejected} regel(s) afgewezen; er is niets geladen")


def _watch_alerts(store: GraphStore) -> str:
    """New signals near watched places reach the team the same day: alerts are raised right after ingest."""
    from netwerk.frames import Frames
    from netwerk.monitor.watch import sync_alerts

    found = sync_alerts(store, Frames.from_store(store))
    return f"waakmeldingen: {found['nieuw']} nieuw, {found['al_bekend']} al bekend (zie `netwerk waak alerts`)"


def _vault() -> Vault:
    """The configured identity vault, checked before anything is read (no key: a clear error)."""
    from netwerk.auth.vault import VaultError, open_vault
    from netwerk.settings import Settings

    settings = Settings()
    try:
        return open_vault(settings.vault_path, settings.vault_key, settings.vault_key_file)
    except VaultError as exc:
        raise fail(f"--identiteiten: {exc}") from exc


def _fill_vault(vault: Vault, folder: Path) -> None:
    """Identities of the export's persons into the vault, per pseudonym; audited (never the identities)."""
    from netwerk import audit
    from netwerk.ingest.identities import read_identities
    from netwerk.privacy import pseudonym_key

    n = vault.put(read_identities(folder, pseudonym_key()))
    audit.record(audit.current_actor(), "kluis gevuld", "Person:*", "cli:ingest --identiteiten", n=n)
    console.print(f"{n} identiteit(en) versleuteld in de kluis {vault.path} (niet in de opslag)")


def convert(
    source: Annotated[Path, typer.Argument(help="Map met de Signalen-export (signals.csv, locations.csv, categories.csv, statuses.csv).")],  # noqa: E501
    out: Annotated[Path, typer.Argument(help="Doelmap voor importformaat v1.")],
    categories: CategoriesOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Zet een Signalen-export om naar importformaat v1 (signals.csv + addresses.csv)."""
    try:
        conv = convert_signalen(source, out, categories=categories)
    except (ValueError, FileNotFoundError) as exc:
        raise fail(str(exc)) from exc
    if fmt is Format.json:
        print_json(conv.to_dict())
        return
    console.print(f"{conv.signals} meldingen en {conv.addresses} adressen geschreven naar {out}")
    for w in conv.warnings:
        console.print(f"[yellow]Let op:[/] {w}")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    sig = typer.Typer(help="Signalen (meldingen openbare ruimte): export omzetten naar importformaat v1.",
                      no_args_is_help=True)
    sig.command("convert")(convert)
    app.add_typer(sig, name="signalen")
