"""Labels for what the lead wants, when, and for how much, in the seven languages (dictionaries as data)."""

from __future__ import annotations

import pytest

from parsers.labels.lookup import lookup_loose

LABELS = {
    "timeline": ["Baubeginn", "Ausführungszeitraum", "Fecha de inicio", "Data desejada", "Date de début",
                 "Data desiderata", "Gewenste startdatum", "Target date"],
    "interest": ["Gewerk", "Projektart", "Tipo de proyecto", "Tipo de projeto", "Type de travaux", "Tipo di intervento",
                 "Soort klus", "Type of work"],
    "budget": ["Kostenrahmen", "Valor máximo", "Prix maximum", "Prezzo massimo"],
}


@pytest.mark.parametrize(("slot", "label"), [(slot, label) for slot, labels in LABELS.items() for label in labels])
def test_label_names_its_slot(slot: str, label: str) -> None:
    found = lookup_loose(label)
    assert found is not None and found[0] == slot


CALL_KEYS = {
    "phone": ["anrufer_nummer", "numero_chiamante", "nummer_beller", "número do chamador", "número del llamante"],
    "full_name": ["anrufer_name", "nome_chiamante", "naam_beller", "nome do chamador", "nombre del llamante"],
    "skip": ["zielnummer", "numero chiamato", "gebeld nummer", "número chamado", "número de seguimiento"],
    "message": ["sms_body", "body"],
}


@pytest.mark.parametrize(("slot", "key"), [(slot, key) for slot, keys in CALL_KEYS.items() for key in keys])
def test_call_tracking_keys(slot: str, key: str) -> None:
    found = lookup_loose(key)
    assert found is not None and found[0] == slot
