"""ADF, LTS and generic XML leads, read tolerantly; vendor and provider contacts are never the lead."""

from __future__ import annotations

import pytest

from parsers.adf import read_xml, sanitize_xml
from parsers.lead import ExtractionError, RefusedInput
from tests.parsers.helpers import one, structured

MALFORMED_PROLOG = """<?ADF VERSION "1.0"?>
<?XML VERSION \u201c1.0\u201d?>
<adf>
<prospect>
<vehicle><year>2018</year><make>Kia</make><model>Niro</model></vehicle>
<customer>
   <contact>
     <name part="full">Tobiah Greer</name>
     <phone>555-010-2468</phone>
   </contact>
</customer>
<vendor><contact><name part="full">Riverside Kia</name></contact></vendor>
</prospect>
</adf>
"""

FULL = """<?xml version="1.0" encoding="ISO-8859-1"?>
<?adf version="1.0"?>
<adf>
 <prospect>
  <vehicle interest="buy" status="new">
   <year>2024</year><make>Toyota</make><model>RAV4</model><trim>XLE</trim><stock>T4410</stock>
   <finance><method>finance</method><amount type="downpayment" currency="USD">3000</amount>
    <amount type="monthly" limit="maximum" currency="USD">450</amount></finance>
  </vehicle>
  <vehicle interest="trade-in" status="used"><year>2013</year><make>Ford</make><model>Focus</model></vehicle>
  <customer>
   <contact>
    <name   part="first">Marisol</name>
    <name part="last">Quintero</name>
    <email>marisol.q@example.com</email>
    <phone type="fax">555-010-0000</phone>
    <phone type="voice" time="day">555-010-1357
    </phone>
    <phone type="cellphone">555-010-9753</phone>
    <address type="home">
     <street line="1">402 Cedar Hollow Rd</street>
     <city>Chattanooga</city><regioncode>TN</regioncode><postalcode>37405</postalcode><country>US</country>
    </address>
   </contact>
   <timeframe><description>Within 2 weeks</description></timeframe>
   <comments><![CDATA[Do you have it in blue? I'd rather not pay for the "premium" package.]]></comments>
  </customer>
  <vendor>
   <vendorname>Valley Toyota</vendorname>
   <contact primarycontact="1"><name part="full">Sam Dealerson</name><email>sam@valleytoyota.example</email>
    <phone>555-010-8888</phone></contact>
  </vendor>
  <provider>
   <name part="full">CarSite</name>
   <contact><name part="full">Pat Provider</name><email>pat@carsite.example</email><phone>555-010-7777</phone>
    <address><street line="1">1 Portal Plaza</street><city>Seattle</city></address></contact>
  </provider>
 </prospect>
</adf>
"""


def test_malformed_prolog_is_read() -> None:
    vendor, leads = structured(MALFORMED_PROLOG, "lead.xml")
    assert vendor == "Riverside Kia"
    fields = leads[0].plain()
    assert fields["full_name"] == "Tobiah Greer"
    assert fields["phone"] == "555-010-2468"
    assert fields["interest"] == "2018 Kia Niro"
    assert leads[0].fields["phone"].source == "reader:adf:customer/contact/phone[voice]"


def test_full_adf_with_distractors() -> None:
    vendor, leads = structured(FULL, "lead.xml")
    # the provider is paid for the lead and credited; the dealer it is for is kept as the other side
    assert vendor == "CarSite"
    lead = leads[0]
    assert [(o.field, o.value) for o in lead.role_values("dealer")] == [("company", "Valley Toyota")]
    fields = lead.plain()
    assert (fields["first_name"], fields["last_name"]) == ("Marisol", "Quintero")
    assert fields["email"] == "marisol.q@example.com"
    assert fields["phone"] == "555-010-1357"
    assert lead.fields["phone"].alternatives == ("555-010-9753",)
    assert fields["street"] == "402 Cedar Hollow Rd"
    assert (fields["city"], fields["region"], fields["postal_code"]) == ("Chattanooga", "TN", "37405")
    assert fields["interest"] == "new 2024 Toyota RAV4 XLE (stock T4410); trade-in: 2013 Ford Focus"
    assert fields["budget"] == "finance: downpayment 3000 USD, monthly max 450 USD"
    assert fields["timeline"] == "Within 2 weeks"
    assert fields["message"] == "Do you have it in blue? I'd rather not pay for the \"premium\" package."
    assert "dealerson" not in str(fields).lower() and "provider" not in str(fields).lower()


def test_stray_text_and_blank_lines() -> None:
    xml = ("<?ADF VERSION \"1.0\"?>\n\n<?XML VERSION \"1.0\"?>\n\n<adf>\n\n<prospect>\n\n<customer>\n\n<contact>\n"
           "<name part=\"first\">Ramón</name> NOMBRE\n\n<name part=\"last\">Ibáñez</name>\n"
           "<email>ramon.i@example.com.ar</email>\n<address><city>Rosario</city>   CIUDAD\n</address>\n"
           "</contact>\n<comments>Quiero información sobre financiación.</comments>\n</customer>\n</prospect>\n</adf>")
    fields = one(xml, "lead.xml")
    assert (fields["first_name"], fields["last_name"]) == ("Ramón", "Ibáñez")
    assert fields["city"] == "Rosario"
    assert fields["message"] == "Quiero información sobre financiación."


def test_unclosed_adf_is_recovered() -> None:
    xml = "<adf><prospect><customer><contact><name part='full'>Una Wells</name><email>una@example.com</email>"
    assert one(xml, "lead.xml")["email"] == "una@example.com"


def test_entity_bomb_is_refused() -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE adf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><adf><prospect><customer><contact><name>&c;</name>'
            "</contact></customer></prospect></adf>")
    with pytest.raises(RefusedInput, match="entity"):
        read_xml(bomb)
    with pytest.raises(ExtractionError):
        structured(bomb, "bomb.xml")


def test_external_entity_is_refused() -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><name>&x;</name></r>'
    with pytest.raises(RefusedInput):
        read_xml(xxe)


def test_sanitize_drops_processing_instructions_and_doctype() -> None:
    text = '\ufeff<?ADF VERSION "1.0"?><?xml version="1.0"?><!DOCTYPE adf SYSTEM "adf.dtd"><adf/>'
    assert sanitize_xml(text) == "<adf/>"


def test_lts_lead() -> None:
    xml = """<?xml version="1.0"?>
<LeadList><Version>2.05</Version><Lead>
 <Contact>
  <Note><![CDATA[Please set up a tour of 55 Quarry Ridge Ln, Austin, TX 78704 this weekend.]]></Note>
  <Name><First>Delphine</First><Last>Mayer</Last></Name>
  <Email>delphine.m@example.com</Email>
  <Address><StreetNumber></StreetNumber><Country></Country></Address>
  <PhoneList><Phone><Number>(512) 555-0161</Number></Phone></PhoneList>
 </Contact>
 <LeadSource>Website Tour Request</LeadSource><LeadSubsource>SiteVendor</LeadSubsource>
 <ListingNumber>99001122</ListingNumber>
</Lead></LeadList>"""
    vendor, leads = structured(xml, "lead.xml")
    fields = leads[0].plain()
    assert vendor == "SiteVendor Website Tour Request"
    assert (fields["first_name"], fields["last_name"]) == ("Delphine", "Mayer")
    assert fields["phone"] == "(512) 555-0161"
    assert fields["street"] is None
    assert fields["interest"] == "55 Quarry Ridge Ln, Austin, TX 78704 (listing 99001122) - Website Tour Request"
    assert fields["message"].startswith("Please set up a tour")


def test_generic_xml_through_the_label_dictionary() -> None:
    xml = ("<submission><form>Contact</form><agent><name>Agent Smith</name><email>agent@broker.example</email></agent>"
           "<person><firstName>Cyrus</firstName><lastName>Vance</lastName><emailAddress>cyrus.v@example.com"
           "</emailAddress><phone>555-010-4321</phone></person></submission>")
    fields = one(xml, "lead.xml")
    assert (fields["first_name"], fields["last_name"]) == ("Cyrus", "Vance")
    assert fields["email"] == "cyrus.v@example.com"
