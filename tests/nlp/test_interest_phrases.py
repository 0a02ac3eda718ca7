"""The item a prospect asks about as a whole phrase: kept past "and", digits and "for"; a wish that spells out
the subject's item in full; requests to talk, call or visit are no item."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text
from nlp.interest import want_re


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "and" joins two items; before a new clause it ends the object
        ("We are interested in gutter cleaning and downspout repair.", "gutter cleaning and downspout repair"),
        ("I'm interested in a patio cover and we would like it soon.", "patio cover"),
        # a thousands separator is no clause break
        ("Looking for a quote on 1,200 sq ft of oak flooring, thanks.", "1,200 sq ft of oak flooring"),
        ("Ich interessiere mich für eine Markise und ich hätte gern ein Angebot.", "Markise"),
        ("Me interesa un toldo y queremos instalarlo pronto.", "toldo"),
    ],
)
def test_the_object_is_the_whole_item(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("interest") == expected


@pytest.mark.parametrize(
    ("subject", "text", "expected"),
    [
        ("Question about bookkeeping", "Do you offer monthly bookkeeping and payroll for a bakery?",
         "monthly bookkeeping and payroll for a bakery"),
        ("Anfrage zu Wärmepumpe", "Wir suchen eine Wärmepumpe für ein Haus von 1978.",
         "Wärmepumpe für ein Haus von 1978"),
        ("Consulta sobre toldos", "Necesitamos toldos para una terraza de 20 m².", "toldos para una terraza de 20 m²"),
        # the date is the timeline's, not part of the item
        ("Question about snow removal", "We'd like snow removal for our parking lot this winter.",
         "snow removal for our parking lot"),
    ],
)
def test_a_wish_that_spells_out_the_subject_is_the_interest(nlp: Language, subject: str, text: str,
                                                            expected: str) -> None:
    lead = read_free_text(nlp, text, subject=subject)
    assert lead.value("interest") == expected
    assert lead.fields["interest"].source == "nlp:interest.want"


def test_a_wish_alone_is_no_interest(nlp: Language) -> None:
    # measured on the held-out and blind halves: "we need …" alone read wrong values as often as right ones
    assert read_free_text(nlp, "We need a new fence along the back yard.").value("interest") is None


@pytest.mark.parametrize(
    ("text", "obj"),
    [
        ("We need a new fence", "a new fence"),
        ("Wij zoeken planningssoftware voor 14 monteurs", "planningssoftware voor 14 monteurs"),
        ("Gostaria de um orçamento", "um orçamento"),
        ("Vorrei un impianto fotovoltaico", "un impianto fotovoltaico"),
    ],
)
def test_wish_cues_in_several_languages(text: str, obj: str) -> None:
    m = want_re().search(text.lower())
    assert m is not None and m["obj"] == obj.lower()


@pytest.mark.parametrize(
    "text",
    [
        "I would like a call back at your earliest convenience.",
        "We'd like someone to come out and take a look.",
        "I'd like to know if it is still available.",
        "Ik wil graag een afspraak maken.",
        "Je souhaite être rappelé rapidement.",
        "Queremos sustituirlos por un sistema más eficiente.",
    ],
)
def test_requests_to_talk_are_no_item(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text, subject="Question about heating").value("interest") == "heating"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'd like more information about the 2021 Camry.", "2021 Camry"),
        ("Interested in a test drive of the Tacoma TRD.", "Tacoma TRD"),
        ("I'm interested in pricing for a new roof.", "pricing for a new roof"),
        ("Is the 2019 Honda Civic EX still available?", "2019 Honda Civic EX"),
    ],
)
def test_the_item_behind_a_generic_request(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("interest") == expected


@pytest.mark.parametrize(
    "text",
    [
        "Interested in a test drive this weekend.",
        "I am interested in learning more about your company.",
        "Looking for a quote.",
        "New lead from Honda of Springfield website.\nName: Tom Ruiz\nPhone: 555-0101",
        "Hi, is this still available? Thanks, Ana\n--\nToyota of Downtown | 123 Main St",
        "Visit Toyota Motors Center today.",
    ],
)
def test_no_item_named(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("interest") is None


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Call with Priya Raman. They're evaluating route planning software for 80 trucks.",
         "route planning software for 80 trucks"),
        ("Wants a demo of the fleet app.", "fleet app"),
        ("Sara Kim, budget ~40k, wants to start in March.", None),
    ],
)
def test_what_a_note_says_they_want(nlp: Language, note: str, expected: str | None) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # the amount after the item is the budget's
        ("Walk-in, wants a used pickup under $30k, pays cash", "used pickup"),
        ("Sucht einen Kombi bis 25.000 €, gerne Diesel", "Kombi"),
    ],
)
def test_an_item_stops_at_its_amount(nlp: Language, note: str, expected: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") == expected


@pytest.mark.parametrize(
    "note",
    [
        # who is to come, not what is wanted
        "Spoke with the tenant, the landlord wants us out there before the inspector.",
        # the person the need is for, after a German verb-final clause
        "Die Bank hat eine Kundin, die eine Zusage braucht: Frau Meike Olbrich, Tel. 0151 5550 1234.",
    ],
)
def test_a_person_after_the_verb_is_no_item(nlp: Language, note: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") is None


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # the fact written right after the lead's phone or email, between commas
        ("Call-in: Sra. Lucía Ferrer Soto, 611 204 388, limpieza de conductos de ventilación, Logroño.",
         "limpieza de conductos de ventilación"),
        ("talked to Owen Pryce, owen.pryce@fastmail.com, new storm doors on both entrances, lives in Dayton",
         "new storm doors on both entrances"),
        # a German need joined by a hyphen, alone between commas
        ("Frau Greta Lindholm, Tel. 0421 5550 3310, Fassaden-Reinigung, ruft morgen wieder an", "Fassaden-Reinigung"),
    ],
)
def test_a_need_written_as_a_fact_after_the_contact(nlp: Language, note: str, expected: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") == expected


@pytest.mark.parametrize(
    "note",
    [
        # a place, a remark or a time after the contact is no need
        "Mr. Dale Whitford, 555-201-7788, grand rapids, call after lunch",
        "Mr. Dale Whitford, 555-201-7788, no email, call after lunch",
        "Mr. Dale Whitford, 555-201-7788, next week maybe, call after lunch",
    ],
)
def test_no_need_after_the_contact(nlp: Language, note: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") is None


def test_a_notes_house_is_at_is_the_leads_own_place(nlp: Language) -> None:
    # in a rep's note, "the house is at …" says where the job is; the need named before is the interest
    note = "Call with Pia Moreau, she needs a new deck built. The house is at 77 Larkspur Ln, Boise ID 83702."
    assert read_free_text(nlp, note, chat=True).value("interest") == "new deck built"
    # a buyer's mail about a listing keeps its address as the interest
    mail = "Hello, I am interested in the house at 77 Larkspur Ln, Boise ID 83702. Is it still available?"
    assert read_free_text(nlp, mail).value("interest") == "77 Larkspur Ln, Boise ID 83702"


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # every form of the asking verb, and "whether" ends the item
        ("Summary: caller asks about veneers and whether the clinic offers payment plans.", "veneers"),
        ("She inquired about gutter guards for the whole house.", "gutter guards for the whole house"),
    ],
)
def test_a_summary_asking_about_an_item(nlp: Language, note: str, expected: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "… machen lassen": the work wanted, without the owner's possessive and the town between
        ("Wir möchten unsere Fassade in Kassel streichen lassen.", "Fassade streichen"),
        ("Ich möchte meinen Keller abdichten lassen.", "Keller abdichten"),
    ],
)
def test_a_german_wish_to_have_work_done(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("interest") == expected


def test_a_model_name_with_a_dot_before_its_number(nlp: Language) -> None:
    # "ID.7", "Q4.2": a dot between a letter and a digit is part of the name, not a sentence end
    item = read_free_text(nlp, "Frau Kessler möchte den ID.7 Tourer Probe fahren.", chat=True).value("interest")
    assert item is not None and item.startswith("ID.7 Tourer")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Someone is asking about your property:\n88 Quail Run Rd, Bend, OR 97701\nView the inquiry online.",
         "88 Quail Run Rd, Bend, OR 97701"),
        # a listing noun with nothing below it that is an address stays what it was
        ("A visitor is interested in your listing:\nplease reply soon.", "listing"),
    ],
)
def test_the_listing_shown_below_the_cue(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("interest") == expected
