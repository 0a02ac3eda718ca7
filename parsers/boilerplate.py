"""What is never the prospect's own words: portal wording, consent text, technical lines, empty answers.

``clean_message`` keeps a message's lines that the prospect wrote and drops the rest: "The customer did not
provide comments" and its kin in every supported language (the whole message is then no message),
consent and TCPA paragraphs, "Remote IP" / "IP address" / user-agent lines, search-criteria blocks a
portal appends, and "Sent from …" footers.
"""

from __future__ import annotations

import re

from parsers.keywords import may_match
from parsers.regex_start import guard_start

#: a message that says there is no message
_NO_MESSAGE = re.compile(
    r"^\W*(?:(?:the )?(?:customer|consumer|client|lead|user|buyer|prospect|visitor|contact)\s+(?:did not|didn'?t|"
    r"has not|hasn'?t|chose not to)\s+(?:provide|leave|enter|include|write|add|submit)\s+(?:any\s+|a\s+)?"
    r"(?:comments?|message|questions?|notes?|details)|no (?:comments?|message|questions?|notes?|details)"
    r"(?: (?:provided|entered|given|left|added))?|none(?: provided| given)?|nothing(?: to add)?|n/?a|"
    r"(?:comments?|message):? ?(?:none|n/?a|-)|keine (?:nachricht|kommentare?|bemerkungen?|angaben?)|"
    r"kein kommentar|sin (?:comentarios?|mensaje|observaciones)|ninguno|ninguna|"
    r"sem (?:coment[áa]rios?|mensagem|observa[çc](?:ão|oes|ões))|nenhum(?:a)?(?: coment[áa]rio| mensagem)?|"
    r"aucun(?:e)? (?:commentaire|message|remarque)|pas de (?:commentaire|message)|"
    r"nessun(?:a)? (?:commento|messaggio|nota)|geen (?:opmerkingen?|bericht|vragen?)|"
    r"no (?:comments?|message|questions?|notes?)(?: (?:were|was|has been|have been))? (?:provided|left|entered|"
    r"given|added)(?: by the (?:customer|consumer|client|lead|user|buyer))?|"
    r"(?:el cliente|o cliente|le client|il cliente|de klant|der kunde) no (?:ha dejado|dej[óo]) comentarios?|"
    # the message field's own label left alone once its empty answer went ("Comment or Message", "Ihre Nachricht")
    r"(?:your |ihre |su |sua |votre |uw )?(?:comments?|message|questions?|notes?|nachricht|anmerkungen|mensaje|"
    r"comentarios?|mensagem|commentaires?|messaggio|bericht|opmerkingen)(?:\s*(?:or|and|/|&|oder|o|ou)\s*"
    r"(?:comments?|message|questions?|notes?|nachricht|mensaje|comentarios?|mensagem|commentaires?))*|"
    # a checkbox's answer, with the length of a recording ("Voicemail: Yes (0:22)"): no words of the prospect's
    r"(?:yes|no|ja|nein|s[íi]|n[ãa]o|oui|non|nee)(?:\s*\(\s*\d{1,2}:\d\d\s*\))?)"
    r"\W*$",
    re.IGNORECASE,
)
#: a line of consent or TCPA wording
_CONSENT = re.compile(
    r"\b(?:by (?:submitting|clicking|providing|checking|pressing)|i (?:hereby )?(?:agree|consent) to|"
    r"consent(?:s|ed)? to (?:be contacted|receive|being contacted)|express (?:written )?consent|autodial|"
    r"automatic telephone dialing|pre-?recorded|tcpa|message (?:and|&) data rates|msg (?:and|&) data rates|"
    r"reply stop|text stop|opt[- ]out at any time|not a condition of (?:any )?purchase|privacy policy|"
    r"terms (?:of (?:use|service)|and conditions)|ich (?:stimme|willige)\b.{0,80}\b(?:zu|ein)|datenschutzerkl[äa]rung|"
    r"einwilligung|acepto (?:la|las|los|el)|pol[íi]tica de privacidad|concordo com|pol[íi]tica de privacidade|"
    r"j'accepte|politique de confidentialit[ée]|acconsento|informativa (?:sulla )?privacy|"
    r"ik ga akkoord|privacyverklaring|gdpr|rgpd|lgpd)\b",
    re.IGNORECASE,
)
#: words one of which each match of ``_CONSENT`` spells (``parsers.keywords.may_match`` looks for them first)
_CONSENT_KEYS = (
    "by submitting", "by clicking", "by providing", "by checking", "by pressing", "agree", "consent", "autodial",
    "automatic telephone", "recorded", "tcpa", "data rates", "reply stop", "text stop", "out at any time",
    "not a condition", "privacy", "terms ", "ich stimme", "ich willige", "datenschutzerkl", "einwilligung", "acepto ",
    "privacidad", "concordo com", "j'accepte", "confidentialit", "acconsento", "ik ga akkoord", "gdpr", "rgpd", "lgpd",
)


def _consent(text: str) -> bool:
    return may_match(text, _CONSENT_KEYS) and _CONSENT.search(text) is not None


#: single words that make a form field a consent checkbox
_CONSENT_WORDS = re.compile(
    r"\b(?:privacy\w*|consent\w*|akkoord|toestemming|einwilligung|datenschutz\w*|zustimmung|gdpr|rgpd|lgpd|dsgvo|"
    r"avg|newsletter|opt[- ]?in|terms|agb|t&c|aceito|acepto|accepte|accetto|consenso|autorizo)\b",
    re.IGNORECASE,
)
#: technical lines a form mailer adds
_TECHNICAL = re.compile(
    r"^\W*(?:remote (?:ip|addr(?:ess)?|host)|ip(?: address| adresse?|-adres| do usu[áa]rio)?|direcci[óo]n ip|"
    r"endere[çc]o ip|adresse ip|indirizzo ip|user[- ]?agent|browser|referr?er|http referr?er|page url|form url|"
    r"source url|landing page|submitted from|sent from|gesendet von|enviado desde|enviado de|envoy[ée] depuis|"
    r"inviato da|verzonden (?:vanaf|via)|form id|form name|entry id|submission id|lead id|session id|"
    r"utm_\w+|gclid|fbclid|registered(?: on)?|member since|account created|signed up(?: on)?|"
    r"(?:sent|submitted|received|gesendet|eingegangen|enviado|recibido|envoy[ée]|re[çc]u|inviato|ricevuto|"
    r"verzonden|ontvangen|recebido)(?: (?:on|am|el|le|il|op|em))? \d{1,4}[./-]\d{1,2}[./-]\d{1,4})\b\s*[:=]?.*$"
    r"|^\W*(?:this|the) (?:summary|digest|notification|message|e-?mail|lead) (?:was|is|has been) (?:automatically )?"
    r"(?:generated|created|sent)\b.*$|^.{0,60}\b(?:wurde|wird) automatisch (?:erstellt|generiert|versandt|"
    r"verschickt)\b.*$|^.{0,60}\b(?:gerad[oa]|generad[oa]|g[ée]n[ée]r[ée]e?|generat[oa]|gegenereerd|verzonden) "
    r"automati(?:camente|quement|sch)\b.*$"
    r"|^\W*mozilla/\d|^\W*(?:\d{1,3}\.){3}\d{1,3}\W*$",
    re.IGNORECASE,
)
#: the heading of a portal's search-criteria block (a saved search, not words the prospect wrote)
_SEARCH_HEADING = re.compile(
    r"^\W*(?:(?:your |their |buyer'?s? |saved )?search criteria|saved search|search details|suchkriterien|"
    r"suchauftrag|criterios de b[úu]squeda|crit[ée]rios de busca|crit[èe]res de recherche|criteri di ricerca|"
    r"zoekcriteria)\b[^.!?\n]{0,60}[.:]?\W*$",
    re.IGNORECASE,
)
_FOOTER = re.compile(r"^\W*(?:sent from my\b|enviado do meu\b|envoy[ée] de mon\b|von meinem\b.*gesendet)",
                     re.IGNORECASE)


#: a line of a portal's or mailer's notice block: why the mail came, how to stop it, the firm's legal details and
#: copyright ("You're receiving this because …", "Unsubscribe", "© 2026 X, Inc.", "Amtsgericht … HRB",
#: "Todos los derechos reservados", "Powered by"): it and all below it are the sender's, never the lead's. Tax
#: and register numbers a B2B form may ask the lead for ("VAT number: …", "P.IVA: …", "CNPJ: …") are no notice; an
#: imprint writes "P.IVA 0123…" or "KvK 1234…" without a colon
_NOTICE = guard_start(re.compile(
    r"(?:\b(?:you(?:'re| are)? receiv(?:ing|ed) (?:this|these|(?:[\w-]+ ){1,3}(?:notifications?|e-?mails?|alerts?)\b)|"
    r"receiving this (?:e-?mail|message|"
    r"because)|un-?subscribe|all rights reserved|copyright\b|registered in (?:england|scotland|ireland)|"
    r"company (?:no|number|reg(?:istration)?)\b\.?|manage (?:your )?(?:notification|e-?mail|alert)s?(?: settings| "
    r"preferences)?|notification settings|e-?mail preferences|is a (?:service|product|brand) of|"
    r"sie erhalten diese|abmelden|impressum|amtsgericht|handelsregister|alle rechte vorbehalten|HRB \d|"
    r"(?:todos los )?derechos reservados|darse de baja|recibe(?:s)? este (?:correo|e-?mail|mensaje)|"
    r"est(?:á|as|ás) a receber|voc[êe] est[áa] recebendo|cancelar (?:a )?subscri[çc][ãa]o|descadastr\w+|"
    r"todos os direitos reservados|vous recevez (?:cet|ce)|se d[ée]sabonner|d[ée]sinscri\w+|tous droits r[ée]serv[ée]s|"
    r"ricevi questa|hai ricevuto questa e-?mail|disiscriviti|annulla (?:l'?)?iscrizione|tutti i diritti riservati|"
    r"(?:u|je) ontvangt deze|afmelden|uitschrijven|alle rechten voorbehouden|"
    r"powered by|and its affiliates|respects your privacy|"
    r"equal housing|trademarks? of|sitz(?: der gesellschaft)?:|registergericht|"
    r"rcs [a-z]+ \d|p\.? ?iva \d|kvk[- ]?(?:nr|nummer)?\.? ?\d)"
    r"|©|\(c\) ?\d{4})",
    re.IGNORECASE,
))
#: a firm's legal name at the start of a line and its street address after it ("Nestly Group, Inc. | 500 Harbor
#: Blvd", "WohnPortal GmbH, Friedrichstraße 100", "PreventiviCasa S.r.l. - Via Roma 1"): a mailer's imprint
_FIRM_ADDRESS = re.compile(
    r"^[^:\n]{1,60}?[\s,](?:Inc|LLC|L\.L\.C|Ltd|Corp|Corporation|Co|PLC|GmbH(?: & Co\. KG)?|AG|KG|UG|S\.A\.(?: de "
    r"C\.V\.)?|S\.L\.|S\.r\.l|Srl|S\.p\.A|SAS|SARL|B\.V|BV|N\.V|Lda|Ltda|Pty Ltd)(?!\w)\.?(?: \d{4})?\.?"
    r"\s*[,|·•–—-]?\s+(?=[^\n]{0,40}\d)[^\n]{8,}$")
#: a portal's call to the pro who receives the lead ("Respond quickly to win this job", "Log in to view",
#: "Jetzt Angebot abgeben", "Responda lo antes posible", "Reageer snel"): never the prospect's words
_CLOSING = re.compile(
    r"^\W*(?:(?:please )?(?:respond|reply|answer)(?: to (?:this|the) (?:lead|customer|request|homeowner|buyer))?"
    r"(?: now| asap| quickly| fast| promptly| soon| right away| directly| within\b| in the next\b| before\b)|"
    r"(?:please )?(?:contact|call) (?:this|the) (?:customer|lead|homeowner|buyer|consumer) within\b|"
    r"(?:view|see|open) (?:the )?(?:full )?(?:lead|request|job|details|inquiry|enquiry|message|customer)|"
    r"(?:log|sign) ?in to\b|buy this lead|this lead (?:is exclusive|was sent|has been sent|expires)|"
    r"upgrade (?:now|today|before|to)\b|urgent leads\b|(?:holiday )?promo(?:tion)?:|"
    r"jetzt (?:angebot|antworten|reagieren|kontakt)|bitte (?:antworten|beantworten|reagieren|melden) sie|"
    r"dieser auftrag ist nur|responda (?:lo antes|r[áa]pid|pronto|cuanto antes|logo)|ingresa para|"
    r"inicia sesi[óo]n para|responda rapidamente|acesse para|r[ée]pondez (?:rapidement|vite|d[èe]s)|"
    r"connectez-vous pour|rispondi (?:subito|rapidamente|presto)|accedi per|reageer (?:snel|direct|binnen)|"
    r"log in om)",
    re.IGNORECASE,
)
#: a line that is only a link (a portal's "Reply: https://…" or "View lead" target)
_LINK_ONLY = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)


#: a piece of every ``_NOTICE`` wording, lower-cased: most lines hold none, and ``in`` is far cheaper than the search
_NOTICE_HINTS = ("receiv", "subscri", "rights", "copyright", "registered", "company", "manage", "notification",
                 "preferences", " of ", "erhalten", "abmelden", "impressum", "amtsgericht", "handelsregister",
                 "vorbehalten", "hrb", "reserv", "baja", "recib", "receb", "descadastr", "recevez", "sabonner",
                 "sinscri", "inscri", "droits", "ricev", "iscri", "ontvangt", "afmelden", "uitschrijven", "riserv",
                 "diritti", "powered", "affiliat", "privacy", "equal housing", "trademark", "sitz", "register",
                 "rcs ", "iva", "kvk", "©", "(c)")


def is_notice_line(line: str) -> bool:
    """A line of a mailer's notice block: unsubscribe and "you are receiving this" wording, copyright, legal
    register details, in every supported language. It and what follows it are the sender's."""
    low = line.casefold()
    for hint in _NOTICE_HINTS:  # a plain loop: ``any()``'s generator costs more than the searches on a line
        if hint in low:
            return bool(_NOTICE.search(line))
    return False


def is_firm_address_line(line: str) -> bool:
    """A firm's legal name with its street address on one line ("X Group, Inc. | 500 Harbor Blvd, Seattle")."""
    return bool(_FIRM_ADDRESS.match(line.strip()))


def is_portal_closing(line: str) -> bool:
    """A portal's call to the pro ("Respond quickly to win this job", "Log in to view", "Reageer snel")."""
    return bool(_CLOSING.match(line))


#: a portal's or form mailer's own wording about the lead, in every supported language ("You have a new lead",
#: "Vous avez reçu une nouvelle demande", "Er is een nieuwe aanvraag voor u"): never the prospect's message
_PORTAL_WORDING = re.compile(
    r"\b(?:new (?:[\w-]+ ){0,2}(?:lead|inquiry|enquiry|request|message|submission|contact|response|job)s?|"
    r"(?:lead|request|inquiry|enquiry|job) ?(?:#|no\.|nr\.) ?\d+|"
    r"^\W*(?:[\w-]+ ){0,3}(?:request|lead|inquiry|enquiry)\W*$|"
    r"you (?:have )?(?:received|got)|"
    r"(?:was|were|been) submitted|submitted to|lead digest|see all (?:responses|leads|messages)|sent via|"
    r"has been submitted|was submitted|following (?:lead|customer|person|information|details)|click here|"
    r"reply (?:to|directly)|view (?:the )?(?:lead|inquiry|details)|log ?in|sign in|lead (?:details|id)|"
    r"submitted (?:via|through|on|from)|form submission|(?:a|the|one) (?:buyer|customer|client|user|homeowner|seller|"
    r"owner|consumer|shopper|prospect|visitor) (?:(?:is|has|was) )?(?:interested|requested)|someone (?:wants|is "
    r"interested|requested)|"
    r"(?:someone|a (?:user|visitor|buyer|customer)) (?:has )?(?:wrote|written|sent) you|has sent you|"
    r"sent you an? (?:request|message|quote|inquiry|enquiry|lead)|"
    r"(?:a|the|one) (?:buyer|customer|client|user|homeowner|member|visitor) (?:on|at|from|via) [\w.-]+ "
    r"(?:has |is )?(?:requested|interested|sent|submitted)|has referred (?:a|an|the|this|one) |"
    r"manage your (?:forms?|leads?|notifications?|account|alerts?|preferences)|this notification|"
    r"(?:this|the) lead (?:expires|is valid|was (?:generated|sent|delivered))|lead expires|claim (?:this|the) lead|"
    r"to keep (?:this|the) lead|exclusive lead|sold (?:only )?to you|shared with (?:up to )?\d+ |"
    r"(?:a|the) new (?:customer|client|homeowner|buyer|user) is (?:looking|searching)|"
    r"posted \d+ \w+ ago|your (?:subscription|membership|plan) (?:renews|expires)|"
    r"pricing shown|(?:homeowners|customers|buyers|leads) in your area|valid (?:for \d|through \d|until \d)|"
    r"(?:te|le|les|os) (?:ha|han) (?:escrito|enviado)|un usuario (?:te |le )?ha|um usu[áa]rio|"
    r"hat ihnen (?:geschrieben|eine)|vous a (?:[ée]crit|envoy[ée])|ti ha scritto|heeft (?:u|je) een bericht|"
    r"neue[rs]? (?:anfrage|nachricht|auftrag|kontaktanfrage)|sie haben|"
    r"nuev[oa] (?:solicitud|consulta|contacto|mensaje)|ha recibido|has recibido|tienes una? nuev[oa]|"
    r"un (?:cliente|usuario) ha (?:solicitado|enviado)|"
    r"voc[êe] recebeu|recebeu uma? nov[oa]|nov[oa] (?:contato|mensagem|solicita[çc][ãa]o|pedido|lead)|"
    r"vous avez re[çc]u|nouve(?:lle|au) (?:demande|contact|message)|"
    r"hai ricevuto|ha ricevuto|nuov[oa] (?:richiesta|contatto|messaggio)|"
    r"u heeft een nieuwe?|er is een nieuwe?|je hebt een nieuwe?|nieuwe? (?:aanvraag|bericht|offerteaanvraag)|"
    # a call-tracking mail's own heading ("Missed call", "Verpasster Anruf auf Ihrer Rufnummer …")
    r"missed call|verpasste[rn]? anruf|llamada perdida|chamada perdida|appel manqu[ée]|chiamata persa|"
    r"gemiste oproep)\b",
    re.IGNORECASE,
)


#: an answer to "when?", "how much?" or "what?" that gives none: "Not sure", "Just browsing", "Weiß noch nicht",
#: "Todavía no lo sé", "Ainda não sei", "Je ne sais pas encore", "Non lo so", "Weet ik nog niet"
_NO_ANSWER = re.compile(
    r"^\W*(?:(?:i'?m |i am |we'?re |we are )?(?:not sure|unsure|undecided|uncertain)(?: yet)?|"
    r"(?:i |we )?(?:do not|don'?t) know(?: yet)?|no idea|unknown|not (?:decided|determined)(?: yet)?|"
    r"(?:i'?m |i am |we'?re |we are )?just (?:browsing|looking|researching|curious)|"
    r"(?:ich )?wei(?:ß|ss) (?:es )?(?:noch )?nicht|(?:noch )?(?:unklar|unentschlossen|offen|unbestimmt)|"
    r"nur (?:informieren|umschauen|schauen)|"
    r"(?:todav[íi]a |a[úu]n )?no (?:lo )?s[ée](?: todav[íi]a| a[úu]n)?|sin decidir|no decidido|indeciso|"
    r"solo (?:mirando|estoy mirando|informaci[óo]n)|"
    r"(?:ainda )?n[ãa]o sei(?: ainda)?|(?:ainda )?n[ãa]o decidi(?:do)?|s[óo] (?:pesquisando|olhando)|"
    r"(?:je ne sais pas|ne sais pas|je sais pas)(?: encore)?|pas encore d[ée]cid[ée]e?|ind[ée]cise?|"
    r"(?:je )?regarde seulement|"
    r"non (?:lo )?so(?: ancora)?|(?:ancora )?da decidere|non ancora deciso|indeciso|sto solo guardando|"
    r"(?:dat )?weet ik (?:nog )?niet|(?:nog )?onbekend|(?:nog )?niet beslist|ik kijk alleen(?: rond)?)\W*$",
    re.IGNORECASE,
)


#: a timeline answer that is a priority level or a time of day: when to call, or how pressing, but no plan
_NO_PLAN = re.compile(
    r"^\W*(?:(?:low|normal|medium|high|standard|routine|niedrig|mittel|hoch|baja|media|alta|baixa|m[ée]dia|basse|"
    r"moyenne|haute|bassa|laag|gemiddeld|hoog)(?: priority| priorität| prioridad| prioridade| priorit[ée]| priorità|"
    r" prioriteit)?|"
    r"(?:in the |during the |por la |pela |à |le |la |di |de |'s )?(?:mornings?|afternoons?|evenings?|nights?|daytime|"
    r"anytime|any ?time|weekdays?|weekends?|vormittags?|nachmittags?|abends?|jederzeit|werktags|tardes?|noches?|"
    r"mañanas|cualquier hora|manhã|manhãs|noite|qualquer hor[áa]rio|matin|matinée|après-midi|soir|soirée|"
    r"mattina|pomeriggio|sera|ochtend|middag|avond|ochtends|middags|avonds))\W*$",
    re.IGNORECASE,
)


def is_no_plan(value: str) -> bool:
    """A timeline answer that names no time to buy or start: "Low", "Normal priority", "Morning", "Evenings",
    "Nachmittags", "Por la tarde" (a call window or a priority level)."""
    return bool(_NO_PLAN.match(value.strip()))


def is_no_answer(value: str) -> bool:
    """A form's answer that says nothing: "Not sure", "Just browsing", "Weiß noch nicht" (every supported language).
    A timeline, budget or interest that only says this is no value."""
    return bool(_NO_ANSWER.match(value.strip()))


#: a form's company answer that names no firm: a private person, a homeowner, the writer themself, retired
_NO_FIRM = re.compile(
    r"^\W*(?:a |an )?(?:private(?: (?:person|individual|customer|client|buyer|party|use))?|individual|homeowner|"
    r"home owner|home ?buyer|myself|self|me|personal|residential|resident|consumer|self[- ]employed|retired|"
    r"student|no company|not applicable|none|independent|freelancer?|"
    r"privat|privatperson|privatkunde|privatkundin|privathaushalt|eigentümer|selbstständig|selbständig|rentner|"
    r"rentnerin|keine|kein(?:e)? firma|"
    r"particular|persona f[íi]sica|cliente particular|aut[óo]nomo|jubilad[oa]|ninguna|propietari[oa]|"
    r"pessoa f[íi]sica|consumidor(?:a)? final|propriet[áa]ri[oa]|aposentad[oa]|nenhuma|"
    r"particuli(?:er|ère)|priv[ée]e?|propri[ée]taire|retrait[ée]e?|aucune|ind[ée]pendant(?:e)?|"
    r"privat[oa]|privato cittadino|proprietari[oa]|pensionat[oa]|nessuna|libero professionista|"
    r"particulier|priv[ée]|eigenaar|huiseigenaar|zzp(?:'er)?|gepensioneerd|geen)\W*$",
    re.IGNORECASE,
)


def is_no_firm(value: str) -> bool:
    """A company answer that names none: "Private", "Homeowner", "Privatperson", "Particular", "Pessoa física"."""
    return bool(_NO_FIRM.match(value.strip()))


def is_portal_wording(line: str) -> bool:
    """A line in a portal's own voice about the lead it sends (not the prospect's words)."""
    return bool(_PORTAL_WORDING.search(line))


def is_consent(text: str) -> bool:
    """Consent or privacy wording (a form's checkbox label, a TCPA paragraph)."""
    return _consent(text) or bool(_CONSENT_WORDS.search(text))


def is_boilerplate_line(line: str) -> bool:
    """A line that is no part of what the prospect wrote."""
    s = line.strip()
    return bool(s) and bool(_TECHNICAL.match(s) or _consent(s) or _FOOTER.match(s) or _NO_MESSAGE.match(s)
                            or _CLOSING.match(s) or _LINK_ONLY.match(s))


def clean_message(text: str) -> str | None:
    """The prospect's own words in ``text``, or None when nothing of theirs is left."""
    if _NO_MESSAGE.match(text.strip()):
        return None
    kept: list[str] = []
    in_search = False
    for line in text.split("\n"):
        s = line.strip()
        if not s:
            in_search = False
            kept.append("")
            continue
        if _SEARCH_HEADING.match(s):
            in_search = True
            continue
        if kept and (is_notice_line(s) or _FIRM_ADDRESS.match(s)):
            break  # a mailer's notice block or imprint: the rest is the sender's
        if in_search or is_boilerplate_line(s) or not any(ch.isalnum() for ch in s):
            continue  # (a rule of dashes or stars between parts is no words either)
        kept.append(line.rstrip())
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if not out or _NO_MESSAGE.match(out):
        return None
    return out
