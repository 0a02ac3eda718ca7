"""Issue 10, interest and timeline precision: a labelled time that is the rep's callback, a notice's date or the
listing's is no timeline (the text's own plan takes its place); a vehicle named after "for" in a subject and the
unlabelled first fact of a "Need • Budget: … • Timeline: …" run are the interest."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from nlp.interest import _subject_object
from nlp.interest_shapes import names_no_item
from nlp.timeline import is_others_time, is_own_plan
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(subject: str, body: str) -> RawMessage:
    raw = f"From: Lead Relay <noreply@relay.example>\nTo: sales@shop.example\nSubject: {subject}\n\n{body}"
    return RawMessage(raw=raw.encode("utf-8"), channel="smtp")


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("call back tomorrow 3pm", ""),
        ("Rückruf Freitag ab 10 Uhr", ""),
        ("llamar mañana a las 11", ""),
        ("richiamare lunedì", ""),
        ("offer valid until December 31", ""),
        ("available January 15", "Move-in date of listing"),
        ("March 1", "Dealer note date"),
    ],
)
def test_someone_elses_time_under_a_timeline_label(value: str, label: str) -> None:
    assert is_others_time(value, label)


@pytest.mark.parametrize("value", ["Within 3 months", "ASAP, call first", "ab März", "en 2 semanas", "Flexible"])
def test_the_prospects_plan_under_a_timeline_label(value: str) -> None:
    assert not is_others_time(value, "Timeline")


def test_an_own_plan_has_no_clock_time() -> None:
    assert is_own_plan("within 2 months")
    assert not is_own_plan("Thursday at 4:00 PM")


@pytest.mark.parametrize(
    ("line", "expected"),
    [("When: call back tomorrow 3pm", None), ("Wann: Rückruf Freitag ab 10 Uhr", None),
     ("When: next spring", "next spring")],
)
def test_a_callback_under_when_is_no_timeline(extractor: Extractor, line: str, expected: str | None) -> None:
    lead = extractor.extract(_mail("New enquiry", f"Name: Jana Schulz\nPhone: 030 1234567\n{line}\n")).leads[0]
    assert lead.value("full_name") == "Jana Schulz"
    assert lead.value("timeline") == expected


def test_the_listings_date_yields_to_the_prospects_plan(extractor: Extractor) -> None:
    body = ("Name: Mateo Fuentes\nPhone: 555-010-9981\nMove-in date of listing: available January 15\n"
            "Message: We're relocating for work and need to buy within 2 months.\n")
    lead = extractor.extract(_mail("Tour request", body)).leads[0]
    assert lead.value("timeline") == "within 2 months"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("New lead for 2022 Honda Civic EX", "2022 Honda Civic EX"),
        ("New internet lead for used 2019 Toyota RAV4 XLE - Stock #T4471", "used 2019 Toyota RAV4 XLE"),
        ("Anfrage für BMW 320d Touring", "BMW 320d Touring"),
        ("New job for Schuster Malerbetrieb GmbH", None),  # the recipient, not an item
        ("New lead for Ford", None),  # a make alone, and an ambiguous one
    ],
)
def test_a_vehicle_after_for_in_a_subject(subject: str, expected: str | None) -> None:
    assert _subject_object(subject) == expected


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("Kitchen remodel • Budget: $25,000 - $40,000 • Timeline: Within 3 months", "Kitchen remodel"),
        ("Deck repair and staining | Budget: Under $5,000 | Timeline: ASAP", "Deck repair and staining"),
    ],
)
def test_the_first_fact_of_a_labelled_run_is_the_interest(extractor: Extractor, run: str, expected: str) -> None:
    body = f"{run}\n\nCustomer: Derek Lund\nPhone: 555-010-2288\n"
    assert extractor.extract(_mail("You have a new request", body)).leads[0].value("interest") == expected


def test_a_name_first_in_a_run_is_no_interest(extractor: Extractor) -> None:
    body = "Marcus Reed | Phone: 555-010-6601 | Email: marcus.reed@mail.example\n"
    lead = extractor.extract(_mail("New contact", body)).leads[0]
    assert lead.value("interest") is None


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Walk-in: Daniel Osei, 555-010-7878. Looking at the 2024 Kia Telluride SX, trading in his 2017 Honda Pilot.",
         "2024 Kia Telluride SX"),
        ("lead: pete vasquez 555-010-7777 - has a 2015 Ford Focus trade-in, wants the Mazda3 we have on the lot",
         "Mazda3"),
    ],
)
def test_a_traded_in_vehicle_is_no_interest(extractor: Extractor, note: str, expected: str) -> None:
    lead = extractor.extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads[0]
    assert lead.value("interest") == expected


def test_the_reps_own_product_in_a_note_is_no_interest(extractor: Extractor) -> None:
    note = ("new lead from the website chat: Hector Villanueva 555-010-1234, he's asking about our Premium Care "
            "Plan")
    lead = extractor.extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads[0]
    assert lead.value("full_name") == "Hector Villanueva"
    assert lead.value("interest") is None


def test_a_prospects_own_our_in_a_mail_stays(extractor: Extractor) -> None:
    body = "Hello, we are interested in our roof being replaced before winter.\nKim Lee\n555-010-4545\n"
    raw = f"From: Kim Lee <kim.lee@mail.example>\nTo: info@roofers.example\nSubject: Roof\n\n{body}"
    lead = extractor.extract(RawMessage(raw=raw.encode("utf-8"), channel="smtp")).leads[0]
    assert lead.value("interest") == "our roof being replaced"


@pytest.mark.parametrize(
    "subject",
    ["Contact form: Request an Appointment", "Contact form: Schedule a Free Consultation",
     "Nueva solicitud: Solicitar cita", "Kontaktformular: Termin vereinbaren"],
)
def test_a_forms_button_in_the_subject_is_no_interest(extractor: Extractor, subject: str) -> None:
    lead = extractor.extract(_mail(subject, "Name: Alice Grant\nPhone: 555-010-4444\n")).leads[0]
    assert lead.value("full_name") == "Alice Grant"
    assert lead.value("interest") is None


def test_a_subjects_item_after_a_request_stays(extractor: Extractor) -> None:
    lead = extractor.extract(_mail("Contact form: Roof Replacement", "Name: Alice Grant\nPhone: 555-010-4444\n"))
    assert lead.leads[0].value("interest") == "Roof Replacement"


@pytest.mark.parametrize(
    "line",
    ["Enquiry type: General enquiry", "Service: Other", "Product: Please select", "Kategorie: Sonstiges",
     "Tipo de consulta: Información general", "Vehicle: Used", "Service: Free Estimate", "Soort klus: Overig"],
)
def test_an_answer_naming_no_item_is_no_interest(extractor: Extractor, line: str) -> None:
    lead = extractor.extract(_mail("New website enquiry", f"Name: Test Person\nPhone: 555-010-1000\n{line}\n")).leads[0]
    assert lead.value("full_name") == "Test Person"
    assert lead.value("interest") is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Service: Commercial cleaning", "Commercial cleaning"), ("Vehicle: Used 2019 Honda CR-V", "Used 2019 Honda CR-V"),
     ("Service: AC", "AC")],
)
def test_an_answer_naming_an_item_stays(extractor: Extractor, line: str, expected: str) -> None:
    lead = extractor.extract(_mail("New website enquiry", f"Name: Test Person\nPhone: 555-010-1000\n{line}\n")).leads[0]
    assert lead.value("interest") == expected


def test_a_text_item_takes_the_place_of_an_empty_answer(extractor: Extractor) -> None:
    body = ("Name: Test Person\nPhone: 555-010-1000\nService: Other\n"
            "Message: We are interested in a sauna for the garden.\n")
    lead = extractor.extract(_mail("New website enquiry", body)).leads[0]
    assert lead.value("interest") == "sauna for the garden"


@pytest.mark.parametrize(
    ("note", "expected"),
    [("Herr Brandt hat angerufen, 0176 5550199 – Dachsanierung, möchte Angebot.", "Dachsanierung"),
     ("Lead: Anna Schmidt 0151 5550 1005, Badsanierung. Sie ist ab Januar erreichbar.", "Badsanierung"),
     ("Bel Joris de Wit 06 12345678 terug - Warmtepomp, graag offerte", "Warmtepomp")],
)
def test_a_compound_need_alone_in_a_note(extractor: Extractor, note: str, expected: str) -> None:
    lead = extractor.extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads[0]
    assert lead.value("interest") == expected


def test_a_capitalised_word_that_is_no_need_stays_out(extractor: Extractor) -> None:
    note = "Herr Brandt hat angerufen, 0176 5550199 – Montag, bitte zurückrufen."
    lead = extractor.extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads[0]
    assert lead.value("interest") is None


def test_next_month_in_portuguese_is_a_horizon(extractor: Extractor) -> None:
    note = "Ligação do Sr. Rui Pacheco, 912 555 018 — quer orçamento para painéis solares no próximo mês."
    lead = extractor.extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads[0]
    assert lead.value("timeline") == "próximo mês"


@pytest.mark.parametrize(
    ("note", "expected"),
    [("Call with Ken Adams 555-010-9090, wants 3 new lifts installed in Q2.", "in Q2"),
     ("Frau Lange 0171 5550123 braucht die Wallbox bis Q3 2027.", "bis Q3 2027")],
)
def test_a_quarter_keeps_its_preposition(extractor: Extractor, note: str, expected: str) -> None:
    lead = extractor.extract(RawMessage(raw=note.encode("utf-8"), channel="slack")).leads[0]
    assert lead.value("timeline") == expected


@pytest.mark.parametrize(
    "subject",
    ["Neue Anfrage von Ihrer Website", "New enquiry from your website", "Consulta desde el formulario web",
     "Request via landing page"],
)
def test_a_subject_naming_where_the_request_came_from_names_no_item(subject: str) -> None:
    assert _subject_object(subject) is None


@pytest.mark.parametrize(
    ("answer", "no_item"),
    [
        ("Own - Townhouse", True),  # whether they own or rent: an answer about them
        ("Mieter", True),
        ("Inquilino / piso", True),
        ("Townhouse", False),  # the kind of home wanted stays an item
        ("Rental property management", False),
    ],
)
def test_an_ownership_answer_names_no_item(answer: str, no_item: bool) -> None:
    assert names_no_item(answer) is no_item
