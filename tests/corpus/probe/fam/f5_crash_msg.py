P_WER = "Windows Error Reporting Report.wer (C:\\ProgramData\\Microsoft\\Windows\\WER\\ReportArchive\\...): Sig[n].Name/Value, AppPath, LoadedModule[n], ReportIdentifier, as pasted in electron/nw.js crash issues"
P_EVT = "Windows Event Viewer Application Error 1000 text ('Faulting application name: ... Faulting module path: ...'), as pasted in softphone issue trackers"
P_CORE = "systemd coredumpctl info output (PID, UID, Command Line, Executable, Hostname, Storage), as pasted in baresip/linphone Linux crash issues"
P_ANR = "Android ANR traces.txt / dropbox header ('----- pid 12345 at ... -----', 'Cmd line:', data dir paths), AOSP ANR format"
P_SMSXML = "SMS Backup & Restore XML export (<sms protocol=... address=... contact_name=... body=.../>, <call number=... duration=... contact_name=.../>), SyncTech format docs"
P_MAIL = "RFC 2045 quoted-printable / base64 e-mail bodies and Outlook forwarded-header blocks in German/French/Spanish ('Von: / Gesendet: / An: / Betreff:', 'De : / Envoyé : / À : / Objet :')"
P_VCF21 = "vCard 2.1 with ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8 (Android Contacts export .vcf), RFC 2426 / vCard 2.1 spec"
P_TG = "Telegram Desktop JSON chat export (result.json: from, from_id, text, phone_number) and Signal/Element plain-text copy"
T = [
("windows-wer-report", P_WER, """Version=1
EventType=APPCRASH
EventTime=133566312011548762
ReportType=2
Consent=1
ReportIdentifier=⟦id|c4a7d3e1-58b2-4f09-9e6a-2d1b7f3c8a50⟧
NsAppName=Zoiper5.exe
Sig[0].Name=Application Name
Sig[0].Value=Zoiper5.exe
Sig[1].Name=Application Version
Sig[1].Value=5.6.1.0
LoadedModule[0]=C:\\Users\\⟦u|m.kowalczyk⟧\\AppData\\Local\\Zoiper5\\Zoiper5.exe
LoadedModule[41]=C:\\Users\\⟦u|m.kowalczyk⟧\\AppData\\Local\\Zoiper5\\plugins\\libzrtp.dll
AppPath=C:\\Users\\⟦u|m.kowalczyk⟧\\AppData\\Local\\Zoiper5\\Zoiper5.exe
MachineName=⟦n|MARTA⟧-LAPTOP
UserName=⟦u|m.kowalczyk⟧"""),
("windows-event-1000", P_EVT, """Faulting application name: Bria.exe, version: 6.7.1.0, time stamp: 0x65a1f0c2
Faulting module name: ntdll.dll, version: 10.0.19041.3636, time stamp: 0x2a8e7c11
Exception code: 0xc0000374
Faulting process id: 0x1f34
Faulting application path: C:\\Users\\⟦u|jlaurent⟧\\AppData\\Local\\CounterPath\\Bria\\Bria.exe
Faulting module path: C:\\WINDOWS\\SYSTEM32\\ntdll.dll
Report Id: ⟦id|9b2e4c71-0d5a-4f3e-b8a1-6c7d2e9f0a14⟧
Faulting package full name: 
Log Name: Application  Source: Application Error  Computer: ⟦n|JEAN⟧-⟦n|LAURENT⟧-PC.corp.example.fr  User: CORP\\⟦u|jlaurent⟧"""),
("coredumpctl-info", P_CORE, """           PID: 48211 (baresip)
           UID: 1000 (⟦u|tkaya⟧)
           GID: 1000 (⟦u|tkaya⟧)
        Signal: 11 (SEGV)
     Timestamp: Tue 2024-04-02 10:44:12 CEST (3min ago)
  Command Line: baresip -f /home/⟦u|tkaya⟧/.baresip -e /dial sip:⟦u|emre.sahin⟧@sip.example.com.tr
    Executable: /usr/bin/baresip
       Boot ID: ⟦id|5a8f2c1e9b7d4e3fa06c1d2b3e4f5a69⟧
    Machine ID: ⟦id|0e3b9c7a5f1d4e2b8a6c4e2f0d8b6a4c⟧
      Hostname: ⟦n|tugba⟧-thinkpad
       Storage: /var/lib/systemd/coredump/core.baresip.1000.⟦id|5a8f2c1e9b7d4e3fa06c1d2b3e4f5a69⟧.48211.1712047452000000.zst"""),
("android-anr-trace", P_ANR, """----- pid 21877 at 2024-04-02 12:01:44.552118114+0200 -----
Cmd line: org.linphone
Build fingerprint: 'samsung/a52qnsxx/a52q:14/UP1A.231005.007/A525FXXS8HXC1:user/release-keys'
ABI: 'arm64'
"main" prio=5 tid=1 Blocked
  | sysTid=21877 nice=-10 cgrp=top-app sched=0/0 handle=0x7b2a8c74f8
  at org.linphone.core.CoreImpl.iterate(Native method)
  - waiting to lock <0x0a1b2c3d> held by thread 23
  at org.linphone.contacts.ContactsManager.onContactLoaded(ContactsManager.kt:211) name=⟦n|Kübra⟧ ⟦n|Aydın⟧ sipAddress=sip:⟦u|kaydin⟧@sip.linphone.org
  at java.io.File.<init>(/data/user/0/org.linphone/files/⟦em|kaydin@sip.linphone.org⟧.db)"""),
("sms-backup-xml", P_SMSXML, """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3" backup_set="⟦id|b1f0c2d4-8e6a-4c3b-9f1e-7a5d3c2b1e0f⟧" backup_date="1712044800000" type="full">
  <sms protocol="0" address="⟦ph|+4917012345678⟧" date="1712001234000" type="1" subject="null" body="Hi Papa, ich bin um 18 Uhr am Bahnhof. LG ⟦n|Mia⟧" service_center="⟦ph|+491710760000⟧" read="1" status="-1" locked="0" date_sent="1712001230000" readable_date="01.04.2024 21:53:54" contact_name="⟦n|Mia⟧ ⟦n|Hartmann⟧" />
  <sms protocol="0" address="⟦ph|0170 9876543⟧" date="1712003333000" type="2" body="Dein Code lautet ⟦sec|418266⟧" contact_name="(Unknown)" />
</smses>"""),
("call-backup-xml", P_SMSXML, """<calls count="2" backup_date="1712044800000" type="full">
  <call number="⟦ph|+33612345678⟧" duration="184" date="1711990000000" type="1" presentation="1" subscription_id="⟦id|89330123456789012345⟧" post_dial_digits="" readable_date="1 avr. 2024 18:46:40" contact_name="⟦n|Maman⟧" />
  <call number="⟦ph|0145678910⟧" duration="0" date="1711993600000" type="3" presentation="1" readable_date="1 avr. 2024 19:46:40" contact_name="⟦n|Dr⟧ ⟦n|Benali⟧ cabinet" />
</calls>"""),
("email-quoted-printable", P_MAIL, """Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable
Hallo zusammen,=0A=0Ader Anruf von Frau ⟦n|M=C3=BCller-L=C3=BCdenscheidt⟧ kam von =2B49 ⟦ph|151 2=
3456789⟧ und nicht von der Zentrale. Bitte an ⟦em|j=2Ewei=C3=9F=40example=2Ede⟧ weiterleit=
en.=0AGru=C3=9F, ⟦n|J=C3=BCrgen⟧"""),
("email-base64-body", P_MAIL, """Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: base64
⟦id|Qm9uam91ciwgbW9uIG51bcOpcm8gZXN0IGxlIDA2IDEyIDM0IDU2IDc4IGV0IG1vbiBpZGVudGlmaWFudCBTSVAgZXN0IHBtYXJ0aW4uCi0tIFBpZXJyZSBNYXJ0aW4K⟧"""),
("email-forward-de", P_MAIL, """-----Ursprüngliche Nachricht-----
Von: ⟦n|Katrin⟧ ⟦n|Vogelsang⟧ <⟦em|k.vogelsang@example.de⟧>
Gesendet: Dienstag, 2. April 2024 09:12
An: Support <support@example.de>
Cc: ⟦n|Lehmann⟧, ⟦n|Björn⟧ <⟦em|b.lehmann@example.de⟧>
Betreff: AW: Nebenstelle ⟦u|318⟧ klingelt nicht
Mobil: ⟦ph|+49 (0) 171 – 555 12 34⟧"""),
("email-forward-fr", P_MAIL, """De : ⟦n|Lefèvre⟧ ⟦n|Amandine⟧ <⟦em|amandine.lefevre@example.fr⟧>
Envoyé : mardi 2 avril 2024 10:03
À : ⟦n|Dupont⟧ ⟦n|Olivier⟧ <⟦em|o.dupont@example.fr⟧>
Objet : TR: poste ⟦u|2245⟧ injoignable
Ligne directe : ⟦ph|01 44 55 66 77⟧ – Portable : ⟦ph|06 98 76 54 32⟧"""),
("email-forward-es", P_MAIL, """-------- Mensaje original --------
De: ⟦n|Álvaro⟧ ⟦n|Ibáñez⟧ ⟦n|Cuesta⟧ <⟦em|alvaro.ibanez@example.es⟧>
Fecha: 2 abr 2024 11:20
Para: soporte@example.es
Asunto: No entran llamadas a la extensión ⟦u|4410⟧
Móvil ⟦ph|+34 612 34 56 78⟧ · Fijo ⟦ph|91 123 45 67⟧"""),
("vcard21-qp", P_VCF21, """BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:⟦n|=C5=81ukasz⟧;⟦n|Wr=C3=B3bel⟧;;;
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:⟦n|=C5=81ukasz⟧ ⟦n|Wr=C3=B3bel⟧
TEL;CELL;PREF:⟦ph|+48 601 234 567⟧
TEL;WORK:⟦ph|22 123 45 67⟧
EMAIL;HOME:⟦em|lukasz.wrobel@example.pl⟧
ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;⟦geo|ul. Kwiatowa 12=2F4⟧;⟦geo|Krak=C3=B3w⟧;;⟦geo|30-001⟧;Polska
END:VCARD"""),
("vcard21-qp", P_VCF21, """BEGIN:VCARD
VERSION:2.1
N:⟦n|Yilmaz⟧;⟦n|Elif⟧;;;
FN:⟦n|Elif⟧ ⟦n|Yilmaz⟧
X-SIP;HOME:sip:⟦u|elif.yilmaz⟧@sip.example.com.tr
X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;⟦n|Elo⟧;1;;;;;;;;;;;;;
PHOTO;ENCODING=BASE64;JPEG:⟦id|/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkS⟧
END:VCARD"""),
("telegram-export-json", P_TG, """{
 "name": "⟦n|Dmitri⟧ ⟦n|Volkov⟧",
 "type": "personal_chat",
 "id": ⟦id|4518827310⟧,
 "messages": [
  {"id": 88121, "type": "message", "date": "2024-04-02T10:11:12", "from": "⟦n|Dmitri⟧ ⟦n|Volkov⟧", "from_id": "user⟦id|4518827310⟧", "text": "Мой SIP логин ⟦u|dvolkov⟧, пароль ⟦sec|Kreml1n!⟧, если что звони ⟦ph|+7 916 123-45-67⟧"},
  {"id": 88122, "type": "message", "date": "2024-04-02T10:12:40", "from": "⟦n|Anya⟧", "from_id": "user⟦id|6021144987⟧", "text": [{"type": "phone", "text": "⟦ph|8 (495) 123-45-67⟧"}, " это рабочий"]}
 ]
}"""),
("signal-copy-paste", P_TG, """[02.04.24 10:14] ⟦n|Bram⟧ ⟦n|Janssens⟧: kun je mij terugbellen op ⟦ph|0470 12 34 56⟧? mijn toestel is ⟦u|2231⟧
[02.04.24 10:15] ⟦n|Fleur⟧: ok, ik bel je zo
[02.04.24 10:16] ⟦n|Bram⟧ ⟦n|Janssens⟧: of mail ⟦em|bram.janssens@example.be⟧"""),
]
