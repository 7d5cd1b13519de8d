P_B64J = "base64-encoded JSON blobs in logs: JWT-less session/state cookies, Firebase data messages, SIP X-headers carrying base64 JSON (X-Context, X-UUI), Twilio/Vonage custom params"
P_UJ = "JSON with \\uXXXX-escaped non-ASCII strings (Python json.dumps ensure_ascii=True, Java Jackson ESCAPE_NON_ASCII) in app logs"
P_COL = "column dumps without announcing words: sqlite3 default '|' output, psql aligned tables, whitespace-aligned CLI tables, header-less CSV"
T = [
("b64-json-x-header", P_B64J, """X-Context: ⟦id|eyJjYWxsZXIiOiJKb2huIFNtaXRoIiwibnVtYmVyIjoiKzE0MTU1NTUwMTkyIiwiZW1haWwiOiJqc21pdGhAZXhhbXBsZS5jb20ifQ==⟧
User-to-User: ⟦id|eyJjdXN0b21lcklkIjoiOTkxMjMiLCJuYW1lIjoiTWFyw61hIEdvbnrDoWxleiJ9⟧;encoding=base64;purpose=call"""),
("b64-json-fcm-data", P_B64J, """D/FCM: onMessageReceived data={payload=⟦id|eyJ0eXBlIjoiaW5jb21pbmdfY2FsbCIsImZyb20iOiIrMzQ2MTIzNDU2NzgiLCJkaXNwbGF5TmFtZSI6IkFuYSBSdWl6In0=⟧, ttl=30}"""),
("b64-json-cookie", P_B64J, """Set-Cookie: session=⟦id|eyJ1c2VyIjoiZnJlZGVyaWtAZXhhbXBsZS5ubyIsImV4dCI6IjQ0MTIiLCJpcCI6IjgyLjE2NC4xMi45In0⟧; Path=/; HttpOnly; Secure"""),
("unicode-escaped-json", P_UJ, """{"event":"call.ringing","caller":{"name":"⟦n|J\\u00f6rg⟧ ⟦n|M\\u00fcller-L\\u00fcdenscheidt⟧","number":"⟦ph|+49 2351 123456⟧"},"callee":{"name":"⟦n|\\u0141ukasz⟧ ⟦n|W\\u00f3jcik⟧","ext":"⟦u|221⟧"},"note":"R\\u00fcckruf erbeten"}"""),
("unicode-escaped-json-cjk", P_UJ, """{"contact":{"displayName":"⟦n|\\u5f20\\u4f1f⟧","phone":"⟦ph|\\u002b86 139 1234 5678⟧","addr":"⟦geo|\\u5317\\u4eac\\u5e02\\u671d\\u9633\\u533a\\u5efa\\u56fd\\u8def88\\u53f7⟧"},"status":"\\u672a\\u63a5"}"""),
("unicode-escaped-json-cyr", P_UJ, """{"from":"⟦n|\\u0410\\u043d\\u043d\\u0430⟧ ⟦n|\\u041f\\u0435\\u0442\\u0440\\u043e\\u0432\\u0430⟧","to":"⟦u|1105⟧","text":"\\u043f\\u0435\\u0440\\u0435\\u0437\\u0432\\u043e\\u043d\\u0438 \\u043d\\u0430 ⟦ph|+7 903 123-45-67⟧"}"""),
("sqlite-calllog-columns", P_COL, """sqlite> select * from calls limit 3;
1|⟦ph|+4915112345678⟧|⟦n|Anja⟧ ⟦n|Winter⟧|1712000000|65|1|⟦u|anja.w⟧
2|⟦ph|+4930987654⟧||1712003600|0|3|
3|⟦u|1207⟧|⟦n|Bernd⟧ ⟦n|Sauer⟧|1712007200|312|2|⟦u|bsauer⟧"""),
("csv-headerless-registrations", P_COL, """⟦u|2101⟧,pbx.example.it,⟦ip|93.41.27.118⟧,5060,⟦ph|+390612345678⟧,⟦n|Chiara⟧ ⟦n|Ferri⟧,Yealink T54W,3600
⟦u|2102⟧,pbx.example.it,⟦ip|93.41.27.119⟧,5062,⟦ph|+390612345679⟧,⟦n|Davide⟧ ⟦n|Russo⟧,Snom D785,3600"""),
("whitespace-table-presence", P_COL, """ID     Peer                 Presence     Subscriber
⟦u|4001⟧   ⟦n|Kimura⟧ ⟦n|Aiko⟧          available    ⟦sip|aiko.kimura@pbx.example.jp⟧
⟦u|4002⟧   ⟦n|Ito⟧ ⟦n|Daisuke⟧          busy         ⟦sip|d.ito@pbx.example.jp⟧
⟦u|4003⟧   Reception            offline      -"""),
("psql-contacts-table", P_COL, """ id  |   first   |    last     |     mobile      |          email
-----+-----------+-------------+-----------------+-------------------------
  17 | ⟦n|Rosalind⟧  | ⟦n|Achterberg⟧  | ⟦ph|+31 6 2345 6789⟧ | ⟦em|r.achterberg@example.nl⟧
  18 | ⟦n|Thijs⟧     | ⟦n|Brouwer⟧     | ⟦ph|+31 6 9876 5432⟧ | ⟦em|thijs@brouwer.example⟧
(2 rows)"""),
("tsv-export-crm", P_COL, """⟦n|Eleni⟧\t⟦n|Stavrou⟧\t⟦ph|6977123456⟧\t⟦geo|Odos Ermou 45, 10563 Athina⟧\t⟦id|1981-04-17⟧
⟦n|Kostas⟧\t⟦n|Mavridis⟧\t⟦ph|6945987654⟧\t⟦geo|Tsimiski 112, 54622 Thessaloniki⟧\t⟦id|1975-12-02⟧"""),
("fixed-width-cdr", P_COL, """20240404160211 ⟦ph|0612345678⟧      ⟦u|4021⟧  0072 ANS ⟦n|HOEKSTRA⟧ P
20240404161502 ⟦ph|0201234567⟧      ⟦u|4022⟧  0000 NOA ⟦n|JANSEN⟧ M"""),
("b64-json-sip-message-body", P_B64J, """MESSAGE sip:bot@chat.example.com SIP/2.0
Content-Type: application/vnd.example+json;base64
Content-Length: 120
⟦id|eyJ0ZXh0IjoiTWVpbmUgTnVtbWVyIGlzdCAwMTcxIDEyMzQ1NjciLCJmcm9tIjoiU3RlZmFuIEJlY2sifQ==⟧"""),
]
