"""Who the lead is: sign-offs, introductions, labels, From and email — never the greeting's recipient."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text
from nlp.names import clean_display_name, name_from_email


def test_signoff_names_the_lead_and_greeting_names_the_recipient(nlp: Language) -> None:
    text = "Dear Christopher,\n\nI would like to test drive the Mazda CX-5.\n\nThanks,\nJamie Driver"
    lead = read_free_text(nlp, text)
    assert lead.value("full_name") == "Jamie Driver"
    assert lead.value("first_name") == "Jamie"
    assert lead.value("last_name") == "Driver"
    assert "Christopher" not in lead.fields["full_name"].alternatives


@pytest.mark.parametrize(
    "greeting", ["Hi Christopher,", "Hello Team,", "Dear Mr. Whitfield,", "Hallo Herr Müller,", "Hola Marta,"]
)
def test_greeting_alone_gives_no_name(nlp: Language, greeting: str) -> None:
    lead = read_free_text(nlp, f"{greeting}\n\nis the blue one still available?")
    assert lead.value("full_name") is None


def test_greeting_name_inline_with_text(nlp: Language) -> None:
    lead = read_free_text(nlp, "Hi Christopher, I'm Priya Natarajan and I'd like a quote.")
    assert lead.value("full_name") == "Priya Natarajan"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, my name is Dorian Whitcombe and I saw your ad.", "Dorian Whitcombe"),
        ("Hi there! I'm Hannah Ostrowski, interested in the condo.", "Hannah Ostrowski"),
        ("Guten Tag, ich heiße Jürgen Kessler und suche einen Kombi.", "Jürgen Kessler"),
        ("Hola, me llamo Lucía Fernández y busco un piso.", "Lucía Fernández"),
        ("Name: Wendell Abernathy\nPhone: (312) 555-0144", "Wendell Abernathy"),
        ("First name: Greta\nLast name: Lindqvist\nI need a quote.", "Greta Lindqvist"),
    ],
)
def test_introductions_and_labels(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("full_name") == expected


def test_im_interested_is_not_a_name(nlp: Language) -> None:
    lead = read_free_text(nlp, "I'm Interested In The Red One. I am Looking for a deal.")
    assert lead.value("full_name") is None


@pytest.mark.parametrize(
    ("signoff", "name"),
    [
        ("Best regards,\nAmelia Hartwell\nHartwell Consulting", "Amelia Hartwell"),
        ("Mit freundlichen Grüßen\nKlaus Becker", "Klaus Becker"),
        ("Saludos cordiales,\nMateo Giménez", "Mateo Giménez"),
        ("Cheers, Oliver", "Oliver"),
        ("--\nNadia Petrova", "Nadia Petrova"),
    ],
)
def test_signoffs(nlp: Language, signoff: str, name: str) -> None:
    lead = read_free_text(nlp, f"Hello Sales Team,\n\nPlease send me a brochure.\n\n{signoff}")
    assert lead.value("full_name") == name


def test_signoff_first_name_completed_by_from_header(nlp: Language) -> None:
    lead = read_free_text(nlp, "Please call me back.\n\nThanks,\nSylvia", sender_name="Sylvia Marchetti")
    assert lead.value("full_name") == "Sylvia Marchetti"
    assert lead.fields["full_name"].source == "nlp:names"


def test_from_display_name_and_email_local_part(nlp: Language) -> None:
    lead = read_free_text(nlp, "Is this still available?", sender_name='"Brandt, Oskar"')
    assert lead.value("full_name") == "Oskar Brandt"
    lead = read_free_text(nlp, "Is this still available?", sender_email="jamie.driver@gmail.com")
    assert lead.value("full_name") == "Jamie Driver"
    assert lead.fields["full_name"].source == "nlp:names.email"


def test_forwarded_lead_is_not_the_forwarder(nlp: Language) -> None:
    text = (
        "Team, please pick this one up.\n\nThanks,\nBrenda Kowalski\nSales Manager\n\n"
        "---------- Forwarded message ---------\n"
        "From: Rafael Ortega <rafael.ortega@gmail.com>\n"
        "Date: Tue, 4 Mar 2025 at 09:12\nSubject: Question about the Tacoma\nTo: sales@dealer.example\n\n"
        "Hi, is the 2022 Toyota Tacoma still for sale? Call me at (602) 555-0161.\n\nRafael"
    )
    lead = read_free_text(nlp, text, sender_name="Brenda Kowalski", sender_email="brenda@dealer.example",
                          subject="Fwd: Question about the Tacoma")
    assert lead.value("full_name") == "Rafael Ortega"
    assert lead.value("email") == "rafael.ortega@gmail.com"
    assert lead.value("phone") == "(602) 555-0161"
    assert lead.value("interest") == "2022 Toyota Tacoma"
    everything = " ".join(v.value + " ".join(v.alternatives) for v in lead.fields.values())
    assert "Brenda" not in everything and "dealer" not in everything.lower()


def test_quoted_reply_is_ignored(nlp: Language) -> None:
    text = (
        "Thursday works for me.\n\nCheers,\nIsla Montgomery\n\n"
        "On Mon, Mar 3, 2025 at 10:00 AM Victor Lang <victor@dealer.example> wrote:\n"
        "> Hi Isla, when can you come by?\n> Victor Lang\n> (555) 010-9999"
    )
    lead = read_free_text(nlp, text)
    assert lead.value("full_name") == "Isla Montgomery"
    assert lead.value("email") is None


def test_helpers() -> None:
    assert clean_display_name("Cars.com Leads") is None
    assert clean_display_name("JAMIE DRIVER via AutoPortal") == "Jamie Driver"
    assert name_from_email("maria.gonzalez@x.example") == "Maria Gonzalez"
    assert name_from_email("xq7.driver@x.example") is None
    assert name_from_email("jdriver@x.example") is None


@pytest.mark.parametrize(
    ("text", "name", "city"),
    [
        ("Olá, bom dia!\n\nGostaria de um orçamento para a cozinha do meu apartamento em Niterói.\n\n"
         "Atenciosamente,\nRenata Souza Lima", "Renata Souza Lima", "Niterói"),
        ("Bonjour Madame,\n\nJe souhaiterais un devis, je suis à Nantes.\n\nCordialement,\nThibault Garnier",
         "Thibault Garnier", "Nantes"),
        ("Buongiorno,\n\nvorrei un preventivo per la caldaia. Sono a Bologna.\n\nCordiali saluti\nMarco Ferri",
         "Marco Ferri", "Bologna"),
        ("Beste,\n\nGraag een offerte voor een dakkapel op ons huis in Amersfoort.\n\nMet vriendelijke groet,\n"
         "Pieter Bakker", "Pieter Bakker", "Amersfoort"),
    ],
)
def test_signoffs_and_home_city_in_pt_fr_it_nl(nlp: Language, text: str, name: str, city: str) -> None:
    lead = read_free_text(nlp, text)
    assert (lead.value("full_name"), lead.value("city")) == (name, city)
