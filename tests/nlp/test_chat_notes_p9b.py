"""Chat-note habits of the second wave: the prospect's pasted "my email is …" is theirs, a tel link's country
code, two leads on one line split by "//", a short need as a list fact of its own ("| deck staining |", an emoji
bullet, "wants: sauna"), a need cut before a dash, and a struck-out name corrected right after it."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.chat import normalise_chat, prospect_words_at, quoted_message, transcript_message
from nlp.extractor import Extractor
from parsers.lead import RawMessage


@cache
def _reader() -> Extractor:
    return Extractor()


def _leads(note: str) -> list[dict[str, str | None]]:
    """The leads a note gives, read as chat intake reads it."""
    return [lead.plain() for lead in _reader().extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads]


@pytest.mark.parametrize(
    ("note", "email"),
    [
        ("Copy of the form:\nhi my name is tobias and my email is tobias.kern@posteo.example, need solar panels",
         "tobias.kern@posteo.example"),
        ("Copia del formulario:\nhola me llamo Beatriz Lara y mi correo es beatriz.lara@gmail.example, "
         "mi móvil 611 402 733", "beatriz.lara@gmail.example"),
        ("website chat: hello my name is Annika Strand and my email is annika.strand@mailbox.example, "
         "phone 555-0117", "annika.strand@mailbox.example"),
    ],
)
def test_the_prospects_own_my_email_is_theirs(note: str, email: str) -> None:
    (lead,) = _leads(note)
    assert lead["email"] == email


def test_the_reps_own_address_stays_ours() -> None:
    note = "mi correo es ana@nuestrafirma.example, te paso un lead: Jorge Salinas, 622 111 333, jorge.s@gmail.example"
    (lead,) = _leads(note)
    assert lead["email"] == "jorge.s@gmail.example"
    assert not prospect_words_at(note, note.index("ana@"))


def test_a_tel_links_country_code_is_kept() -> None:
    assert normalise_chat("<tel:+4791234567|912 34 567>") == "+47 912 34 567"
    assert normalise_chat("<tel:+13125550101|(312) 555-0101>") == "(312) 555-0101"  # a NANP label as it is
    assert normalise_chat("<tel:+447700900431|07700 900431>") == "07700 900431"  # a trunk 0: national already
    (lead,) = _leads("Ingrid Solberg <tel:+4791234567|912 34 567> wants a heat pump")
    assert lead["phone"] == "+47 912 34 567"


def test_two_leads_on_one_line_split_by_slashes() -> None:
    leads = _leads("Pete Garza 555-0111 pete.garza@gmail.example // Lena Moss 555-0122 lena.moss@gmail.example")
    assert [(lead["full_name"], lead["phone"]) for lead in leads] == [
        ("Pete Garza", "555-0111"), ("Lena Moss", "555-0122")]


@pytest.mark.parametrize(
    ("note", "interest"),
    [
        ("LEAD: Naomi Feld | 555-0182 | naomi.feld@gmail.example | deck staining | next month", "deck staining"),
        ("new lead — roof inspection\nDale Huntington 555-0143 dale.h@gmail.example", "roof inspection"),
        ("📞 555-0138\n📧 sasha.brandt@proton.example\n👤 Sasha Brandt\n🏠 pool resurfacing", "pool resurfacing"),
        ("lead from the booth, wants: sauna\nHenrik Dahl, henrik.dahl@outlook.example, 555-0129", "sauna"),
        ("555-0147, mark.ellery@gmail.example, wants new windows — Mark Ellery", "new windows"),
        ("Cliente: Sr. Ramón Echeverría Sáenz | 688 321 765 | reforma integral de cocina",
         "reforma integral de cocina"),
        ("Rückruf an Frau Dr. Meike Albers, 0170 1234567, wegen Badsanierung", "Badsanierung"),
    ],
)
def test_a_short_need_as_a_fact_of_its_own(note: str, interest: str) -> None:
    (lead,) = _leads(note)
    assert lead["interest"] == interest


@pytest.mark.parametrize(
    "note",
    [
        "Naomi Feld | 555-0182 | naomi.feld@gmail.example | call back | tomorrow",
        "urgent!!\nDale Huntington 555-0143 dale.h@gmail.example",
    ],
)
def test_a_remark_or_a_time_is_no_need(note: str) -> None:
    (lead,) = _leads(note)
    assert lead["interest"] is None


def test_a_struck_name_corrected_right_after_it() -> None:
    assert normalise_chat("Lead: ~Tom Harlan~ Tom Harlow, 555-0103") == "Lead: Tom Harlow, 555-0103"
    assert normalise_chat("not ~sure~ yet") == "not sure yet"  # struck words with no correction keep their text
    (lead,) = _leads(":bust_in_silhouette: ~Marcus Feld~ Markus Feldt\n:telephone_receiver: 555-0148")
    assert lead["full_name"] == "Markus Feldt"


def test_a_copied_site_chat_gives_the_visitors_words() -> None:
    note = ("Visitor: Hi I'm Derek Olson, I need a plumber for a leaking water heater\n"
            "Agent: thanks Derek, what is your number?\nVisitor: my number is 555-0172")
    assert transcript_message(note) == (
        "Hi I'm Derek Olson, I need a plumber for a leaking water heater my number is 555-0172")
    (lead,) = _leads(note)
    assert lead["message"] == transcript_message(note)
    assert lead["phone"] == "555-0172"


@pytest.mark.parametrize(
    "note",
    [
        "Customer: Acme Roofing\nCustomer: 555-0101",  # one side only: labels, no conversation
        "Visitor: ok\nAgent: name please?\nVisitor: Jo Lee",  # the visitor never says a sentence
    ],
)
def test_no_transcript_without_a_conversation(note: str) -> None:
    assert transcript_message(note) is None


def test_facts_apart_by_middle_dots_and_a_reps_who_wants_this_one() -> None:
    leads = _leads("1. Sven Aaltonen · 555-0111 · sven.a@gmail.example · sauna\n"
                   "2. Mira Castell · 555-0112 · mira.castell@gmail.example · hot tub")
    assert [lead["interest"] for lead in leads] == ["sauna", "hot tub"]
    (lead,) = _leads("<!channel> who wants this one: Anne-Sophie Lefèvre, +33 6 12 34 56 78, "
                     "a.s.lefevre@orange.example, veut une pompe à chaleur")
    assert lead["interest"] == "pompe à chaleur"


def test_a_caller_id_name_is_no_phone() -> None:
    (lead,) = _leads("*Inbound call*\nCaller ID: WALSH BRENDAN\ncb 555-0161 — wants storm windows")
    assert lead["phone"] == "555-0161"


@pytest.mark.parametrize(
    ("note", "interest"),
    [
        ("- name -> Hiroshi Tanabe\n- phone -> 555-0128\n- need -> tankless water heater", "tankless water heater"),
        ("Lead -- Björn Ekström -- 555-0174 -- bjorn.ekstrom@gmail.example -- attic fan", "attic fan"),
    ],
)
def test_arrows_and_double_dashes_between_facts(note: str, interest: str) -> None:
    (lead,) = _leads(note)
    assert lead["interest"] == interest


@pytest.mark.parametrize(
    ("note", "interest"),
    [
        ("nuevo cliente: la señora Mercedes Ibarra Luján, tel. 622 415 098, correo mercedes.ibarra@correo.example, "
         "quiere una cocina nueva", "cocina nueva"),
        ("Lead: Ana Ruiz 555-0101, wants a 2021 Mercedes Benz C300", "2021 Mercedes Benz C300"),
    ],
)
def test_a_make_that_opens_a_womans_name_is_no_car(note: str, interest: str) -> None:
    (lead,) = _leads(note)
    assert lead["interest"] == interest


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("> Hi! I'm looking for someone to paint 3 bedrooms.\n> — Zainab A.\nphone on file 555-0148",
         "Hi! I'm looking for someone to paint 3 bedrooms."),
        ("> We would like an estimate for a new roof. Reach me at 555-0169\n> Lorraine Dubois",
         "We would like an estimate for a new roof. Reach me at 555-0169"),
        ("> Please call me about the Jeep Grand Cherokee", "Please call me about the Jeep Grand Cherokee"),
    ],
)
def test_a_quoted_mail_without_its_writers_name_below(note: str, message: str) -> None:
    assert quoted_message(note) == message


def test_a_technician_asked_for_is_no_item() -> None:
    (lead,) = _leads("Ticket #4471 — caller Yusuf Demir, 555-0171, wants a tech tomorrow morning")
    assert lead["interest"] is None


def test_a_courtesy_word_before_the_need_is_dropped() -> None:
    note = ("FYI from the shared inbox:\n> Goedemiddag, wij willen graag een offerte voor 12 zonnepanelen.\n"
            "> Bel gerust: 06 12345678.\nRosalind Achterberg, r.achterberg@kpnmail.example")
    (lead,) = _leads(note)
    assert lead["interest"] == "offerte voor 12 zonnepanelen"


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("• *Lead:* Carla Mendes\n• *Cell:* 555-0186\n• *Notes:* wants a quote on a new HVAC system, ASAP", None),
        ("*Lead:* Carla Mendes\n*Cell:* 555-0186\n*Notes:* I need the new system before my parents visit",
         "I need the new system before my parents visit"),
        ("Name: mei-ling chu\nPhone: 555 0138\nMsg: do u guys install ev chargers??",
         "do u guys install ev chargers??"),
    ],
)
def test_a_reps_notes_label_is_no_message(note: str, message: str | None) -> None:
    (lead,) = _leads(note)
    assert lead["message"] == message


def test_quoted_rows_one_leaving_a_part_out_are_two_leads() -> None:
    leads = _leads(":mega: *Two referrals from Mike*\n>Kelsey Armitage - kelsey.armitage@gmail.example - 555-0113\n"
                   ">Desmond Oyelowo - 555-0114")
    assert [(lead["full_name"], lead["phone"], lead["message"]) for lead in leads] == [
        ("Kelsey Armitage", "555-0113", None), ("Desmond Oyelowo", "555-0114", None)]


def test_a_separator_line_is_no_part_of_a_pasted_mail() -> None:
    note = ("Email pasted below :point_down:\n---\nHi there,\nMy wife and I are interested in a sunroom addition. "
            "Please call me at 555-0117.\nThanks,\nBartholomew\nbart.k@gmail.example")
    (lead,) = _leads(note)
    assert lead["message"] is not None and lead["message"].startswith("My wife and I are interested")
