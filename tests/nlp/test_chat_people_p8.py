"""Chat notes as other reps type them: a lower-case name opening the note before its number, hyphenated first
names and particles without capitals, a firm after "von" in lower case, a day word after a name, people on our
side (a manager, a colleague told to call, an @handle), a local number in brackets, firm nouns of chat notes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from nlp.extractor import Extractor
from nlp.freetext import read_free_text
from nlp.lexicon import is_first_name
from nlp.our_side import role_after
from parsers.lead import RawMessage

Reading = Callable[[str], dict[str, str | None]]


@pytest.fixture(scope="module")
def chat() -> Reading:
    """The one lead a note gives, read as chat intake reads it."""
    reader = Extractor()

    def read(text: str) -> dict[str, str | None]:
        (lead,) = reader.extract(RawMessage(raw=text.encode("utf-8"), channel="slack")).leads
        return lead.plain()

    return read


@pytest.mark.parametrize(
    ("note", "name"),
    [
        # no capitals, no cue: the name opens the note, its number right after it
        ("jim parker 555 0101 wants a quote for new gutters, asap", "Jim Parker"),
        # a hyphenated first name whose parts are first names, then two particles and a surname
        ("gesproken met jan-willem van der meer, 06-55512345, wil een nieuwe keuken", "Jan-Willem van der Meer"),
        # "von" before a firm's noun in lower case ends the name
        ("gespräch mit jens petersen von petersen logistik, tel 040 5551234, braucht 2 kühlcontainer",
         "Jens Petersen"),
        # a day word is no surname
        ("rdv avec m. julien moreau demain, julien.moreau@orange.example, 06 11 22 33 44", "Julien Moreau"),
        # a manager named in brackets, a colleague told to call, an @handle: our side, not the lead
        ("Per Greg (my manager) - please call Alejandro Vargas today, 555-0158, he's ready to sign",
         "Alejandro Vargas"),
        ("Ask Tom Reilly to call Beatriz Oyelowo back at 555-0107 re: kitchen remodel", "Beatriz Oyelowo"),
        ("Bitte @Jonas Weber übernehmen: Frau Petra Lindner, 030 5556677, möchte ein Angebot", "Petra Lindner"),
    ],
)
def test_people_in_notes(chat: Reading, note: str, name: str | None) -> None:
    assert chat(note)["full_name"] == name


def test_local_number_in_brackets(chat: Reading) -> None:
    got = chat("Got this from Wanda Kessler via text (555-0128): we need someone to look at our AC")
    assert (got["full_name"], got["phone"]) == ("Wanda Kessler", "555-0128")


@pytest.mark.parametrize(
    ("note", "company"),
    [
        ("<@U02ABCD7> can you take this one? Leonie Brandt from Brandt Logistik, +49 40 5550 1234, wants 3 "
         "forklifts by Q2", "Brandt Logistik"),
        ("call w/ Ifeoma Chukwu w/ Lagos Textiles tmrw 10am, ph 555-0118, she wants 500 tote bags", "Lagos Textiles"),
    ],
)
def test_firm_nouns_of_notes(chat: Reading, note: str, company: str) -> None:
    got = chat(note)
    assert got["company"] == company
    assert got["full_name"] != company


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Greg (my manager) says", "Greg", "staff"),
        ("Dana from sales here", "Dana", "staff"),
        ("Jonas, unser Kollege, ruft an", "Jonas", "staff"),
        ("Jenna Liu, office manager at Liu Dental", "Jenna Liu", None),  # the lead's own title
        ("Marisol Ortega called again", "Marisol Ortega", None),
    ],
)
def test_role_after(text: str, name: str, role: str | None) -> None:
    assert role_after(text, 0, len(name)) == role


def test_hyphenated_first_names() -> None:
    assert is_first_name("Jan-Willem")
    assert is_first_name("anne-sophie")
    assert not is_first_name("Jan-Xqzvt")


def test_pasted_reply_thread_gives_its_first_message(chat: Reading) -> None:
    """The rep's lines hold no contact; the thread's first message (below its last reply marker) is the
    prospect's, with that marker's sender as its writer; our colleague's reply on top is not the lead."""
    got = chat(
        "can someone else take this? thread below\n\n"
        "On Mon, Nov 30, 2026 at 9:12 AM Dana Kim <dana.kim@ourcompany.example> wrote:\n"
        "> Hi Rosalind, just following up on the quote.\n\n"
        "On Fri, Nov 27, 2026 at 4:40 PM Rosalind Achebe <rosalind.achebe@achebe-arch.example> wrote:\n"
        "> Hello, we need a fit-out for 1,200 sq ft of office space by April.\n"
        "> Rosalind Achebe\n> Achebe Architects\n> 555-0190"
    )
    assert (got["full_name"], got["email"], got["phone"]) == (
        "Rosalind Achebe", "rosalind.achebe@achebe-arch.example", "555-0190")


def test_number_inside_a_quote_block_is_the_prospects(chat: Reading) -> None:
    got = chat(
        ":email: *Email from Nkechi Eze* <mailto:nkechi.eze@yahoo.example|nkechi.eze@yahoo.example>\n"
        "> Hi, I'm opening a salon in Houston and need 6 styling chairs. Can you send prices? Nkechi 555-0191"
    )
    assert (got["full_name"], got["phone"]) == ("Nkechi Eze", "555-0191")


@pytest.mark.parametrize(
    ("note", "name"),
    [
        # a title abbreviated with its dot, under a label too
        ("Cliente: D. José Luis Carrasco, 657 112 233, quiere presupuesto de ventanas", "José Luis Carrasco"),
        ("Rückruf Hr. Schmidtke, 0341 5559988, wg. Angebot Dachsanierung", "Schmidtke"),
        ("Ha llamado Dña. Remedios Vallejo, tel. 954 22 11 00, por el local", "Remedios Vallejo"),
    ],
)
def test_abbreviated_titles(chat: Reading, note: str, name: str) -> None:
    assert chat(note)["full_name"] == name


def test_a_noun_after_its_article_is_no_firm(chat: Reading) -> None:
    got = chat("Frau Schulte-Brinkmann war da, 0251 5551199, sucht ein Reihenhaus in Münster")
    assert got["company"] is None
    assert got["city"] is None  # where she looks for a house, not where she lives (NOTEPLACE10, measured on notes)


@pytest.mark.parametrize(
    ("note", "name", "company"),
    [
        # a role opening the firm's run is the person's, not part of the firm
        ("Telefonat mit Herrn Stefan Krause, Geschäftsführer der Krause Fensterbau GmbH, 0351 5554433",
         "Stefan Krause", "Krause Fensterbau GmbH"),
        ("Frau Aylin Kaya (Inhaberin Kaya Kosmetikstudio) hat angerufen, 0711 5552211", "Aylin Kaya",
         "Kaya Kosmetikstudio"),
        # owning or running a business is evidence enough; "a bakery called X" names the business, not a person
        ("Walk-in: Becca Simmons, she owns Pickle & Pine, 555-0189, wants catering for 80", "Becca Simmons",
         "Pickle & Pine"),
        ("Talked to Demetrius Hall, he runs a bakery called Sweet Crumbs on 5th, 555-0181", "Demetrius Hall",
         "Sweet Crumbs"),
        # "für" / "for" before a thing asked for is no firm's cue; a vehicle's trim is no legal form
        ("Anruf von Frau Gül Arslan, 0160 5558877 – braucht Angebot für Fliesenarbeiten im Badezimmer", "Gül Arslan",
         None),
        ("Talked to Wes Harmon, 555-0106. He wants the Toyota Tundra Limited in Lunar Rock.", "Wes Harmon", None),
    ],
)
def test_firms_in_notes(chat: Reading, note: str, name: str, company: str | None) -> None:
    got = chat(note)
    assert (got["full_name"], got["company"]) == (name, company)


@pytest.mark.parametrize(
    ("note", "name"),
    [
        # a note about the lead signed by the rep: the rep is no lead
        ("New lead, please call today: Oren Feldman, 555-0115, wants a quote for a pole barn.\nThanks,\nDana Whitlock",
         "Oren Feldman"),
        ("no name on this one - bella.marchetti@outlook.example, wants wedding flowers for June\nthx, Tom",
         "Bella Marchetti"),
        # a department in brackets after a colleague's name
        ("Me pasó el contacto Andrea (recepción): Gonzalo Prieto, 622 33 44 55, quiere presupuesto de pintura",
         "Gonzalo Prieto"),
        # the prospect's own quoted sign-off still signs
        ("customer wrote back :tada:\n> Sounds good, please send the contract over.\n> Best,\n> Haruto Sato\n"
         "> Sato Precision Machining\n> 555-0172", "Haruto Sato"),
    ],
)
def test_who_signs_a_note(chat: Reading, note: str, name: str) -> None:
    assert chat(note)["full_name"] == name


def test_bold_labels_run_into_their_values(chat: Reading) -> None:
    got = chat("*Name:*Greta Lindholm\n*Phone:*555-0123\n"
               "*Email:*<mailto:greta@lindholm.example|greta@lindholm.example>")
    assert (got["full_name"], got["phone"], got["email"]) == ("Greta Lindholm", "555-0123", "greta@lindholm.example")


def test_a_firms_noun_that_is_a_function_word(chat: Reading) -> None:
    got = chat("Llamó Marta Iglesias, gerente de compras en Grupo Alcázar, 91 555 66 77, pide catálogo de sillas")
    assert (got["full_name"], got["company"]) == ("Marta Iglesias", "Grupo Alcázar")


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Okafor, Chidi - 555-0132 - needs a quote for a fence", "Chidi Okafor"),
        ("Okafor, Plumbing - 555-0132 - needs a quote", None),  # a firm's noun is no first name
    ],
)
def test_surname_comma_first_in_mixed_case(chat: Reading, note: str, name: str | None) -> None:
    assert chat(note)["full_name"] == name


@pytest.mark.parametrize("sender", ["messages-noreply@linkedin.example", "leads.no-reply@portal.example",
                                    "noreply@portal.example"])
def test_a_mailers_own_address_is_no_prospects(nlp: Language, sender: str) -> None:
    lead = read_free_text(nlp, "Hi, we need 40 crates. My direct line is 515-555-0123.", sender_email=sender)
    assert "email" not in lead.fields
