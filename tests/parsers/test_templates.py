"""Vendor templates: every built-in sample yields its expected fields; broken templates are refused readably."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.structured import load_vendor_templates, read_sample
from parsers.templates import BUILTIN_DIR, TemplateError, parse_template

BUILTIN = sorted(BUILTIN_DIR.glob("*.toml"))
TEMPLATES = load_vendor_templates()

GOOD = '''
name = "acme_leads"
display_name = "Acme Leads"
[match]
senders = ["*@acme-leads.example"]
[[rules]]
field = "interest"
regex = '^Model wanted:\\s*(?P<value>.+)$'
[sample]
from = "Acme <leads@acme-leads.example>"
body = """
Name: Yusuf Demir
Email: yusuf.d@example.com
Model wanted: Cargo van, long wheelbase
"""
[sample.expected]
full_name = "Yusuf Demir"
interest = "Cargo van, long wheelbase"
'''


def test_there_are_builtin_templates() -> None:
    assert len(BUILTIN) >= 6
    assert {t.name for t in TEMPLATES} >= {"automarket", "homefinder", "fahrzeugmarkt", "motorocasion"}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.name)
def test_sample_yields_expected_fields(template) -> None:  # type: ignore[no-untyped-def]
    vendor, fields = read_sample(template, TEMPLATES)
    assert vendor == template.display_name
    assert template.sample is not None
    for key, want in template.sample.expected.items():
        if key == "vendor":
            continue
        got = fields.get(key)
        assert (got or None) == want or (got and want and " ".join(got.split()) == " ".join(want.split())), key


def test_extra_directory_adds_a_vendor(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(GOOD, encoding="utf-8")
    templates = load_vendor_templates(tmp_path)
    acme = next(t for t in templates if t.name == "acme_leads")
    assert acme.rules[0].field == "interest"
    assert read_sample(acme, templates)[1]["interest"] == "Cargo van, long wheelbase"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('display_name = "Acme Leads"', 'display_name = "Acme Leads"\ncolour = "red"'), "colour: unknown key"),
        (("regex = '^Model wanted", "regex = '(^Model wanted"), "rules[0].regex: bad regular expression"),
        (('interest = "Cargo van, long wheelbase"', 'interest = "Box truck"'),
         "sample.expected.interest: expected 'Box truck'"),
        (('field = "interest"', 'field = "favourite_colour"'), "rules[0].field: unknown field"),
        (('senders = ["*@acme-leads.example"]', 'senders = ["*@elsewhere.example"]'), "is not recognised"),
        (("[sample]", "[samples]"), "samples: unknown key"),
        (('display_name = "Acme Leads"', 'display_name = "Acme Leads"\nrequire_auth = "yes"'),
         "require_auth: must be true or false"),
        (('[match]\nsenders = ["*@acme-leads.example"]', 'require_auth = true\n[match]\nsubject = "^Lead"'),
         "require_auth: needs [match] senders"),
    ],
)
def test_broken_template_is_refused_readably(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_vendor_templates(tmp_path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("name = [unclosed", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"bad\.toml: \(file\): is not valid TOML"):
        parse_template(path)


def test_duplicate_vendor_name(tmp_path: Path) -> None:
    (tmp_path / "copy.toml").write_text((BUILTIN_DIR / "automarket_us.toml").read_text(encoding="utf-8"))
    with pytest.raises(TemplateError, match="'automarket' is already defined"):
        load_vendor_templates(tmp_path)


def test_require_auth_is_read(tmp_path: Path) -> None:
    (tmp_path / "acme.toml").write_text(
        GOOD.replace('display_name = "Acme Leads"', 'display_name = "Acme Leads"\nrequire_auth = true'),
        encoding="utf-8",
    )
    templates = load_vendor_templates(tmp_path)
    assert next(t for t in templates if t.name == "acme_leads").require_auth
    assert not any(t.require_auth for t in templates if t.name != "acme_leads")
