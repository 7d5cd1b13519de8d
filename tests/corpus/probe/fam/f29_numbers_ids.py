P_NUM = "national number formats with extensions in e-mail signatures and tickets (ITU-T E.123, national numbering plans: Ofcom, ARCEP, AGCOM, Anatel, TRAI, MIC Japan, Rossvyaz)"
P_IDS = "identity documents in support tickets / KYC notes: IBAN (ISO 13616), passport (ICAO 9303 MRZ), national ids (Aadhaar, CPF, SSN, NIR, codice fiscale, PESEL, DNI), date of birth"
T = [
("numbers-uk-ext", P_NUM, """Kind regards,
⟦n|Harriet⟧ ⟦n|Ogilvy⟧ | Facilities Manager
T: ⟦ph|020 7946 0321⟧ x⟦u|2214⟧ | M: ⟦ph|07700 900 874⟧ | DDI ⟦ph|+44 (0)20 7946 0399⟧
Switchboard ⟦ph|0161 496 0000⟧ ext 45"""),
("numbers-fr-it", P_NUM, """Tél. : ⟦ph|01 42 68 53 00⟧ poste ⟦u|312⟧ — Portable : ⟦ph|06.12.34.56.78⟧
Tel. ufficio ⟦ph|02 8765 4321⟧ int. ⟦u|27⟧ — cell. ⟦ph|+39 333 123 4567⟧ — fax ⟦ph|02-8765-4300⟧"""),
("numbers-br-in", P_NUM, """Contato: ⟦ph|(11) 98765-4321⟧ / ⟦ph|+55 21 3456-7890⟧ ramal ⟦u|204⟧
Mobile: ⟦ph|+91-98450-12345⟧, Office: ⟦ph|080-4123 4567⟧ Extn. ⟦u|1180⟧, Toll free 1800 425 1234"""),
("numbers-jp-ru", P_NUM, """電話：⟦ph|03-1234-5678⟧（内線 ⟦u|512⟧）／携帯：⟦ph|080-1234-5678⟧
Тел.: ⟦ph|8 (495) 123-45-67⟧ доб. ⟦u|345⟧, моб. ⟦ph|+7 916 123-45-67⟧"""),
("numbers-hash-ext", P_NUM, """Please call the helpdesk at ⟦ph|1-800-555-0199⟧ #⟦u|45⟧ or my direct line ⟦ph|(617) 555-0142⟧ ;ext=⟦u|8812⟧, pin ⟦sec|0427⟧.
Dial string used by the phone: ⟦ph|16175550142⟧,,⟦u|8812⟧#"""),
("numbers-au-nz-za", P_NUM, """Ph ⟦ph|(02) 9374 4000⟧ ext. ⟦u|6612⟧ · Mob ⟦ph|0412 345 678⟧
NZ office ⟦ph|+64 9 123 4567⟧, ZA support ⟦ph|+27 (0)21 555 1234⟧ x⟦u|104⟧"""),
("numbers-de-at-ch-nl", P_NUM, """Telefon ⟦ph|+49 (0)89 12345-678⟧, Durchwahl -⟦u|678⟧, Mobil ⟦ph|0171/1234567⟧
Österreich ⟦ph|+43 664 1234567⟧, Schweiz ⟦ph|044 668 18 00⟧ intern ⟦u|31⟧, Nederland ⟦ph|06-12345678⟧ toestel ⟦u|221⟧"""),
("ids-iban-passport", P_IDS, """Refund to IBAN ⟦id|DE89 3704 0044 0532 0130 00⟧ (BIC COBADEFFXXX), account holder ⟦n|Mathias⟧ ⟦n|Krüger⟧.
Passport no. ⟦id|C01X00T47⟧, date of birth ⟦id|12.08.1979⟧, issued Berlin.
MRZ: ⟦id|P<D<<KRUEGER<<MATHIAS<<<<<<<<<<<<<<<<<<<<<<<⟧
⟦id|C01X00T478D<<7908123M2908314<<<<<<<<<<<<<<<6⟧"""),
("ids-in-br", P_IDS, """KYC note: Aadhaar ⟦id|4312 8876 0921⟧, PAN ⟦id|ABCPK1234F⟧, DOB ⟦id|05/11/1990⟧, name ⟦n|Sunita⟧ ⟦n|Kulkarni⟧
Cliente ⟦n|Rafael⟧ ⟦n|Siqueira⟧, CPF ⟦id|123.456.789-09⟧, RG ⟦id|12.345.678-9⟧, nascido em ⟦id|23/02/1985⟧"""),
("ids-us-fr-it", P_IDS, """SSN ⟦id|123-45-6789⟧ on file for ⟦n|Keisha⟧ ⟦n|Washington⟧ (DOB ⟦id|1992-07-30⟧).
N° de sécurité sociale ⟦id|1 85 05 78 006 084 36⟧, né le ⟦id|14 mai 1985⟧
Codice fiscale ⟦id|RSSMRA85T10A562S⟧, IBAN ⟦id|IT60X0542811101000000123456⟧"""),
("ids-pl-es-se", P_IDS, """PESEL ⟦id|85071012345⟧, nr dowodu ⟦id|ABC123456⟧, ur. ⟦id|10.07.1985⟧
DNI ⟦id|12345678Z⟧, NIE ⟦id|X1234567L⟧, IBAN ⟦id|ES91 2100 0418 4502 0005 1332⟧
Personnummer ⟦id|850710-1234⟧"""),
("ids-json-kyc", P_IDS, """{"customer":{"firstName":"⟦n|Amara⟧","lastName":"⟦n|Okafor⟧","dateOfBirth":"⟦id|1988-01-22⟧","nationalId":"⟦id|A12345678⟧","iban":"⟦id|GB29NWBK60161331926819⟧","phone":"⟦ph|+44 7911 123456⟧","address":{"line1":"⟦geo|221 Camden High Street⟧","city":"London","postcode":"⟦geo|NW1 7BU⟧"}}}"""),
("numbers-columns-extlist", P_NUM, """Ext   Name                  DID              Mobile
⟦u|201⟧   ⟦n|Agata⟧ ⟦n|Nowicka⟧         ⟦ph|+48 22 500 12 01⟧  ⟦ph|601 100 201⟧
⟦u|202⟧   ⟦n|Tomasz⟧ ⟦n|Wrona⟧          ⟦ph|+48 22 500 12 02⟧  ⟦ph|601 100 202⟧
⟦u|230⟧   Sala konferencyjna    -                -"""),
("numbers-vanity-intl-prefix", P_NUM, """Call us: 1-800-FLOWERS or ⟦ph|00 1 212 555 0188⟧ from abroad; in Japan dial ⟦ph|010-1-212-555-0188⟧. Customer ⟦n|Olivia⟧ left a callback number ⟦ph|212.555.0123⟧ ext. ⟦u|7⟧."""),
]
