// The default-deny classifier: the scanner's second pass (docs/scanner.md, "The rule").
// Runs over the first pass's output, in which the detectors have already replaced what they
// recognise by shape (addresses, e-mail, SIP URIs, keys, paths, numbers) with placeholders.
// Every remaining token is kept only when the classifier can say why: a placeholder; a word of
// one of eight languages' word lists or of keywords.txt (protocol, codec, product, unit
// vocabulary); a short token (<= 2 letters, an acronym of <= 4 capitals, <= 4 characters of
// letters and digits); a benign shape (date, clock time, version, decimal, hex memory address,
// digits with a unit, small number, SDP media line, a list of small numbers). Everything else is
// replaced: unknown capitalised or caseless-script words by <user>, digit runs of six or more
// digits joined by any separators by <phone> or <id>, other tokens by <id>. Words that announce
// a value (`user`, `ext`, `Nummer`, `call-id`, `PJSIP/`, `x@`) make the value personal whatever
// its shape. Pure function of its input; thread-safe; never throws except bad_alloc.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "agent/policy/scanner/unicode.hpp"
#include "agent/policy/scanner/text_memory.hpp"
#include "agent/policy/scanner/word_table.hpp"
#include "agent/policy/token_class.hpp"

// VEIL_SCANNER_REFERENCE=1 (tests/fuzz/reference_scanner.cpp only) compiles the classifier
// with every fast path off -- the list filters of in_set() and key_flags(), the memory's filter
// -- into its own namespace, so the two builds never share an inline definition; the
// differential fuzz target compares them (docs/scanner.md, "Reference mode").
#ifndef VEIL_SCANNER_REFERENCE
#define VEIL_SCANNER_REFERENCE 0
#endif
#if VEIL_SCANNER_REFERENCE
namespace veil::detail::deny_reference {
#else
namespace veil::detail::deny {
#endif
inline constexpr bool reference = VEIL_SCANNER_REFERENCE != 0;

// Announcers, folded, with '-', '_' and '\'' removed ("Caller-ID-Num" -> "calleridnum").
inline constexpr std::string_view user_announcers[] = {
    "user", "username", "login", "account", "acct", "ext", "extension", "endpoint", "peer", "aor",
    "caller", "callee", "subscriber", "authuser", "authname", "authusername", "fromuser", "touser",
    "fu", "tu", "ru", "au", "callerid", "calleridnum", "calleridname", "calleridnumber", "cidnum",
    "cidname", "cidnumber", "exten", "connectedlinenum", "connectedlinename", "accountcode", "ani",
    "dnis", "dnid", "rdnis", "sipfromuser", "siptouser", "callercalleridnumber",
    "callercalleridname", "calleeidnumber", "calleeidname", "nebenstelle", "durchwahl",
    "teilnehmer", "benutzer", "benutzername", "konto", "poste", "utilisateur", "compte", "usuario",
    "extensión", "cuenta", "interno", "utente", "ramal", "usuário", "conta", "пользователь",
    "абонент", "логин", "потребител", "акаунт",
    // Asterisk `pjsip show endpoint`, FreeSWITCH
    "inauth", "outauth", "auths", "dialedextension", "dialeduser", "destinationnumber",
    // Grandstream provisioning: P35 SIP user id, P36 authenticate id (P34, the password, below)
    "p35", "p36", "p3", "p270", "sipreququser", "sipcontactuser", "sipauthusername", "sipauthuser",
    // Languages without a word list whose softphone users still write (nl, pl), and forms of
    // Bulgarian and Russian ("вътрешен 699", "toestel 691", "wewnętrzny 638")
    "accountid", "toestel", "toestelnummer", "wewnętrzny", "wewnetrzny", "вътрешен", "вътрешна",
    "вътрешния", "добавочный", "внутренний",
    // Identifiers and log-in names of the eight languages and Greek
    "extensão", "extensao", "identifiant", "identifiants", "identificador", "identificativo",
    "kennung", "benutzerkennung", "anmeldename", "nutzername", "nomeutente", "utilizador", "pseudo",
    "идентификатор", "χρήστης", "χρήστη", "εσωτερικό", "εσωτερικού",
    // More extension words: en "extn", ru "доб." (добавочный), "вн.", de/nl/ro "intern", ro
    // "interior(ul)", hu "mellék", pl "wew.", cs "linka"/"klapka", sv "anknytning"
    "extn", "доб", "вн", "intern", "interior", "interiorul", "mellék", "mellek", "wew", "linka",
    "klapka", "anknytning",
    // Log-in keys of SDKs (Acrobits customIdentifier, authID)
    "customidentifier", "authid"};
inline constexpr std::string_view phone_announcers[] = {
    "number", "nummer", "numero", "numéro", "número", "nr", "no", "tel", "tél", "phone", "telefon",
    "telephone", "téléphone", "teléfono", "telefono", "telefone", "handy", "mobile", "mobil",
    "móvil", "movil", "cell", "cellphone", "cellulare", "celular", "portable", "fax", "msisdn",
    "rufnummer", "telefonnummer", "handynummer", "mobilnummer", "номер", "номера", "телефон",
    "телефона", "мобильный", "мобилен", "тел", "telefoon", "telefoonnummer", "mobiel", "numer",
    "komórka", "komórki", "komórkowy",
    // Destinations: what is dialled is a number or an extension (`Dial 1101`, `wähle 0301234`).
    "dial", "dialing", "dialling", "dialed", "dialled", "redial", "wählen", "wähle", "gewählt",
    "marcar", "marcando", "composer", "chiamare", "discar", "набрать", "набор"};
inline constexpr std::string_view id_announcers[] = {
    // Dates of birth: the date after one is personal (it is kept elsewhere)
    "dateofbirth", "birth",     "geboren",    "nascido",      "nascida",    "nacido",
    "nacida",      "nato",      "nata",       "né",           "née",        "születési",
    "dob",         "birthdate", "birthday",   "geburtsdatum", "geburtstag", "naissance",
    "nacimiento",  "nascita",   "nascimento", "рождения",     "callid",     "iccid",
    "imei",        "imeisv",    "imsi",       "meid",         "serial",     "serialnumber",
    "sn",          "uuid",      "guid",       "sessionid",    "deviceid",   "installid",
    "tag",         "branch",    "icid",       "ci",           "nonce",      "cnonce"};
inline constexpr std::string_view secret_announcers[] = {
    // ICE credentials (RFC 8839 ice-ufrag/ice-pwd; WebRTC's usernameFragment)
    "iceufrag", "ufrag",      "usernamefragment",
    "icepwd",   "p34",        "pin",
    "passcode", "otp",        "pw",
    "pwd",      "password",   "passwort",
    "kennwort", "contraseña", "senha",
    "пароль",   "парола"};
// Channel technologies of Asterisk/FreeSWITCH and friends: `TECH/endpoint` names a user.
inline constexpr std::string_view channel_techs[] = {
    "pjsip",  "sip",     "iax",   "iax2",   "dahdi",  "local", "sccp",  "mgcp", "skinny",  "h323",
    "ooh323", "unistim", "motif", "dongle", "webrtc", "sofia", "verto", "rtc",  "loopback"};
// Verbs whose subject is a person: a capitalised name-word right before one is a name, also at
// a sentence start ("Peter said", "Bob called", "Will answered"). An imperative ("Mark the
// call as read") is never followed by one of these.
inline constexpr std::string_view subject_verbs[] = {
    "called",   "calling", "said",     "says",     "answered", "rang",     "phoned",
    "texted",   "wrote",   "writes",   "asked",    "asks",     "declined", "rejected",
    "accepted", "joined",  "left",     "hung",     "missed",   "dialed",   "dialled",
    "dials",    "replied", "told",     "wants",    "wanted",   "tried",    "tries",
    "sent",     "sends",   "spoke",    "speaks",   "rief",     "ruft",     "sagte",
    "schrieb",  "appelle", "appelait", "llamó",    "llama",    "dijo",     "chiamato",
    "chiama",   "ligou",   "disse",    "позвонил", "звонил",   "сказал",   "написал"};
// Words after which a capitalised word that is also an English word is read as a name
// ("call from Mark", "Anruf von Rose"); elsewhere "Key", "Dial", "Handy" stay words.
inline constexpr std::string_view name_introducers[] = {
    "from", "to", "with", "by", "and", "for", "called", "call", "dear", "hi", "hello", "cc", "von",
    "an", "mit", "für", "und", "de", "à", "avec", "pour", "et", "con", "para", "y", "da", "per",
    "e", "com", "от", "для", "с", "и", "к", "на", "ot", "за", "sr", "mr", "mrs", "ms", "dr", "herr",
    "frau", "señor", "señora", "monsieur", "madame", "signor",
    // The copula of the eight languages ("this is Mark", "ich bin Rose", "aqui é Inês").
    "is", "ist", "est", "es", "è", "é", "soy", "sono", "sou", "suis", "bin", "am", "это", "съм"};
// Self-introductions: the capitalised word after one is a name even when it is a word of some
// list ("ich heiße Lena", "je m'appelle Élise", "me llamo Ana", "mi chiamo Sofia", "меня зовут
// Иван", "казвам се Мария", "my name is Rose": `name is` is checked apart).
inline constexpr std::string_view self_introducers[] = {
    "heiße", "heisse", "heiss", "appelle", "llamo", "chiamo", "zovut", "зовут", "казвам",
    // Greek, which has no word list: "όνομα" (name), "ονομάζομαι", "λέγομαι", "με λένε"
    "όνομα", "ονομάζομαι", "λέγομαι", "λένε"};
// Particles inside a surname ("Ana de la Cruz", "Jan van der Berg", "Otto von Bismarck"): the
// capitalised word after a name and these is the name's next part.
inline constexpr std::string_view name_particles[] = {
    "de",  "da", "di", "do", "dos", "das", "del", "della", "van", "von", "der",
    "den", "la", "le", "du", "des", "ten", "ter", "zu",    "bin", "ibn", "al"};
// Conjunctions between names ("Anna and Tom", "Élise et Marie"): a name-capable word after one
// and a name is a name.
inline constexpr std::string_view name_conjunctions[] = {"and", "und", "et", "y",    "e",
                                                         "i",   "и",   "or", "oder", "ou"};
inline constexpr std::string_view romance_call_verbs[] = {
    "llamar", "llame",    "llama",   "llamó",      "llamé",      "hablar",   "preguntar",
    "avisar", "escribir", "marcar",  "ligar",      "liga",       "ligue",    "telefonar",
    "falar",  "chiamare", "chiama",  "chiamato",   "telefonare", "scrivere", "parlare",
    "dire",   "chiedere", "appeler", "téléphoner", "écrire",     "parler",   "demander"};
// Greetings and closings: capitalised words before a name that are not part of it.
inline constexpr std::string_view greetings[] = {
    "hi",        "hello",    "hey",      "dear",   "thanks",       "thank",        "regards",
    "cheers",    "hallo",    "liebe",    "lieber", "danke",        "grüße",        "gruß",
    "servus",    "moin",     "bonjour",  "salut",  "merci",        "cordialement", "hola",
    "gracias",   "saludos",  "ciao",     "grazie", "salve",        "buongiorno",   "olá",
    "oi",        "obrigado", "obrigada", "привет", "здравствуйте", "спасибо",      "здравей",
    "благодаря", "good",     "morning",  "best",   "kind",         "yours"};
// Number words of the eight languages (folded): six or more in a row are a number read out
// ("null eins sieben eins, zwei drei vier", "seis cero cinco, doce, treinta y cuatro").
inline constexpr std::string_view number_words[] = {
    // en
    "zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "double", "triple",
    // de
    "null", "eins", "zwei", "zwo", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun",
    "zehn", "elf", "zwölf", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig",
    "achtzig", "neunzig", "hundert", "doppel",
    // fr
    "zéro", "un", "une", "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize", "vingt", "trente", "quarante", "cinquante",
    "soixante", "cent",
    // es
    "cero", "uno", "una", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve",
    "diez", "once", "doce", "trece", "catorce", "quince", "veinte", "treinta", "cuarenta",
    "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "cien",
    // it
    "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici", "dodici",
    "tredici", "venti", "trenta", "quaranta", "cinquanta", "sessanta", "settanta", "ottanta",
    "novanta", "cento",
    // pt
    "um", "dois", "duas", "três", "sete", "oito", "dez", "treze", "vinte", "trinta", "quarenta",
    "sessenta", "oitenta", "cem",
    // ru, bg
    "ноль", "один", "одна", "два", "две", "три", "четыре", "пять", "шесть", "семь", "восемь",
    "девять", "десять", "нула", "едно", "четири", "пет", "шест", "седем", "осем", "девет", "десет"};
// Words that join number words ("treinta y cuatro", "vingt et un", "zwei und").
inline constexpr std::string_view number_joiners[] = {"y", "e", "et", "und", "and", "и"};
// SIP header names of RFC 3261 and the IANA registry (lower case), full and compact forms:
// inside a SIP message, a header not named here has a value no grammar reads (header_line()).
inline constexpr std::string_view sip_header_names[] = {"accept",
                                                        "accept-contact",
                                                        "accept-encoding",
                                                        "accept-language",
                                                        "accept-resource-priority",
                                                        "alert-info",
                                                        "allow",
                                                        "allow-events",
                                                        "answer-mode",
                                                        "authentication-info",
                                                        "authorization",
                                                        "call-id",
                                                        "call-info",
                                                        "contact",
                                                        "content-disposition",
                                                        "content-encoding",
                                                        "content-id",
                                                        "content-language",
                                                        "content-length",
                                                        "content-type",
                                                        "cseq",
                                                        "date",
                                                        "diversion",
                                                        "encryption",
                                                        "error-info",
                                                        "event",
                                                        "expires",
                                                        "feature-caps",
                                                        "flow-timer",
                                                        "from",
                                                        "geolocation",
                                                        "geolocation-error",
                                                        "geolocation-routing",
                                                        "hide",
                                                        "history-info",
                                                        "identity",
                                                        "identity-info",
                                                        "info-package",
                                                        "in-reply-to",
                                                        "join",
                                                        "max-breadth",
                                                        "max-forwards",
                                                        "mime-version",
                                                        "min-expires",
                                                        "min-se",
                                                        "organization",
                                                        "p-access-network-info",
                                                        "p-answer-state",
                                                        "p-asserted-identity",
                                                        "p-asserted-service",
                                                        "p-associated-uri",
                                                        "p-called-party-id",
                                                        "p-charging-function-addresses",
                                                        "p-charging-vector",
                                                        "p-dcs-billing-info",
                                                        "p-early-media",
                                                        "p-media-authorization",
                                                        "p-preferred-identity",
                                                        "p-preferred-service",
                                                        "p-profile-key",
                                                        "p-refused-uri-list",
                                                        "p-served-user",
                                                        "p-user-database",
                                                        "p-visited-network-id",
                                                        "path",
                                                        "permission-missing",
                                                        "policy-contact",
                                                        "policy-id",
                                                        "priority",
                                                        "priv-answer-mode",
                                                        "privacy",
                                                        "proxy-authenticate",
                                                        "proxy-authorization",
                                                        "proxy-require",
                                                        "rack",
                                                        "reason",
                                                        "reason-phrase",
                                                        "record-route",
                                                        "recv-info",
                                                        "refer-events-at",
                                                        "refer-sub",
                                                        "refer-to",
                                                        "referred-by",
                                                        "reject-contact",
                                                        "remote-party-id",
                                                        "replaces",
                                                        "reply-to",
                                                        "request-disposition",
                                                        "require",
                                                        "resource-priority",
                                                        "resource-share",
                                                        "response-key",
                                                        "response-source",
                                                        "restoration-info",
                                                        "retry-after",
                                                        "route",
                                                        "rseq",
                                                        "security-client",
                                                        "security-server",
                                                        "security-verify",
                                                        "server",
                                                        "service-interact-info",
                                                        "service-route",
                                                        "session-expires",
                                                        "session-id",
                                                        "sip-etag",
                                                        "sip-if-match",
                                                        "subject",
                                                        "subscription-state",
                                                        "supported",
                                                        "suppress-if-match",
                                                        "target-dialog",
                                                        "timestamp",
                                                        "to",
                                                        "trigger-consent",
                                                        "unsupported",
                                                        "user-agent",
                                                        "user-to-user",
                                                        "via",
                                                        "warning",
                                                        "www-authenticate",
                                                        "a",
                                                        "b",
                                                        "c",
                                                        "d",
                                                        "e",
                                                        "f",
                                                        "i",
                                                        "j",
                                                        "k",
                                                        "l",
                                                        "m",
                                                        "n",
                                                        "o",
                                                        "r",
                                                        "s",
                                                        "t",
                                                        "u",
                                                        "v",
                                                        "x",
                                                        "y"};
// Column names whose values are a person's name (a table's header row, table_line()).
inline constexpr std::string_view name_columns[] = {
    "name",      "fullname", "displayname", "cidname",   "callername",  "firstname", "lastname",
    "givenname", "surname",  "familyname",  "contact",   "contactname", "clid",      "email",
    "mail",      "agent",    "member",      "interface", "regusr",      "reguser",   "mailbox",
    "vorname",   "nachname", "nom",         "prenom",    "prénom",      "nombre",    "apellido",
    "apellidos", "nome",     "cognome",     "sobrenome", "имя",         "фамилия",   "име"};
// Column names whose values are a postal address or a part of one.
inline constexpr std::string_view geo_columns[] = {
    "address",    "adresse", "dirección", "direccion", "indirizzo", "endereço", "endereco",
    "street",     "strasse", "straße",    "city",      "ort",       "stadt",    "ville",
    "ciudad",     "città",   "cidade",    "zip",       "zipcode",   "plz",      "postcode",
    "postalcode", "cp",      "cap",       "адрес"};
// Words of keywords.txt that are given names as well: the product-word guard does not hold.
inline constexpr std::string_view keyword_names[] = {"sofia", "homer", "janus", "yate"};
// Verbs of a quoted mail's attribution line ("Müller, Jonas wrote:", "Anna Koch schrieb:").
inline constexpr std::string_view attribution_verbs[] = {
    "wrote", "writes", "schrieb", "écrit", "escribió", "scritto", "escreveu", "написал", "написа"};
// Titles before a surname: the capitalised word after one is a name even when it is also a
// dictionary word (Herr Müller, Mrs. Baker, Frau Dr. Weber, Señora Blanco).
inline constexpr std::string_view honorifics[] = {
    "mr",       "mrs",    "ms",      "miss",     "sir",     "dr",        "prof",
    "herr",     "frau",   "señor",   "señora",   "sr",      "sra",       "srta",
    "monsieur", "madame", "mme",     "mlle",     "signor",  "signora",   "sig",
    "dott",     "senhor", "senhora", "господин", "госпожа", "господине", "госпожо"};
// Roles and kin before a surname, as titles are ("Buchhalter Krause", "il collega Bianchi",
// "el señor Quintana", "moja żona Agata"): the capitalised word after one is a name.
inline constexpr std::string_view role_nouns[] = {"kollege",
                                                  "kollegin",
                                                  "chef",
                                                  "chefin",
                                                  "buchhalter",
                                                  "buchhalterin",
                                                  "geschäftsführer",
                                                  "geschäftsführerin",
                                                  "azubi",
                                                  "techniker",
                                                  "technikerin",
                                                  "kunde",
                                                  "kundin",
                                                  "mitarbeiter",
                                                  "mitarbeiterin",
                                                  "jefe",
                                                  "jefa",
                                                  "compañero",
                                                  "compañera",
                                                  "recepcionista",
                                                  "colega",
                                                  "doctor",
                                                  "doctora",
                                                  "ingeniero",
                                                  "ingeniera",
                                                  "collega",
                                                  "ing",
                                                  "avv",
                                                  "geom",
                                                  "ingegnere",
                                                  "dottore",
                                                  "dottoressa",
                                                  "gerente",
                                                  "chefe",
                                                  "doutor",
                                                  "doutora",
                                                  "engenheiro",
                                                  "żona",
                                                  "mąż",
                                                  "kolega",
                                                  "koleżanka",
                                                  "pan",
                                                  "pani",
                                                  "szef",
                                                  "szefowa",
                                                  "collègue",
                                                  "ingénieur",
                                                  "colleague",
                                                  "coworker",
                                                  "manager",
                                                  "boss",
                                                  "wife",
                                                  "husband",
                                                  "son",
                                                  "daughter",
                                                  "brother",
                                                  "sister",
                                                  "uncle",
                                                  "aunt",
                                                  "mom",
                                                  "mum",
                                                  "dad",
                                                  "коллега",
                                                  "начальник",
                                                  "колега"};
// Closings after which a capitalised word is the writer's name ("Cumprimentos, Rui", "LG Mia",
// "Grazie,\nSofia Rossi").
inline constexpr std::string_view closings[] = {
    "thanks",    "thx",      "cheers",      "regards", "grüße",        "gruss",        "gruß",
    "lg",        "vg",       "mfg",         "saludos", "cumprimentos", "abraços",      "abraço",
    "obrigado",  "obrigada", "grazie",      "saluti",  "merci",        "cordialement", "bises",
    "danke",     "gracias",  "atentamente", "спасибо", "благодаря",    "best",         "yours",
    "sincerely", "bye",      "ciao",        "tschüss", "salutations",  "pozdrawiam",   "groet",
    "groeten",   "поздрави", "уважением"};
// Words that may stand between an announcer and its value ("Nummer ist jetzt 55 ...").
// Contractions and elisions joined by an apostrophe: English `isn't`, `we'll`, `Bob's` (the
// stem decides, names included), French and Italian `l'appel`, `qu'il`, `dell'utente` (the
// word after the article decides). Without them every contraction was an unknown compound.
inline constexpr std::string_view en_suffixes[] = {"t", "s", "re", "ll", "ve", "d", "m"};
inline constexpr std::string_view nt_stems[] = {
    "isn",   "aren", "wasn", "weren",  "don",   "doesn",  "didn",    "hasn",
    "haven", "hadn", "won",  "wouldn", "can",   "couldn", "shouldn", "mustn",
    "needn", "ain",  "shan", "mightn", "daren", "oughtn"};
inline constexpr std::string_view elisions[] = {
    "l",      "d",     "c",      "j",      "m",    "n",      "s",    "t",    "qu",  "lorsqu",
    "puisqu", "jusqu", "quoiqu", "presqu", "dell", "dall",   "nell", "sull", "all", "coll",
    "un",     "quell", "quest",  "po",     "tutt", "nessun", "bell", "sant"};
inline constexpr std::string_view fillers[] = {
    "is", "was", "the", "a", "an", "my", "his", "her", "their", "your", "our", "new", "now", "of",
    "id", "ist", "war", "der", "die", "das", "ein", "eine", "mein", "meine", "ihre", "seine",
    "jetzt", "neue", "neu", "est", "le", "la", "les", "mon", "ma", "son", "sa", "nouveau",
    "nouvelle", "de", "du", "es", "el", "mi", "su", "nuevo", "nueva", "ahora", "è", "il", "lo",
    "nuovo", "nuova", "ora", "adesso", "é", "o", "meu", "minha", "novo", "nova", "agora", "это",
    "мой", "моя", "мой", "новый", "теперь", "е", "моят", "новият", "сега",
    // "mon poste c'est le 3820", "mijn toestel is 691", "mój numer to 638"
    "cest", "cè", "mijn", "mój", "moj", "jest"};
// Words after `user`/`account`/... that are not its value ("user agent", "account settings").
inline constexpr std::string_view not_values[] = {"agent",
                                                  "agents",
                                                  "name",
                                                  "names",
                                                  "not",
                                                  "has",
                                                  "had",
                                                  "have",
                                                  "will",
                                                  "can",
                                                  "could",
                                                  "should",
                                                  "would",
                                                  "did",
                                                  "does",
                                                  "and",
                                                  "or",
                                                  "for",
                                                  "from",
                                                  "to",
                                                  "in",
                                                  "on",
                                                  "at",
                                                  "with",
                                                  "by",
                                                  "list",
                                                  "settings",
                                                  "data",
                                                  "ids",
                                                  "count",
                                                  "info",
                                                  "status",
                                                  "state",
                                                  "mode",
                                                  "type",
                                                  "config",
                                                  "configuration",
                                                  "details",
                                                  "part",
                                                  "parts",
                                                  "part",
                                                  "part",
                                                  "field",
                                                  "manager",
                                                  "interface",
                                                  "profile",
                                                  "domain",
                                                  "password",
                                                  "sip",
                                                  "must",
                                                  "may",
                                                  "might",
                                                  "already",
                                                  "still",
                                                  "also",
                                                  "then",
                                                  "and",
                                                  "but",
                                                  "if",
                                                  "that",
                                                  "this",
                                                  "which"};
// Units after a number ("20ms", "16 kHz", "1 234 567 bytes").
inline constexpr std::string_view units[] = {
    "ms",      "s",     "sec",    "secs",    "second", "seconds", "min",    "mins",   "minute",
    "minutes", "h",     "hr",     "hrs",     "hour",   "hours",   "d",      "day",    "days",
    "us",      "µs",    "ns",     "b",       "byte",   "bytes",   "kb",     "kib",    "mb",
    "mib",     "gb",    "gib",    "tb",      "k",      "m",       "g",      "bit",    "bits",
    "kbit",    "mbit",  "bps",    "kbps",    "mbps",   "gbps",    "hz",     "khz",    "mhz",
    "ghz",     "fps",   "db",     "dbm",     "p",      "x",       "pkt",    "pkts",   "packet",
    "packets", "frame", "frames", "call",    "calls",  "event",   "events", "record", "records",
    "ms.",     "ko",    "mo",     "go",      "st",     "nd",      "rd",     "th",     "er",
    "e",       "eme",   "ème",    "te",      "ten",    "ter",     "tes",    "o",      "a",
    "º",       "ª",     "mal",    "fois",    "veces",  "volte",   "vezes",  "раз",    "мс",
    "с",       "сек",   "мин",    "ч",       "кб",     "мб",      "kbyte",  "mbyte",  "ops",
    "req",     "rps",   "cps",    "percent", "pct",    "v",       "mv",     "ma",     "mah",
    "w",       "c",     "f",      "ghz",     "cores"};

// Top-level domains of provider host names (host_end()).
inline constexpr std::string_view tlds[] = {
    "com", "net",   "org", "info", "biz",  "io", "co", "uk", "de", "fr", "es", "it", "pt", "ru",
    "bg",  "nl",    "be",  "at",   "ch",   "pl", "cz", "se", "no", "dk", "fi", "ie", "gr", "ro",
    "hu",  "sk",    "si",  "hr",   "rs",   "ua", "by", "kz", "tr", "il", "ae", "sa", "eg", "za",
    "ng",  "ke",    "jp",  "cn",   "kr",   "tw", "hk", "sg", "my", "th", "vn", "ph", "id", "in",
    "pk",  "br",    "mx",  "ar",   "cl",   "pe", "au", "nz", "ca", "us", "eu", "tv", "me", "app",
    "dev", "cloud", "tel", "voip", "arpa", "lu", "lt", "lv", "ee", "is", "su"};

constexpr bool in(std::string_view w, const std::string_view* b, std::size_t n) noexcept {
  for (std::size_t k = 0; k < n; ++k)
    if (b[k] == w) return true;
  return false;
}
// Membership in one of the lists above: a hash set built once per list (the classifier asks
// for every word, so a linear scan of 100 entries would dominate the pass).
// A 1024-bit filter on length, first and last byte rejects most words before the hash.
constexpr unsigned quick_key(std::string_view w) noexcept {
  return (static_cast<unsigned>(w.size()) * 131u + static_cast<unsigned char>(w.front()) * 31u +
          static_cast<unsigned char>(w.back())) &
         1023u;
}
template <const auto& A>
bool in_set(std::string_view w) {
  if (w.empty() || w.size() > 40) return false;
  struct lookup {
    std::array<std::uint64_t, 16> bits{};
    std::unordered_set<std::string_view> set;
    lookup() : set(std::begin(A), std::end(A)) {
      for (std::string_view x : A) bits[quick_key(x) >> 6] |= 1ull << (quick_key(x) & 63);
    }
  };
  static const lookup l;
  const unsigned q = quick_key(w);
  if (!reference && (l.bits[q >> 6] & (1ull << (q & 63))) == 0) return false;
  return l.set.count(w) != 0;
}

constexpr bool ascii_digit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool ascii_alpha(unsigned char c) noexcept {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

inline bool announcer(std::string_view key) {
  return in_set<user_announcers>(key) || in_set<phone_announcers>(key) ||
         in_set<id_announcers>(key) || in_set<secret_announcers>(key);
}

// The lists word() asks about every word, in one lookup: a bit per list.
enum key_flag : unsigned {
  kf_user = 1,
  kf_phone = 2,
  kf_id = 4,
  kf_secret = 8,
  kf_announcer = kf_user | kf_phone | kf_id | kf_secret,
  kf_honorific = 16,
};
inline unsigned key_flags(std::string_view w) {
  if (w.empty() || w.size() > 40) return 0;
  struct lookup {
    std::array<std::uint64_t, 16> bits{};
    std::unordered_map<std::string_view, unsigned> flags;
    void add(const std::string_view* b, const std::string_view* e, unsigned f) {
      for (; b != e; ++b) {
        flags[*b] |= f;
        bits[quick_key(*b) >> 6] |= 1ull << (quick_key(*b) & 63);
      }
    }
    lookup() {
      add(std::begin(user_announcers), std::end(user_announcers), kf_user);
      add(std::begin(phone_announcers), std::end(phone_announcers), kf_phone);
      add(std::begin(id_announcers), std::end(id_announcers), kf_id);
      add(std::begin(secret_announcers), std::end(secret_announcers), kf_secret);
      add(std::begin(honorifics), std::end(honorifics), kf_honorific);
    }
  };
  static const lookup l;
  const unsigned q = quick_key(w);
  if (!reference && (l.bits[q >> 6] & (1ull << (q & 63))) == 0) return 0;
  const auto it = l.flags.find(w);
  return it == l.flags.end() ? 0 : it->second;
}

// key_flags() of an announcer as logs compose them: FreeSWITCH prints channel variables as
// `variable_<name>` (`variable_sip_from_user: [5233]`), and a key of several parts that ends in
// `user`, `username`, `extension` or `calleridnumber` announces a user
// (`effective_caller_id_number`, `origination_username`).
inline unsigned announcer_flags(std::string_view key, std::size_t parts) {
  unsigned kf = key_flags(key);
  if (kf || parts < 2) return kf;
  if (key.size() > 8 && key.substr(0, 8) == "variable") {
    kf = key_flags(key.substr(8));
    if (kf) return kf;
  }
  auto ends = [&](std::string_view t) {
    return key.size() > t.size() && key.substr(key.size() - t.size()) == t;
  };
  if (ends("user") || ends("username") || ends("extension") || ends("calleridnumber") ||
      ends("calleridname") || ends("calleridnum"))
    return kf_user;
  return 0;
}

enum class want : std::uint8_t { none, user, phone, id, secret };

/// One atom: a maximal run of letters and digits (any script), with what the classifier
/// needs to know about it.
struct atom {
  std::size_t b = 0, e = 0;  // bytes in the input
  std::size_t cps = 0;       // code points
  std::size_t digits = 0, letters = 0;
  std::size_t lead_digits = 0;   // digits before the first letter
  std::size_t trail_digits = 0;  // digits after the last letter
  bool upper_first = false, lower_first = false, caseless = false, all_upper = true;
  bool camel = false;  // a lower-case letter followed by a capital
  std::uint64_t hash = words::fnv_basis;
  // Folded bytes (for announcer compares and stems); longer atoms are never words. The two
  // arrays are left uninitialised (only [0, fold_len) and [0, min(cps, 48)) are ever read):
  // zeroing them for every atom was a tenth of the classifier's time.
  std::array<char, 64> fold;
  std::size_t fold_len = 0;
  bool fold_overflow = false;
  std::array<std::uint8_t, 48> cp_end;  // fold offset after each code point (stems)

  void reset(std::size_t at) noexcept {
    b = e = at;
    cps = digits = letters = lead_digits = trail_digits = 0;
    upper_first = lower_first = caseless = camel = false;
    all_upper = true;
    hash = words::fnv_basis;
    fold_len = 0;
    fold_overflow = false;
  }
};

class classifier {
 public:
  classifier(std::string_view in, std::string& out, redaction_counts& counts,
             text_memory* memory = nullptr)
      : p_(reinterpret_cast<const unsigned char*>(in.data())),
        n_(in.size()),
        out_(out),
        out_base_(out.size()),
        counts_(counts),
        memory_(memory) {
    if (!memory_) return;
    // Seed the ring with the stream's values: the views point into `memory`, which outlives
    // this run and is written only by save_memory() after it.
    for (std::size_t k = 0; k < memory_->size(); ++k) {
      const text_memory::entry& m = memory_->ring[k];
      seen_[k] = {std::string_view(m.bytes, m.len), m.cls};
      if (m.len) seen_filter_ |= filter_bit_of(seen_[k].first);
    }
    n_seen_ = memory_->count;
    sipp_fields_ = memory_->sipp_fields;
    sip_headers_ = memory_->sip_headers;
    table_sep_ = static_cast<unsigned char>(memory_->table_sep);
    table_cells_ = memory_->table_cells;
    std::memcpy(table_cols_, memory_->table_cols, sizeof table_cols_);
  }
  // What this run remembered, copied back into the stream's memory (at the end of run()).
  void save_memory() {
    if (!memory_) return;
    text_memory::entry next[text_memory::capacity]{};
    for (std::size_t k = 0; k < std::min(n_seen_, seen_.size()); ++k) {
      const std::string_view v = seen_[k].first;
      const std::size_t len = std::min(v.size(), text_memory::max_value);
      std::memcpy(next[k].bytes, v.data(), len);
      next[k].len = static_cast<std::uint8_t>(len);
      next[k].cls = seen_[k].second;
    }
    std::memcpy(memory_->ring, next, sizeof next);
    volatile char* w = reinterpret_cast<volatile char*>(next);
    for (std::size_t q = 0; q < sizeof next; ++q) w[q] = 0;
    memory_->count = n_seen_;
    memory_->sipp_fields = sipp_fields_;
    memory_->sip_headers = sip_headers_;
    memory_->table_sep = static_cast<char>(table_sep_);
    memory_->table_cells = table_cells_;
    std::memcpy(memory_->table_cols, table_cols_, sizeof table_cols_);
    memory_->started = true;
  }

  void run() {
    line_start_ = 0;
    // A SIPp injection file (`-inf`): its first line is SEQUENTIAL, RANDOM or USER, and the
    // first ';'-separated field of every other line is a user (sipp.sourceforge.net, "Injecting
    // values from an external CSV during calls").
    // Only the stream's first piece can be that line.
    if (!memory_ || !memory_->started)
      for (std::string_view h :
           {std::string_view("SEQUENTIAL"), std::string_view("RANDOM"), std::string_view("USER")})
        if (n_ >= h.size() && std::memcmp(p_, h.data(), h.size()) == 0 &&
            (n_ == h.size() || p_[h.size()] == '\n' || p_[h.size()] == '\r'))
          sipp_fields_ = true;
    // A piece of a stream that is only white space is a blank line (the stream's pieces are
    // lines without their ends): it ends a SIP message's headers.
    if (memory_) {
      std::size_t k = 0;
      while (k < n_ && (p_[k] == ' ' || p_[k] == '\t' || p_[k] == '\r')) ++k;
      if (k == n_) end_block();
    }
    run_lines();
    save_memory();
  }

  void run_lines() {
    while (i_ < n_) {
      const unsigned char c = p_[i_];
      if (c == '\n' || c == '\r') {
        if (i_ == line_start_) end_block();
        out_ += static_cast<char>(c);
        ++i_;
        if (c == '\r' && i_ < n_ && p_[i_] == '\n') out_ += static_cast<char>(p_[i_++]);  // CRLF
        line_start_ = i_;
        sentence_start_ = true;
        header_value_ = false;
        continue;
      }
      if (i_ == line_start_ && c >= 'A' && c <= 'Z' && sip_start_line()) sip_headers_ = true;
      if (i_ == line_start_ && table_line()) continue;
      if (table_sep_ && table_row_ok_ && table_cell()) continue;
      if (i_ == line_start_ && header_line()) continue;
      if ((c == '\'' || c == '"') && name_quote_line_ == line_start_ + 1 && quoted_name()) continue;
      if (i_ == line_start_ && (c == '"' || sipp_fields_) && table_row()) continue;
      if (c == '<' && at_placeholder()) continue;
      if (c == '<' && civic_element()) continue;
      if (ascii_digit(c)) {
        number();
        continue;
      }
      if (ascii_alpha(c)) {
        word();
        continue;
      }
      if (c >= 0x80) {
        std::size_t len;
        const char32_t cp = uni::decode(p_ + i_, n_ - i_, len);
        if (uni::is_letter(cp)) {
          word();
          continue;
        }
        if (cp == uni::replacement && len == 1) {
          out_ += "\xEF\xBF\xBD";  // invalid UTF-8 never passes raw
        } else {
          out_.append(reinterpret_cast<const char*>(p_ + i_), len);
        }
        i_ += len;
        continue;
      }
      if ((c == '.' || c == '!' || c == '?' || c == ';' || c == ':') &&
          (i_ + 1 >= n_ || p_[i_ + 1] == ' ' || p_[i_ + 1] == '\t'))
        sentence_start_ = true;
      out_ += static_cast<char>(c);
      ++i_;
    }
  }

 private:
  const unsigned char* p_;
  std::size_t n_;
  std::string& out_;
  // Where this run's output starts in out_: what the caller had written before is never read
  // back or rewritten (the rules that look back over the output stop here).
  std::size_t out_base_;
  redaction_counts& counts_;
  text_memory* memory_;
  std::size_t i_ = 0;
  std::size_t line_start_ = 0;
  bool sentence_start_ = true;
  bool header_value_ = false;
  std::size_t name_end_ = 0;  // out_'s size after the last name replaced by <user>, or 0
  // Values this run replaced because of where they stood (`SIP/3284-…`, `ext 3284`, `3284@`):
  // the same token later in the text is the same value (`priority=from-internal,3284,1`)
  // whatever its shape. The views point into the input; a ring of the last 32.
  // recall() runs for every kept token: a 64-bit filter on length and last byte answers most
  // of them before the ring is scanned.
  std::array<std::pair<std::string_view, token_class>, 32> seen_{};
  std::size_t n_seen_ = 0;
  std::uint64_t seen_filter_ = 0;
  std::uint64_t filter_bit(std::size_t b, std::size_t e) const noexcept {
    return 1ull << (((e - b) * 7u + p_[e - 1]) & 63u);
  }
  static std::uint64_t filter_bit_of(std::string_view v) noexcept {
    return 1ull << ((v.size() * 7u + static_cast<unsigned char>(v.back())) & 63u);
  }

  void remember(std::size_t b, std::size_t e, token_class c) {
    if (e <= b + 1 || e - b > 40) return;
    seen_[n_seen_++ % seen_.size()] = {
        std::string_view(reinterpret_cast<const char*>(p_ + b), e - b), c};
    seen_filter_ |= filter_bit(b, e);
    // The head of a joined value is the same value (`InAuth: 7533-auth/7533`, `bob.smith` then
    // `bob`): remembered too when it has two bytes or more.
    for (std::size_t k = b + 2; k < e; ++k)
      if (p_[k] == '-' || p_[k] == '_' || p_[k] == '.') {
        seen_[n_seen_++ % seen_.size()] = {
            std::string_view(reinterpret_cast<const char*>(p_ + b), k - b), c};
        seen_filter_ |= filter_bit(b, k);
        break;
      }
  }
  bool recall(std::size_t b, std::size_t e, token_class& c) const {
    if (e <= b + 1 || e - b > 40 || (!reference && (seen_filter_ & filter_bit(b, e)) == 0))
      return false;
    const std::string_view v(reinterpret_cast<const char*>(p_ + b), e - b);
    for (std::size_t k = 0; k < std::min(n_seen_, seen_.size()); ++k)
      if (seen_[k].first == v) {
        c = seen_[k].second;
        return true;
      }
    return false;
  }
  // emit() for a value at [b, e) replaced because of its position: remembered.
  void emit_value(std::size_t b, std::size_t e, token_class c) {
    emit(c);
    remember(b, e, c);
  }
  bool sipp_fields_ = false;

  // Rows whose leading fields are users, at a line start: SIPp injection lines
  // (`user;host;[authentication …];…`) and Asterisk's CDR CSV (cdr_csv Master.csv:
  // "accountcode","src","dst","dcontext","clid",…, recognised by a clid `"Name" <num>` in the
  // fifth field). The user fields are replaced and remembered (the clid's `<2271>` follows);
  // the rest of the row goes through the classifier. Returns false, having written nothing,
  // for any other line.
  bool table_row() {
    std::size_t k = i_;
    if (sipp_fields_) {
      while (k < n_ && k - i_ < 80 && p_[k] != ';' && p_[k] != '\n' && p_[k] != ' ') ++k;
      if (k == i_ || k >= n_ || p_[k] != ';' || p_[i_] == '<') return false;
      emit_value(i_, k, token_class::user);
      i_ = k;
      return true;
    }
    // Up to five quoted fields ("" escapes a quote), separated by ','.
    std::array<std::pair<std::size_t, std::size_t>, 5> f{};
    for (std::size_t q = 0; q < f.size(); ++q) {
      if (k >= n_ || p_[k] != '"') return false;
      const std::size_t b = ++k;
      while (k < n_ && k - b < 200 && p_[k] != '\n') {
        if (p_[k] == '"' && k + 1 < n_ && p_[k + 1] == '"') k += 2;
        else if (p_[k] == '"') break;
        else ++k;
      }
      if (k >= n_ || p_[k] != '"') return false;
      f[q] = {b, k};
      ++k;
      if (k >= n_ || p_[k] != ',') return false;
      ++k;
    }
    const std::string_view clid(reinterpret_cast<const char*>(p_ + f[4].first),
                                f[4].second - f[4].first);
    if (clid.size() < 3 || clid.back() != '>' || clid.find('<') == std::string_view::npos ||
        f[3].second == f[3].first)
      return false;
    for (std::size_t q = 0; q < 3; ++q) {
      out_.append(reinterpret_cast<const char*>(p_ + i_), f[q].first - i_);
      if (f[q].second > f[q].first && p_[f[q].first] != '<')
        emit_value(f[q].first, f[q].second, token_class::user);
      else out_.append(reinterpret_cast<const char*>(p_ + f[q].first), f[q].second - f[q].first);
      i_ = f[q].second;
    }
    return true;
  }

  want pending_ = want::none;
  int pending_left_ = 0;
  bool pending_strict_ = false;  // `TECH/x`, `x@`: the very next atom, whatever it is

  void emit(token_class c) {
    out_ += placeholder(c);
    counts_.add(c);
  }
  // The class an announcer's value gets (kf: key_flags()), in the order the announcer branch of
  // word() asks: user, phone, id, secret.
  static token_class class_of_flags(unsigned kf) noexcept {
    return (kf & kf_user)    ? token_class::user
           : (kf & kf_phone) ? token_class::phone
           : (kf & kf_id)    ? token_class::id
                             : token_class::secret;
  }
  static token_class class_of(want w) noexcept {
    switch (w) {
      case want::user: return token_class::user;
      case want::phone: return token_class::phone;
      case want::secret: return token_class::secret;
      default: return token_class::id;
    }
  }
  void copy(std::size_t b, std::size_t e) {
    out_.append(reinterpret_cast<const char*>(p_ + b), e - b);
  }
  void set_pending(want w, int left, bool strict) {
    pending_ = w;
    pending_left_ = left;
    pending_strict_ = strict;
  }
  void tick_pending() {
    if (pending_ != want::none && --pending_left_ <= 0) pending_ = want::none;
  }

  // `<name>` of a token class: the first pass's (or an earlier scrub's) placeholder.
  bool at_placeholder() {
    std::size_t k = i_ + 1;
    while (k < n_ && k - i_ <= 8 && p_[k] >= 'a' && p_[k] <= 'z') ++k;
    if (k >= n_ || p_[k] != '>' || k == i_ + 1) return false;
    const std::string_view name(reinterpret_cast<const char*>(p_ + i_ + 1), k - i_ - 1);
    for (auto nm : token_class_names)
      if (nm == name) {
        if (name == "sip" || name == "email") display_name_before();
        // A name the first pass replaced (a display name, a CSV cell's surname): the kept word
        // before it is its first part on the usual terms (take_back).
        if (name == "user") take_back(i_, k + 1, true);
        copy(i_, k + 1);
        i_ = k + 1;
        pending_ = want::none;
        sentence_start_ = false;
        return true;
      }
    return false;
  }

  // Tables whose header row names the columns (`reg_user,realm,token,url,…`, psql's
  // `name | exten | …`, TSV exports): the cells of a column whose name announces a value
  // (user, extension, number, name, password, date of birth …) are that value in every row
  // with the header's number of cells, until a blank line.
  unsigned char table_sep_ = 0;
  std::uint8_t table_cells_ = 0;
  std::uint8_t table_cols_[32]{};
  bool table_row_ok_ = false;  // this line is a row of the table
  std::size_t col_ = 0;        // the cell the scan is in

  // The cells of the line at line_start_ split by sep: their count (1 if the line holds no sep;
  // 33 stands for more than 32). Quoted cells may hold sep.
  std::size_t count_cells(unsigned char sep) const {
    std::size_t cells = 1;
    bool quoted = false;
    for (std::size_t k = line_start_; k < n_ && p_[k] != '\n' && p_[k] != '\r'; ++k) {
      if (p_[k] == '"') quoted = !quoted;
      else if (p_[k] == sep && !quoted && ++cells > 32) return 33;
    }
    return cells;
  }

  // At a line start: a header row starts a table (its words are classified as usual, but no
  // column name announces the next: header_row_); a row of the table lets table_cell() act.
  // Returns false: the line goes on through the other rules.
  bool table_line() {
    col_ = 0;
    table_row_ok_ = table_sep_ && count_cells(table_sep_) == table_cells_;
    if (table_row_ok_) return false;
    // A header starts with a column name (a letter, perhaps after spaces or a quote) and holds
    // two separators of one kind at least: one pass over the line decides which to try.
    std::size_t h = line_start_;
    while (h < n_ && (p_[h] == ' ' || p_[h] == '"')) ++h;
    if (h >= n_ || !ascii_alpha(p_[h])) return false;
    unsigned seen[4] = {0, 0, 0, 0};
    for (std::size_t k = h; k < n_ && p_[k] != '\n' && p_[k] != '\r'; ++k) {
      const unsigned char x = p_[k];
      seen[0] += x == ',';
      seen[1] += x == '\t';
      seen[2] += x == '|';
      seen[3] += x == ';';
    }
    static constexpr unsigned char seps[4] = {',', '\t', '|', ';'};
    for (std::size_t q = 0; q < 4; ++q) {
      if (seen[q] < 2) continue;
      const unsigned char sep = seps[q];
      const std::size_t cells = count_cells(sep);
      if (cells < 3 || cells > 32) continue;
      std::uint8_t cols[32]{};
      bool header = true, any = false;
      std::size_t k = line_start_, c = 0;
      while (header && c < cells) {
        while (k < n_ && (p_[k] == ' ' || p_[k] == '"')) ++k;
        char key[40];
        std::size_t len = 0;
        bool first = true;
        while (k < n_ && p_[k] != sep && p_[k] != '\n' && p_[k] != '\r' && p_[k] != '"') {
          const unsigned char x = p_[k];
          if (ascii_alpha(x) || (!first && ascii_digit(x))) {
            if (len < sizeof key) key[len++] = static_cast<char>(x | 0x20);
          } else if (x != '_' && x != '-' && x != ' ' && x != '.') {
            header = false;  // a value, not a column name
          }
          first = false;
          ++k;
        }
        while (k < n_ && p_[k] == '"') ++k;
        if (len == 0 || len >= sizeof key) header = false;
        if (header) {
          const std::string_view name(key, len);
          const unsigned f = announcer_flags(name, 1) & kf_announcer;
          token_class cls = token_class::id;
          bool marked = true;
          if (f) cls = class_of_flags(f);
          else if (in_set<name_columns>(name)) cls = token_class::user;
          else if (in_set<geo_columns>(name)) cls = token_class::geo;
          else marked = false;
          if (marked) {
            cols[c] = static_cast<std::uint8_t>(static_cast<unsigned>(cls) + 1);
            any = true;
          }
        }
        if (k < n_ && p_[k] == sep) ++k;
        ++c;
      }
      if (header && any) {
        table_sep_ = sep;
        table_cells_ = static_cast<std::uint8_t>(cells);
        std::memcpy(table_cols_, cols, sizeof cols);
        header_row_ = line_start_ + 1;
        return false;
      }
    }
    return false;
  }
  // line_start_ + 1 while the line is a table's header row, else 0: its words go through the
  // classifier like any, but a column name announces nothing in the next column.
  std::size_t header_row_ = 0;

  // Inside a row of the table: at a cell's start in a marked column, the cell's text (but its
  // quotes and spaces) becomes the column's placeholder. Counts cells as separators pass.
  bool table_cell() {
    const unsigned char c = p_[i_];
    if (c == table_sep_) {
      ++col_;
      return false;  // the separator itself is copied by the caller
    }
    if (!(i_ == line_start_ || p_[i_ - 1] == table_sep_)) return false;
    if (col_ >= 32 || table_cols_[col_] == 0) return false;
    std::size_t b = i_;
    while (b < n_ && (p_[b] == ' ' || p_[b] == '"')) ++b;
    std::size_t e = b;
    while (e < n_ && p_[e] != table_sep_ && p_[e] != '"' && p_[e] != '\n' && p_[e] != '\r') ++e;
    std::size_t t = e;
    while (t > b && p_[t - 1] == ' ') --t;
    if (t == b || p_[b] == '<') return false;
    copy(i_, b);
    emit_value(b, t, static_cast<token_class>(table_cols_[col_] - 1));
    i_ = t;
    return true;
  }

  // A blank line ends a SIP message's headers and a table (text_memory::blank_line() for a
  // stream's empty piece).
  void end_block() {
    sip_headers_ = false;
    table_sep_ = 0;
    table_cells_ = 0;
  }

  // Between a SIP start line and the blank line after the headers (sip_start_line()).
  bool sip_headers_ = false;

  // A SIP message's first line at line_start_: a Status-Line (`SIP/2.0 200 OK`) or a
  // Request-Line (`INVITE sip:bob@example.com SIP/2.0`, RFC 3261 7.1), the first pass's
  // placeholders in it or not.
  bool sip_start_line() const {
    const std::size_t k = line_start_;
    if (n_ - k >= 8 && std::memcmp(p_ + k, "SIP/2.0 ", 8) == 0) return true;
    const void* nl = std::memchr(p_ + k, '\n', std::min<std::size_t>(n_ - k, 2048));
    std::size_t e = nl ? static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - p_) : n_;
    if (e > k && p_[e - 1] == '\r') --e;
    if (e - k < 12 || std::memcmp(p_ + e - 8, " SIP/2.0", 8) != 0) return false;
    std::size_t m = k;
    while (m < e && p_[m] >= 'A' && p_[m] <= 'Z') ++m;
    return m > k && m < e && p_[m] == ' ';
  }

  // `Name: value` at a line start whose value no grammar here reads: an extension header
  // (`X-Anything`, RFC 6648 retired the prefix, stacks still use it for ids) anywhere, and,
  // inside a SIP message's headers, a header the RFC 3261 and IANA registry names do not hold
  // (a vendor's `Cisco-Guid: …`). Its value is personal unless it is only placeholders and
  // punctuation.
  bool header_line() {
    const bool x = i_ + 2 < n_ && (p_[i_] | 0x20) == 'x' && p_[i_ + 1] == '-';
    if (!x && !sip_headers_) return false;
    std::size_t k = x ? i_ + 2 : i_;
    while (k < n_ && (ascii_alpha(p_[k]) || ascii_digit(p_[k]) || p_[k] == '-' || p_[k] == '_'))
      ++k;
    std::size_t c = k;
    while (c < n_ && (p_[c] == ' ' || p_[c] == '\t')) ++c;
    if (c >= n_ || p_[c] != ':' || k == i_ + (x ? 2 : 0)) return false;
    if (!x) {
      if (k - i_ > 40) return false;
      std::array<char, 40> low{};
      for (std::size_t q = i_; q < k; ++q) low[q - i_] = static_cast<char>(p_[q] | 0x20);
      if (in_set<sip_header_names>(std::string_view(low.data(), k - i_))) return false;
    }
    copy(i_, c + 1);
    std::size_t v = c + 1;
    while (v < n_ && (p_[v] == ' ' || p_[v] == '\t')) out_ += static_cast<char>(p_[v++]);
    std::size_t e = v;
    bool plain = true;  // nothing but placeholders, spaces and punctuation
    while (e < n_ && p_[e] != '\r' && p_[e] != '\n') {
      if (p_[e] == '<') {
        std::size_t q = e + 1;
        while (q < n_ && p_[q] >= 'a' && p_[q] <= 'z') ++q;
        if (q < n_ && p_[q] == '>') {
          e = q + 1;
          continue;
        }
      }
      if (ascii_alpha(p_[e])) {  // another header's name ("... X-Auth-Token: <secret>")
        std::size_t q = e;
        while (q < n_ && (ascii_alpha(p_[q]) || p_[q] == '-')) ++q;
        if (q < n_ && p_[q] == ':') {
          e = q + 1;
          continue;
        }
      }
      if (ascii_alpha(p_[e]) || ascii_digit(p_[e]) || p_[e] >= 0x80) plain = false;
      ++e;
    }
    i_ = e;
    if (plain) copy(v, e);
    else emit(token_class::id);
    return true;
  }

  // Reads the atom at k: letters and digits of any script.
  std::size_t read_atom(std::size_t k, atom& a) const {
    a.reset(k);
    bool seen_letter = false;
    bool prev_lower = false;
    bool prev_upper1 = false, prev_upper2 = false;  // the last one or two letters were capitals
    while (k < n_) {
      const unsigned char c = p_[k];
      char32_t cp;
      std::size_t len = 1;
      if (c < 0x80) {
        if (!ascii_digit(c) && !ascii_alpha(c)) break;
        cp = c;
      } else {
        cp = uni::decode(p_ + k, n_ - k, len);
        if (!uni::is_letter(cp)) break;
      }
      if (cp < 0x80 && ascii_digit(static_cast<unsigned char>(cp))) {
        ++a.digits;
        if (!seen_letter) ++a.lead_digits;
        ++a.trail_digits;
        prev_lower = prev_upper1 = prev_upper2 = false;
      } else {
        const char32_t f = uni::fold(cp);
        const bool upper = f != cp;
        const bool is_cased = uni::cased(cp);
        if (!seen_letter) {
          a.upper_first = upper;
          a.lower_first = !upper && is_cased;
          a.caseless = !is_cased;
        }
        if (!upper) a.all_upper = false;
        if (upper && prev_lower) a.camel = true;
        // A run of capitals before a lower-case letter: "CXProvider", "AVAudioSession".
        if (!upper && is_cased && prev_upper2) a.camel = true;
        prev_upper2 = upper && prev_upper1;
        prev_upper1 = upper;
        prev_lower = !upper && is_cased;
        seen_letter = true;
        ++a.letters;
        a.trail_digits = 0;
        cp = f;
      }
      // Fold and hash.
      char buf[4];
      const std::size_t bl = uni::encode(cp, buf);
      for (std::size_t q = 0; q < bl; ++q) {
        a.hash = words::fnv_step(a.hash, static_cast<unsigned char>(buf[q]));
        if (a.fold_len < a.fold.size()) a.fold[a.fold_len++] = buf[q];
        else a.fold_overflow = true;
      }
      if (a.cps < a.cp_end.size()) a.cp_end[a.cps] = static_cast<std::uint8_t>(a.fold_len);
      ++a.cps;
      k += len;
    }
    if (!seen_letter) a.all_upper = false;
    a.e = k;
    return k;
  }

  static std::string_view folded(const atom& a) noexcept {
    return a.fold_overflow ? std::string_view{} : std::string_view(a.fold.data(), a.fold_len);
  }
  static std::uint32_t fp_of(std::string_view s) noexcept {
    std::uint64_t h = words::fnv_basis;
    for (unsigned char c : s) h = words::fnv_step(h, c);
    return words::fingerprint(h);
  }

  // Whether an atom of letters (and digits) can stay; otherwise the class that replaces it.
  // A capitalised word inside prose ("call from Mark"): after a space that follows a
  // lower-case letter or a comma, not before '(' (a function: "Dial(").
  bool inside_prose(const atom& a) const {
    if (a.e < n_ && p_[a.e] == '(') return false;
    atom w;
    if (!word_before(a, w)) return false;
    if (in_set<name_introducers>(folded(w))) return true;
    // The Romance languages' personal "a" after a verb of talking to someone ("llamar a
    // Jürgen", "ligar a Maja", "scrivere a Luca"); elsewhere "a" is an article.
    atom v;
    return folded(w) == "a" && word_before(w, v) && in_set<romance_call_verbs>(folded(v));
  }
  // A product or protocol word of keywords.txt (Android, Google, Bluetooth), never part of a
  // name, but for the few that are given names too (sofia: FreeSWITCH's SIP module).
  static bool product_word(const atom& a) {
    return !a.fold_overflow && words::keyword(words::fingerprint(a.hash)) &&
           !in_set<keyword_names>(folded(a));
  }
  // The word before `a` is a product or protocol word: "Google Play", "Android Auto".
  bool after_keyword(const atom& a) const {
    atom w;
    return word_before(a, w) && w.upper_first && product_word(w);
  }
  // The word before atom `a` (one space, after optional dots: "Mr. Mark") into `w`.
  bool word_before(const atom& a, atom& w) const {
    if (a.b < 2 || p_[a.b - 1] != ' ') return false;
    std::size_t k = a.b - 1;
    while (k > 0 && p_[k - 1] == '.') --k;
    std::size_t s = k;
    while (s > 0 && (ascii_alpha(p_[s - 1]) || p_[s - 1] >= 0x80)) --s;
    if (s == k || k - s > 16) return false;
    read_atom(s, w);
    return !w.fold_overflow;
  }
  // After a self-introduction: "heiße", "m'appelle", "зовут", "казвам се", "name is".
  bool after_self_introducer(const atom& a) const {
    atom w;
    if (!word_before(a, w)) return false;
    const std::string_view f = folded(w);
    if (in_set<self_introducers>(f)) return true;
    // The first person of the copula ("soy Ana", "sou Inês", "je suis Élise", "sono Jürgen",
    // "ich bin Heike", "I am Rose", "аз съм Мария"), and the phone's "hier (spricht|ist)
    // Heike", "ici Pierre".
    if (f == "soy" || f == "sou" || f == "suis" || f == "sono" || f == "съм" || f == "ici" ||
        f == "hier")
      return true;
    if (f == "am" || f == "bin" || f == "spricht" || f == "ist") {
      atom v;
      if (word_before(w, v)) {
        const std::string_view g = folded(v);
        if ((f == "am" && g == "i") || (f == "bin" && g == "ich") ||
            ((f == "spricht" || f == "ist") && g == "hier"))
          return true;
      }
    }
    if (f != "is" && f != "ist" && f != "est" && f != "es" && f != "è" && f != "é" && f != "се")
      return false;
    atom v;  // "my name is", "mein Name ist", "mon nom est", "mi nombre es", "казвам се"
    if (!word_before(w, v)) return false;
    const std::string_view g = folded(v);
    return g == "name" || g == "nom" || g == "nombre" || g == "nome" || g == "казвам";
  }

  // The word before atom `a` (one space, after an optional '.') is a title: "Herr Müller",
  // "Mr. Baker", "Frau Dr. Weber" (the title before the title counts through its own check).
  bool after_honorific(const atom& a) const {
    if (a.b < 2 || p_[a.b - 1] != ' ') return false;
    std::size_t k = a.b - 1;
    if (k > 0 && p_[k - 1] == '.') --k;
    std::size_t s = k;
    while (s > 0 && (ascii_alpha(p_[s - 1]) || p_[s - 1] >= 0x80)) --s;
    if (s == k || k - s > 20 || (s > 0 && ascii_digit(p_[s - 1]))) return false;
    atom w;
    read_atom(s, w);
    if (w.fold_overflow || w.e != k) return false;
    const std::string_view f = folded(w);
    // Roles and kin in any case; titles capitalised, or in lower case when they are words of
    // four letters or more ("el señor Quintana", "la signora Rossi").
    if (in_set<role_nouns>(f)) return true;
    if (!w.upper_first && (f.size() < 4 || !in_set<honorifics>(f))) return false;
    // French "M." (Monsieur) and "Mme": the single letter only with its dot, after a space or
    // at a line's start ("de M. Rousseau"), never "Typ M".
    if (f == "m") return k < a.b - 1 && p_[k] == '.' && (s == line_start_ || p_[s - 1] == ' ');
    return in_set<honorifics>(f);
  }
  bool name_shaped(const atom& a) const noexcept {
    return a.upper_first && !a.all_upper && a.digits == 0 && !a.camel;
  }

  // The next word after atom `a` (one space or tab between) is a subject verb.
  bool before_subject_verb(const atom& a) const {
    std::size_t k = a.e;
    if (k >= n_ || (p_[k] != ' ' && p_[k] != '\t')) return false;
    while (k < n_ && (p_[k] == ' ' || p_[k] == '\t')) ++k;
    // One placeholder may stand between ("Bob <phone> called": the first pass took the number).
    if (k < n_ && p_[k] == '<') {
      std::size_t q = k + 1;
      while (q < n_ && q - k <= 8 && p_[q] >= 'a' && p_[q] <= 'z') ++q;
      if (q < n_ && p_[q] == '>' && q + 1 < n_ && p_[q + 1] == ' ') {
        k = q + 1;
        while (k < n_ && (p_[k] == ' ' || p_[k] == '\t')) ++k;
      }
    }
    if (!atom_start(k)) return false;
    atom w;
    const std::size_t e = read_atom(k, w);
    if (w.fold_overflow || w.digits || (e < n_ && (p_[e] == '-' || p_[e] == '_'))) return false;
    const std::string_view f = folded(w);
    return in_set<subject_verbs>(f);
  }

  bool keep_atom(const atom& a, bool at_sentence_start, token_class& cls) const {
    const std::uint32_t fp = words::fingerprint(a.hash);
    cls = token_class::id;
    if (a.letters == 0) return a.digits <= 5;
    if (!a.fold_overflow && words::known_word(fp)) {
      // The bit lookup first: the look-around runs only for words that are also names.
      // English names that are words (Mark, Rose) and proper nouns of the other lists that are
      // words elsewhere (Élise, Carmen).
      // A product or protocol word, or a word after one ("Google Play"), is a name only after
      // a self-introduction ("mi chiamo Sofia": sofia is also FreeSWITCH's SIP module).
      if (a.upper_first && !a.all_upper &&
          (((words::also_a_name(fp) || words::proper_noun(fp)) && !product_word(a) &&
            !after_keyword(a) &&
            ((!at_sentence_start && inside_prose(a)) || before_subject_verb(a))) ||
           after_self_introducer(a)) &&
          !announcer(folded(a))) {
        cls = token_class::user;
        return false;
      }
      return true;
    }
    if (a.digits == 0) {
      // Two letters of a cased script are an abbreviation; two of a caseless one (Han, Hangul,
      // kana, Arabic) are a whole word, and a Chinese given name is often one (李娜).
      if (a.cps == 1 || (a.cps == 2 && !a.caseless)) return true;
      if (a.all_upper && a.cps <= 4) return true;
      if (a.camel && camel_parts_known(a)) return true;
      if ((a.lower_first || at_sentence_start) && a.cps >= 6 && !a.fold_overflow &&
          a.cps <= a.cp_end.size()) {
        for (std::size_t k = 1; k <= 3 && a.cps - k >= 4; ++k) {
          const std::string_view stem(a.fold.data(), a.cp_end[a.cps - k - 1]);
          // The stripped letters must be able to be an ending: Latin consonants that end no
          // inflection of the eight languages (z k w x q j f p b v c) make it a name
          // ("tomasz" is not "tomas" inflected).
          if (!inflection_tail(
                  std::string_view(a.fold.data() + stem.size(), a.fold_len - stem.size())))
            break;
          if (words::known_word(fp_of(stem))) return true;
        }
      }
      cls = (a.upper_first || a.caseless) ? token_class::user : token_class::id;
      return false;
    }
    // Letters and digits.
    const std::string_view f = folded(a);
    if (a.cps <= 4) return true;
    if (a.lead_digits > 0 && a.lead_digits + a.letters == a.cps && a.lead_digits <= 12 &&
        !f.empty() && in_set<units>(f.substr(a.lead_digits)))
      return true;  // 20ms, 48000hz, 1080p, 3rd
    if (a.trail_digits > 0 && a.trail_digits <= 4 && a.letters + a.trail_digits == a.cps &&
        !f.empty()) {
      const std::string_view head = f.substr(0, f.size() - a.trail_digits);
      // v2, rfc3261, h264, android14, pixel7: a product or protocol word and its number, or a
      // dictionary word and one digit (line2). A dictionary word with two to four digits is a
      // user name's or a password's shape (fontaine88, sommer2019). Two letters of a caseless
      // script are a word, not a prefix ("内線8908": extension).
      const std::uint32_t hf = fp_of(head);
      if ((a.letters <= 2 && !a.caseless) || words::keyword(hf) ||
          (a.trail_digits == 1 && words::known_word(hf)))
        return true;
    }
    return false;
  }

  static bool inflection_tail(std::string_view tail) noexcept {
    for (unsigned char c : tail)
      if (c == 'z' || c == 'k' || c == 'w' || c == 'x' || c == 'q' || c == 'j' || c == 'f' ||
          c == 'p' || c == 'b' || c == 'v' || c == 'c')
        return false;
    return true;
  }

  // getUserMedia, AVAudioSession, onCallStateChanged: every part a word or <= 2 letters.
  bool camel_parts_known(const atom& a) const {
    std::size_t k = a.b, part_start = a.b;
    std::uint64_t h = words::fnv_basis;
    std::size_t part_cps = 0;
    bool prev_lower = false, prev_upper = false;
    int parts = 0, short_parts = 0;
    // Parts of <= 2 letters at most one more than the words (AV|Audio, PK|Push|Type|Vo|IP): a
    // run of them is a random mixed-case id (Matrix's `!aBcDeFgHiJkLmNoP`).
    auto close = [&]() {
      if (part_cps == 0) return true;
      ++parts;
      if (part_cps <= 2) {
        ++short_parts;
        return true;  // judged at the end, against the words
      }
      return words::known_word(words::fingerprint(h));
    };
    while (k < a.e) {
      std::size_t len = 1;
      const char32_t cp = p_[k] < 0x80 ? p_[k] : uni::decode(p_ + k, a.e - k, len);
      const char32_t f = uni::fold(cp);
      const bool upper = f != cp;
      // A new part starts at a capital after a lower-case letter, or at the last capital of a
      // run of capitals followed by a lower-case letter (AVAudio -> AV | Audio).
      bool split = upper && prev_lower;
      if (upper && prev_upper && k + len < a.e) {
        std::size_t l2 = 1;
        const char32_t nx =
            p_[k + len] < 0x80 ? p_[k + len] : uni::decode(p_ + k + len, a.e - k - len, l2);
        if (uni::fold(nx) == nx && uni::cased(nx)) split = true;
      }
      if (split && k != part_start) {
        if (!close()) return false;
        h = words::fnv_basis;
        part_cps = 0;
        part_start = k;
      }
      char fb[4];
      const std::size_t fl = uni::encode(f, fb);
      for (std::size_t q = 0; q < fl; ++q)
        h = words::fnv_step(h, static_cast<unsigned char>(fb[q]));
      ++part_cps;
      prev_lower = !upper && uni::cased(cp);
      prev_upper = upper;
      k += len;
    }
    return close() && parts >= 2 && short_parts <= (parts - short_parts) + 1;
  }

  // The end of a DNS name at b (two or more labels, the last a public top-level domain, no
  // label a run of six or more digits, not before '@'), or 0. The policy keeps VoIP providers
  // (docs/events.md); a personal host name in `.local` or `.lan` is not matched.
  std::size_t host_end(std::size_t b) const {
    std::size_t k = b, labels = 0, last_b = b;
    while (true) {
      const std::size_t lb = k;
      std::size_t digits = 0;
      while (k < n_ && (ascii_alpha(p_[k]) || ascii_digit(p_[k]) || p_[k] == '-' || p_[k] == '_')) {
        if (ascii_digit(p_[k])) ++digits;
        ++k;
      }
      if (k == lb || digits >= 6 || k - lb > 63) return 0;
      ++labels;
      last_b = lb;
      if (k + 1 < n_ && p_[k] == '.' &&
          (ascii_alpha(p_[k + 1]) || ascii_digit(p_[k + 1]) || p_[k + 1] == '_'))
        ++k;
      else break;
    }
    if (labels < 2 || (k < n_ && (p_[k] == '@' || p_[k] >= 0x80))) return 0;
    std::string tld;
    for (std::size_t q = last_b; q < k; ++q) tld += static_cast<char>(p_[q] | 0x20);
    return in_set<tlds>(std::string_view(tld)) ? k : 0;
  }

  static bool joiner(unsigned char c) noexcept { return c == '-' || c == '_' || c == '\''; }
  bool atom_start(std::size_t k) const {
    if (k >= n_) return false;
    if (p_[k] < 0x80) return ascii_alpha(p_[k]) || ascii_digit(p_[k]);
    std::size_t len;
    return uni::is_letter(uni::decode(p_ + k, n_ - k, len));
  }

  // A compound of atoms joined by '-', '_' or '\'' (Call-ID, from-internal, sip_transport).
  void word() {
    const bool at_start = sentence_start_;
    sentence_start_ = false;
    const std::size_t b = i_;
    std::array<atom, 8> parts;  // the atoms joined by '-', '_', '\'' (joiner())
    atom& first = parts[0];
    std::size_t k = read_atom(i_, first);
    if (pending_ != want::none && pending_strict_) {
      i_ = k;
      emit_value(b, k, class_of(pending_));
      pending_ = want::none;
      return;
    }
    if (b > line_start_ && p_[b - 1] == ' ' && usrloc_aor(b)) {
      std::size_t m = k;
      while (m < n_ && p_[m] != ' ' && p_[m] != '\n' && p_[m] != '\r') ++m;
      i_ = m;
      emit_value(b, m, token_class::user);
      return;
    }
    if (const std::size_t m = uk_postcode_end(b, k)) {
      i_ = m;
      emit(token_class::geo);
      return;
    }
    if (k == b + 2)
      if (const std::size_t m = spaced_mac_end(b)) {
        i_ = m;
        emit(token_class::mac);
        return;
      }
    // A device named after its owner: `Annas-iPhone`, `MARTA-LAPTOP`, `JEAN-LAURENT-PC.corp…`
    // (Windows computer names, Apple's default device names): the parts before the device word
    // are the owner's name.
    if (k + 1 < n_ && (p_[k] == '-' || p_[k] == '_'))
      if (const std::size_t d = owner_device_end(b)) {
        emit_value(b, d, token_class::user);
        i_ = d;
        return;
      }
    if (const std::size_t h = host_end(b); h) {
      copy(b, h);  // a provider's host name: sip.easybell.de, _sip._udp.pbx.example.co.jp
      i_ = h;
      return;
    }
    std::size_t np = 1;
    bool overflow = false;
    std::uint64_t squashed = first.hash;
    // The atoms' folded bytes squashed together ("Call-ID" -> "callid"), up to 64 bytes.
    char sq[64];
    std::size_t sq_len = 0;
    auto squash = [&](std::string_view f) {
      const std::size_t n = std::min(f.size(), sizeof sq - sq_len);
      if (n == 0) return;  // an overflowed atom folds to a null view: memcpy must not see it
      std::memcpy(sq + sq_len, f.data(), n);
      sq_len += n;
    };
    squash(folded(first));
    while (k + 1 < n_ && joiner(p_[k]) && atom_start(k + 1)) {
      atom spill;
      atom& a = np < parts.size() ? parts[np] : spill;
      const std::size_t e = read_atom(k + 1, a);
      if (np < parts.size()) ++np;
      else overflow = true;
      for (std::size_t q = 0; q < a.fold_len; ++q)
        squashed = words::fnv_step(squashed, static_cast<unsigned char>(a.fold[q]));
      if (sq_len < sizeof sq) squash(folded(a));
      k = e;
    }
    const std::size_t e = k;
    i_ = e;
    const std::string_view key(sq, sq_len);
    const unsigned char next = e < n_ ? p_[e] : 0;

    // Twilio's client identities (`to=client:support_desk_7`, `"client:alice"`): the user.
    if (np == 1 && key == "client" && next == ':' && e + 1 < n_ && atom_start(e + 1) && b > 0 &&
        (p_[b - 1] == '=' || p_[b - 1] == '"' || p_[b - 1] == '\'' || p_[b - 1] == ' ')) {
      copy(b, e + 1);
      i_ = e + 1;
      std::size_t m = i_;
      while (m < n_ && (ascii_alpha(p_[m]) || ascii_digit(p_[m]) || p_[m] == '_' || p_[m] == '-' ||
                        p_[m] == '.' || p_[m] >= 0x80))
        ++m;
      emit_value(i_, m, token_class::user);
      i_ = m;
      return;
    }
    // CNAM (caller name delivery): the name it returns is quoted later on the line.
    if (np == 1 && key == "cnam") name_quote_line_ = line_start_ + 1;
    // A number read out in words: six or more number words in a row.
    if (np == 1 && !first.fold_overflow && in_set<number_words>(folded(first)))
      if (const std::size_t m = spelled_number_end(e)) {
        i_ = m;
        emit(token_class::phone);
        pending_ = want::none;
        return;
      }
    // An address written to dodge harvesters: `m.gatti[at]example[dot]com`, `bob (at) example
    // (dot) org`, `bob at example dot com`.
    if (const std::size_t m = obfuscated_email_end(e)) {
      i_ = m;
      // The local part's earlier pieces are written already ("m." of "m.gatti", "<id>."):
      // they are part of the address.
      std::size_t o = out_.size();
      while (o > out_base_) {
        const unsigned char c = static_cast<unsigned char>(out_[o - 1]);
        if (ascii_alpha(c) || ascii_digit(c) || c == '.' || c == '_' || c == '-' || c == '+') {
          --o;
        } else if (c == '>') {
          const std::size_t lt = out_.rfind('<', o - 1);
          if (lt == std::string::npos || lt < out_base_ || o - lt > 10) break;
          o = lt;
        } else {
          break;
        }
      }
      out_.resize(o);
      if (name_end_ > o) name_end_ = 0;
      if (unknown_end_ > o) unknown_end_ = 0;
      kept_.valid = false;
      n_kept_ = 0;
      emit(token_class::email);
      pending_ = want::none;
      return;
    }
    // `x@host` left by the first pass (no dot in the host: `1102@from-internal`), `@x`.
    if (next == '@' || (b > 0 && p_[b - 1] == '@' && (b < 2 || p_[b - 2] == ' '))) {
      emit_value(b, e, token_class::user);
      pending_ = want::none;
      return;
    }
    // Asterisk's `Registered SIP '3552' at …`, `Peer 'SIP/3552' is now Reachable`: a quoted
    // name after the technology and a space.
    if (next == ' ' && np == 1 && e + 2 < n_ && p_[e + 1] == '\'' && first.all_upper &&
        in_set<channel_techs>(key) && atom_start(e + 2)) {
      copy(b, e + 2);
      i_ = e + 2;
      set_pending(want::user, 1, true);
      return;
    }
    // `PJSIP/1101-00000003`, `sofia/internal/1001@host`: the atom after the technology.
    if (next == '/' && np == 1 && in_set<channel_techs>(key) && e + 1 < n_ && atom_start(e + 1) &&
        (first.upper_first || key == "sofia" || key == "verto") &&
        !(e + 4 <= n_ && p_[e + 1] == '2' && p_[e + 2] == '.')) {
      copy(b, e);
      out_ += '/';
      ++i_;
      if (key == "sofia" || key == "verto") {
        // sofia/<profile>/<user>: the profile is configuration, the next atom the user.
        atom prof;
        const std::size_t pe = read_atom(i_, prof);
        if (pe < n_ && p_[pe] == '/' && pe + 1 < n_ && (atom_start(pe + 1) || p_[pe + 1] == '<')) {
          copy(i_, pe + 1);
          i_ = pe + 1;
        }
      }
      set_pending(want::user, 1, true);
      return;
    }
    if (pending_ != want::none) {
      if (in_set<fillers>(key)) {
        copy(b, e);
        tick_pending();
        return;
      }
      if (pending_ == want::phone) {
        tick_pending();
      } else {
        const bool verb = key.size() > 4 && (key.substr(key.size() - 2) == "ed" ||
                                             key.substr(key.size() - 3) == "ing");
        if (in_set<not_values>(key) || (verb && words::known_word(words::fingerprint(squashed)))) {
          copy(b, e);
          pending_ = want::none;
          return;
        }
        emit_value(b, e, class_of(pending_));
        // An announced name goes on like any name ("caller=Jamie Miller", "cidname : Jürgen
        // Weiß"): the capitalised words after it are its other parts.
        if (pending_ == want::user && np == 1 && name_shaped(first)) name_end_ = out_.size();
        pending_ = want::none;
        return;
      }
    }
    const bool announces =
        next == ' ' || next == ':' || next == '=' || next == '#' || next == '\t' || next == '"' ||
        (next == ']' && e + 1 < n_ &&
         p_[e + 1] == '=') ||  // FreeSWITCH `[dialed_extension]=[7607]`
        // An abbreviation with its dot ("ext. 3307", "Tel. 030 …", "Nr. 12345")
        (next == '.' && e + 1 < n_ && p_[e + 1] == ' ' && np == 1 && first.cps <= 4);
    unsigned kf = announcer_flags(key, np);
    // An announcer after an elided article: "l'interno 215", "dell'utente bob"
    if (kf == 0 && np == 2 && p_[parts[0].e] == '\'' && in_set<elisions>(folded(parts[0])))
      kf = key_flags(folded(parts[1])) & kf_announcer;
    if ((kf & kf_announcer) && header_row_ == line_start_ + 1) {
      copy(b, e);  // a table's column name
      return;
    }
    if (kf & kf_announcer) {
      // An XML element of an announcer holds its value: `<password>Fjord#7713</password>`,
      // `<user_name idx="1" perm="">3105</user_name>` (Snom, Acrobits provisioning).
      if (b > 0 && p_[b - 1] == '<' && (next == '>' || next == ' ') && element_value(b, e, kf))
        return;
      copy(b, e);
      if (!announces) return;
      // The SIP URI parameter `;user=phone` (RFC 3261 19.1.1; `ip`, `dialstring` RFC 4117)
      // names the user part's kind, not a user.
      if (next == '=' && key == "user" && b > 0 && p_[b - 1] == ';') {
        const std::string_view rest(reinterpret_cast<const char*>(p_ + e + 1), n_ - e - 1);
        for (std::string_view v :
             {std::string_view("phone"), std::string_view("ip"), std::string_view("dialstring")})
          if (rest.substr(0, v.size()) == v &&
              (rest.size() == v.size() ||
               !(ascii_alpha(static_cast<unsigned char>(rest[v.size()])) ||
                 ascii_digit(static_cast<unsigned char>(rest[v.size()])))))
            return;
      }
      if (kf & kf_user) set_pending(want::user, 3, false);
      else if (kf & kf_phone) set_pending(want::phone, 4, false);
      else if (kf & kf_id) set_pending(want::id, 3, false);
      else set_pending(want::secret, 3, false);
      return;
    }
    // FreeSWITCH's directory: `<user id="1000">`, and its log's "add a user with the
    // id="593" attribute": an id attribute in a user's element names the user.
    if (np == 1 && key == "id" && next == '=' && e + 1 < n_ &&
        (p_[e + 1] == '"' || p_[e + 1] == '\'') && user_element_before(b)) {
      copy(b, e + 2);
      i_ = e + 2;
      set_pending(want::user, 1, true);
      return;
    }
    // A key (`lon=`, `sid=`) or a URI scheme (`myapp://`) names a field, not a person.
    bool letters_only = !overflow;
    for (std::size_t q = 0; q < np; ++q) letters_only = letters_only && parts[q].digits == 0;
    if (letters_only && first.letters >= 2 && e - b <= 40 &&
        ((next == '=' && !(e + 1 < n_ && p_[e + 1] == '=')) ||
         (next == ':' && e + 2 < n_ && p_[e + 1] == '/' && p_[e + 2] == '/'))) {
      copy(b, e);
      return;
    }

    if (np == 2 && !overflow && parts[0].digits == 0 && parts[1].digits == 0 &&
        p_[parts[0].e] == '\'') {
      const std::string_view head = folded(parts[0]), tail = folded(parts[1]);
      token_class c = token_class::id;
      bool decided = false, kept = false;
      if (in_set<en_suffixes>(tail)) {
        decided = true;
        kept = (tail == "t" && in_set<nt_stems>(head)) || keep_atom(parts[0], at_start, c);
      } else if (in_set<elisions>(head)) {
        decided = true;
        kept = keep_atom(parts[1], false, c);
      }
      if (decided) {
        if (kept) copy(b, e);
        else emit(c);
        return;
      }
    }
    if (np > 1 && !overflow && words::known_word(words::fingerprint(squashed))) {
      copy(b, e);  // Call-ID, e-mail as one keyword
      return;
    }
    // Names that are also words: a capitalised word after a title (Herr Müller, Mrs. Baker),
    // and a hyphenated pair of capitalised words one of which is a first name (Jean-Pierre,
    // Marie-Claire, Hans-Jürgen), wherever they stand.
    if (np == 1 && !overflow && (kf & kf_honorific)) {
      copy(b, e);  // the title itself stays ("Mrs. <user>")
      return;
    }
    // Not an announcer (those returned above) and not a product or protocol word.
    if (!overflow && name_shaped(first) && !product_word(first)) {
      const bool titled = after_honorific(first) && !(kf & kf_honorific);
      bool pair = false;
      if (np == 2 && p_[parts[0].e] == '-' && name_shaped(parts[1])) {
        auto given = [&](const atom& x) {
          const std::uint32_t fp = words::fingerprint(x.hash);
          return !x.fold_overflow &&
                 (!words::known_word(fp) || words::also_a_name(fp) || words::proper_noun(fp));
        };
        // Both parts names (or unknown), or any such pair where a name stands: after "from",
        // "mit", "avec" inside a sentence, or before "called", "rief", "a appelé".
        pair = (given(parts[0]) && given(parts[1])) || (!at_start && inside_prose(parts[0])) ||
               before_subject_verb(parts[1]);
      }
      // A name goes on: a capitalised word right after a name just replaced ("<user> Koch",
      // "Lena <user> Navarro": surnames that are also words), and a given name that is also a
      // word or a proper noun right before an unknown capitalised word ("Rose Baker called").
      const bool continues = np <= 2 && (np == 1 || p_[parts[0].e] == '-') && name_continues(first);
      const bool labelled =
          np == 1 && (contact_label(first, b, e) || after_closing(first) || chat_sender(b, e));
      // Two capitalised words after a word names follow, neither a product or protocol word:
      // "Rückruf an Jürgen Albrecht", "call from Maja Lindqvist" (both also dictionary words).
      // Two names of the word lists in a row are a name wherever they stand ("Иван Петров",
      // "Sofia Rossi").
      const bool adjacent = np == 1 && kept_.valid && kept_.in_e + 1 == b &&
                            p_[kept_.in_e] == ' ' && out_.size() == kept_.out_e + 1 &&
                            !first.fold_overflow && !product_word(first);
      // ... and a given name of the word lists with a capitalised word after it that fill a
      // field by themselves (`<td>Maria Cruz</td>`, `"Élise Fontaine"`, a CSV cell).
      const bool introduced_pair =
          adjacent && ((!at_start && kept_.introduced) || (kept_.capable && name_capable(first)) ||
                       (kept_.capable && whole_field(kept_.in_b, e)));
      if (titled || pair || continues || labelled || introduced_pair ||
          (np == 1 && given_name_before_name(first))) {
        take_back(b, e);
        emit(token_class::user);
        name_end_ = out_.size();
        return;
      }
    }
    bool keep = !overflow;
    token_class cls = token_class::id;
    bool any_digit = false;
    for (std::size_t q = 0; q < np && keep; ++q) {
      token_class c;
      if (parts[q].digits) any_digit = true;
      if (!keep_atom(parts[q], at_start && q == 0, c)) {
        keep = false;
        cls = c;
      }
    }
    const bool recalled = keep && np == 1 && recall(b, e, cls);  // replaced earlier: again
    if (recalled) keep = false;
    if (keep) {
      const std::size_t ob = out_.size();
      copy(b, e);
      if (np == 1 && !overflow && name_shaped(first) && first.cps >= 2)
        note_kept(first, ob, at_start);
      return;
    }
    if (any_digit && !recalled) cls = token_class::id;
    const bool a_name = cls == token_class::user && name_shaped(first);
    if (a_name) take_back(b, e, !recalled);
    emit(cls);
    if (a_name) name_end_ = out_.size();
    if (!recalled) unknown_end_ = out_.size();
  }
  std::size_t unknown_end_ = 0;  // out_'s size after the last word replaced as unknown, or 0
  // line_start_ + 1 of the line where a caller-name lookup was named ("CNAM lookup for <phone>
  // returned 'KOCH ANKE'"), or 0: its next quoted words are the name.
  std::size_t name_quote_line_ = 0;

  // At a quote after a caller-name word: a quoted run of words and placeholders on the line
  // (at most 64 bytes) becomes one <user>, quotes kept. False, having written nothing, if the
  // quote holds anything else.
  bool quoted_name() {
    const unsigned char q = p_[i_];
    std::size_t k = i_ + 1;
    bool word = false;
    while (k < n_ && k - i_ <= 64 && p_[k] != q) {
      const unsigned char c = p_[k];
      if (c == '\n' || c == '\r' || ascii_digit(c) || c == '@' || c == ':' || c == '/' || c == '=')
        return false;
      if (ascii_alpha(c) || c >= 0x80) word = true;
      ++k;
    }
    if (k >= n_ || p_[k] != q || !word) return false;
    out_ += static_cast<char>(q);
    emit(token_class::user);
    out_ += static_cast<char>(q);
    i_ = k + 1;
    name_quote_line_ = 0;
    return true;
  }

  // Names are runs of capitalised words, and a run is a name when one of its words is known
  // to be one (replaced as a name). The rules below carry that to the run's other words that
  // are dictionary words too: forward (name_continues, contact_label) while the words are
  // written, backward (take_back) by rewriting the one kept word before a name.
  struct kept_word {
    std::size_t in_b = 0, in_e = 0, out_b = 0, out_e = 0;
    bool valid = false;
    bool capable = false;       // a name of the word lists (also_a_name, proper_noun)
    bool line_initial = false;  // first on its line, after a chat or quote prefix at most
    bool introduced = false;    // after a word names follow ("from", "mit", "avec")
    bool mid_sentence = false;  // not the first word of a sentence
  };
  kept_word kept_{};

  bool name_capable(const atom& a) const {
    if (a.fold_overflow) return false;
    const std::uint32_t fp = words::fingerprint(a.hash);
    if (words::also_a_name(fp) || words::proper_noun(fp)) return true;
    // Without its accents: Élise is a French verb form but English's Elise, José is Jose.
    std::uint64_t h = words::fnv_basis;
    bool changed = false;
    for (std::size_t k = 0; k < a.fold_len; ++k) {
      unsigned char c = static_cast<unsigned char>(a.fold[k]);
      if (c == 0xC3 && k + 1 < a.fold_len) {
        const unsigned char d = static_cast<unsigned char>(a.fold[k + 1]);
        static constexpr char base[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";  // U+00E0..U+00FF
        if (d >= 0xA0 && d <= 0xBF && base[d - 0xA0] != '/' && d != 0xA6 && d != 0xB0 &&
            d != 0xBE) {
          c = static_cast<unsigned char>(base[d - 0xA0]);
          ++k;
          changed = true;
        }
      }
      h = words::fnv_step(h, c);
    }
    if (!changed) return false;
    const std::uint32_t sf = words::fingerprint(h);
    return words::also_a_name(sf) || words::proper_noun(sf);
  }

  // Only white space, or a chat export's, a quoted mail's or a log message's prefix
  // ("[12.03.26, 10:11] ", "12/03/2026, 10:11 - ", "> ", "403 Forbidden: "), stands between
  // the line's start and k.
  bool line_initial(std::size_t k) const {
    const std::size_t w = k;
    while (k > line_start_ && (p_[k - 1] == ' ' || p_[k - 1] == '\t')) --k;
    if (k == line_start_) return true;
    const unsigned char c = p_[k - 1];
    return c == ']' || c == '>' || (c == ':' && k < w) || (c == '"' && k == line_start_ + 1) ||
           (c == '-' && k >= line_start_ + 2 && p_[k - 2] == ' ');
  }

  // A capitalised word just copied at [ob, out_.size()): a name's first part if a name
  // follows it.
  void note_kept(const atom& a, std::size_t ob, bool at_start) {
    const std::string_view f = folded(a);
    if (f.empty() || in_set<greetings>(f) || in_set<name_introducers>(f) ||
        in_set<self_introducers>(f) || in_set<name_particles>(f) || in_set<name_conjunctions>(f) ||
        in_set<attribution_verbs>(f) || in_set<role_nouns>(f) || in_set<honorifics>(f) ||
        in_set<closings>(f) || product_word(a)) {
      kept_.valid = false;
      return;
    }
    kept_.in_b = a.b;
    kept_.in_e = a.e;
    kept_.out_b = ob;
    kept_.out_e = out_.size();
    kept_.valid = true;
    kept_.capable = name_capable(a);
    kept_.line_initial = line_initial(a.b);
    kept_.introduced = !at_start && inside_prose(a);
    kept_.mid_sentence = !at_start;
    kept_ring_[n_kept_++ % kept_ring_.size()] = kept_;
  }
  std::array<kept_word, 4> kept_ring_{};  // the last capitalised words kept
  std::size_t n_kept_ = 0;

  // At an address placeholder (`<sip>`, `<tel>`) of a name-addr (RFC 3261 25.1: [display-name]
  // "<" addr-spec ">"): the capitalised words written right before it, over ' ' and ", ", are
  // its display name ("appel de Matteo Bianchi <sip:…>", "From: Marchand, Maja <sip:…>"), and
  // are rewritten as <user>.
  void display_name_before() {
    std::size_t pos = out_.size();
    if (pos >= out_base_ + 2 && out_[pos - 1] == '<' && out_[pos - 2] == ' ') pos -= 2;
    else if (pos >= out_base_ + 1 && out_[pos - 1] == ' ') pos -= 1;
    else return;
    std::array<std::size_t, 4> take{};  // indices into kept_ring_
    std::size_t n_take = 0;
    const std::string_view user = placeholder(token_class::user);
    for (int words = 0; words < 4; ++words) {
      if (pos >= out_base_ + user.size() &&
          out_.compare(pos - user.size(), user.size(), user) == 0) {
        pos -= user.size();
      } else {
        std::size_t hit = kept_ring_.size();
        for (std::size_t q = 0; q < std::min(n_kept_, kept_ring_.size()); ++q)
          if (kept_ring_[q].out_e == pos && kept_ring_[q].out_b < pos) hit = q;
        if (hit == kept_ring_.size()) break;
        take[n_take++] = hit;
        pos = kept_ring_[hit].out_b;
      }
      if (pos >= out_base_ + 2 && out_[pos - 1] == ' ' && out_[pos - 2] == ',') pos -= 2;
      else if (pos >= out_base_ + 1 && out_[pos - 1] == ' ') pos -= 1;
      else break;
    }
    // Rightmost first: the earlier offsets stay valid.
    for (std::size_t q = 0; q < n_take; ++q) {
      kept_word& w = kept_ring_[take[q]];
      out_.replace(w.out_b, w.out_e - w.out_b, user);
      counts_.add(token_class::user);
      remember(w.in_b, w.in_e, token_class::user);
      w.out_e = 0;
    }
    if (n_take) {  // offsets into out_ past the first rewrite are stale now
      n_kept_ = 0;
      kept_.valid = false;
      name_end_ = 0;
      unknown_end_ = 0;
    }
  }

  // The words after a name at e end a chat line's sender ("Heike Vogelsang: …") or a quoted
  // mail's attribution ("Müller, Jonas wrote:", "Berg, Anna a écrit :").
  bool ends_sender(std::size_t e, bool attribution_only) const {
    std::size_t k = e;
    if (!attribution_only && k < n_ && p_[k] == ':') return true;
    for (int words_left = 2; words_left > 0; --words_left) {
      if (k >= n_ || p_[k] != ' ') return false;
      ++k;
      if (!atom_start(k)) return false;
      atom w;
      k = read_atom(k, w);
      if (in_set<attribution_verbs>(folded(w))) return true;
      if (folded(w) != "a" && folded(w) != "ha") return false;
    }
    return false;
  }

  // Before a name is written for [b, e): the word kept just before it is the name's first
  // part when it is a name of the word lists, stands after "from"/"mit", or starts a sender
  // line; then it is rewritten as <user> (counted, and remembered for later mentions).
  void take_back(std::size_t b, std::size_t e, bool unknown_name = false) {
    if (!kept_.valid || kept_.in_e > b) return;
    kept_.valid = false;
    const std::string_view sep(reinterpret_cast<const char*>(p_ + kept_.in_e), b - kept_.in_e);
    if (out_.size() != kept_.out_e + sep.size() || out_.compare(kept_.out_e, sep.size(), sep) != 0)
      return;  // something else was written between
    bool take = false;
    if (sep == " " || sep == "+")
      take = kept_.capable || kept_.mid_sentence || kept_.introduced ||
             (kept_.line_initial && (unknown_name || ends_sender(e, false)));
    else if (sep == ", ") take = kept_.line_initial && ends_sender(e, true);
    if (!take) return;
    out_.replace(kept_.out_b, kept_.out_e - kept_.out_b, placeholder(token_class::user));
    counts_.add(token_class::user);
    remember(kept_.in_b, kept_.in_e, token_class::user);
    n_kept_ = 0;  // the ring's offsets are stale (nothing else points past the rewrite)
  }

  // The capitalised word `a` continues the name written last (out_ ends at name_end_ and what
  // came after it): after one space or '+' ("<user> Koch", form-encoded "Grace+<user>"), after
  // particles ("<user> de la Cruz", "<user> van der Berg"), and, for names of the word lists,
  // after ", " ("Koch, Nina") or a conjunction ("<user> and Tom").
  bool name_continues(const atom& a) const {
    if (name_end_ == 0 || out_.size() <= name_end_) return false;
    const std::string_view gap(out_.data() + name_end_, out_.size() - name_end_);
    if (gap == " " || gap == "+") return true;
    if (gap.size() < 3 || gap.front() != ' ' || gap.back() != ' ' || gap.size() > 20) {
      return gap == ", " && name_capable(a);
    }
    // One or two words between: particles, or one conjunction.
    const std::string_view inner = gap.substr(1, gap.size() - 2);
    const std::size_t sp = inner.find(' ');
    const std::string_view w1 = inner.substr(0, sp);
    const std::string_view w2 =
        sp == std::string_view::npos ? std::string_view{} : inner.substr(sp + 1);
    if (w2.find(' ') != std::string_view::npos) return false;
    if (in_set<name_particles>(w1) && (w2.empty() || in_set<name_particles>(w2))) return true;
    return w2.empty() && in_set<name_conjunctions>(w1) && name_capable(a);
  }

  // The word before `a`, over ", ", spaces and at most one line end, is a closing ("Thanks,
  // Rose", "LG Mia", "Grazie,\nSofia"), and `a` ends its line or is followed by one more
  // capitalised word that does (a signature, not a sentence).
  bool after_closing(const atom& a) const {
    std::size_t k = a.b;
    int lines = 0;
    while (k > 0 &&
           (p_[k - 1] == ' ' || p_[k - 1] == '\n' || p_[k - 1] == '\r' || p_[k - 1] == ',')) {
      if (p_[k - 1] == '\n' && ++lines > 1) return false;
      --k;
    }
    if (k == a.b || k == 0) return false;
    std::size_t s = k;
    while (s > 0 && (ascii_alpha(p_[s - 1]) || p_[s - 1] >= 0x80)) --s;
    if (s == k || k - s > 24) return false;
    atom w;
    read_atom(s, w);
    if (w.fold_overflow || w.e != k || !in_set<closings>(folded(w))) return false;
    // The signature ends the line after one or two words.
    std::size_t e = a.e;
    for (int words = 0; words < 2; ++words) {
      std::size_t q = e;
      while (q < n_ && (p_[q] == ' ' || p_[q] == '.' || p_[q] == '!')) ++q;
      if (q >= n_ || p_[q] == '\n' || p_[q] == '\r' || p_[q] == '"') return true;
      if (words == 1 || !atom_start(q)) return false;
      atom x;
      e = read_atom(q, x);
      if (!name_shaped(x)) return false;
    }
    return false;
  }

  // An RFC 5139 civic address element (`<ca:A3>München</ca:A3>`, `<ca:HNO>112</ca:HNO>`, with
  // the `ca:` prefix; PIDF-LO, HELD): its text is a part of a postal address, <geo>. The country
  // and A1 (state) stay, as the policy keeps coarse places.
  bool civic_element() {
    if (i_ + 6 >= n_ || std::memcmp(p_ + i_, "<ca:", 4) != 0) return false;
    std::size_t k = i_ + 4;
    while (k < n_ && k - i_ < 16 && (ascii_alpha(p_[k]) || ascii_digit(p_[k]))) ++k;
    if (k >= n_ || p_[k] != '>') return false;
    const std::string_view name(reinterpret_cast<const char*>(p_ + i_ + 4), k - i_ - 4);
    static constexpr std::string_view parts[] = {
        "A2",  "A3",    "A4",      "A5",  "A6",    "PRD",  "POD",     "STS",  "HNO",  "HNS",
        "LMK", "LOC",   "FLR",     "NAM", "PC",    "BLD",  "UNIT",    "ROOM", "SEAT", "PLC",
        "PCN", "POBOX", "ADDCODE", "RD",  "RDSEC", "RDBR", "RDSUBBR", "PRM",  "POM"};
    bool civic = false;
    for (std::string_view x : parts) civic |= name == x;
    if (!civic) return false;
    const std::size_t v = k + 1;
    std::size_t c = v;
    while (c < n_ && c - v < 200 && p_[c] != '<' && p_[c] != '\n') ++c;
    if (c >= n_ || p_[c] != '<' || c == v) return false;
    copy(i_, v);
    // Placeholders the first pass wrote stay as they are (`<ca:RD><user></ca:RD>`).
    emit(token_class::geo);
    i_ = c;
    return true;
  }

  // A chat export's sender: `[02.04.24 10:15] Fleur: ok` -- one capitalised word between a
  // bracketed date and time at the line's start and ": ". Log levels and common labels are no
  // sender.
  bool chat_sender(std::size_t b, std::size_t e) const {
    if (e + 1 >= n_ || p_[e] != ':' || p_[e + 1] != ' ' || b < line_start_ + 3 ||
        p_[b - 1] != ' ' || p_[b - 2] != ']' || p_[line_start_] != '[')
      return false;
    bool digit = false, colon = false;
    for (std::size_t k = line_start_ + 1; k + 2 < b; ++k) {
      digit |= ascii_digit(p_[k]);
      colon |= p_[k] == ':' && k > line_start_ + 1 && ascii_digit(p_[k - 1]);
    }
    if (!digit || !colon) return false;
    atom w;
    read_atom(b, w);
    for (std::string_view l : {"error", "warning", "warn", "info", "notice", "debug", "trace",
                               "fatal", "note", "status", "system", "server", "client", "bot"})
      if (folded(w) == l) return false;
    return true;
  }

  // A name of the word lists in parentheses after a contact ("WhatsApp <phone> (Lena)"): the
  // contact's label.
  bool contact_label(const atom& a, std::size_t b, std::size_t e) const {
    if (b < 2 || p_[b - 1] != '(' || e >= n_ || p_[e] != ')' || !name_capable(a)) return false;
    const std::string_view o = std::string_view(out_).substr(out_base_);
    if (o.size() < 2 || o.substr(o.size() - 2) != " (") return false;
    for (std::string_view ph : {"<phone>", "<user>", "<email>", "<sip>"})
      if (o.size() >= ph.size() + 2 && o.substr(o.size() - 2 - ph.size(), ph.size()) == ph)
        return true;
    return false;
  }

  // After a number word ending at e: the end of a run of six or more of them (separated by
  // spaces, commas, hyphens and joiners), or 0.
  std::size_t spelled_number_end(std::size_t e) const {
    int count = 1;
    std::size_t end = e, k = e;
    while (k < n_ && count < 64) {
      std::size_t q = k;
      while (q < n_ && q - k < 3 && (p_[q] == ' ' || p_[q] == ',' || p_[q] == '-')) ++q;
      if (q == k || !atom_start(q)) break;
      atom w;
      const std::size_t we = read_atom(q, w);
      const std::string_view f = folded(w);
      if (w.digits || f.empty()) break;
      if (in_set<number_words>(f)) {
        ++count;
        end = k = we;
      } else if (in_set<number_joiners>(f)) {
        k = we;  // only between number words: `end` stays at the last one
      } else {
        break;
      }
    }
    return count >= 6 ? end : 0;
  }

  // [b, e) is a field's whole value: between tags, quotes, tabs, cells' separators or the
  // line's ends.
  bool whole_field(std::size_t b, std::size_t e) const {
    auto edge = [](unsigned char c) {
      return c == '>' || c == '<' || c == '"' || c == '\t' || c == ',' || c == ';' || c == '|' ||
             c == '\n' || c == '\r';
    };
    const bool left = b == line_start_ || edge(p_[b - 1]);
    const bool right = e >= n_ || edge(p_[e]);
    return left && right;
  }

  // [b, e) is a path segment of a URL (`https://media.example.com/rec/2134/x.wav`): a
  // resource's id, often the user's or the extension's.
  bool url_segment(std::size_t b, std::size_t e) const {
    if (b < 1 || p_[b - 1] != '/' ||
        (e < n_ && p_[e] != '/' && p_[e] != '?' && p_[e] != '"' && p_[e] != ' ' && p_[e] != '.' &&
         p_[e] != '#'))
      return false;
    std::size_t k = b - 1;
    while (k > line_start_ && b - k < 200 && p_[k - 1] != ' ' && p_[k - 1] != '"') {
      if (p_[k - 1] == '/' && k >= 2 && p_[k - 2] == '/' && k >= 3 && p_[k - 3] == ':') return true;
      --k;
    }
    return false;
  }
  // Kamailio's usrloc commands (`kamcmd ul.rm location 4402`, `ul.lookup location sommer`,
  // `kamctl ul show 4402`): the address of record after the command and its table. Looked at
  // only on lines holding "ul." or "ul show" (found once per line).
  std::size_t ul_line_ = static_cast<std::size_t>(-1);
  bool ul_line_has_ = false;
  bool usrloc_aor(std::size_t b) {
    if (ul_line_ != line_start_) {
      ul_line_ = line_start_;
      const void* nl = std::memchr(p_ + line_start_, '\n', n_ - line_start_);
      const std::size_t le =
          nl ? static_cast<std::size_t>(static_cast<const unsigned char*>(nl) - p_) : n_;
      const std::string_view line(reinterpret_cast<const char*>(p_ + line_start_),
                                  le - line_start_);
      ul_line_has_ = line.find("ul.") != std::string_view::npos ||
                     line.find("ul show") != std::string_view::npos;
    }
    if (!ul_line_has_) return false;
    auto back_token = [&](std::size_t& k) {
      while (k > line_start_ && p_[k - 1] == ' ') --k;
      const std::size_t e = k;
      while (k > line_start_ && p_[k - 1] != ' ') --k;
      return std::string_view(reinterpret_cast<const char*>(p_ + k), e - k);
    };
    std::size_t k = b;
    const std::string_view t1 = back_token(k), t2 = back_token(k);
    if (t1.empty()) return false;
    if (t1 == "show" && t2 == "ul") return true;
    for (std::string_view cmd : {"ul.rm", "ul.lookup", "ul.add", "ul.rm_contact", "ul.show"})
      if (t2.size() >= cmd.size() && t2.substr(t2.size() - cmd.size()) == cmd &&
          (t2.size() == cmd.size() || t2[t2.size() - cmd.size() - 1] == '>'))
        return true;
    return false;
  }
  // Asterisk's `database show` (AstDB): a line `/FAMILY/<ext>/key : value` names the extension
  // in its key path (`/AMPUSER/201/cidname`, `/CF/201`, `/DND/201`, `/SIP/Registry/201`).
  bool astdb_key(std::size_t b, std::size_t e) const {
    if (b < 3 || p_[b - 1] != '/' || p_[line_start_] != '/' ||
        (e < n_ && p_[e] != '/' && p_[e] != ' '))
      return false;
    for (std::size_t k = line_start_ + 1; k + 1 < b; ++k)
      if (!(ascii_alpha(p_[k]) || ascii_digit(p_[k]) || p_[k] == '/' || p_[k] == '_' ||
            p_[k] == '-'))
        return false;
    return std::memchr(p_ + e, ':', std::min<std::size_t>(n_ - e, 80)) != nullptr;
  }
  // voicemail.conf: `<mailbox> => <pin>,<full name>,<email>,…` at a line start: the mailbox is
  // the extension (its PIN: voicemail_pin()).
  bool voicemail_box(std::size_t b, std::size_t e) const {
    std::size_t k = line_start_;
    while (k < b && (p_[k] == ' ' || p_[k] == '\t')) ++k;
    if (k != b) return false;
    std::size_t q = e;
    while (q < n_ && p_[q] == ' ') ++q;
    return q + 1 < n_ && p_[q] == '=' && p_[q + 1] == '>';
  }
  // The PIN of a voicemail.conf line: digits right after `<mailbox> => ` (the line's first
  // token is digits too).
  bool voicemail_pin(std::size_t b) const {
    std::size_t k = b;
    while (k > line_start_ && p_[k - 1] == ' ') --k;
    if (k < line_start_ + 3 || p_[k - 1] != '>' || p_[k - 2] != '=') return false;
    k -= 2;
    while (k > line_start_ && p_[k - 1] == ' ') --k;
    std::size_t d = k;
    while (d > line_start_ && ascii_digit(p_[d - 1])) --d;
    if (d == k) return false;
    while (d > line_start_ && (p_[d - 1] == ' ' || p_[d - 1] == '\t')) --d;
    return d == line_start_;
  }
  // A name-addr follows: the digits are its display name (OpenSIPS `body=<5746 <sip:…>>`).
  bool before_name_addr(std::size_t e) const {
    if (e + 6 > n_ || p_[e] != ' ' || p_[e + 1] != '<') return false;
    const std::string_view r(reinterpret_cast<const char*>(p_ + e + 1),
                             std::min<std::size_t>(7, n_ - e - 1));
    return r.substr(0, 5) == "<sip>" || r.substr(0, 7) == "<<sip>>" || r.substr(0, 5) == "<sip:";
  }
  // pjsua's "Registration sent for 4621", "Unregistration failed for 4621": the account.
  bool registered_for(std::size_t b) const {
    if (b < 5 || std::memcmp(p_ + b - 5, " for ", 5) != 0) return false;
    const std::size_t from = b - std::min<std::size_t>(b - line_start_, 40);
    const std::string_view w(reinterpret_cast<const char*>(p_ + from), b - from);
    return w.find("egistration") != std::string_view::npos ||
           w.find("ubscription") != std::string_view::npos;
  }

  // At `<key` ([b, e) the key, an announcer with flags kf): the element's attributes (to '>',
  // at most 120 bytes) are copied and its text content up to `</` (at most 120 bytes, no '<'
  // or line end) becomes one placeholder of the announcer's class. False, having written
  // nothing, if the element is not of that shape.
  bool element_value(std::size_t b, std::size_t e, unsigned kf) {
    std::size_t k = e;
    while (k < n_ && k - e < 120 && p_[k] != '>' && p_[k] != '<' && p_[k] != '\n') ++k;
    if (k >= n_ || p_[k] != '>' || p_[k - 1] == '/') return false;
    std::size_t v = k + 1, c = v;
    while (c < n_ && c - v < 120 && p_[c] != '<' && p_[c] != '\n') ++c;
    if (c + 1 >= n_ || p_[c] != '<' || p_[c + 1] != '/' || c == v) return false;
    copy(b, v);
    emit_value(v, c, class_of_flags(kf));
    i_ = c;
    return true;
  }

  // "user" stands within the 24 bytes before b on the line (`<user `, "a user with the ").
  bool user_element_before(std::size_t b) const {
    const std::size_t from = b - std::min<std::size_t>(b - line_start_, 24);
    const std::string_view w(reinterpret_cast<const char*>(p_ + from), b - from);
    const std::size_t u = w.rfind("user");
    return u != std::string_view::npos &&
           (u == 0 || !ascii_alpha(static_cast<unsigned char>(w[u - 1]))) &&
           (u + 4 == w.size() || !ascii_alpha(static_cast<unsigned char>(w[u + 4])));
  }

  // A UK postcode at b (the atom ends at k): outward code `SW1A`, `M1`, `EC1V`, `B33` (1-2
  // capitals, a digit, a digit or capital), a space, inward code `2AA` (a digit, two capitals,
  // not CIKMOV); the end, or 0.
  std::size_t uk_postcode_end(std::size_t b, std::size_t k) const {
    const std::size_t len = k - b;
    if (len < 2 || len > 4 || k + 4 > n_ || p_[k] != ' ') return 0;
    auto cap = [&](std::size_t q) { return p_[q] >= 'A' && p_[q] <= 'Z'; };
    std::size_t q = b;
    if (!cap(q)) return 0;
    ++q;
    if (q < k && cap(q)) ++q;
    if (q >= k || !ascii_digit(p_[q])) return 0;
    ++q;
    if (q < k && (ascii_digit(p_[q]) || cap(q))) ++q;
    if (q != k) return 0;
    const std::size_t i = k + 1;
    auto inward_letter = [&](std::size_t x) {
      return cap(x) &&
             std::string_view("CIKMOV").find(static_cast<char>(p_[x])) == std::string_view::npos;
    };
    if (!ascii_digit(p_[i]) || !inward_letter(i + 1) || !inward_letter(i + 2)) return 0;
    if (i + 3 < n_ && atom_start(i + 3)) return 0;
    return i + 3;
  }

  // A MAC address printed as six hex pairs between spaces ("Connection to 0b 38 52 7f 0c 7c",
  // wpa_supplicant): one pair with a hex letter, not part of a longer hex dump. The end, or 0.
  std::size_t spaced_mac_end(std::size_t b) const {
    auto hex = [&](std::size_t k) { return k < n_ && uni::hex_value(p_[k]) >= 0; };
    if (b + 17 > n_ || p_[b + 2] != ' ') return 0;
    bool letter = false;
    for (std::size_t g = 0; g < 6; ++g) {
      const std::size_t k = b + g * 3;
      if (!hex(k) || !hex(k + 1) || (g < 5 && p_[k + 2] != ' ')) return 0;
      letter |= ascii_alpha(p_[k]) || ascii_alpha(p_[k + 1]);
    }
    const std::size_t e = b + 17;
    if (!letter || atom_start(e) || (e + 2 < n_ && p_[e] == ' ' && hex(e + 1) && hex(e + 2)))
      return 0;
    if (b >= 3 && p_[b - 1] == ' ' && hex(b - 2) && hex(b - 3)) return 0;
    return e;
  }

  // The end of `[at] domain [dot] tld` (brackets, parentheses or braces; "@" for "at"; spaces
  // around them optional) after a local part ending at e, or of ` at domain dot tld` with a
  // top-level domain of the list; 0 if there is none. Labels may be the first pass's
  // placeholders (`<id>[dot]com`).
  std::size_t obfuscated_email_end(std::size_t e) const {
    auto word_at = [&](std::size_t k, std::string_view w) {
      if (k + w.size() > n_) return false;
      for (std::size_t q = 0; q < w.size(); ++q)
        if ((p_[k + q] | 0x20) != static_cast<unsigned char>(w[q])) return false;
      return true;
    };
    // A marker: "[at]", "(at)", "{at}", "[@]", "(@)"; or the bare word between spaces.
    auto marker = [&](std::size_t k, std::string_view w, bool& bare) -> std::size_t {
      std::size_t q = k;
      if (q < n_ && p_[q] == ' ') ++q;
      if (q < n_ && (p_[q] == '[' || p_[q] == '(' || p_[q] == '{')) {
        const unsigned char close = p_[q] == '[' ? ']' : p_[q] == '(' ? ')' : '}';
        std::size_t r = q + 1;
        if (word_at(r, w)) r += w.size();
        else if (w == "at" && r < n_ && p_[r] == '@') ++r;
        else if (w == "dot" && r < n_ && p_[r] == '.') ++r;
        else return 0;
        if (r >= n_ || p_[r] != close) return 0;
        ++r;
        if (r < n_ && p_[r] == ' ') ++r;
        return r;
      }
      if (q == k + 1 && word_at(q, w) && q + w.size() < n_ && p_[q + w.size()] == ' ') {
        bare = true;
        return q + w.size() + 1;
      }
      return 0;
    };
    bool bare_at = false;
    std::size_t k = marker(e, "at", bare_at);
    if (k == 0) return 0;
    int dots = 0;
    std::size_t last_b = k, end = 0;
    for (int labels = 0; labels < 6; ++labels) {
      const std::size_t lb = k;
      if (k < n_ && p_[k] == '<') {  // a placeholder label
        std::size_t q = k + 1;
        while (q < n_ && q - k <= 8 && p_[q] >= 'a' && p_[q] <= 'z') ++q;
        if (q >= n_ || p_[q] != '>') return 0;
        k = q + 1;
      } else {
        while (k < n_ && (ascii_alpha(p_[k]) || ascii_digit(p_[k]) || p_[k] == '-')) ++k;
      }
      if (k == lb) return end;
      last_b = lb;
      if (dots > 0) end = k;
      bool bare_dot = false;
      std::size_t d = marker(k, "dot", bare_dot);
      if (d == 0 && k + 1 < n_ && p_[k] == '.' && ascii_alpha(p_[k + 1])) d = k + 1;
      if (d == 0 || bare_dot != bare_at) break;
      ++dots;
      k = d;
    }
    if (end == 0) return 0;
    // The last label: a top-level domain (letters; of the list when the words are bare).
    std::string tld;
    for (std::size_t q = last_b; q < end; ++q) {
      if (!ascii_alpha(p_[q])) return 0;
      tld += static_cast<char>(p_[q] | 0x20);
    }
    if (tld.size() < 2 || tld.size() > 6 || (bare_at && !in_set<tlds>(tld))) return 0;
    return end;
  }

  // At b, a capitalised word: letters-only parts joined by '-' or '_' and then a device word
  // (iphone, ipad, laptop, pc, desktop, macbook, notebook, thinkpad, tablet, galaxy, pixel,
  // phone, imac, mac), perhaps with its model (`-Pro`, `-Air`, `-Mini`), ending the label: the
  // end of the owner's part (before the '-' of the device word), or 0.
  std::size_t owner_device_end(std::size_t b) const {
    if (!(p_[b] >= 'A' && p_[b] <= 'Z') && p_[b] < 0x80) return 0;
    atom owner;
    read_atom(b, owner);
    if (product_word(owner)) return 0;  // Bluetooth-Phone, Android-Tablet
    std::array<std::size_t, 6> seps{};  // the separators' positions
    std::array<std::size_t, 6> ends{};  // each part's end
    std::size_t k = b;
    int parts = 0;
    while (k < n_ && parts < 6) {
      const std::size_t s = k;
      while (k < n_ && (ascii_alpha(p_[k]) || p_[k] >= 0x80)) {
        if (p_[k] >= 0x80) {
          std::size_t len;
          if (!uni::is_letter(uni::decode(p_ + k, n_ - k, len))) break;
          k += len;
        } else {
          ++k;
        }
      }
      if (k == s) return 0;
      ends[parts] = k;
      ++parts;
      if (parts < 6 && k + 1 < n_ && (p_[k] == '-' || p_[k] == '_') && atom_start(k + 1)) {
        seps[parts] = k;
        ++k;
        continue;
      }
      break;
    }
    if (parts < 2 || (k < n_ && atom_start(k))) return 0;
    auto part_is = [&](int q, std::initializer_list<std::string_view> words) {
      const std::size_t s = seps[q] + 1, e = ends[q];
      if (e - s > 12) return false;
      char low[12];
      for (std::size_t x = s; x < e; ++x) low[x - s] = static_cast<char>(p_[x] | 0x20);
      const std::string_view w(low, e - s);
      for (std::string_view d : words)
        if (w == d) return true;
      return false;
    };
    int dev = parts - 1;
    if (dev >= 2 && part_is(dev, {"pro", "air", "mini", "max", "plus"})) --dev;
    if (!part_is(dev, {"iphone", "ipad", "laptop", "pc", "desktop", "macbook", "notebook",
                       "thinkpad", "tablet", "galaxy", "pixel", "phone", "imac", "mac"}))
      return 0;
    return seps[dev];
  }

  // `a` is a given name that is also a word (Rose, Grace) or a proper noun, and the next
  // atom, after one space, is a capitalised word the word lists do not know: a surname.
  bool given_name_before_name(const atom& a) const {
    if (a.fold_overflow) return false;
    const std::uint32_t fp = words::fingerprint(a.hash);
    if (!words::also_a_name(fp) && !words::proper_noun(fp)) return false;
    if (product_word(a) || in_set<greetings>(folded(a))) return false;  // Google, Hi
    const std::size_t k = a.e + 1;
    if (a.e >= n_ || p_[a.e] != ' ' || !atom_start(k)) return false;
    atom w;
    const std::size_t e = read_atom(k, w);
    if (w.fold_overflow || !name_shaped(w) || w.cps < 3) return false;
    if (e < n_ && (p_[e] == '-' || p_[e] == '_' || p_[e] == '\'' || p_[e] == '(')) return false;
    if (product_word(w)) return false;
    return !words::known_word(words::fingerprint(w.hash)) || before_subject_verb(w);
  }

  bool digit_at(std::size_t k) const { return k < n_ && ascii_digit(p_[k]); }

  // What follows a token at e makes it a user part: `1102@from-internal` (a host the first pass
  // left, no dot), `6300/<sip>` and `6300/sip:…` (Asterisk `pjsip show contacts`: aor/URI).
  bool user_before(std::size_t e) const {
    if (e >= n_) return false;
    if (p_[e] == '@') return true;
    if (p_[e] != '/' || e + 5 > n_) return false;
    const std::string_view r(reinterpret_cast<const char*>(p_ + e + 1),
                             std::min<std::size_t>(5, n_ - e - 1));
    return r == "<sip>" || r.substr(0, 4) == "sip:" || r.substr(0, 4) == "tel:";
  }
  // Kamailio/OpenSIPS xlog lines print the request's user after its method:
  // `REGISTER 2854 from 10.0.0.1:5060 to 2854 call-id …` (`$rm $rU from $si:$sp to $tU`).
  bool method_user(std::size_t b, std::size_t e) const {
    if (e + 6 > n_ || std::memcmp(p_ + e, " from ", 6) != 0 || b < 4 || p_[b - 1] != ' ')
      return false;
    std::size_t m = b - 1;
    while (m > line_start_ && p_[m - 1] >= 'A' && p_[m - 1] <= 'Z' && b - m < 12) --m;
    const std::string_view method(reinterpret_cast<const char*>(p_ + m), b - 1 - m);
    if (m > line_start_ && p_[m - 1] != ' ' && p_[m - 1] != ':') return false;
    for (std::string_view x : {"REGISTER", "INVITE", "SUBSCRIBE", "NOTIFY", "MESSAGE", "OPTIONS",
                               "BYE", "CANCEL", "REFER", "PUBLISH", "INFO", "UPDATE", "PRACK"})
      if (method == x) return true;
    return false;
  }
  // Asterisk names an extension by its place in a tuple: `context,exten,priority=ctx,3284,1`
  // (pbx.c, "sent to invalid extension") and `Spawn extension (ctx, 2689, 1) exited`. True when
  // the digits at b are the tuple's second item.
  bool asterisk_exten_at(std::size_t b) const {
    // Only right after ',' or ', ' and within 160 bytes of it: the look-back stays bounded on
    // long lines with many numbers (linear, as line_start() in the first pass).
    if (b < 3 || !(p_[b - 1] == ',' || (p_[b - 1] == ' ' && p_[b - 2] == ','))) return false;
    const std::size_t from = b - line_start_ > 160 ? b - 160 : line_start_;
    const std::string_view line(reinterpret_cast<const char*>(p_ + from), b - from);
    const std::size_t c = line.find_last_of(",\n");
    if (c == std::string_view::npos || line[c] != ',') return false;
    const std::string_view before = line.substr(0, c);
    for (std::string_view opener :
         {std::string_view("exten,priority="), std::string_view("extension (")}) {
      const std::size_t o = before.rfind(opener);
      if (o == std::string_view::npos) continue;
      const std::string_view first = before.substr(o + opener.size());
      if (!first.empty() && first.size() <= 80 && first.find(',') == std::string_view::npos &&
          first.find(')') == std::string_view::npos &&
          line.substr(c + 1).find_first_not_of(' ') == std::string_view::npos)
        return true;
    }
    return false;
  }
  std::size_t digits_from(std::size_t k) const {
    while (k < n_ && ascii_digit(p_[k])) ++k;
    return k;
  }

  // Dates (YYYY-MM-DD, YYYY/MM/DD, DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY) with an optional clock
  // time after 'T' or ' '; clock times HH:MM[:SS[.frac]] with an optional zone. Returns the end.
  std::size_t date_or_time(std::size_t k) const {
    auto num = [&](std::size_t at, std::size_t len, int lo, int hi) {
      if (at + len > n_) return false;
      int v = 0;
      for (std::size_t q = 0; q < len; ++q) {
        if (!ascii_digit(p_[at + q])) return false;
        v = v * 10 + (p_[at + q] - '0');
      }
      return v >= lo && v <= hi;
    };
    auto time_at = [&](std::size_t at) -> std::size_t {
      std::size_t h = digits_from(at);
      if (h - at < 1 || h - at > 2 || !num(at, h - at, 0, 23)) return 0;
      if (h >= n_ || p_[h] != ':' || !num(h + 1, 2, 0, 59) || digit_at(h + 3)) return 0;
      std::size_t t = h + 3;
      if (t < n_ && p_[t] == ':' && num(t + 1, 2, 0, 60) && !digit_at(t + 3)) {
        t += 3;
        if (t + 1 < n_ && (p_[t] == '.' || p_[t] == ',') && digit_at(t + 1)) {
          const std::size_t f = digits_from(t + 1);
          if (f - t - 1 <= 9) t = f;
        }
      }
      if (t < n_ && p_[t] == 'Z') {
        ++t;
      } else if (t + 5 < n_ + 1 && t < n_ && (p_[t] == '+' || p_[t] == '-') &&
                 num(t + 1, 2, 0, 14)) {
        if (t + 3 < n_ && p_[t + 3] == ':' && num(t + 4, 2, 0, 59)) t += 6;
        else if (num(t + 3, 2, 0, 59) && !digit_at(t + 5)) t += 5;
      }
      return t;
    };
    std::size_t end = 0;
    const std::size_t g = digits_from(k);
    if (g - k == 8 && num(k, 4, 1970, 2099) && num(k + 4, 2, 1, 12) && num(k + 6, 2, 1, 31)) {
      end = g;  // 20261206, 20261206-111952.714 (reSIProcate)
      if (g + 7 <= n_ && (p_[g] == '-' || p_[g] == 'T') && num(g + 1, 2, 0, 23) &&
          num(g + 3, 2, 0, 59) && num(g + 5, 2, 0, 60) && !digit_at(g + 7)) {
        end = g + 7;
        if (end + 1 < n_ && p_[end] == '.' && digit_at(end + 1)) {
          const std::size_t f = digits_from(end + 1);
          if (f - end - 1 <= 9) end = f;
        }
      }
      if (!atom_start(end)) return end;
      end = 0;
    }
    if (g - k == 4 && g < n_ && (p_[g] == '-' || p_[g] == '/' || p_[g] == '.') &&
        num(k, 4, 1900, 2099)) {
      const unsigned char s = p_[g];
      if (num(g + 1, 2, 1, 12) && g + 3 < n_ && p_[g + 3] == s && num(g + 4, 2, 1, 31) &&
          !digit_at(g + 6))
        end = g + 6;
    } else if ((g - k == 1 || g - k == 2) && g < n_ &&
               (p_[g] == '.' || p_[g] == '/' || p_[g] == '-')) {
      const unsigned char s = p_[g];
      const std::size_t m = digits_from(g + 1);
      if ((m - g - 1 == 1 || m - g - 1 == 2) && m < n_ && p_[m] == s && num(m + 1, 4, 1900, 2099) &&
          !digit_at(m + 5))
        end = m + 5;
    }
    if (end) {
      if (end + 1 < n_ && (p_[end] == 'T' || p_[end] == ' ')) {
        const std::size_t t = time_at(end + 1);
        if (t) end = t;
      }
      return end;
    }
    return time_at(k);
  }

  void number() {
    const bool at_start = sentence_start_;
    sentence_start_ = false;
    const std::size_t b = i_;
    // Hex memory address.
    if (p_[b] == '0' && b + 2 < n_ && (p_[b + 1] | 0x20) == 'x' && uni::hex_value(p_[b + 2]) >= 0) {
      std::size_t k = b + 2;
      while (k < n_ && uni::hex_value(p_[k]) >= 0) ++k;
      if (!atom_start(k)) {
        if (pending_ != want::none) {
          i_ = k;
          emit(class_of(pending_));
          pending_ = want::none;
          return;
        }
        copy(b, k);
        i_ = k;
        return;
      }
    }
    if (const std::size_t m = spaced_mac_end(b)) {
      i_ = m;
      emit(token_class::mac);
      pending_ = want::none;
      return;
    }
    const std::size_t g = digits_from(b);
    if (atom_start(g) || pending_strict_) {
      // Digits glued to letters: one atom (20ms, 8kwYoZZK3j2p).
      atom a;
      const std::size_t e = read_atom(b, a);
      i_ = e;
      const unsigned char next = e < n_ ? p_[e] : 0;
      if (pending_ != want::none && (pending_strict_ || a.letters)) {
        emit_value(b, e, class_of(pending_));
        pending_ = want::none;
        return;
      }
      if (next == '@') {
        emit_value(b, e, token_class::user);
        return;
      }
      if (a.letters) {
        token_class c;
        if (keep_atom(a, at_start, c)) {
          copy(b, e);
        } else {
          emit(token_class::id);
        }
        return;
      }
      i_ = b;  // plain digits after all (pending_strict_ with no letters handled above)
    }
    // A date or clock time is no phone number even after `dial` or `number` (`dial 2026-11-30
    // 20:45`); ids and users announced by a word are replaced whatever their shape.
    if (const std::size_t t = date_or_time(b);
        t && (pending_ == want::none || pending_ == want::phone)) {
      pending_ = want::none;  // the word announced a date, not a number
      copy(b, t);
      i_ = t;
      return;
    }
    // A run of digit groups joined by separators.
    std::size_t groups = 0, digits = 0, ones = 0, big = 0, dots = 0, others = 0;
    std::size_t first_len = 0, second_len = 0, third_len = 0;
    std::size_t k = b, e = b;
    while (true) {
      const std::size_t ge = digits_from(k);
      const std::size_t len = ge - k;
      if (groups == 0) first_len = len;
      if (groups == 1) second_len = len;
      if (groups == 2) third_len = len;
      ++groups;
      digits += len;
      if (len == 1) ++ones;
      if (len >= 4) ++big;
      e = ge;
      if (atom_start(ge)) break;  // "12 34abc": the atom is not part of the run
      // Separators: up to three of " .-/()" with at most two spaces; not a newline.
      std::size_t s = ge, spaces = 0;
      bool dot = false, other = false;
      while (s < n_ && s - ge < 3) {
        const unsigned char c = p_[s];
        if (c == ' ' || c == '\t') {
          ++spaces;
        } else if (c == '.') {
          dot = true;
        } else if (c == '-' || c == '/' || c == '(' || c == ')') {
          other = true;
        } else {
          break;
        }
        ++s;
      }
      if (s == ge || spaces > 2 || !digit_at(s)) break;
      if (s - ge > 1 && dot) break;  // "end. 12" is a new sentence
      // A time or date after a separator is not part of a number.
      if (date_or_time(s) && !(p_[s - 1] == '.' && s - ge == 1)) break;
      const std::size_t nge = digits_from(s);
      if (atom_start(nge)) break;  // "1 20ms": the unit belongs to the next group
      if (dot) ++dots;
      if (other || spaces) ++others;
      k = s;
    }
    i_ = e;
    const std::string_view line(reinterpret_cast<const char*>(p_ + line_start_), b - line_start_);
    if (pending_ != want::none && !(pending_ == want::phone && digits < 3)) {
      // Extend the run back over a '+' or '(' already written.
      if (out_.size() > out_base_ && (out_.back() == '+' || out_.back() == '(')) out_.pop_back();
      emit_value(b, e, class_of(pending_));
      pending_ = want::none;
      return;
    }
    if (token_class c; groups == 1 && recall(b, e, c)) {
      emit(c);
      return;
    }
    if (groups == 1 && (user_before(e) || asterisk_exten_at(b) || method_user(b, e))) {
      emit_value(b, e, token_class::user);
      return;
    }
    // Digits dialled after the call is up (`,,4417#`: a PBX extension or a PIN after pauses).
    if (groups == 1 && digits >= 2 && b >= 2 && p_[b - 1] == ',' && p_[b - 2] == ',') {
      emit_value(b, e, token_class::id);
      return;
    }
    // A quoted extension right after a quoted name in a CSV row (FreeSWITCH CDR, Asterisk CEL:
    // `"<user> <user>","1012",…`): the caller-ID pair of name and number.
    if (groups == 1 && digits >= 2 && digits <= 6 && e < n_ && p_[e] == '"' &&
        out_.size() >= out_base_ + 9 && out_.compare(out_.size() - 9, 9, "<user>\",\"") == 0) {
      emit_value(b, e, token_class::user);
      return;
    }
    if (groups == 1 && digits >= 3 && digits <= 8 && voicemail_pin(b)) {
      emit_value(b, e, token_class::secret);
      return;
    }
    if (groups == 1 && digits >= 2 && digits <= 8 &&
        (astdb_key(b, e) || voicemail_box(b, e) || usrloc_aor(b))) {
      emit_value(b, e, token_class::user);
      return;
    }
    if (groups == 1 && digits >= 3 &&
        (url_segment(b, e) || before_name_addr(e) || registered_for(b))) {
      emit_value(b, e, token_class::user);
      return;
    }
    // Three to five digits right after a word the classifier replaced as unknown: in a language
    // the word table does not hold, that word is as likely an announcer as anything
    // ("εσωτερικό 5684", "والتحويلة ٤٩٦٤", "内線 8908"), and the number is not kept on its word.
    if (groups == 1 && digits >= 3 && digits <= 5 && unknown_end_ != 0 &&
        out_.size() == unknown_end_ + 1 && out_.back() == ' ') {
      emit_value(b, e, token_class::id);
      return;
    }
    bool benign = digits < 6;
    if (!benign && groups >= 2 && others == 0) {
      // Only dots: a version (1.2.3, 10.0.19041) or a decimal (3.14159, 52.520008).
      const bool lead0 = p_[b] == '0' && first_len >= 2;
      if (groups == 2 && first_len <= 4 && !lead0 && second_len <= 8) benign = true;
      if (groups >= 3 && first_len <= 2 && !lead0 &&
          !(groups == 3 && second_len >= 4 && third_len >= 4) && big <= 1)
        benign = true;
    }
    // "0 8 97 101" (counts in a row) stays; six or more single digits in a row are a number
    // read out digit by digit ("Tel. 0 8 3 0 0 8 6 1 4 5").
    // ... but not after a parenthesised trunk prefix: "(0 30) 4 56 78 90" is a German number.
    const bool trunk = b > 0 && p_[b - 1] == '(' && p_[b] == '0' && digits >= 7;
    if (!benign && !trunk && ones >= 2 && big == 0 && groups >= 4 &&
        !(ones == groups && groups >= 6 && dots == 0))
      benign = true;
    // SDP lines of protocol numbers (RFC 8866: versions, session ids, times, media ports,
    // payload types, bandwidths, ICE priorities); not s=, i=, u=, e=, p= (text, URI, phone).
    if (!benign && line.size() >= 2 && line[1] == '=' &&
        std::string_view("vocbtrzmak").find(line[0]) != std::string_view::npos)
      benign = true;
    // An Android build id (`UP1A.231005.007`, `TP1A.220624.014`): release tag, date, build.
    if (!benign && groups == 2 && dots == 1 && first_len == 6 && second_len == 3 && b >= 5 &&
        p_[b - 1] == '.') {
      bool letter = false, digit = false, shape = true;
      for (std::size_t q = b - 5; q < b - 1; ++q) {
        letter |= p_[q] >= 'A' && p_[q] <= 'Z';
        digit |= ascii_digit(p_[q]);
        shape &= (p_[q] >= 'A' && p_[q] <= 'Z') || ascii_digit(p_[q]);
      }
      benign = shape && letter && digit && (b < 6 || !atom_start(b - 6));
    }
    // A clock rate after a codec: opus/48000/2, telephone-event/8000.
    if (!benign && b > 1 && p_[b - 1] == '/' && ascii_alpha(p_[b - 2]) && first_len <= 6 &&
        digits - first_len <= 2)
      benign = true;
    if (!benign) {
      // Followed by a unit: 1 234 567 bytes, 1500000 ms.
      std::size_t u = e;
      if (u < n_ && p_[u] == ' ') ++u;
      if (u < n_ && u > e && atom_start(u)) {
        atom a;
        read_atom(u, a);
        if (a.digits == 0 && !a.fold_overflow && in_set<units>(folded(a))) benign = true;
      }
    }
    if (benign) {
      copy(b, e);
      return;
    }
    bool prefix = false;
    if (out_.size() > out_base_ && (out_.back() == '+' || out_.back() == '(')) {
      out_.pop_back();
      prefix = true;
    }
    const bool phone = prefix || groups >= 2 || (digits >= 7 && digits <= 15);
    emit(phone ? token_class::phone : token_class::id);
  }
};

/// Appends the classified form of `in` (the first pass's output) to `out`.
inline void classify(std::string_view in, std::string& out, redaction_counts& counts,
                     text_memory* memory = nullptr) {
  classifier(in, out, counts, memory).run();
}

}  // namespace veil::detail::deny (deny_reference)
