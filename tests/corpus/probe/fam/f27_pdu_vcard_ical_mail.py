P_PDU = "SMS-DELIVER / SMS-SUBMIT PDU hex as printed by AT+CMGL=4 in PDU mode and Android RIL 'SMS PDU' logcat (3GPP TS 23.040)"
P_RILSMS = "Android RIL / GsmInboundSmsHandler logcat with pdu=hex and originating address (AOSP telephony)"
P_VC40 = "vCard 4.0 export (RFC 6350: TEL;VALUE=uri, IMPP, RELATED, BDAY, ANNIVERSARY, GEO, PHOTO data URI), Nextcloud/DAVx5 exports"
P_VC21P = "vCard 2.1 export from Android contacts with PHOTO;ENCODING=BASE64;JPEG and X-ANDROID-CUSTOM / X-SIP fields"
P_ICS = "iCalendar invite (RFC 5545 ORGANIZER/ATTENDEE;CN=;ROLE=;PARTSTAT, LOCATION, X-MICROSOFT-*), Outlook/Teams meeting .ics"
P_RCV = "Mail headers with Received: chain (HELO/envelope-from/for), Return-Path, Reply-To, X-Originating-IP, Authentication-Results (RFC 5321/5322/8601)"
P_AT = "Modem AT command session (AT+CNUM, AT+CLCC, +CLIP URC), 3GPP TS 27.007 output as pasted in gammu/ModemManager issues"
T = [
("sms-pdu-at-cmgl", P_PDU, """AT+CMGF=0
OK
AT+CMGL=4
+CMGL: 1,1,,39
⟦ph|07914477790001F3040C914497710321F400004240401151148016C8329BFD06B5CBF379F85C0691CB733A⟧
+CMGL: 2,1,,28
⟦ph|0791448720003023240DD0E474D81C0EBB010000424040117304800BC8329BFD06DDDF723619⟧
OK"""),
("android-ril-sms-pdu", P_RILSMS, """04-04 17:20:11.003  1822  1899 D GsmInboundSmsHandler: IdleState.processMessage:1
04-04 17:20:11.004  1822  1899 D RILJ    : [UNSL]< UNSOL_RESPONSE_NEW_SMS pdu=⟦ph|0791947106004034040C9194711273650800004240401171428008D4F29C0E6A97E7⟧ [PHONE0]
04-04 17:20:11.010  1822  1899 D SmsMessage: SMS originating address: ⟦ph|+491721375680⟧ SMSC: ⟦ph|+4917600443⟧"""),
("vcard40-export", P_VC40, """BEGIN:VCARD
VERSION:4.0
FN:⟦n|Kateryna⟧ ⟦n|Bondarenko⟧
N:⟦n|Bondarenko⟧;⟦n|Kateryna⟧;;;
GENDER:F
BDAY:⟦id|19870314⟧
ANNIVERSARY:⟦id|20120721⟧
TEL;TYPE=cell;VALUE=uri:tel:⟦ph|+380-67-123-4567⟧
TEL;TYPE="work,voice";VALUE=uri;PREF=1:tel:⟦ph|+380-44-555-0101⟧;ext=⟦u|218⟧
EMAIL;TYPE=home:⟦em|k.bondarenko@ukr.example.net⟧
IMPP;PREF=1:sip:⟦u|kbondarenko⟧@sip.example.ua
ADR;TYPE=home;LABEL="⟦geo|вул. Хрещатик, 22, кв. 5, Київ, 01001⟧":;;⟦geo|вул. Хрещатик, 22, кв. 5⟧;Київ;;⟦geo|01001⟧;Україна
GEO:geo:⟦geo|50.4488,30.5233⟧
RELATED;TYPE=spouse:urn:uuid:⟦id|f81d4fae-7dec-11d0-a765-00a0c91e6bf6⟧
PHOTO:data:image/jpeg;base64,⟦id|/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcU⟧
END:VCARD"""),
("vcard21-android-photo-xfields", P_VC21P, """BEGIN:VCARD
VERSION:2.1
N:⟦n|Haddad⟧;⟦n|Rami⟧;;;
FN:⟦n|Rami⟧ ⟦n|Haddad⟧
TEL;CELL;PREF:⟦ph|+961 3 123 456⟧
TEL;WORK:⟦ph|01-987654⟧ ext. ⟦u|33⟧
X-SIP:⟦sip|rami.haddad@sip.example.lb⟧
X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;⟦n|Roro⟧;1;;;;;;;;;;;;;
X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;⟦n|Nour⟧ ⟦n|Haddad⟧;1;;;;;;;;;;;;;
PHOTO;ENCODING=BASE64;JPEG:⟦id|/9j/4AAQSkZJRgABAQEASABIAAD/4QBYRXhpZgAATU0AKgAAAAgAAgESAAMAAAABAAEAAIdpAAQAAAABAAAAJg⟧
END:VCARD"""),
("icalendar-invite", P_ICS, """BEGIN:VEVENT
UID:⟦id|040000008200E00074C5B7101A82E00800000000B0C3F1A2D785DA01000000000000000010000000⟧
SUMMARY;LANGUAGE=de-DE:Abstimmung Telefonanlage
DTSTART;TZID=W. Europe Standard Time:20240410T100000
ORGANIZER;CN="⟦n|Wolfgang⟧ ⟦n|Brandstätter⟧":mailto:⟦em|w.brandstaetter@example.at⟧
ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=⟦n|Ilse⟧ ⟦n|Gruber⟧:mailto:⟦em|ilse.gruber@example.at⟧
ATTENDEE;ROLE=OPT-PARTICIPANT;PARTSTAT=ACCEPTED;CN="⟦em|t.novak@partner.example.si⟧":mailto:⟦em|t.novak@partner.example.si⟧
LOCATION:Besprechungsraum 2\\, ⟦geo|Mariahilfer Straße 77\\, 1060 Wien⟧
X-MICROSOFT-CDO-OWNERAPPTID:-1421937755
DESCRIPTION:Einwahl: ⟦ph|+43 1 2345 6789⟧\\,\\,⟦id|812331904⟧# Konferenz-ID: ⟦id|812 331 904⟧#
END:VEVENT"""),
("icalendar-teams-dialin", P_ICS, """DESCRIPTION:________________________________________________________________________________\\n
Microsoft Teams meeting\\nJoin on your computer, mobile app or room device\\nClick here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_⟦id|NzE2ZDk0YjItOGQ5Zi00ZTQ3LWI2ODEtYjQ4NjhiNzc3OGE1⟧%40thread.v2/0?context=...>\\nMeeting ID: ⟦id|412 339 087 215⟧\\nPasscode: ⟦sec|7hQx2R⟧\\nOr call in (audio only)\\n⟦ph|+44 20 3855 5813⟧\\,\\,⟦id|559201347⟧#   United Kingdom\\, London\\nPhone Conference ID: ⟦id|559 201 347⟧#
ORGANIZER;CN=⟦n|Aisha⟧ ⟦n|Bello⟧:mailto:⟦em|aisha.bello@contoso.co.uk⟧"""),
("mail-received-chain", P_RCV, """Return-Path: <⟦em|l.moreau@orange.example.fr⟧>
Received: from mx1.example.net (mx1.example.net [198.51.100.7])
	by mail.example.com (Postfix) with ESMTPS id 4V8Qd31FZ2z9sW
	for <⟦em|support@voipshop.example.com⟧>; Thu,  4 Apr 2024 17:31:02 +0200 (CEST)
Received: from ⟦n|LAURENT⟧-PC (⟦ip|90.112.43.201⟧) by smtp.orange.example.fr with ESMTPA id ⟦id|sYh2rk9aQ⟧
	(envelope-from <⟦em|l.moreau@orange.example.fr⟧>); Thu, 04 Apr 2024 17:31:00 +0200
X-Originating-IP: [⟦ip|90.112.43.201⟧]
Authentication-Results: mail.example.com; spf=pass smtp.mailfrom=⟦em|l.moreau@orange.example.fr⟧; dkim=pass header.d=orange.example.fr
From: "⟦n|Laurent⟧ ⟦n|Moreau⟧" <⟦em|l.moreau@orange.example.fr⟧>
Reply-To: ⟦em|laurent.moreau.perso@example.fr⟧
Message-ID: <⟦id|1a2b3c4d.5e6f.7a8b.9c0d@LAURENT-PC⟧>"""),
("mail-headers-exchange", P_RCV, """Received: from AM0PR04MB6433.eurprd04.prod.outlook.com (2603:10a6:208:16d::21)
 by DB9PR04MB8445.eurprd04.prod.outlook.com with HTTPS; Thu, 4 Apr 2024 15:40:11 +0000
X-MS-Exchange-Organization-AuthSource: AM0PR04MB6433.eurprd04.prod.outlook.com
X-Originating-IP: [⟦ip|2a02:a03f:6b2c:e100:c8a1:17ff:fe3b:9d40⟧]
X-Sender-IP: ⟦ip|2a02:a03f:6b2c:e100:c8a1:17ff:fe3b:9d40⟧
X-MS-Exchange-CrossTenant-UserPrincipalName: ⟦em|jan.peeters@contoso.be⟧
Thread-Topic: Toestel ⟦u|2210⟧ belt niet meer uit
Sender: ⟦n|Jan⟧ ⟦n|Peeters⟧ <⟦em|jan.peeters@contoso.be⟧>"""),
("modem-at-session", P_AT, """AT+CNUM
+CNUM: "⟦n|Mehmet⟧","⟦ph|+905321234567⟧",145
OK
RING
+CLIP: "⟦ph|05441234567⟧",129,"",0,"⟦n|Zeynep⟧ ⟦n|Aksoy⟧",0
AT+CLCC
+CLCC: 1,1,4,0,0,"⟦ph|05441234567⟧",129
AT+CGSN
⟦id|867530021234566⟧
OK"""),
("mbox-from-line", P_RCV, """From ⟦em|e.kowalczyk@poczta.example.pl⟧  Thu Apr  4 17:50:02 2024
X-Mozilla-Status: 0001
Delivered-To: ⟦em|helpdesk@firma.example.pl⟧
Received: by 2002:a05:7000:9e8f:b0:5c1:1122:aa01 with SMTP id ⟦id|ob15csp1102883mab⟧;
X-Google-Smtp-Source: ⟦id|AGHT+IGq8yQy0xL3b1m8q2PzT9aR4s5t6u7v8w9x0y1z2A3B4C5D6E7F8G9H⟧
X-Received: from [⟦ip|192.168.0.101⟧] (⟦ip|host-83-24-117-9.dynamic.example.pl⟧. [⟦ip|83.24.117.9⟧])"""),
]
