"""Several leads in one message: tables with a header row, numbered blocks; field lists in other languages."""

from __future__ import annotations

import json

from tests.parsers.helpers import one, structured


def test_table_with_a_header_row_gives_one_lead_per_row() -> None:
    html = ("<h2>Leads this week</h2><table><tr><th>Received</th><th>Name</th><th>E-mail</th><th>Phone</th></tr>"
            "<tr><td>03/02/2026</td><td>Nadia Ferreira</td><td>nadia.f@example.com</td><td>555-017-3301</td></tr>"
            "<tr><td>03/04/2026</td><td>Tobias Lind</td><td>t.lind@example.com</td><td>555-017-3302</td></tr>"
            "</table><p>Studio Kern · 4 Dock St, Salem MA 01970</p>")
    _, leads = structured(html, "digest.html")
    assert [lead.value("full_name") for lead in leads] == ["Nadia Ferreira", "Tobias Lind"]
    assert [lead.value("phone") for lead in leads] == ["555-017-3301", "555-017-3302"]
    assert all(lead.value("street") is None for lead in leads)


def test_numbered_blocks_with_a_count_and_a_date() -> None:
    text = ("Anfrage 1 von 2 — eingegangen 02.03.2026 09:40\nName: Jörg Ebert\nE-Mail: j.ebert@example.de\n"
            "Telefon: 0351 5550 8812\n\nAnfrage 2 von 2 — eingegangen 02.03.2026 11:05\nName: Mira Sand\n"
            "E-Mail: mira.sand@example.de\nTelefon: 0351 5550 8813\n")
    _, leads = structured(text)
    assert [lead.value("email") for lead in leads] == ["j.ebert@example.de", "mira.sand@example.de"]


def test_label_value_pairs_in_dutch_keys_and_a_consent_checkbox() -> None:
    payload = {"formulier": "Offerte", "velden": [
        {"label": "Naam", "waarde": "Sanne Kuipers"}, {"label": "E-mailadres", "waarde": "sanne.k@example.nl"},
        {"label": "Woonplaats", "waarde": "Zwolle"}, {"label": "Akkoord met privacyverklaring", "waarde": "Ja"},
        {"label": "Nieuwsbrief", "waarde": "nee"}]}
    fields = one(json.dumps(payload), "form.json")
    assert (fields["full_name"], fields["city"]) == ("Sanne Kuipers", "Zwolle")
    assert fields["interest"] is None
