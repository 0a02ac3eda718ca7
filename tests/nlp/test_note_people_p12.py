"""People in Slack and chat notes, twelfth pass (``nlp.name_parts``, ``patterns/person_cues.txt``): a noun for
what the lead is to us ("Homeowner", "Neukundin", "propietaria") before the name is a cue, not a first word of
it; a word in capitals after a name written in mixed case is an acronym, not a first name after a surname."""

from __future__ import annotations

from functools import cache

import pytest

from nlp.extractor import Extractor
from nlp.lexicon import is_first_name
from nlp.name_parts import inverted_names
from parsers.lead import RawMessage

_READER = cache(Extractor)


def _leads(note: str) -> list[dict[str, str | None]]:
    """The leads a note gives, read as chat intake reads it (one reader for the module)."""
    read = _READER().extract(RawMessage(raw=note.encode("utf-8"), channel="slack"))
    return [lead.plain() for lead in read.leads]


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("Homeowner Wilhelmina Astley, 555-0134, asks about solar shingles", "Wilhelmina Astley"),
        ("Stammkundin Henrike Waldner, Tel. 0171 4433221, will neue Fenster", "Henrike Waldner"),
        ("Bauherr Konstantin Rehberg ruft wegen der Bodenplatte an, 0152 99887766", "Konstantin Rehberg"),
        ("Propietaria Remedios Valcárcel, 611 223 344, pide presupuesto de tejado", "Remedios Valcárcel"),
        ("Nouvelle cliente Apolline Chastain, 06 44 55 66 77, veut une pergola", "Apolline Chastain"),
    ],
)
def test_a_noun_for_the_lead_before_the_name_is_no_part_of_it(note: str, name: str) -> None:
    (lead,) = _leads(note)
    assert lead["full_name"] == name


def test_a_three_word_name_with_no_such_noun_keeps_all_its_words() -> None:
    (lead,) = _leads("Mary Ellen Fairbanks, 555-0197, wants the carpets cleaned")
    assert lead["full_name"] == "Mary Ellen Fairbanks"


@pytest.mark.parametrize(
    "note",
    [
        "trade-in: Osvaldo Reyes, VIN 1HGCM82633A004352, wants an appraisal",
        "walk-up: Marisol Ortega, ZIP 30301, wants a quote",
    ],
)
def test_an_acronym_after_a_name_is_no_first_name(note: str) -> None:
    assert inverted_names(note, 0, len(note)) == []


def test_the_lead_named_before_an_acronym_keeps_their_own_name() -> None:
    (lead,) = _leads("trade-in walk-up: Osvaldo Reyes, VIN 1HGCM82633A004352, wants numbers on a new truck")
    assert lead["full_name"] == "Osvaldo Reyes"


def test_a_surname_in_capitals_before_a_first_name_in_capitals_still_turns() -> None:
    note = "MCALLISTER, DEREK - 614-555-0190"
    assert [found for found, _ in inverted_names(note, 0, len(note))] == ["Derek Mcallister"]


def test_a_name_typed_in_lower_case_after_a_colon_in_a_capitalised_note_is_read() -> None:
    (lead,) = _leads("booth visitor at the Austin garden fair: miriam whitlow, 555-0193, from Round Rock, wants a pond")
    assert lead["full_name"] == "Miriam Whitlow"


def test_lower_case_words_after_a_colon_without_a_contact_name_no_one() -> None:
    (lead,) = _leads("Update from Austin: garden fair went well, 555-0193 is the booth line")
    assert lead["full_name"] is None


PASSED_ON = (
    "Hi all, Ottoline from Brackenridge Homes here, sending you a buyer who needs a mortgage quote. "
    "His name is Casimir Wendt, casimir.wendt@gmail.com, 614-555-0181, wants to close by spring.\n"
    "Ottoline Fairhurst | Brackenridge Homes | 614-555-0100\n"
)


def test_the_writers_signature_line_right_below_a_passed_on_lead_is_no_second_lead() -> None:
    (lead,) = _leads(PASSED_ON)
    assert (lead["full_name"], lead["phone"]) == ("Casimir Wendt", "614-555-0181")


def test_a_prospect_signing_their_own_note_again_keeps_their_line() -> None:
    note = ("Hi, this is Casimir Wendt, I need a mortgage quote, can someone call me?\n"
            "Casimir Wendt | 614-555-0181 | Columbus\n")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["phone"]) == ("Casimir Wendt", "614-555-0181")


def test_a_closing_line_under_one_lead_a_line_does_not_join_the_leads() -> None:
    note = ("Two callers this morning:\n"
            "- Mr. Leopold Varga, 555-0161, wants the boiler serviced\n"
            "- Mrs. Annika Sorvino, 555-0178, asks about a new heat pump\n"
            "I'll put both into the CRM after lunch.\n")
    leads = _leads(note)
    assert [(lead["full_name"], lead["phone"]) for lead in leads] == [
        ("Leopold Varga", "555-0161"), ("Annika Sorvino", "555-0178")]


def test_one_lead_with_a_closing_line_stays_one_lead() -> None:
    note = "Walk-in: Mr. Leopold Varga, 555-0161, wants the boiler serviced\nI'll call him after lunch.\n"
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["phone"]) == ("Leopold Varga", "555-0161")


def _mail(sender: str, body: str) -> dict[str, str | None]:
    raw = f"From: {sender}\nTo: hello@brightroofs.example\nSubject: quote\n\n{body}"
    (lead,) = _READER().extract(RawMessage(raw=raw.encode("utf-8"), channel="smtp")).leads
    return lead.plain()


def test_a_partners_mail_naming_their_client_in_the_third_person_gives_the_client() -> None:
    lead = _mail("Wendell Acheson <wendell@achesonbrokers.example>",
                 "Hi there,\n\nA client of ours has asked about a new roof before the rains. Her name is "
                 "Philippa Marlowe, 555-0139, philippa.marlowe@gmail.com.\n\nBest,\nWendell Acheson\n")
    assert (lead["full_name"], lead["email"]) == ("Philippa Marlowe", "philippa.marlowe@gmail.com")


def test_a_parent_naming_a_child_by_first_name_stays_the_lead() -> None:
    lead = _mail("Laura Benning <laura.benning@gmail.com>",
                 "Hello,\n\nI'd like to sign up my son for the spring swim course, his name is Theo. "
                 "Call me on 555-0102.\n\nThanks,\nLaura Benning\n")
    assert lead["full_name"] == "Laura Benning"


def test_a_prospects_pasted_mail_that_mentions_someone_in_passing_keeps_its_sender() -> None:
    note = ("pasted from the inbox:\n\nFrom: Hollis Brandt <hollis.brandt@gmail.com>\nTo: info@shieldmutual.example\n"
            "Subject: home insurance\n\nHi, my neighbour recommended you. I need a home policy, call me on 555-0187.\n"
            "Hollis\n")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["email"]) == ("Hollis Brandt", "hollis.brandt@gmail.com")


def _notice(rows: str) -> dict[str, str | None]:
    raw = ("From: Ring Ledger <alerts@ringledger.example>\nTo: desk@brightroofs.example\nSubject: Missed call\n\n"
           f"MISSED CALL\n\n{rows}\nDuration: 0:41\n")
    (lead,) = _READER().extract(RawMessage(raw=raw.encode("utf-8"), channel="smtp")).leads
    return lead.plain()


def test_a_call_notice_with_a_number_under_caller_takes_the_name_under_caller_id() -> None:
    lead = _notice("Caller:     (512) 555-0166\nCaller ID:  OYELARAN-HOLT PERPETUA\nLocation:   Austin, TX\n")
    assert (lead["full_name"], lead["phone"]) == ("Perpetua Oyelaran-Holt", "(512) 555-0166")


def test_a_caller_id_written_surname_first_is_turned_by_the_gazetteers() -> None:
    lead = _notice("Caller:     (512) 555-0166\nCaller ID:  GALLAGHER MAUREEN\n")
    assert lead["full_name"] == "Maureen Gallagher"


@pytest.mark.parametrize("word", ["Siobhán", "Zoë", "Noémie"])
def test_a_first_name_with_an_accent_the_gazetteer_leaves_out_is_known(word: str) -> None:
    assert is_first_name(word)


@pytest.mark.parametrize("word", ["Señor", "Größe", "Café"])
def test_a_word_with_an_accent_is_no_first_name_for_the_accent_alone(word: str) -> None:
    assert not is_first_name(word)


def test_a_prospect_with_an_accented_first_name_introducing_themselves_is_read() -> None:
    (lead,) = _leads("voicemail, typed up:\n&gt; Hi this is Siobhán Ó Briain, I'd like to book a cleaning, "
                     "617 555 0148 after 5\n")
    assert lead["full_name"] == "Siobhán Ó Briain"


def test_a_surname_that_is_also_a_city_is_a_surname_when_another_follows_it() -> None:
    (lead,) = _leads("Falei com a Sra. Ana Luísa das Neves Barroso, quer seguro para a loja, (21) 95550-3311")
    assert lead["full_name"] == "Ana Luísa das Neves Barroso"
    (lead,) = _leads("Falei com o Sr. Caio Henrique dos Santos Figueira, quer um orçamento, (21) 95550-3312")
    assert lead["full_name"] == "Caio Henrique dos Santos Figueira"


def test_a_city_after_the_name_with_nothing_after_it_is_where_they_are_from() -> None:
    (lead,) = _leads("Llamó Sr. Ignacio Pardo Villalba de Sevilla, quiere toldos, 611 220 330")
    assert lead["full_name"] == "Ignacio Pardo Villalba"


def test_a_lower_case_name_with_a_double_barrelled_surname_after_a_dash_is_a_person() -> None:
    (lead,) = _leads("ticket 4411 - obiageli morgan-price, boiler making noises, 555-0129")
    assert lead["full_name"] == "Obiageli Morgan-Price"


def test_a_lower_case_hyphenated_pair_of_words_that_are_no_surnames_names_no_one() -> None:
    (lead,) = _leads("ticket 4411 - boiler short-circuit, making noises, 555-0129")
    assert lead["full_name"] is None


def test_a_firm_of_two_surnames_after_a_cue_is_no_person() -> None:
    (lead,) = _leads("Walk-in: Garrison & Wolfe Dental, contact is Dr. Philippa Garrison, 555-0116, wants an x-ray")
    assert lead["full_name"] == "Philippa Garrison"


def test_a_couple_sharing_a_surname_after_a_cue_is_still_read() -> None:
    (lead,) = _leads("Walk-in: Garrison & Philippa Wolfe, 555-0116, want a sunroom")
    assert lead["full_name"] == "Garrison Wolfe"


def test_a_name_title_and_number_below_the_lead_are_the_writers_signature() -> None:
    note = ("Octavius Lindgren rang about a loft conversion, 555-0147, wants a visit next week\n\n"
            "Priya Ramaswamy\nSales Consultant\n555-0100\n")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["phone"]) == ("Octavius Lindgren", "555-0147")


def test_a_second_person_with_a_firm_and_a_number_is_still_a_second_lead() -> None:
    note = ("Octavius Lindgren rang about a loft conversion, 555-0147\n\n"
            "Priya Ramaswamy\nRamaswamy Bakery\n555-0188\n")
    assert [lead["full_name"] for lead in _leads(note)] == ["Octavius Lindgren", "Priya Ramaswamy"]


UNKNOWN_FIRST = (
    "Hi all, a new enquiry:\n\n"
    "Chidubem Nwachukwu-Hale\nchidubem.nwachukwu@gmail.com\n(502) 555-0161\n"
    "Wants a quote on a standby generator before winter.\n\n"
    "Thanks,\nRosalind Trevelyan\nAccount Executive | Keystone Power\n"
    "(502) 555-0100 | rtrevelyan@keystonepower.example\n"
)


def test_a_writers_signature_below_a_lead_whose_email_spells_an_unknown_name_is_no_second_lead() -> None:
    (lead,) = _leads(UNKNOWN_FIRST)
    assert (lead["full_name"], lead["email"], lead["phone"]) == (
        "Chidubem Nwachukwu-Hale", "chidubem.nwachukwu@gmail.com", "(502) 555-0161")


def test_a_colleagues_role_word_before_their_name_is_no_part_of_it_and_they_are_not_the_lead() -> None:
    note = ("Rückruf von Herrn Temitope Aschenbrenner, Tel. 0211 5566778, will eine Hebebühne. "
            "Hab ihm einen Termin mit Kollegin Hannelore Busch eingetragen.")
    (lead,) = _leads(note)
    assert lead["full_name"] == "Temitope Aschenbrenner"


def test_a_firms_line_in_the_plural_above_its_number_is_no_persons_name() -> None:
    lead = _mail("Kagiso Thornwell <kagiso@thornwellfarms.example>",
                 "Hi, we need frost fans for two blocks before spring.\n\nKagiso Thornwell\nThornwell Farms\n"
                 "(402) 555-0175\n")
    assert lead["full_name"] == "Kagiso Thornwell"


def test_an_unknown_first_name_and_a_known_surname_after_a_colon_with_a_contact_ahead_is_a_person() -> None:
    (lead,) = _leads("walk-up: Chinonso Baker, 2019 Civic trade-in, wants numbers on a CR-V. cell 262-555-0144")
    assert lead["full_name"] == "Chinonso Baker"


def test_a_place_and_a_word_after_a_colon_are_no_person() -> None:
    (lead,) = _leads("showroom walk-up: Lake Forest, wants numbers on a CR-V. cell 262-555-0144")
    assert lead["full_name"] is None


def test_a_reseller_who_passes_on_a_customer_is_a_partner() -> None:
    note = ("our reseller Gwendolyn Ashcombe at Corvid Systems (gwen@corvidsystems.example) sent over a customer:\n"
            "Ngozi Halloran, owner of Halloran Bakery, 616-555-0193, ngozi@halloranbakery.example\n"
            "wants 4 tablets and the ordering app\n")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["email"]) == ("Ngozi Halloran", "ngozi@halloranbakery.example")


def test_a_lower_case_unknown_first_name_before_a_known_surname_after_a_colon_is_read() -> None:
    (lead,) = _leads("booth visitor at the Austin garden fair: sipho garcia, 555-0193, wants a pond")
    assert lead["full_name"] == "Sipho Garcia"


def test_lower_case_words_before_a_surname_that_is_a_note_word_name_no_one() -> None:
    (lead,) = _leads("Update from Austin: booth price, 555-0193 is the booth line")
    assert lead["full_name"] is None


def test_a_caller_acting_on_behalf_of_their_relative_passes_the_relative_on() -> None:
    note = ("Augustin Velarde rang on behalf of his son Mateo Velarde, who is buying the flat; Mateo's mobile "
            "is 555-0124")
    (lead,) = _leads(note)
    assert (lead["full_name"], lead["phone"]) == ("Mateo Velarde", "555-0124")


def test_a_third_persons_relative_without_an_acting_for_phrase_is_not_passed_on() -> None:
    (lead,) = _leads("Augustin Velarde rang, 555-0124, wants a flat for his son near the university")
    assert lead["full_name"] == "Augustin Velarde"


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("spoke with cornelia van der wiel belde terug over de dakkapel, 06 1122 3344", "Cornelia van der Wiel"),
        ("call with rosalind pemberton reached out about a new fence, 555-0121", "Rosalind Pemberton"),
        ("llamó la sra. ximena ochoa landázuri, quiere cita, tel. 611 220 331", "Ximena Ochoa Landázuri"),
    ],
)
def test_a_name_typed_in_lower_case_ends_before_a_verb_past_its_second_word(note: str, name: str) -> None:
    (lead,) = _leads(note)
    assert lead["full_name"] == name


def test_a_city_and_its_state_code_in_a_lower_case_note_are_no_person() -> None:
    (lead,) = _leads("lead from austin, tx: marguerite holloway, 512-555-0142, wants a pool fence")
    assert lead["full_name"] == "Marguerite Holloway"


@pytest.mark.parametrize(
    ("note", "name"),
    [
        ("boise id - gertrude okonkwo - 208-555-0117 - wants a heat pump quote", "Gertrude Okonkwo"),
        ("quick one: gertrude okonkwo 208-555-0117, wants a heat pump quote", "Gertrude Okonkwo"),
    ],
)
def test_a_lower_case_list_item_name_ends_at_a_dash_or_its_number(note: str, name: str) -> None:
    (lead,) = _leads(note)
    assert lead["full_name"] == name


def test_the_one_a_lead_came_via_is_a_partner() -> None:
    (lead,) = _leads("via Greg Holloway — Mei Tanaka, 555-0137, wants a garden room quote")
    assert lead["full_name"] == "Mei Tanaka"


@pytest.mark.parametrize("payload", [
    '{"type": "appel_entrant", "appelant": "+33 6 41 22 87 10", "nom_appelant": "LEMAIRE SOPHIE", '
    '"numero_suivi": "+33 1 84 60 12 34"}',
    '{"appel": {"numero_appelant": "06 41 22 87 10", "appelant": "Sophie Lemaire", "ligne": "01 84 60 12 34"}}',
])
def test_a_french_call_records_caller_keys_give_the_callers_number_and_name(payload: str) -> None:
    # "appelant" names the caller: its value is their number or their name by its shape; neither is dropped
    (lead,) = _READER().extract(RawMessage(raw=payload.encode("utf-8"), channel="file", name_hint="call.json")).leads
    plain = lead.plain()
    assert (plain["full_name"], (plain["phone"] or "").replace(" ", "")[-9:]) == ("Sophie Lemaire", "641228710")
