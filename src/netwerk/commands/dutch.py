"""Dutch messages for the command line's own errors (typer: missing or unknown options, bad values).

Typer (with its vendored click) writes its usage errors in English and validates values with pydantic.
:func:`install` translates each message just before it is shown, pattern by pattern, so the option names
and values stay as the user typed them. A message without a pattern is shown as it is.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

__all__ = ["install", "translate"]

_VALUE: list[tuple[str, str]] = [  # the part after "Invalid value for X:" (pydantic and typer value checks)
    (r"^Value error, (.*)$", r"\1"),
    (r"^(.*) is not one of (.*)\.$", r"\1 is niet een van \2."),
    (r"^Input should be a valid integer.*$", "geef een geheel getal"),
    (r"^Input should be a valid number.*$", "geef een getal"),
    (r"^Input should be a valid boolean.*$", "geef ja of nee (true/false)"),
    (r"^Input should be greater than or equal to (\S+)$", r"moet minstens \1 zijn"),
    (r"^Input should be greater than (\S+)$", r"moet groter zijn dan \1"),
    (r"^Input should be less than or equal to (\S+)$", r"mag hoogstens \1 zijn"),
    (r"^Input should be less than (\S+)$", r"moet kleiner zijn dan \1"),
    (r"^Input should be (.*)$", r"verwacht: \1"),
    (r"^(?:File|Path) (.*) does not exist\.$", r"bestand \1 bestaat niet."),
    (r"^Directory (.*) does not exist\.$", r"map \1 bestaat niet."),
    (r"^(?:File|Path) (.*) is a directory\.$", r"\1 is een map, geen bestand."),
    (r"^Directory (.*) is a file\.$", r"\1 is een bestand, geen map."),
    (r"^(?:File|Directory|Path) (.*) is not readable\.$", r"\1 is niet leesbaar."),
    (r"^(?:File|Directory|Path) (.*) is not writable\.$", r"\1 is niet schrijfbaar."),
    (r"^Value (.*) is not a valid (.*)\.$", r"waarde \1 is geen geldige \2."),
]
_MESSAGE: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"^Missing option(.*?)\.(?: (.*))?$", lambda m: f"Ontbrekende optie{m[1]}." + (f" {m[2]}" if m[2] else "")),
    (r"^Missing argument(.*?)\.(?: (.*))?$", lambda m: f"Ontbrekend argument{m[1]}." + (f" {m[2]}" if m[2] else "")),
    (r"^Missing parameter(.*?)\.?$", r"Ontbrekende parameter\1."),
    (r"^No such option: (\S+) \(Possible options: (.*)\)$", r"Onbekende optie: \1 (bedoelt u een van: \2?)"),
    (r"^No such option: (.*)$", r"Onbekende optie: \1"),
    (r"^No such command (.*)\.$", r"Onbekend commando \1."),
    (r"^Missing command\.$", "Geef een commando."),
    (r"^Got unexpected extra argument\(s\) \((.*)\)$", r"Onverwacht extra argument (\1)"),
    (r"^Got unexpected extra arguments? \((.*)\)$", r"Onverwacht extra argument (\1)"),
    (r"^Option (.*) requires an argument\.?$", r"Optie \1 vraagt een waarde."),
    (r"^Option (.*) requires (\d+) arguments\.?$", r"Optie \1 vraagt \2 waarden."),
    (r"^Option (.*) requires (.*)$", r"Optie \1 vraagt een waarde."),
    (r"^Option (.*) does not take a value\.$", r"Optie \1 neemt geen waarde."),
    (r"^Invalid value for (.+?): (.*)$", lambda m: f"Ongeldige waarde voor {m[1]}: {_value(m[2])}"),
    (r"^Invalid value: (.*)$", lambda m: f"Ongeldige waarde: {_value(m[1])}"),
]
_TYPER_TEXT = {
    "ERRORS_PANEL_TITLE": "Fout",
    "ABORTED_TEXT": "Afgebroken.",
    "RICH_HELP": "Probeer [blue]'{command_path} {help_option}'[/] voor hulp.",
    "DEFAULT_STRING": "[standaard: {}]",
    "ENVVAR_STRING": "[omgevingsvariabele: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "OPTIONS_PANEL_TITLE": "Opties",
    "COMMANDS_PANEL_TITLE": "Commando's",
}


def _value(text: str) -> str:
    for pattern, repl in _VALUE:
        text = re.sub(pattern, repl, text, flags=re.DOTALL)
    return text


def translate(message: str) -> str:
    """The Dutch form of a typer/click error message (unchanged when no pattern matches).

    Examples
    --------
    >>> translate("Missing option '--overleg'.")
    "Ontbrekende optie '--overleg'."
    >>> translate("Invalid value for '--top': Input should be a valid integer, unable to parse string as an integer")
    "Ongeldige waarde voor '--top': geef een geheel getal"
    """
    for pattern, repl in _MESSAGE:
        m = re.match(pattern, message, flags=re.DOTALL)
        if m:
            return repl(m) if callable(repl) else m.expand(repl)
    return message


def install() -> None:
    """Show typer's usage errors, help titles and abort text in Dutch in this process (idempotent)."""
    rich_utils = importlib.import_module("typer.rich_utils")
    for name, text in _TYPER_TEXT.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    show = getattr(rich_utils, "rich_format_error")  # noqa: B009 - a module typed as ModuleType
    if getattr(show, "_netwerk_dutch", False):
        return

    def dutch_format_error(exc: Any) -> None:
        message = translate(exc.format_message())
        exc.format_message = lambda: message
        show(exc)

    dutch_format_error._netwerk_dutch = True  # type: ignore[attr-defined]
    setattr(rich_utils, "rich_format_error", dutch_format_error)  # noqa: B010
    core = importlib.import_module("typer.core")
    core_nl = {"Aborted!": "Afgebroken.", "Missing command.": "Geef een commando."}
    setattr(core, "_", lambda text: core_nl.get(text, text))  # noqa: B010
    formatting = importlib.import_module("typer._click.formatting")
    write_usage = formatting.HelpFormatter.write_usage

    def dutch_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "Gebruik: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = dutch_usage
    click_core = importlib.import_module("typer._click.core")
    get_help_option = click_core.Command.get_help_option

    def dutch_help_option(self: Any, ctx: Any) -> Any:
        opt = get_help_option(self, ctx)
        if opt is not None and opt.help == "Show this message and exit.":
            opt.help = "Toon deze hulp en stop."
        return opt

    click_core.Command.get_help_option = dutch_help_option
