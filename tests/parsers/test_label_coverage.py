"""Form labels across the seven languages: a job title is no message, WhatsApp is a phone."""

from __future__ import annotations

import pytest

from tests.parsers.helpers import one

_HEAD = "From: Forms <forms@site.example>\nTo: team@site.example\nSubject: Contact\n\n"


@pytest.mark.parametrize("label", ["Job Title", "Position", "Funktion", "Cargo", "Fonction", "Ruolo", "Functie"])
def test_job_title_is_neither_message_nor_name(label: str) -> None:
    lead = one(_HEAD + f"Name: Tove Lindqvist\nEmail: tove@lindqvist.example\n{label}: Head of Facilities\n"
               "Message: Please send the price list.\n")
    assert lead["message"] == "Please send the price list."
    assert lead["full_name"] == "Tove Lindqvist"


def test_whatsapp_run_together_is_the_phone() -> None:
    lead = one(_HEAD + "Nome: Caio Ventura\nE-mail: caio.v@example.com.brWhatsApp: +55 31 99876-1020\n")
    assert (lead["email"], lead["phone"]) == ("caio.v@example.com.br", "+55 31 99876-1020")


@pytest.mark.parametrize("label", ["Quote #", "Angebotsnummer", "Nº de presupuesto", "Número do orçamento",
                                   "N° de devis", "Numero preventivo", "Klantnummer"])
def test_reference_numbers_are_no_phone(label: str) -> None:
    lead = one(_HEAD + f"Name: Tove Lindqvist\nEmail: tove@lindqvist.example\n{label}: 2026 448 1937\n")
    assert lead["phone"] is None
