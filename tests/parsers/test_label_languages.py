"""Label dictionaries as data (one TOML file per language) and forms in Portuguese, French, Italian, Dutch."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.labels.dictionary import DICTIONARY, LANGUAGES, LabelDataError, load_dictionary
from parsers.labels.lookup import lookup_label, split_run_in_labels
from tests.parsers.helpers import one


def test_every_language_has_a_file_and_the_dictionary_knows_their_labels() -> None:
    assert set(LANGUAGES) == {"en", "de", "es", "pt", "fr", "it", "nl"}
    assert DICTIONARY.language_of["sobrenome"] == "pt"
    assert DICTIONARY.language_of["achternaam"] == "nl"
    assert lookup_label("Código Postal") == ("postal_code", 20)
    assert lookup_label("Téléphone portable") == ("phone", 20)
    assert lookup_label("Cellulare") == ("phone", 20)
    assert lookup_label("E-mailadres") == ("email", 20)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('language = "en"\n[labels]\nnickname = ["alias"]\n', "unknown slot"),
        ('language = "en"\n[labels]\nphone = ["tel"]\nemail = ["tel"]\n', "names both"),
        ('language = "fr"\n[labels]\nphone = ["tel"]\n', "language must be"),
        ('language = "en"\n[labels]\nphone = ["!!"]\n', "no letters"),
        ('language = "en"\n[headings]\nmaybe = ["x"]\n', "unknown kind"),
        ('language = "en"\n[labels]\nphone = "tel"\n', "list of strings"),
    ],
)
def test_a_broken_dictionary_file_is_refused_with_its_name(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "en.toml").write_text(content, encoding="utf-8")
    with pytest.raises(LabelDataError, match=problem) as caught:
        load_dictionary(tmp_path, ("en",))
    assert "en.toml" in str(caught.value)


def test_portuguese_form_with_cep_and_house_number() -> None:
    fields = one(
        "Novo contato pelo site\nNome: Luíza\nSobrenome: Carvalho Prates\nE-mail: luiza.prates@example.com.br\n"
        "Celular: (21) 99876-1203\nRua: Rua das Laranjeiras\nNúmero: 418\nBairro: Laranjeiras\n"
        "Cidade: Rio de Janeiro\nEstado: RJ\nCEP: 22240-003\nMensagem: Gostaria de agendar uma visita ao "
        "apartamento no sábado.\n"
    )
    assert (fields["first_name"], fields["last_name"]) == ("Luíza", "Carvalho Prates")
    assert fields["phone"] == "(21) 99876-1203"
    assert fields["street"] == "Rua das Laranjeiras 418"
    assert (fields["city"], fields["region"], fields["postal_code"]) == ("Rio de Janeiro", "RJ", "22240-003")
    assert fields["message"] == "Gostaria de agendar uma visita ao apartamento no sábado."


def test_french_nom_and_prenom_give_the_surname_and_first_name() -> None:
    fields = one(
        "Civilité : Madame\nNom : Lefebvre\nPrénom : Solène\nCourriel : solene.lefebvre@example.fr\n"
        "Téléphone : 06 12 48 90 33\nCode postal : 69003\nVille : Lyon\nVotre message : Le T3 est-il "
        "toujours disponible ?\n"
    )
    assert (fields["first_name"], fields["last_name"], fields["full_name"]) == ("Solène", "Lefebvre",
                                                                                 "Solène Lefebvre")
    assert (fields["postal_code"], fields["city"]) == ("69003", "Lyon")
    assert fields["message"] == "Le T3 est-il toujours disponible ?"


def test_italian_form() -> None:
    fields = one(
        "Nome: Gianluca\nCognome: Ferraresi\nEmail: g.ferraresi@example.it\nCellulare: 347 220 1984\n"
        "Indirizzo: Via Garibaldi 12\nCittà: Bologna\nCAP: 40124\nProvincia: BO\nMessaggio: Vorrei un "
        "preventivo per il tetto.\n"
    )
    assert (fields["first_name"], fields["last_name"]) == ("Gianluca", "Ferraresi")
    assert fields["phone"] == "347 220 1984"
    assert (fields["city"], fields["postal_code"], fields["region"]) == ("Bologna", "40124", "BO")
    assert fields["message"] == "Vorrei un preventivo per il tetto."


def test_dutch_form_with_particle_label_on_its_own_line() -> None:
    fields = one(
        "Voornaam\nMarleen\nTussenvoegsel\nvan der\nAchternaam\nHoeven\nE-mailadres\nmarleen.hoeven@example.nl\n"
        "Telefoonnummer\n06-41 27 83 90\nPostcode\n3511 AB\nWoonplaats\nUtrecht\nOpmerkingen\n"
        "Wij zoeken een dakkapel aan de achterkant.\n"
    )
    assert (fields["first_name"], fields["last_name"]) == ("Marleen", "van der Hoeven")
    assert fields["full_name"] == "Marleen van der Hoeven"
    assert (fields["postal_code"], fields["city"]) == ("3511 AB", "Utrecht")
    assert fields["message"] == "Wij zoeken een dakkapel aan de achterkant."


def test_labels_run_into_values_after_flattening_are_split() -> None:
    assert split_run_in_labels("joana@example.ptTelefone: 912 345 678") == "joana@example.pt\nTelefone: 912 345 678"
    assert split_run_in_labels("NomeJoana Reis") == "Nome: Joana Reis"
    assert split_run_in_labels("Upgrade to the new iPhone 15") == "Upgrade to the new iPhone 15"
    assert split_run_in_labels("x@example.comFirstName: Ola") == "x@example.com\nFirstName: Ola"
    html = ("<html><body><div><b>Nome</b>Joana Reis<br><b>E-mail</b>joana@example.pt<b>Telefone</b>"
            "912 345 678</div></body></html>")
    fields = one(html, "lead.html")
    assert fields["full_name"] == "Joana Reis"
    assert fields["email"] == "joana@example.pt"
    assert fields["phone"] == "912 345 678"


def test_table_cells_in_portuguese() -> None:
    html = ("<table><tr><td>Nome</td><td>Tiago Moura</td></tr><tr><td>Telemóvel</td><td>+351 912 000 417</td></tr>"
            "<tr><td>Email</td><td>tiago.moura@example.pt</td></tr><tr><td>Código postal</td><td>4050-262</td></tr>"
            "<tr><td>Localidade</td><td>Porto</td></tr></table>")
    fields = one(html, "lead.html")
    assert fields["full_name"] == "Tiago Moura"
    assert fields["phone"] == "+351 912 000 417"
    assert (fields["postal_code"], fields["city"]) == ("4050-262", "Porto")


def test_combined_street_and_number_labels_and_a_portals_address_line() -> None:
    fields = one(
        "Nieuwe aanvraag\nNaam: Joris Veldkamp\nStraat + huisnummer: Beukenlaan 12\nPostcode: 6711 NS\n"
        "Woonplaats: Ede\nE-mailadres: joris.v@example.nl\n\nWoonPortaal Makelaardij B.V., Stationsweg 1, "
        "3811 MJ Amersfoort\n"
    )
    assert (fields["street"], fields["postal_code"], fields["city"]) == ("Beukenlaan 12", "6711 NS", "Ede")


@pytest.mark.parametrize(("label", "value", "postal", "city"), [
    ("Postcode en plaats", "5211 KE 's-Hertogenbosch", "5211 KE", "'s-Hertogenbosch"),
    ("PLZ und Wohnort", "79098 Freiburg", "79098", "Freiburg"),
    ("Code postal et ville", "44000 Nantes", "44000", "Nantes"),
    ("CAP e città", "40121 Bologna", "40121", "Bologna"),
])
def test_one_label_for_postcode_and_city(label: str, value: str, postal: str, city: str) -> None:
    fields = one(f"Name: Ilse Moor\nEmail: ilse.moor@example.com\n{label}: {value}\n")
    assert (fields["postal_code"], fields["city"]) == (postal, city)


def test_labels_and_values_in_sibling_spans() -> None:
    html = ("<div><span class='k'>Nome</span><span class='v'>Ricardo Almeida</span><span class='k'>E-mail</span>"
            "<span class='v'>ricardo.a@example.com.br</span><span class='k'>Cidade</span><span class='v'>Campinas"
            "</span></div><p>The <b>Service</b> was great.</p>")
    fields = one(html, "lead.html")
    assert (fields["full_name"], fields["email"], fields["city"]) == ("Ricardo Almeida", "ricardo.a@example.com.br",
                                                                      "Campinas")
