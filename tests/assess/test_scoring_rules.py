"""Every scoring rule, one table row each: the points it adds or takes, and the reason a rep reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.assess.scoring import score_lead
from bot.assess.signals import is_gibberish, signals_of
from bot.settings import ConfigError, ScoringSettings, load_settings
from parsers.lead import ExtractedLead, FieldValue

RULES = ScoringSettings()
T0 = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def lead(flags: dict[str, tuple[str, ...]] | None = None, **values: str) -> ExtractedLead:
    flags = flags or {}
    return ExtractedLead({k: FieldValue(v, "test", 1.0, flags.get(k, ())) for k, v in values.items()})


BASE = {"full_name": "Rosa Delgado", "email": "rosa@delgado-builders.example"}


@pytest.mark.parametrize(
    ("case", "extra", "points", "reason"),
    [
        ("business email", {}, 5, "business email (delgado-builders.example)"),
        ("verified phone", {"phone": "503-555-0147"}, 20, "phone number verified"),
        ("invalid phone", {"phone": "12"}, -15, "phone number is not valid"),
        ("company", {"company": "Delgado Builders LLC"}, 5, "company named"),
        ("address", {"postal_code": "97201"}, 5, "address given"),
        ("interest", {"interest": "kitchen remodel"}, 15, "says what they want"),
        ("asks for a quote", {"message": "Could you send me a quote?"}, 10, "asks for the next step ('quote')"),
        ("asks for a test drive", {"message": "Can I book a test drive"}, 10, "asks for the next step"),
        ("asks for a showing", {"message": "I'd like a showing on Sunday"}, 10, "asks for the next step ('showing')"),
        ("budget", {"budget": "$30,000"}, 10, "budget stated"),
        ("near timeline", {"timeline": "this week"}, 5, "wants it soon ('this week')"),
        ("spam", {"message": "We offer SEO services to rank your website"}, -80, "reads like spam"),
        ("spam links", {"message": "see http://a.example http://b.example www.c.example"}, -80, "3 links"),
        ("placeholder phone", {"phone": "(555) 555-5555"}, -30, "phone '(555) 555-5555' is a vendor placeholder"),
        ("one-digit phone", {"phone": "000-000-0000"}, -30, "vendor placeholder"),
    ],
)
def test_each_rule_adds_its_points_with_a_reason(case: str, extra: dict[str, str], points: int, reason: str) -> None:
    flags = {"phone": ("invalid_phone",)} if case == "invalid phone" else None
    scored = score_lead(lead(flags, **BASE, **extra), None, RULES)
    matching = [r for r in scored.reasons if reason in r]
    assert matching, (case, scored.reasons)
    assert int(matching[0].split()[0]) == points, (case, matching)


@pytest.mark.parametrize(
    ("values", "penalty", "reason"),
    [
        ({"full_name": "Lena Ortiz", "email": "lena@mailinator.com"}, -60, "test entry"),
        ({"full_name": "Lena Ortiz", "email": "lena.ortiz@10minutemail.com"}, -40, "disposable email domain"),
        ({"full_name": "asdfgh", "email": "k.lund@lundhaus.example"}, -40, "keyboard mash"),
        ({"full_name": "Jkjkjk Lund", "email": "k.lund@lundhaus.example"}, -40, "keyboard mash"),
        ({"full_name": "Xcvbn Qwrtz", "email": "k.lund@lundhaus.example"}, -40, "keyboard mash"),
        ({"full_name": "Lund Lund", "email": "k.lund@lundhaus.example"}, -40, "repeats one word"),
        ({"full_name": "test test", "email": "k.lund@lundhaus.example"}, -60, "test entry"),
        ({"full_name": "Kai Lund", "email": "noemail@noemail.com"}, -30, "vendor placeholder"),
    ],
)
def test_penalties(values: dict[str, str], penalty: int, reason: str) -> None:
    scored = score_lead(lead(**values), "Portal", RULES)
    matching = [r for r in scored.reasons if reason in r]
    assert matching and int(matching[0].split()[0]) == penalty, scored.reasons
    assert scored.grade == "C" or penalty > -60


def test_free_mail_earns_no_business_points_but_is_not_penalised() -> None:
    scored = score_lead(lead(full_name="Omar Haddad", email="omar.haddad@gmail.com"), None, RULES)
    assert scored.reasons == ("+20 email address", "+10 name given")
    signals = signals_of(lead(email="omar.haddad@gmail.com"), RULES)
    assert signals.free_mail and not signals.business_email


@pytest.mark.parametrize(
    "name", ["Siobhan O'Brien", "Nguyen Thi Mai", "Schwartz", "Björn Åkesson", "Ngozi Okonkwo", "Li Wu", "Yvette Ng"]
)
def test_real_names_are_not_keyboard_mashes(name: str) -> None:
    scored = score_lead(lead(full_name=name, email="x.y@firm.example"), None, RULES)
    assert not any("mash" in r or "repeats" in r for r in scored.reasons), scored.reasons
    assert not any(is_gibberish(w) for w in name.replace("'", " ").split())


def test_a_test_drive_request_is_intent_not_a_test_entry() -> None:
    scored = score_lead(lead(full_name="Priya Raman", email="priya@fernhill.example",
                             message="Test drive Saturday?"), None, RULES)
    assert not any("test entry" in r for r in scored.reasons)
    assert any("asks for the next step" in r for r in scored.reasons)


def test_recency_counts_only_soon_after_arrival() -> None:
    fresh = score_lead(lead(**BASE), None, RULES, received_at=T0, now=T0 + timedelta(minutes=5))
    stale = score_lead(lead(**BASE), None, RULES, received_at=T0, now=T0 + timedelta(days=2))
    assert "+5 fresh (arrived within 60 min)" in fresh.reasons
    assert fresh.score - stale.score == 5


def test_source_weight_from_config() -> None:
    rules = ScoringSettings(vendor_weights={"HomeFinder": 12, "ListFarm": -10})
    good = score_lead(lead(**BASE), "HomeFinder", rules)
    bad = score_lead(lead(**BASE), "ListFarm", rules)
    assert "+12 source HomeFinder" in good.reasons and "-10 source ListFarm" in bad.reasons
    assert good.score - bad.score == 22


def test_score_is_clamped_and_reasons_still_explain_it() -> None:
    rules = ScoringSettings(vendor_weights={"Gold": 90})
    top = score_lead(lead(**BASE, phone="503-555-0147", interest="roof", message="quote please"), "Gold", rules)
    assert top.score == 100 and top.grade == "A"
    floor = score_lead(lead(full_name="asdf asdf"), None, RULES)
    assert floor.score == 0 and floor.grade == "C"


def test_grade_thresholds_come_from_config() -> None:
    case = lead(**BASE)  # 20 + 5 + 10 = 35
    assert score_lead(case, None, ScoringSettings()).grade == "B"
    assert score_lead(case, None, ScoringSettings(grade_a=35, grade_b=10)).grade == "A"
    assert score_lead(case, None, ScoringSettings(grade_a=80, grade_b=40)).grade == "C"


def test_unknown_point_key_stops_the_start() -> None:
    with pytest.raises(ConfigError, match=r"scoring\.points.*unknown points key\(s\) \['emial'\]"):
        load_settings(None, overrides={"scoring.points": {"emial": 20}})
    with pytest.raises(ConfigError, match="penalties must be zero or negative"):
        load_settings(None, overrides={"scoring.penalties": {"spam": 80}})


def test_thousands_of_real_first_names_are_never_mashes() -> None:
    """First names from a maintained name list (Faker's locales, through its public API), none flagged."""
    from faker import Faker

    names: set[str] = {"Anna", "Otto", "Elle", "Nana", "Lili", "Reza", "Momo", "Ada", "Bob", "Aino", "Ewa"}
    for locale in ("en_US", "en_GB", "de_DE", "es_ES", "es_MX", "pt_BR", "pt_PT", "fr_FR", "it_IT", "nl_NL",
                   "pl_PL", "sv_SE", "fi_FI", "tr_TR", "en_IN"):
        fake = Faker(locale)
        fake.seed_instance(7)
        names.update(fake.first_name() for _ in range(400))
    assert len(names) > 2000
    flagged = sorted(n for n in names for w in n.replace("-", " ").split() if is_gibberish(w))
    assert flagged == []
    anna = score_lead(lead(full_name="Anna Becker", email="anna@becker-bau.example", phone="+49 30 5550 1234",
                           message="Bitte um Rückruf wegen eines Angebots"), None, RULES)
    assert anna.grade == "A" and not any("mash" in r for r in anna.reasons), anna.reasons


def test_the_first_configured_phrase_found_is_the_reason_and_only_whole_words_count() -> None:
    rules = ScoringSettings(intent_phrases=("quote", "demo", "test drive"), spam_phrases=("casino", "seo"))
    later_in_text = score_lead(lead(**BASE, message="A demo first, then a quote"), None, rules)
    assert "+10 asks for the next step ('quote')" in later_in_text.reasons
    inside_a_word = score_lead(lead(**BASE, message="Quotes and demos elsewhere; no seotools"), None, rules)
    assert not any("next step" in r or "spam" in r for r in inside_a_word.reasons), inside_a_word.reasons
    spam = score_lead(lead(**BASE, message="Best SEO and casino offers"), None, rules)
    assert any("reads like spam ('casino')" in r for r in spam.reasons), spam.reasons
