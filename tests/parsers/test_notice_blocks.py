"""A lead mail's notice block (unsubscribe and "you are receiving this" wording, copyright, a firm's legal name
with its street), the portal's call to the pro ("Respond quickly to win this job") and a relay's "X via Network"
display name: the sender's, never the lead's company, address, message or timeline."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.extractor import Extractor
from parsers.boilerplate import clean_message, is_firm_address_line, is_notice_line, is_portal_closing
from parsers.lead import RawMessage
from parsers.mime import relayed_name


def _read(body: str, sender: str = '"Jobline" <alerts@jobline.example>') -> dict[str, str | None]:
    raw = (f"From: {sender}\nTo: crew@pinecrest-build.example\nSubject: New request\n"
           "Content-Type: text/plain; charset=utf-8\n\n" + body).encode("utf-8")
    return _extractor().extract(RawMessage(raw=raw, channel="smtp")).leads[0].plain()


@cache
def _extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("line", [
    "You're receiving this email because job alerts are on. Unsubscribe",
    "You are receiving Tradelink message notifications.",
    "(c) 2026 Tradelink Holdings, Inc. 40 Water St, Boston, MA 02109",
    "Marktplatz Süd GmbH · Amtsgericht Ulm HRB 4411",
    "Sent to you by Nestfind. Nestfind Group, Inc. and its affiliates. Equal Housing Opportunity.",
    "Powered by Formstack Relay LLC",
    "Cercaditta S.r.l. - Via Manzoni 9, 20121 Milano - P.IVA 01234567890",
    "Klusmarkt B.V. · KvK 12345678",
    "Obralista S.L. Todos los derechos reservados.",
    "Você está recebendo este e-mail porque é parceiro.",
    "Vous recevez cet e-mail car vous êtes inscrit.",
    "Ricevi questa email perché sei registrato. Disiscriviti",
    "U ontvangt deze e-mail omdat u partner bent.",
    "Pipeline Pros is a service of Harbor Media Holdings, LLC.",
])
def test_notice_lines_in_every_language(line: str) -> None:
    assert is_notice_line(line)


@pytest.mark.parametrize("line", [
    "Could you also look at the gutters?",
    "We bought the house in 2019 and the roof is original.",
    "Company: Wethermere Freight",
    "VAT number: GB 123 4567 89",
    "P.IVA: 01234567890",
    "The smoke alarm siren keeps going off, and I need it sent by Friday.",
])
def test_the_leads_words_are_no_notice(line: str) -> None:
    assert not is_notice_line(line)
    assert not is_portal_closing(line)


@pytest.mark.parametrize(("line", "imprint"), [
    ("Tradelink Group, Inc. | 40 Water St, Boston, MA 02109", True),
    ("Bauportal GmbH, Lindenallee 12, 50968 Köln", True),
    ("Cercaditta S.r.l. - Via Manzoni 9, 20121 Milano", True),
    ("Obralista S.L., Calle Serrano 41, 28001 Madrid", True),
    ("Tradelink Technologies, Inc. 2026 | 1 Harbor Way, Boston", True),
    ("Pinecrest Manufacturing Co.", False),
    ("Company: Kestrel Labs LLC, 14 Dock St", False),
])
def test_a_firms_legal_name_with_its_street_is_an_imprint(line: str, imprint: bool) -> None:
    assert is_firm_address_line(line) is imprint


@pytest.mark.parametrize("line", [
    "Respond quickly to win this job!", "Please respond within 30 minutes.", "Log in to view the full request.",
    "View lead: https://pros.jobline.example/l/1", "Jetzt Angebot abgeben!", "Responda lo antes posible.",
    "Répondez rapidement pour gagner ce client.", "Rispondi subito al cliente.", "Reageer snel op deze aanvraag.",
])
def test_a_portals_call_to_the_pro(line: str) -> None:
    assert is_portal_closing(line)


def test_clean_message_stops_at_the_notice_block() -> None:
    text = ("The back fence leans after the storm.\n\nRespond quickly to win this job!\n"
            "https://pros.jobline.example/l/1\nTradelink Group, Inc. | 40 Water St, Boston, MA 02109\n"
            "More words after the imprint")
    assert clean_message(text) == "The back fence leans after the storm."


@pytest.mark.parametrize(("display", "name"), [
    ("Odalys Fennimore via Tradelink", "Odalys Fennimore"),
    ('"Bartholomew Quayle via Network"', "Bartholomew Quayle"),
    ("Tradelink Leads", None),
    ("leads via portal", None),
    (None, None),
])
def test_relayed_name(display: str | None, name: str | None) -> None:
    assert relayed_name(display) == name


def test_legal_footer_is_not_the_leads_company_or_address() -> None:
    lead = _read("Customer: Hollis Varga\nPhone: (402) 555-0139\nEmail: hollis.varga@example.net\n"
                 "Details: Two windows fog up between the panes.\n\nLog in to view the customer's history.\n\n"
                 "Tradelink Group, Inc. | 40 Water St, Boston, MA 02109\n"
                 "You're receiving this email because you are a Tradelink pro.\n")
    assert lead["full_name"] == "Hollis Varga"
    assert lead["company"] is None and lead["street"] is None and lead["city"] is None
    assert lead["message"] == "Two windows fog up between the panes."


def test_a_promo_in_the_portals_voice_is_no_timeline() -> None:
    lead = _read("Hi Pro, you have a new lead. Upgrade before Thanksgiving to get 15% off your membership!\n\n"
                 "Name: Ines Calloway\nPhone: 402-555-0171\nEmail: ines.calloway@example.net\n"
                 "Project: Deck staining\n")
    assert lead["full_name"] == "Ines Calloway"
    assert lead["timeline"] is None


def test_a_relay_names_the_person_it_relays() -> None:
    lead = _read("Odalys Fennimore\nOperations Director at Quarry Hill Creamery\n\n"
                 "Hello, we need a quote for refrigerated shelving in two stores. Could you call me next week?\n\n"
                 "Reply: https://tradelink.example/inbox/t/9\n"
                 "You are receiving Tradelink message notifications. Unsubscribe\n"
                 "Tradelink Corporation, 40 Water St, Boston MA 02109\n",
                 sender='"Odalys Fennimore via Tradelink" <messages-noreply@tradelink.example>')
    assert lead["full_name"] == "Odalys Fennimore"
    assert lead["company"] == "Quarry Hill Creamery"
    assert lead["street"] is None and lead["postal_code"] is None


def test_an_agent_relayed_by_a_network_is_not_the_buyer() -> None:
    lead = _read("Buyer: Leontyne Marsh\nBuyer email: leontyne.marsh@example.net\nBuyer phone: 619-555-0144\n",
                 sender='"Corwin Ashby via Agentlink" <notifications@agentlink.example>')
    assert lead["full_name"] == "Leontyne Marsh"


@pytest.mark.parametrize(("text", "budget"), [
    ("Budget maximum 240 000 € pour l'achat.", "maximum 240 000 €"),
    ("Unser Budget liegt bei 18 500 EUR.", "18 500 EUR"),
])
def test_budgets_with_space_thousands(text: str, budget: str) -> None:
    lead = _read(f"Name: Ysolde Brant\nEmail: ysolde.brant@example.org\n\n{text}\n")
    assert lead["budget"] == budget


def test_a_listing_label_on_a_later_line_is_not_the_leads_address() -> None:
    lead = _read("Un internaute souhaite visiter votre bien.\n\n"
                 "Bien : Maison 5 pièces, allée des Peupliers, 44300 Nantes\n\n"
                 "Nom : Garnier\nPrénom : Maëlle\nE-mail : maelle.garnier@example.fr\n")
    assert lead["city"] is None and lead["postal_code"] is None


def test_a_mailers_own_firm_and_imprint_in_prose_are_set_aside() -> None:
    lead = _read('Noor Haddad\nnoor.haddad@example.net\n(702) 555-0126\n\n"Looking for a caterer for 80 guests."\n\n'
                 "Reply: https://tradelink.example/r/77\nTradelink Corp, 40 Water St, Boston MA 02109\n",
                 sender='"Tradelink" <leads@tradelink.example>')
    assert lead["full_name"] == "Noor Haddad"
    assert lead["company"] is None
    assert lead["street"] is None and lead["postal_code"] is None


def test_a_street_in_prose_ends_before_in_and_the_city() -> None:
    lead = _read("Hello,\n\nWe live at 27 Orchard Hill Road in Wethersfield, CT 06109 and need a new furnace.\n\n"
                 "Thanks,\nMirela Vass\n860-555-0119\n", sender='"Mirela Vass" <mirela.vass@example.net>')
    assert lead["street"] == "27 Orchard Hill Road"
    assert lead["city"] == "Wethersfield"


def test_a_uk_address_block_under_its_label() -> None:
    lead = _read("Name: Ewan Prentice\nPhone: 07700 900215\nEmail: ewan.prentice@example.co.uk\nAddress:\n"
                 "3 Larch Close\nKirkstall\nLeeds\nLS5 3BQ\n\nJob: Boiler service\nTimescale: Within 4 weeks\n")
    assert lead["street"] is not None and lead["street"].startswith("3 Larch Close")
    assert lead["city"] == "Leeds" and lead["postal_code"] == "LS5 3BQ"
    assert lead["message"] is None
    assert lead["timeline"] == "Within 4 weeks"
