"""A lead someone else passes on, named with the referrer's own words (issue 10, partner kind): the person after
the referrer's verb or after the colon of a referral the referrer heads is the lead; the referrer's firm, phone
and email are not the lead's."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from nlp.lexicon import read_lines
from nlp.referrals import REFERRAL_KEYS, passed_on
from parsers.lead import ExtractedLead, RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _note(extractor: Extractor, text: str) -> ExtractedLead:
    found = extractor.extract(RawMessage(text.encode("utf-8"), "file", name_hint="note.txt"))
    assert len(found.leads) == 1
    return found.leads[0]


def _value(lead: ExtractedLead, field: str) -> str | None:
    value = lead.fields.get(field)
    return None if value is None else str(value.value)


@pytest.mark.parametrize(("text", "name", "phone"), [
    ("Dr. Hollis Grebe (Grebe Dental, 555-0109) referred his patient Ottilie Marsh, 555-0147, for implants.",
     "Ottilie Marsh", "555-0147"),
    ("Wren Castellanos from Copperline Realty (555-0103) referred Ansel Moretti - his cell is 555-0158. "
     "Wants a roof inspection.", "Ansel Moretti", "555-0158"),
    ("Empfehlung von Herrn Dr. Wiegand (Wiegand Steuerberatung, 0611 4455660): Frau Henrike Voss, "
     "Tel. 0176 2288413, möchte ein neues Dach.", "Henrike Voss", "0176 2288413"),
    ("Recomendación de Iñaki Zubiri (Zubiri Seguros, 943 000 111): Begoña Arrieta, 688 214 905, quiere "
     "cambiar la caldera.", "Begoña Arrieta", "688 214 905"),
])
def test_referrer_apart_client_is_the_lead(extractor: Extractor, text: str, name: str, phone: str) -> None:
    lead = _note(extractor, text)
    assert _value(lead, "full_name") == name
    assert _value(lead, "phone") == phone


def test_referrers_email_and_firm_are_not_the_leads(extractor: Extractor) -> None:
    lead = _note(extractor, "Kenji Arakawa at Tidewater Mortgage (kenji@tidewatermortgage.example) referred "
                            "Odalys Ferreira - her number is 757-555-0129. She wants a home inspection.")
    assert _value(lead, "full_name") == "Odalys Ferreira"
    assert _value(lead, "email") is None
    assert _value(lead, "company") is None


@pytest.mark.parametrize("text", [
    "I was referred by my neighbour, she loved your work.",
    "Referred by: Dr. Okafor",
    "Samantha sent over the photos yesterday.",
    "We need a quote for a new fence.",
])
def test_no_one_passed_on(text: str) -> None:
    assert passed_on(text, 0, len(text)) == []


def test_the_named_span_is_the_clients() -> None:
    text = "Indicação do parceiro Paulo Mendes (Mendes Imóveis): cliente Fernanda Costa, quer reforma."
    assert passed_on(text, 0, len(text)) == [("Fernanda Costa", text.index("Fernanda"), text.index(", quer"))]


def test_every_cue_spells_a_key() -> None:
    for line in read_lines("referral_cues.txt"):
        kind, _, words = line.partition("\t")
        if kind.strip() not in {"verb", "from"}:
            continue
        for phrase in (w.strip() for w in words.split("|")):
            assert phrase.isascii() is False or any(key in phrase for key in REFERRAL_KEYS), phrase


def test_german_referrer_before_the_verb(extractor: Extractor) -> None:
    lead = _note(extractor, "Herr Oberle von Oberle Immobilien hat uns Frau Marlene Kratz empfohlen, "
                            "Tel. 0176 4412987, sie sucht eine neue Heizung.")
    assert _value(lead, "full_name") == "Marlene Kratz"
    assert _value(lead, "company") is None


def test_a_contact_written_as_the_referrers_own(extractor: Extractor) -> None:
    lead = _note(extractor, "Got a referral from Brenda Kowalczyk (Kowalczyk Insurance) - her client Mateo "
                            "Fuentes needs a roof cert. Brenda's cell 555-0106, Mateo's 555-0178.")
    assert _value(lead, "full_name") == "Mateo Fuentes"
    assert _value(lead, "phone") == "555-0178"


def test_the_leads_own_possessive_contact_stays_the_leads(extractor: Extractor) -> None:
    lead = _note(extractor, "Spoke to Hugo Lindahl about a deck. Hugo's cell 555-0174.")
    assert _value(lead, "phone") == "555-0174"


def test_a_writer_recommends_their_tenant(extractor: Extractor) -> None:
    raw = ("From: Heike Brandt <h.brandt@brandt-hausverwaltung.example>\nTo: anfrage@dachprofi.example\n"
           "Subject: Empfehlung\nContent-Type: text/plain; charset=utf-8\n\nSehr geehrte Damen und Herren,\n\n"
           "ich empfehle Ihnen meinen Mieter Herrn Yusuf Demir (Tel. 0176 55443322), der eine Markise für seinen "
           "Balkon möchte.\n\nMit freundlichen Grüßen\nHeike Brandt\nBrandt Hausverwaltung\n0511 998877\n")
    lead = extractor.extract(RawMessage(raw.encode("utf-8"), "file", name_hint="mail.eml")).leads[0]
    assert _value(lead, "full_name") == "Yusuf Demir"
    assert _value(lead, "phone") == "0176 55443322"
    assert _value(lead, "company") is None


def test_the_referral_heads_contacts_are_the_partners(extractor: Extractor) -> None:
    lead = _note(extractor, "via our partner @ Summit Solar (Kyle, 555-0100): client = Rosa Delgado, 555-0187, "
                            "rosa.delgado@gmail.com, battery storage")
    assert _value(lead, "full_name") == "Rosa Delgado"
    assert _value(lead, "phone") == "555-0187"
    assert _value(lead, "company") is None


@pytest.mark.parametrize(("text", "name", "phone"), [
    ("Ref. by Angela Ruiz @ Ruiz Realty 555-0100 -> buyer Theo Marsh 555-0145, theo.marsh@gmail.com, needs "
     "an inspection", "Theo Marsh", "555-0145"),
    ("Our partner Jake Morrow (Summit Realty) called about his client Samantha Price. Jake: 555-0101. "
     "Samantha: 555-0142, samantha.price@gmail.com", "Samantha Price", "555-0142"),
])
def test_referrer_named_again_or_headed_by_an_arrow(extractor: Extractor, text: str, name: str, phone: str) -> None:
    lead = _note(extractor, text)
    assert (_value(lead, "full_name"), _value(lead, "phone")) == (name, phone)


@pytest.mark.parametrize(("text", "lead"), [
    ("Got this from Tom at Ridgeline Mortgage (tom@ridgelinemtg.com) - his borrower Priya Nair wants to see homes. "
     "priya.nair@yahoo.com / 469-555-0190", "Priya Nair"),
    ("Recommandé par Julien Mercier. Son client Thomas Girard souhaite isoler ses combles, 06 98 76 54 32.",
     "Thomas Girard"),
    ("Nos pasa el contacto nuestra socia Marta Lozano (marta@inmosol.es). La clienta es Lucía Herrera, "
     "tel. 612 345 678.", "Lucía Herrera"),
])
def test_a_client_named_by_its_owner_is_passed_on(text: str, lead: str) -> None:
    assert [name for name, _start, _end in passed_on(text, 0, len(text))][-1] == lead


def test_a_friend_who_comes_along_is_no_client_passed_on() -> None:
    text = "Olivia Park 614-555-0127 - her friend Tom Lee might call too."
    assert passed_on(text, 0, len(text)) == []


@pytest.mark.parametrize(("text", "name", "email", "phone"), [
    # the referrer's firm and email before his possessive, a sentence before it
    ("heads up - got this one from Wes at Lakeshore Lending (wes.b@lakeshorelending.com). his borrower Ingrid "
     "Solberg is pre-approved, ingrid.solberg@gmail.com, 847-555-0132", "Ingrid Solberg", "ingrid.solberg@gmail.com",
     "847-555-0132"),
    # a firm before the referrer's name
    ("my buddy at Apex Auto, Rick Dunn 555-0156, says his customer Olivia Park wants a trade-in appraisal. "
     "olivia.park@icloud.com 614-555-0127", "Olivia Park", "olivia.park@icloud.com", "614-555-0127"),
    # a referral headed by "courtesy of", the lead after the colon
    ("Lead courtesy of Kendra Lowe at Bayside Title (kendra@baysidetitle.com): Marco Diaz, 305-555-0123, wants a "
     "home inspection.", "Marco Diaz", None, "305-555-0123"),
    # a head ending in a spaced dash
    ("Got a warm lead from Sam Patel (Patel Plumbing, 555-0141) — Jenna Ruiz, jenna.ruiz@gmail.com, 555-0162, wants "
     "a water heater.", "Jenna Ruiz", "jenna.ruiz@gmail.com", "555-0162"),
    # "Über Herrn … kam die Anfrage von Frau …"
    ("Über Herrn Olaf Zimmer (Zimmer Bau GmbH, 0345 112233) kam die Anfrage von Frau Heike Brandt, "
     "heike.brandt@web.de, Tel. 0345 998877, sie möchte einen Wintergarten.", "Heike Brandt", "heike.brandt@web.de",
     "0345 998877"),
    # a labelled referral partner on the line above the client: one lead, not two
    ("Referral partner: Lena Ortiz, Ortiz Realty, 512-555-0101\nClient: Brian Hale, 512-555-0177, "
     "brian.hale@gmail.com", "Brian Hale", "brian.hale@gmail.com", "512-555-0177"),
    # the partner's bracketed firm and email
    ("Indicação do parceiro Ricardo Matos (Matos Consultoria, ricardo@matosconsult.com.br). O cliente dele, "
     "Fernando Alves, quer orçamento. fernando.alves@gmail.com", "Fernando Alves", "fernando.alves@gmail.com", None),
])
def test_the_referrers_firm_and_contact_are_his(extractor: Extractor, text: str, name: str, email: str | None,
                                                phone: str | None) -> None:
    lead = _note(extractor, text)
    assert (_value(lead, "full_name"), _value(lead, "email"), _value(lead, "phone")) == (name, email, phone)
    assert _value(lead, "company") is None
