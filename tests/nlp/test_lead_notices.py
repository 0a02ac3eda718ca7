"""Lead notices (issue 10): a relay's or notice mailer's From address is nobody's email; the person a notice names
in its subject or at the head of a sentence; a contact block's name line with a salutation, particles and a town
line (UK) between the street and the postcode."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from nlp.extractor import Extractor
from nlp.notices import relay_address
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(extractor: Extractor, body: str, *, sender: str = "Lead Portal <dispatch@portal.example>",
          subject: str = "New lead") -> dict[str, str | None]:
    """The one lead read from a plain-text mail (headers encoded as a mailer would: "Brückner" in the subject)."""
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = sender, "sales@ourco.example", subject
    mail.set_content(body)
    (lead,) = extractor.extract(RawMessage(mail.as_bytes(), "file", name_hint="lead.eml")).leads
    return lead.plain()


@pytest.mark.parametrize(
    ("display", "address", "relay"),
    [
        ("Victor H. via QuoteNest", "biz@quotenest.example", True),
        ("Website", "web@bakery.example", True),
        ("Preventivi Casa", "richieste@preventivicasa.example", True),
        (None, "avisos@obrasya.example", True),
        # a person's display name over a notice mailbox, a person's own or free-mail address: a person's
        ("Maria Rossi", "richieste@rossi.example", False),
        ("Orla Fitzgerald", "orla.fitzgerald@fitzco.example", False),
        ("Acme Website", "someone@gmail.com", False),
        ("Tom", "tom@tomsbuilds.example", False),
        # a firm's generic box a prospect writes from is not a notice mailbox
        ("Rossi Impianti", "info@rossi-impianti.example", False),
    ],
)
def test_relay_address(display: str | None, address: str, relay: bool) -> None:
    assert relay_address(display, address) is relay


def test_a_relays_from_address_is_not_the_leads_email(extractor: Extractor) -> None:
    lead = _mail(extractor, "Gideon R. sent you a Request a Quote\n\nWork needed: Install a ceiling fan\n"
                 "ZIP code: 55408\n\nReply on HandyHive to respond.",
                 sender='"Gideon R. via HandyHive" <biz@handyhive.example>',
                 subject="Gideon R. sent you a Request a Quote")
    assert lead["email"] is None
    assert lead["first_name"] == "Gideon"


def test_a_relays_display_name_names_the_person_it_relays(extractor: Extractor) -> None:
    lead = _mail(extractor, "Cornelius Blackwood messaged you about Deck building.\n\n"
                 "Location: Raleigh, NC 27609\n\nReply in the app.",
                 sender='"Cornelius Blackwood via Thumbtackish" <messages@thumbtackish.example>',
                 subject="You have a new message")
    assert (lead["full_name"], lead["email"], lead["city"]) == ("Cornelius Blackwood", None, "Raleigh")


@pytest.mark.parametrize(
    ("subject", "name"),
    [
        ("New inquiry from Priyanka Deshmukh-Rao", "Priyanka Deshmukh-Rao"),
        ("Leticia Mbeki wants a quote", "Leticia Mbeki"),
        ("Neue Anfrage von Svenja Brückner", "Svenja Brückner"),
        # a firm or a channel after "from" is no person
        ("New lead from Facebook Lead Ads", None),
        ("New inquiry from Acme Roofing", None),
    ],
)
def test_the_person_a_notices_subject_names(extractor: Extractor, subject: str, name: str | None) -> None:
    lead = _mail(extractor, "You have a new inquiry.\n\nPhone: (312) 555-0157\nEmail: pdr.home@gmail.com\n"
                 "Project: Basement waterproofing", subject=subject)
    assert lead["full_name"] == name


def test_a_person_opening_a_notices_sentence(extractor: Extractor) -> None:
    lead = _mail(extractor, "Hello Rivera Plumbing,\n\nGood news! Rutger Haverkamp is interested in your services."
                 "\n\nService: Water heater replacement\nPhone: 480-555-0119\nEmail: rhaverkamp@yahoo.com")
    assert lead["full_name"] == "Rutger Haverkamp"


def test_the_business_greeted_is_no_person(extractor: Extractor) -> None:
    lead = _mail(extractor, "Hello Dana Whitfield,\n\nA homeowner near you needs a painter.\n\n"
                 "Phone: 480-555-0119\nEmail: q77@yahoo.com")
    assert lead["full_name"] is None


@pytest.mark.parametrize(
    ("block", "name"),
    [
        ("Mevrouw Anneloes van den Heuvel\nKeizersgracht 318\n1016 EZ Amsterdam\nTelefoon: 06-48213957",
         "Anneloes van den Heuvel"),
        ("María Inmaculada Sánchez de la Peña\nCalle de Alcalá 212\n28028 Madrid\nTeléfono: 612 483 907",
         "María Inmaculada Sánchez de la Peña"),
        ("Sig.ra Maria Grazia Lo Bianco\nVia Nazionale 84\n90141 Palermo\nCellulare: 339 204 8817",
         "Maria Grazia Lo Bianco"),
        # UK: the town on a line of its own between the street and the postcode
        ("Alasdair McCorquodale\nFlat 2, 41 Marchmont Road\nEdinburgh\nEH9 1HU\n01316 685432",
         "Alasdair McCorquodale"),
        # a firm's line under the name, no address: the block ends there
        ("Alasdair McCorquodale\nMarchmont Joinery\nEdinburgh\n01316 685432", None),
    ],
)
def test_a_contact_blocks_name_line(extractor: Extractor, block: str, name: str | None) -> None:
    lead = _mail(extractor, f"Details below.\n\n{block}\n\nJob: new windows",
                 sender="Bouwportaal <aanvragen@bouwportaal.example>")
    assert lead["full_name"] == name


@pytest.mark.parametrize(
    ("sender", "body", "name"),
    [
        ('"Annonces Pro" <msg@annonces.example>', "Camille Roux vous a envoyé un message concernant « Clio ».\n\n"
         "Téléphone : 06 71 22 40 18", "Camille Roux"),
        ('"Subitissimo" <posta@annunci.example>', "Giulia Ferraro ti ha scritto per l'annuncio.\n\n"
         "Telefono: 348 902 1177", "Giulia Ferraro"),
    ],
)
def test_a_notice_about_someone_the_from_address_does_not_spell(extractor: Extractor, sender: str, body: str,
                                                                  name: str) -> None:
    lead = _mail(extractor, body, sender=sender, subject="Nouveau message")
    assert (lead["full_name"], lead["email"]) == (name, None)


def test_a_person_writing_from_their_own_address_keeps_it(extractor: Extractor) -> None:
    lead = _mail(extractor, "Hello,\n\nWe need 40 office chairs, please send an offer.\n\nBest regards,\n"
                 "Bartosz Wiśniewski\n+48 601 223 448", sender='"Bartosz Wiśniewski" <bartosz.w@firma-bw.example>',
                 subject="Inquiry")
    assert (lead["full_name"], lead["email"]) == ("Bartosz Wiśniewski", "bartosz.w@firma-bw.example")


def test_a_person_after_a_notice_cue_at_a_sentences_end(extractor: Extractor) -> None:
    lead = _mail(extractor, "Your listing at 1820 Willow Bend, Plano, TX 75093 received an inquiry from Roberta "
                 "Langford.\n\nPhone: 972-555-0133\nEmail: rl77@yahoo.com", subject="Your listing received an inquiry")
    assert lead["full_name"] == "Roberta Langford"


def test_a_form_mailers_own_address_is_not_the_leads_email(extractor: Extractor) -> None:
    lead = _mail(extractor, "First Name: Delphine\nLast Name: Ashworth\nCity: Fort Collins\nPhone: 970-555-0123",
                 sender='"Forms" <forms@hvacpro.example>', subject="Service request")
    assert (lead["full_name"], lead["email"], lead["phone"]) == ("Delphine Ashworth", None, "970-555-0123")


def test_a_property_word_in_the_sentence_before_is_not_the_addresss_context(extractor: Extractor) -> None:
    # "lot" ends a question: "I'm at 77 Birch Hollow Ln" is where the writer lives, not what they ask about
    lead = _mail(extractor, "Could you give me a price for aerating a 1/4 acre lot? I'm at 77 Birch Hollow Ln, "
                 "Ann Arbor, MI 48103. Best number is 734-555-0163.\n\nMarguerite Ostrowski",
                 sender="Marguerite Ostrowski <m.ostrowski@gmail.com>", subject="Lawn aeration")
    assert (lead["street"], lead["city"], lead["postal_code"]) == ("77 Birch Hollow Ln", "Ann Arbor", "48103")


@pytest.mark.parametrize("label", ["Tlf", "Tfno", "Telf"])
def test_spanish_phone_label_abbreviations(extractor: Extractor, label: str) -> None:
    lead = _mail(extractor, f"Cliente: Ramón Iglesias Cuesta\nDirección: Calle Mayor 5\n{label}: 963 281 445",
                 subject="Solicitud")
    assert lead["phone"] == "963 281 445"


def test_an_email_label_run_into_the_address_by_flattening(extractor: Extractor) -> None:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Leads <dispatch@gutterco.example>", "sales@ourco.example", "New lead"
    mail.set_content("<div>Name<span>Thaddeus Brightwater</span></div><div>Phone<span>(406) 555-0114</span></div>"
                     "<div>Email<span>tbright@montana.example</span></div>", subtype="html")
    (lead,) = extractor.extract(RawMessage(mail.as_bytes(), "file", name_hint="lead.eml")).leads
    assert lead.value("email") == "tbright@montana.example"
    # written by a person, a capitalised address is left as it is
    assert _mail(extractor, "Hi, write to me at Mailbox.Lena@outlook.com please.\n\nLena Brandt")["email"] == (
        "Mailbox.Lena@outlook.com")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # a block's own lines are no message
        ("Dati del cliente\n\nSig.ra Maria Grazia Lo Bianco\nVia Nazionale 84\n90141 Palermo\nCellulare: 339 204 8817",
         None),
        ("You have a new lead!\n\nAlasdair McCorquodale\nFlat 2, 41 Marchmont Road\nEdinburgh\nEH9 1HU\n"
         "0131 496 0123", None),
        # the prospect's words around them stay
        ("Hamish Drummond-Keir\n27 Bruntsfield Place\nEdinburgh\nEH10 4HN\n0131 496 0123\n\n"
         "The kitchen sockets keep tripping, please call after six.",
         "The kitchen sockets keep tripping, please call after six."),
    ],
)
def test_a_message_made_of_the_leads_own_contact_lines(extractor: Extractor, body: str, message: str | None) -> None:
    lead = _mail(extractor, body, subject="Nuova richiesta")
    assert lead["message"] is None if message is None else message in (lead["message"] or "")
