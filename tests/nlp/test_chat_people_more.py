"""Chat notes: people named after a note word, before a cue in a note without capitals, alone after a colon,
spelled only by a private email, and inside a quoted mail."""

from __future__ import annotations

import pytest

from nlp.chat import quoted_message
from nlp.extractor import Extractor
from nlp.names import clean_name, name_from_private_email
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _chat(extractor: Extractor, text: str) -> dict[str, str | None]:
    leads = extractor.extract(RawMessage(raw=text.encode("utf-8"), channel="slack")).leads
    assert len(leads) == 1, text
    return leads[0].plain()


@pytest.mark.parametrize(
    ("note", "name"),
    [
        # a note word opens the capitalised run before the cue
        ("FYI Olu Adeyemi rang about solar, number is 07700 900123", "Olu Adeyemi"),
        # a known first name alone before "from <firm> called"
        ("Ana from Blue Fern Bakery called - ana@bluefernbakery.example - wants a catering quote", "Ana"),
        # no capitals: the name before "stopped by"
        ("heads up team, marguerite dupont-lafayette stopped by, cell 917 555 0142", "Marguerite Dupont-Lafayette"),
        # " - " opens a clause like a colon
        ("walk in today - rosa maria delgado, 555 0188, looking at used minivans", "Rosa Maria Delgado"),
        # the rest of a line after a colon, unknown to the gazetteers
        ("Lead from trade show: Farrukh Aliyev\nPhone: +1 (646) 555-0137", "Farrukh Aliyev"),
        # only the email spells the name
        ("Follow up pls: obadiah.kettleworth@gmail.com asked about the 3-bed", "Obadiah Kettleworth"),
        # a function word ends a name in a note without capitals, though some surname list has it
        ("rückruf: frau annegret schäfer aus lübeck, 0451 7093318, will angebot", "Annegret Schäfer"),
        # one unknown word after a cue names a portal as often as a person
        ("Lead from Zillow: Name Unknown, 480-555-0104, asked about 12 Elm St", None),
    ],
)
def test_people_in_notes(extractor: Extractor, note: str, name: str | None) -> None:
    assert _chat(extractor, note)["full_name"] == name


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("obadiah.kettleworth@gmail.com", "Obadiah Kettleworth"),
        ("mreyes.builds@gmail.com", None),  # an initial and a surname, then a word
        ("sales.team@gmail.com", None),
        ("obadiah.kettleworth@kettleworth-joinery.example", None),  # a firm's address: its local part is the firm's
        ("ob.kettleworth@gmail.com", None),
    ],
)
def test_name_from_private_email(address: str, name: str | None) -> None:
    assert name_from_private_email(address) == name


def test_lead_only_inside_a_quote_block(extractor: Extractor) -> None:
    note = ("Pasted from email:\n> Hi there,\n> We need the gutters on our duplex replaced before winter.\n"
            "> Thanks,\n> Corinne Ashworth\n> 503-555-0187")
    lead = _chat(extractor, note)
    assert (lead["full_name"], lead["phone"]) == ("Corinne Ashworth", "503-555-0187")
    assert lead["message"] == "We need the gutters on our duplex replaced before winter."


@pytest.mark.parametrize(
    ("note", "quoted"),
    [
        ("> Hi Tom,\n> can you send the brochure?\n> Cheers,\n> Ines", "can you send the brochure?"),
        # one line is kept whole
        ("> Hi, we need a quote for 12 windows", "Hi, we need a quote for 12 windows"),
        # a greeting that goes on is the message's start
        ("> Hello, we saw the listing on Elm\n> and want a tour", "Hello, we saw the listing on Elm and want a tour"),
    ],
)
def test_quote_block_without_greeting_and_signoff(note: str, quoted: str) -> None:
    assert quoted_message(note) == quoted


def test_off_the_phone_with_in_a_lowercase_note(extractor: Extractor) -> None:
    note = "just off the phone w/ odile marchetti-brun from larkspur vet -- wants 2 exam tables. cell 480-555-0119"
    assert _chat(extractor, note)["full_name"] == "Odile Marchetti-Brun"


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Jörg van der Heyden", "Jörg van der Heyden"),
        ("Anke de Wit", "Anke de Wit"),
        ("Marloes van 't Hoff", "Marloes van 't Hoff"),
        ("Jörg from the office", "Jörg"),  # a stop word that is no particle still ends the name
    ],
)
def test_clean_name_keeps_particles_before_a_surname(raw: str, name: str) -> None:
    assert clean_name(raw) == name


def test_a_particle_alone_after_a_cue_names_nobody(extractor: Extractor) -> None:
    # "Le llamo el lunes": "Le" is a surname particle, not a person; it once crashed the reader
    note = "Llamó hoy el Sr. Ibarra, quiere presupuesto para persianas. Le llamo el lunes."
    assert _chat(extractor, note)["full_name"] == "Ibarra"
