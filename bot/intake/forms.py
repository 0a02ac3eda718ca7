"""Web lead forms: pure rendering and validation (the HTTP side is in `bot.intake.http`).

A form is data (`[forms.<name>]` in the config): fields with labels, which are required, the thank-you
text. `render_form` turns it into a small, accessible HTML page — real ``<label for>``s, ``required`` and
``aria-invalid``/``aria-describedby`` on errors, an error summary announced with ``role="alert"``,
``autocomplete`` tokens — with no script. `validate` checks a submission and `submission_payload` makes the
JSON document that is stored as the raw message (field name → value), which the JSON reader reads like any
other webhook.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape

from bot.settings import FormField, FormSettings

#: the honeypot input: hidden from people (off-screen, aria-hidden, not focusable), filled in by bots
HONEYPOT = "website_url"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_DIGITS = re.compile(r"\d")
MAX_FIELD_CHARS = 5000

#: user-facing wording, kept together
MESSAGES = {
    "required": "Please fill in {label}.",
    "email": "{label} does not look like an email address.",
    "tel": "{label} does not look like a phone number.",
    "too_long": "{label} is too long.",
    "summary": "Please correct the following:",
    "rate_limited": "Too many submissions from your address. Please try again later.",
    "unavailable": "We cannot take your request right now. Please try again in a minute.",
    "honeypot": "Leave this field empty",
}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d1f23;margin:0}
main{max-width:34rem;margin:2.5rem auto;background:#fff;padding:2rem 2.25rem;border-radius:10px;
box-shadow:0 1px 4px rgba(0,0,0,.12)}
h1{font-size:1.6rem;margin:0 0 .5rem}
p.intro{margin:0 0 1.5rem;color:#3b3f47}
.field{margin-bottom:1.1rem}
label{display:block;font-weight:600;margin-bottom:.3rem}
.req{color:#a4161a}
input,textarea{width:100%;box-sizing:border-box;font:inherit;padding:.55rem .65rem;border:1px solid #8a9099;
border-radius:6px}
input:focus,textarea:focus{outline:3px solid #2a6df4;outline-offset:1px}
textarea{min-height:7rem}
[aria-invalid=true]{border-color:#a4161a}
.error{color:#a4161a;margin:.3rem 0 0;font-size:.95rem}
.summary{border:2px solid #a4161a;border-radius:6px;padding:.75rem 1rem;margin-bottom:1.25rem}
.summary ul{margin:.4rem 0 0;padding-left:1.2rem}
button{font:inherit;font-weight:600;background:#1f5bd8;color:#fff;border:0;border-radius:6px;padding:.65rem 1.4rem;
cursor:pointer}
button:focus{outline:3px solid #0b2e7a;outline-offset:2px}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
""".strip()


@dataclass(frozen=True, slots=True)
class Submission:
    """A checked submission: the values of the form's fields, and the errors (field name → message)."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    honeypot_filled: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.honeypot_filled


def validate(form: FormSettings, posted: Mapping[str, str]) -> Submission:
    """Check a posted form: required fields present, emails and phone numbers plausible, nothing huge."""
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for spec in form.fields:
        value = (posted.get(spec.name) or "").strip()
        values[spec.name] = value
        error = _check(spec, value)
        if error:
            errors[spec.name] = error.format(label=spec.label)
    return Submission(values, errors, honeypot_filled=bool((posted.get(HONEYPOT) or "").strip()))


def _check(spec: FormField, value: str) -> str | None:
    if not value:
        return MESSAGES["required"] if spec.required else None
    if len(value) > MAX_FIELD_CHARS:
        return MESSAGES["too_long"]
    if spec.type == "email" and not _EMAIL.match(value):
        return MESSAGES["email"]
    if spec.type == "tel" and len(_PHONE_DIGITS.findall(value)) < 6:
        return MESSAGES["tel"]
    return None


def submission_payload(name: str, submission: Submission) -> bytes:
    """The raw message stored for a submission: a JSON object of the filled fields (the form's name too)."""
    data: dict[str, str] = {"form": name}
    data.update({k: v for k, v in submission.values.items() if v})
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
        "</body>\n</html>\n"
    )


def _input(spec: FormField, value: str, error: str | None) -> str:
    attrs = [f'id="f-{escape(spec.name)}"', f'name="{escape(spec.name)}"']
    if spec.required:
        attrs += ["required", 'aria-required="true"']
    if spec.autocomplete:
        attrs.append(f'autocomplete="{escape(spec.autocomplete)}"')
    if error:
        attrs += ['aria-invalid="true"', f'aria-describedby="e-{escape(spec.name)}"']
    if spec.type == "textarea":
        return f"<textarea {' '.join(attrs)}>{escape(value)}</textarea>"
    return f'<input type="{spec.type}" {" ".join(attrs)} value="{escape(value)}">'


def render_form(
    name: str, form: FormSettings, *, values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None
) -> str:
    """The form page; with ``errors``, the same page showing them next to their fields and in a summary."""
    values = values or {}
    errors = errors or {}
    parts = [f"<h1>{escape(form.title)}</h1>"]
    if form.intro:
        parts.append(f'<p class="intro">{escape(form.intro)}</p>')
    if errors:
        items = "".join(
            f'<li><a href="#f-{escape(k)}">{escape(v)}</a></li>' for k, v in errors.items()
        )
        parts.append(
            f'<div class="summary" role="alert" tabindex="-1"><strong>{escape(MESSAGES["summary"])}</strong>'
            f"<ul>{items}</ul></div>"
        )
    parts.append(f'<form method="post" action="/form/{escape(name)}" novalidate>')
    for spec in form.fields:
        error = errors.get(spec.name)
        star = ' <span class="req" aria-hidden="true">*</span>' if spec.required else ""
        parts.append(
            f'<div class="field"><label for="f-{escape(spec.name)}">{escape(spec.label)}{star}</label>'
            f"{_input(spec, values.get(spec.name, ''), error)}"
            + (f'<p class="error" id="e-{escape(spec.name)}">{escape(error)}</p>' if error else "")
            + "</div>"
        )
    parts.append(
        f'<div class="hp" aria-hidden="true"><label for="f-{HONEYPOT}">{escape(MESSAGES["honeypot"])}</label>'
        f'<input type="text" id="f-{HONEYPOT}" name="{HONEYPOT}" tabindex="-1" autocomplete="off" value=""></div>'
    )
    parts.append(f'<button type="submit">{escape(form.submit_label)}</button>\n</form>')
    return _page(form.title, "\n".join(parts))


def render_thanks(form: FormSettings) -> str:
    return _page(form.title, f'<h1>{escape(form.title)}</h1>\n<p role="status">{escape(form.thank_you)}</p>')


def render_message(title: str, text: str) -> str:
    return _page(title, f"<h1>{escape(title)}</h1>\n<p>{escape(text)}</p>")
