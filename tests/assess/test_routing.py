"""Routing: grade decides by default; one test per rule kind; first match wins; bad rules stop the start."""

from __future__ import annotations

import pytest

from bot.assess.routing import decide_route, guess_language
from bot.settings import ConfigError, RoutingSettings, SlackChannels, load_settings
from parsers.lead import ExtractedLead, FieldValue

CHANNELS = SlackChannels(sales="C0SALES", nurture="C0NURTURE", alerts="C0ALERTS")


def lead(**values: str) -> ExtractedLead:
    return ExtractedLead({k: FieldValue(v, "test") for k, v in values.items()})


def settings(*rules: dict[str, object]) -> RoutingSettings:
    return load_settings(None, overrides={"routing.rules": list(rules)}).routing


def test_grade_decides_without_rules() -> None:
    none = RoutingSettings()
    assert decide_route(lead(), None, "A", CHANNELS, none).channel == "C0SALES"
    assert decide_route(lead(), None, "B", CHANNELS, none).channel == "C0NURTURE"
    c = decide_route(lead(), None, "C", CHANNELS, none)
    assert c.channel is None and c.because == "grade C"


def test_vendor_rule() -> None:
    rules = settings({"name": "portal", "vendor": ["AutoMarket*"], "channel": "C0PORTAL"})
    hit = decide_route(lead(), "AutoMarket US", "A", CHANNELS, rules)
    assert (hit.channel, hit.because) == ("C0PORTAL", "rule 'portal'")
    assert decide_route(lead(), "HomeFinder", "A", CHANNELS, rules).channel == "C0SALES"
    assert decide_route(lead(), None, "A", CHANNELS, rules).channel == "C0SALES"


def test_interest_rule_reads_interest_else_message() -> None:
    rules = settings({"name": "trucks", "interest": r"\b(f-150|silverado)\b", "channel": "C0TRUCKS"})
    assert decide_route(lead(interest="2021 Ford F-150"), None, "B", CHANNELS, rules).channel == "C0TRUCKS"
    assert decide_route(lead(message="any Silverado in stock?"), None, "B", CHANNELS, rules).channel == "C0TRUCKS"
    assert decide_route(lead(interest="Subaru Outback"), None, "B", CHANNELS, rules).channel == "C0NURTURE"


def test_region_rule_by_code_or_postal_pattern() -> None:
    rules = settings({"name": "west", "region": ["OR", "94*"], "channel": "C0WEST"})
    assert decide_route(lead(region="or"), None, "A", CHANNELS, rules).channel == "C0WEST"
    assert decide_route(lead(postal_code="94107"), None, "A", CHANNELS, rules).channel == "C0WEST"
    assert decide_route(lead(region="TX", postal_code="73301"), None, "A", CHANNELS, rules).channel == "C0SALES"
    by_country = settings({"name": "de", "region": ["DE"], "channel": "C0DACH"})
    assert decide_route(lead(country="DE"), None, "A", CHANNELS, by_country).channel == "C0DACH"


def test_language_rule() -> None:
    rules = settings({"name": "spanish", "language": ["es"], "channel": "C0ES"})
    spanish = lead(message="Hola, estoy interesado en el coche y quisiera una prueba, gracias")
    english = lead(message="Hi, I would like to see the car this week, thanks")
    assert decide_route(spanish, None, "A", CHANNELS, rules).channel == "C0ES"
    assert decide_route(english, None, "A", CHANNELS, rules).channel == "C0SALES"
    assert guess_language("Guten Tag, ich habe Interesse an einer Probefahrt und möchte einen Termin") == "de"
    assert guess_language("ok") is None


def test_first_match_wins_and_all_conditions_of_a_rule_must_hold() -> None:
    rules = settings(
        {"name": "texas trucks", "interest": "truck", "region": ["TX"], "channel": "C0TXTRUCKS"},
        {"name": "trucks", "interest": "truck", "channel": "C0TRUCKS"},
        {"name": "texas", "region": ["TX"], "channel": "C0TX"},
    )
    assert decide_route(lead(interest="truck", region="TX"), None, "A", CHANNELS, rules).channel == "C0TXTRUCKS"
    assert decide_route(lead(interest="truck", region="OK"), None, "A", CHANNELS, rules).channel == "C0TRUCKS"
    assert decide_route(lead(interest="sedan", region="TX"), None, "A", CHANNELS, rules).channel == "C0TX"


def test_rules_respect_grades_and_never_route_c() -> None:
    rules = settings({"name": "vip", "vendor": ["Gold"], "grades": ["A"], "channel": "C0VIP"})
    assert decide_route(lead(), "Gold", "A", CHANNELS, rules).channel == "C0VIP"
    assert decide_route(lead(), "Gold", "B", CHANNELS, rules).channel == "C0NURTURE"
    assert decide_route(lead(), "Gold", "C", CHANNELS, rules).channel is None
    with pytest.raises(ConfigError, match=r"routing\.rules\.0\.grades"):
        settings({"name": "scrap", "vendor": ["Gold"], "grades": ["C"], "channel": "C0X"})


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"name": "empty", "channel": "C0CHAN1"}, "rule 'empty' has no condition"),
        ({"name": "regex", "interest": "((", "channel": "C0CHAN1"}, r"rule 'regex': interest '\(\(' is not a valid"),
        ({"name": "named", "vendor": ["X"], "channel": "#sales"}, "rule 'named': channel '#sales' is not a channel ID"),
        ({"name": "lang", "language": ["klingon"], "channel": "C0CHAN1"}, "rule 'lang': unknown language"),
        ({"name": "typo", "vendr": ["X"], "channel": "C0CHAN1"}, r"routing\.rules\.0\.vendr: unknown key"),
        ({"name": "nochan", "vendor": ["X"]}, r"routing\.rules\.0\.channel"),
    ],
)
def test_a_bad_rule_stops_the_start_naming_it(rule: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings(rule)


def test_sla_settings_are_validated() -> None:
    def load(**values: object) -> None:
        load_settings(None, overrides={f"routing.{k}": v for k, v in values.items()})

    with pytest.raises(ConfigError, match="must be later than the previous step or claim_sla_minutes"):
        load(claim_sla_minutes=30, escalation=[{"after_minutes": 20, "channel": "C0CHAN1"}])
    with pytest.raises(ConfigError, match="notifies nobody"):
        load(escalation=[{"after_minutes": 40}])
    with pytest.raises(ConfigError, match=r"needs routing\.reps"):
        load(auto_assign="round_robin")
    with pytest.raises(ConfigError, match=r"routing\.timezone: Value error, unknown time zone"):
        load(timezone="Mars/Olympus")
    with pytest.raises(ConfigError, match="business_open"):
        load(business_open="18:00", business_close="09:00")
    with pytest.raises(ConfigError, match="rule names must be unique"):
        load(rules=[{"name": "a", "vendor": ["X"], "channel": "C0CHAN1"},
                    {"name": "a", "vendor": ["Y"], "channel": "C0CHAN2"}])
