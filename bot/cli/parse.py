"""`leadbot parse FILE... [--json] [--explain]` and `leadbot vendors`: extraction from the command line.

``--json`` prints one JSON object per input on its own line (the shape the extraction scorer reads):
``{"source": <path as given>, "vendor": <str|null>, "leads": [{<every field>: <str|null>}]}``, plus
``"error"`` for an input that could not be read; the run goes on with the next file, and each such
input also gets one line on stderr. ``--explain`` adds each field's provenance and the values set aside as
the other side's (``ExtractedLead.others``: the agent's phone, the dealer's address…, with their role).
Exit status: 0 every input was read (a message with no lead in it is a result), 1 some input could not be
read as a message, 2 some argument named no readable file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nlp.extractor import Extractor
from parsers.lead import FIELD_NAMES, Extraction, ExtractionError, RawMessage, RoleValue

if TYPE_CHECKING:
    from bot.settings import Settings

#: exit status when an input cannot be read as a message (the other files are still processed)
EXIT_UNREADABLE = 1
#: exit status when an argument names no readable file
EXIT_MISSING = 2


def make_extractor(settings: Settings) -> Extractor:
    return Extractor(settings.extraction, settings.nlp)


def _message(path: Path) -> RawMessage:
    return RawMessage(raw=path.read_bytes(), channel="file", name_hint=path.name)


def run_parse(paths: list[str], *, as_json: bool, explain: bool, extractor: Extractor,
              out: TextIO | None = None, errors: TextIO | None = None) -> int:
    """Extract each file and print the result; returns the exit status (see the module's docstring).

    ``errors`` (stderr from the command line) gets one line per input that failed.
    """
    stream = out or sys.stdout
    status = 0
    for given in paths:
        path = Path(given)
        error: str | None = None
        extraction: Extraction | None = None
        try:
            extraction = extractor.extract(_message(path))
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            error = f"cannot read {given}: {exc.strerror or exc}"
            status = EXIT_MISSING
        except ExtractionError as exc:
            error = str(exc)
            status = max(status, EXIT_UNREADABLE)
        except Exception as exc:  # our bug: report it for this file and go on with the others
            error = f"internal error ({type(exc).__name__}: {exc})"
            status = max(status, EXIT_UNREADABLE)
        if error is not None and errors is not None:
            line = error if error.startswith("cannot read") else f"{given}: {error}"
            errors.write(f"leadbot parse: {' '.join(line.split())}\n")
        if as_json:
            stream.write(_json_line(given, extraction, error, explain) + "\n")
        else:
            stream.write(_text_block(given, extraction, error, explain) + "\n")
        stream.flush()
    return status


def _json_line(source: str, extraction: Extraction | None, error: str | None, explain: bool) -> str:
    if extraction is None:
        return json.dumps({"source": source, "vendor": None, "leads": [], "error": error}, ensure_ascii=False)
    obj: dict[str, object] = {
        "source": source,
        "vendor": extraction.vendor,
        "leads": [lead.plain() for lead in extraction.leads],
    }
    if explain:
        obj["warnings"] = list(extraction.warnings)
        obj["provenance"] = [
            lead.provenance() for lead in extraction.leads
        ]
        obj["others"] = [[_other_json(other) for other in lead.others] for lead in extraction.leads]
    return json.dumps(obj, ensure_ascii=False)


def _text_block(source: str, extraction: Extraction | None, error: str | None, explain: bool) -> str:
    lines = [f"== {source}"]
    if extraction is None:
        lines.append(f"   error: {error}")
        return "\n".join(lines)
    lines.append(f"   vendor: {extraction.vendor or '(not recognised)'}")
    for note in extraction.warnings:
        lines.append(f"   warning: {note}")
    width = max(len(n) for n in FIELD_NAMES)
    for k, lead in enumerate(extraction.leads, 1):
        lines.append(f"   lead {k}:")
        for name in FIELD_NAMES:
            fv = lead.fields.get(name)
            if fv is None:
                continue
            value = fv.value.replace("\n", " ⏎ ")
            if len(value) > 200 and not explain:
                value = value[:197] + "…"
            lines.append(f"     {name:<{width}}  {value}")
            if explain:
                detail = f"source {fv.source}, confidence {fv.confidence:.2f}"
                if fv.normalized:
                    detail += f", normalized {fv.normalized}"
                if fv.flags:
                    detail += f", flags {', '.join(fv.flags)}"
                lines.append(f"     {'':<{width}}    ({detail})")
                for alt in fv.alternatives:
                    lines.append(f"     {'':<{width}}    alternative: {alt}")
        if explain and lead.others:
            lines.append("     set aside (not the prospect's):")
            for other in lead.others:
                lines.append(f"       {other.role:<10} {other.field:<{width}}  {other.value}  ({other.source})")
    return "\n".join(lines)


def _other_json(other: RoleValue) -> dict[str, str]:
    return {"field": other.field, "value": other.value, "role": other.role, "source": other.source}


def run_vendors(extractor: Extractor, out: TextIO | None = None) -> int:
    """List the loaded vendor templates: name, match rules, field rules and the sample's subject."""
    stream = out or sys.stdout
    for t in extractor.vendors:
        stream.write(f"{t.name}  —  {t.display_name}\n")
        stream.write(f"   file: {t.path}\n")
        for m in t.describe_match():
            stream.write(f"   match ({t.mode}): {m}\n")
        for r in t.describe_rules():
            stream.write(f"   rule: {r}\n")
        if t.not_lead_sections:
            stream.write(f"   not the lead: {', '.join(t.not_lead_sections)}\n")
        if t.sample is not None:
            stream.write(f"   sample: {t.sample.subject or '(no subject)'} → "
                         f"{', '.join(f'{k}={v}' for k, v in t.sample.expected.items() if v)}\n")
    stream.write(f"{len(extractor.vendors)} vendor template(s)\n")
    return 0
