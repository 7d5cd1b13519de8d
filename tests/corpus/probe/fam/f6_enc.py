import base64, urllib.parse, quopri
P_QP = "RFC 2045 quoted-printable in SIP MESSAGE/MIME bodies and e-mail-to-SMS gateways"
P_PCT2 = "double percent-encoding in proxied click-to-call / webhook retry URLs (%2540, %252B), as seen in reverse-proxy access logs"
P_HTML = "HTML-escaped SIP traces in web admin panels (FreePBX/FusionPBX SIP trace viewers: &lt;sip:...&gt;, &quot;), HTML numeric entities for digits"
P_CESC = "C/Python string escapes in debug dumps (\\x40, \\x2b, octal \\100), Python repr of bytes b'...'"
P_UNI = "Unicode look-alikes pasted from chat apps: mathematical digits (U+1D7CE..), fullwidth, NBSP/figure-space groups, ZWJ inside words, Cyrillic homoglyphs, circled digits"
P_B64 = "base64 / base64url inside JSON (client_state, JWT payload, Basic auth in Proxy-Authorization), Telnyx client_state / Twilio JWT docs"
P_PUNY = "IDN e-mail/SIP domains in punycode (xn--) and Unicode (RFC 3492), e.g. German umlaut domains"
def b64(s): return base64.b64encode(s.encode()).decode()
def b64u(s): return base64.urlsafe_b64encode(s.encode()).decode().rstrip('=')
jwt_h = b64u('{"alg":"HS256","typ":"JWT"}')
jwt_p = b64u('{"sub":"lena.hoffmann","name":"Lena Hoffmann","phone":"+4915112345678","grants":{"voice":{"incoming":{"allow":true}}}}')
T = [
("qp-sip-message", P_QP, """MESSAGE sip:⟦u|4711⟧@pbx.example.de SIP/2.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable
R=C3=BCckruf bitte an ⟦n|Bj=C3=B6rn⟧ ⟦n|S=C3=B6derberg⟧ unter ⟦ph|=2B46=2070=20123=2045=2067⟧ oder ⟦em|bjorn=40example=2Ese⟧"""),
("qp-sms-gateway", P_QP, """To: ⟦ph|4915771234567⟧@sms.example.net
Subject: =?UTF-8?Q?R=C3=BCckruf_von_⟦n|=C5=81ukasz⟧_⟦n|Wr=C3=B3bel⟧?=
⟦ph|=2B48=20601=20234=20567⟧ hat angerufen (⟦n|=C5=81ukasz⟧ ⟦n|Wr=C3=B3bel⟧)"""),
("qp-mime-header", P_QP, """From: =?UTF-8?Q?⟦n|Ay=C5=9Fe⟧_⟦n|=C3=87elik⟧?= <⟦em|ayse.celik@example.com.tr⟧>
Subject: =?UTF-8?B?⟦id|""" + b64("Dahili 2214 çalışmıyor – Ayşe") + """⟧?="""),
("pct-double", P_PCT2, """10.0.0.5 - - [02/Apr/2024:10:11:12 +0200] "GET /c2c/dial?to=sip%253A⟦u|lhoffmann⟧%2540pbx.example.de&from=%252B⟦ph|4930901820⟧&name=⟦n|Lena%2520Hoffmann⟧ HTTP/1.1" 302 0 "-" "curl/8.5.0"
10.0.0.5 - - [02/Apr/2024:10:11:13 +0200] "GET /c2c/dial?to=sip%3A⟦u|lhoffmann⟧%40pbx.example.de&from=%2B⟦ph|4930901820⟧ HTTP/1.1" 200 17"""),
("pct-utf8-name", P_PCT2, """GET /api/v1/contacts/search?q=⟦n|%C5%81ukasz⟧%20⟦n|Wr%C3%B3bel⟧&phone=%2B⟦ph|48%20601%20234%20567⟧ HTTP/1.1
X-Forwarded-For: ⟦ip|83.12.44.201⟧"""),
("html-escaped-trace", P_HTML, """<pre>INVITE sip:⟦u|2305⟧@⟦ip|10.1.1.5⟧ SIP/2.0
From: &quot;⟦n|Ana⟧ ⟦n|Petrović⟧&quot; &lt;sip:⟦u|apetrovic⟧@pbx.example.rs&gt;;tag=⟦id|8a7f6e5d⟧
To: &lt;sip:⟦u|2305⟧@pbx.example.rs&gt;
P-Asserted-Identity: &quot;⟦n|Ana⟧ ⟦n|Petrović⟧&quot; &lt;tel:&#43;⟦ph|381641234567⟧&gt;</pre>"""),
("html-numeric-digits", P_HTML, """<td class="cid">⟦ph|&#48;&#49;&#55;&#54;&#32;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;⟧</td><td class="name">⟦n|Heinz⟧&nbsp;⟦n|Kowalski⟧</td><td>⟦em|&#x6B;&#x2E;&#x6D;&#x61;&#x79;&#x40;&#x65;&#x78;&#x61;&#x6D;&#x70;&#x6C;&#x65;&#x2E;&#x64;&#x65;⟧</td>"""),
("c-escape-dump", P_CESC, """DEBUG raw datagram: b'REGISTER sip:pbx.example.de SIP/2.0\\r\\nFrom: <sip:⟦u|mbecker⟧\\x40pbx.example.de>;tag=⟦id|9f8e7d⟧\\r\\nContact: <sip:⟦u|mbecker⟧\\x40⟦ip|192.168.0.12⟧:5060>\\r\\nP-Preferred-Identity: <tel:\\x2b⟦ph|4922112345678⟧>\\r\\n'"""),
("c-escape-dump", P_CESC, """pyVoIP: msg.headers['From'] = {'raw': '"⟦n|\\\\u00d6zlem⟧ ⟦n|Arslan⟧" <sip:⟦u|oarslan⟧@sip.example.com.tr>', 'tag': '⟦id|1a2b3c4d⟧', 'uri': 'sip:⟦u|oarslan⟧@sip.example.com.tr', 'user': '⟦u|oarslan⟧', 'host': 'sip.example.com.tr', 'caller': '⟦n|\\\\u00d6zlem⟧ ⟦n|Arslan⟧'}"""),
("unicode-math-digits", P_UNI, """ruf mich an: ⟦ph|𝟎𝟏𝟕𝟔 𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖⟧ (das ist mein Handy)"""),
("unicode-circled", P_UNI, """Nebenstelle ⟦u|②②⓪⑧⟧, Handy ⟦ph|⓪①⑦⓪ ⑨⑧⑦⑥⑤④③⟧ – bitte nicht weitergeben"""),
("unicode-zwj-name", P_UNI, """Anrufer: ⟦n|Wal\u200dtraud⟧ ⟦n|Schnei\u00addermann⟧, Rückrufnummer ⟦ph|0221\u2007123\u20074567⟧"""),
("unicode-homoglyph-email", P_UNI, """Bitte Logs an ⟦em|mаrkus.lang@example.de⟧ schicken (Account ⟦u|mlang⟧)"""),
("unicode-fullwidth-sip", P_UNI, """连接失败：ｓｉｐ：⟦u|ｚｈａｎｇｗｅｉ⟧＠ｐｂｘ．ｅｘａｍｐｌｅ．ｃｎ，电话 ⟦ph|１３８ ００１３ ８０００⟧"""),
("b64-jwt-twilio", P_B64, "TwilioVoice: registering with accessToken " + "⟦sec|" + jwt_h + "." + jwt_p + ".dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk⟧"),
("b64-proxy-auth", P_B64, """Proxy-Authorization: Basic ⟦sec|""" + b64("k.nowak:Warszawa2024!") + """⟧
X-Caller-Info: ⟦id|""" + b64('{"name":"Katarzyna Nowak","ext":"2219"}') + """⟧"""),
("punycode-email", P_PUNY, """Bitte an ⟦em|info@xn--mller-kva.de⟧ oder ⟦em|jürgen@müller-bäckerei.de⟧ mailen; SIP: sip:⟦u|juergen⟧@xn--mller-kva.de"""),
]
