"""`[acknowledgement]` (issue 14): templates are checked when the settings load, so a placeholder we cannot
fill stops the start with the key named, never the first email to a prospect."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings
from bot.settings.acknowledgement import DEFAULT_TEMPLATE

ON = '[acknowledgement]\nenabled = true\nfrom_address = "hello@riverside.example"\ncompany_name = "Riverside"\n'


def load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "c.toml"
    path.write_text(text)
    return load_settings(path)


def test_off_by_default_and_on_with_the_built_in_wording() -> None:
    assert not load_settings(None).acknowledgement.enabled
    settings = load_settings(None, overrides={"acknowledgement.enabled": True,
                                              "acknowledgement.from_address": "hello@riverside.example",
                                              "acknowledgement.company_name": "Riverside"}).acknowledgement
    assert settings.template_for("AnyVendor", "smtp") == ("default", DEFAULT_TEMPLATE)


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[acknowledgement.template]\nbody = "Hi {frist_name}"\n',
         r"acknowledgement\.template\.body: .*unknown placeholder \{frist_name\}; known: company_name, first_name"),
        ('[acknowledgement.sources.AutoMarket]\nsubject = "{rep_name} will call"\n',
         r"acknowledgement\.sources\.AutoMarket\.subject: .*\{rep_name\} is known only in claim_subject"),
        ('[acknowledgement.template]\nclaim_body = "{first_name!r}"\n',
         r"acknowledgement\.template\.claim_body: .*takes no conversion or format"),
        ('[acknowledgement.template]\nsubject = "Offer {"\n',
         r"acknowledgement\.template\.subject: .*literal brace"),
    ],
)
def test_a_placeholder_we_cannot_fill_stops_the_start(tmp_path: Path, toml: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load(tmp_path, ON + toml)


def test_turning_it_on_needs_a_sender_and_a_company(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="enabled = true needs from_address and company_name"):
        load(tmp_path, "[acknowledgement]\nenabled = true\n")
    with pytest.raises(ConfigError, match=r"acknowledgement\.from_address: .*not an email address"):
        load(tmp_path, '[acknowledgement]\nfrom_address = "hello at riverside"\n')
    with pytest.raises(ConfigError, match=r"acknowledgement\.retry_seconds"):
        load(tmp_path, ON + "retry_seconds = [60, 0]\n")


def test_a_source_overrides_the_pieces_it_sets_matched_by_vendor_then_channel(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(ON + '[acknowledgement.template]\nsubject = "Thanks, {first_name}"\n'
                    '[acknowledgement.sources.AutoMarket]\nbody = "AutoMarket: {interest}"\n'
                    '[acknowledgement.sources.http]\nsubject = "Your web request"\n')
    settings = load_settings(path).acknowledgement
    name, template = settings.template_for("automarket", "http")
    assert (name, template.subject, template.body) == ("AutoMarket", "Thanks, {first_name}", "AutoMarket: {interest}")
    assert template.claim_body == DEFAULT_TEMPLATE.claim_body
    name, template = settings.template_for("Other Portal", "http")
    assert (name, template.subject, template.body) == ("http", "Your web request", DEFAULT_TEMPLATE.body)
    assert settings.template_for(None, "smtp")[0] == "default"
