P_JAMI = "Jami/Ring daemon log '[epoch|tid|file.cpp:line ] ...', github.com/KDE/ring-kde/pull/3 (dring log), jami-daemon account details (Account.username, Account.registeredName)"
P_MSIP = "MicroSIP (pjsua-based) log and MicroSIP.ini, github.com/JFC-Group/JFC-microsip/issues/10"
P_DART = "dart-sip-ua 'flutter:  SIP_LOG <ts>  → REGISTER' console, github.com/flutter-webrtc/dart-sip-ua/pull/578"
P_PROV = "IP-phone provisioning files: Yealink y0000000000xx.cfg 'account.1.*', Grandstream P-value cfg, Snom XML settings, as pasted in FreePBX/fusionpbx provisioning issues"
P_LRC = "linphonerc [auth_info_N]/[proxy_N] sections and baresip ~/.baresip/accounts lines (linphone-desktop and baresip docs/issues)"
P_SOFIA = "sofia-sip nua/nta/tport debug output (TPORT_LOG=1, NUA_DEBUG=9), sofia-sip docs 'debug_logs' and FreeSWITCH 'sofia loglevel all 9' pastes"
P_RESIP = "reSIProcate log lines 'DEBUG | 20240402-101112.345 | repro | RESIP:TRANSACTION | ...' (resip/stack Log format, repro logs in resiprocate issues)"
P_JAIN = "JAIN-SIP / NIST-SIP test fixtures building messages from Java string concatenation (javax.sip TCK style \"...\\r\\n\" + ...)"
P_DRACH = "drachtio-server log lines and drachtio-srf debug 'drachtio:agent' output (drachtio/drachtio-server issues)"
P_NGREP = "ngrep -W byline SIP capture 'U 2015/07/07 15:35:33.103946 a:5060 -> b:5060', github.com/kamailio/kamailio/issues/237"
P_SNGREP = "sngrep call list / 'Save as .txt' export (Idx Method SIP From SIP To Msgs Source Destination Call State), github.com/irontec/sngrep README"
P_HOMER = "HOMER 7 / homer-app search API JSON (sid, srcIp, dstIp, ruri_user, from_user, to_user, pid_user, auth_user, user_agent), sipcapture/homer-app"
T = [
("jami-daemon-log", P_JAMI, """[1712061522.029|25416|manager.cpp:313         ] Configuration file path: /home/⟦u|lenamueller⟧/.config/jami/dring.yml
[1712061522.101|25416|jamiaccount.cpp:1902   ] [Account ⟦id|3f9a1c2e7b4d5a60⟧] loading account: registered name: ⟦u|lena_mueller⟧
[1712061522.140|25416|namedirectory.cpp:214  ] Name lookup for ⟦id|ef2c41a9b07d36e58c1f2a3b4c5d6e7f80912a3b⟧: ⟦u|lena_mueller⟧
[1712061523.887|25433|jamiaccount.cpp:2311   ] [Account ⟦id|3f9a1c2e7b4d5a60⟧] DHT status: IPv4 connected; IPv6 connecting
[1712061524.002|25433|sipcall.cpp:511        ] [call:⟦id|4429107718830141⟧] Outgoing call to ring:⟦id|7d0e5b3a91c4f268a0b1c2d3e4f5061728394a5b⟧"""),
("jami-daemon-log", P_JAMI, """[1712062011.514|1190|conversation_module.cpp:1280] [Account ⟦id|9be0f7d1c2a34e56⟧] [Conversation ⟦id|a5f0c9e1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a697⟧] Add member ⟦id|2c7a9e1b3d5f7091a2b4c6d8e0f1a3b5c7d9e1f2⟧ (⟦u|piotr.nowak⟧)
[1712062011.600|1190|jamiaccount.cpp:3407    ] [Account ⟦id|9be0f7d1c2a34e56⟧] sending trust request to ⟦id|2c7a9e1b3d5f7091a2b4c6d8e0f1a3b5c7d9e1f2⟧ with displayName "⟦n|Piotr⟧ ⟦n|Nowak⟧"
[1712062012.033|1203|ice_transport.cpp:612   ] [ice:0x7f3a4c012340] add remote candidate: 1 1 UDP 2130706431 ⟦ip|192.168.0.23⟧ 49153 typ host"""),
("jami-account-details", P_JAMI, """Account.accountType: RING
Account.alias: ⟦n|Carolina⟧ ⟦n|Ferreira⟧
Account.displayName: ⟦n|Carolina⟧ ⟦n|Ferreira⟧
Account.username: ring:⟦id|5e2b8d1f4a7c0e3b6d9f2a5c8e1b4d7f0a3c6e9b⟧
Account.registeredName: ⟦u|carol.ferreira⟧
Account.archivePassword: ⟦sec|Pr1mavera!2024⟧
Account.hostname: bootstrap.jami.net
Account.deviceID: ⟦id|b71c3e5a9d2f4068c1e3a5b7d9f1c3e5a7b9d1f3c5e7a9b1d3f5c7e9a1b3d5f7⟧
Account.deviceName: ⟦n|Carolina⟧'s Pixel 7
Account.enable: true"""),
("microsip-log", P_MSIP, """18:28:27.151    tsx000002573B09D648  ...State changed from Null to Calling, event=TX_MSG
18:28:27.151            pjsua_acc.c  ..Acc 0: Registration sent
18:28:27.660   tlsc000002573EAB7EE8  TLS connect() error: [code=494258] peer: ⟦ip|10.10.10.1⟧: Unknown error 494258
18:28:27.661           pjsua_core.c  .TX 612 bytes Request msg REGISTER/cseq=24682 (tdta000002573AF6BE48) to TLS ⟦ip|10.10.10.1⟧:5068:
REGISTER sip:pbx.example.cz SIP/2.0
From: "⟦n|Tomáš⟧ ⟦n|Dvořák⟧" <sip:⟦u|dvorak⟧@pbx.example.cz>;tag=⟦id|a3f0e6b2c8d14f9a⟧
Contact: "⟦n|Tomáš⟧ ⟦n|Dvořák⟧" <sip:⟦u|dvorak⟧@⟦ip|10.10.10.47⟧:1327;transport=TLS;ob>
Call-ID: ⟦id|7b1f60cd2e8a4c3b9e0d5f1a2c7e8b90⟧
User-Agent: ⟪MicroSIP⟫/3.21.4"""),
("microsip-ini", P_MSIP, """[Settings]
accountId=1
singleMode=1
recordingPath=C:\\Users\\⟦u|tdvorak⟧\\Music\\MicroSIP
[Account1]
label=Kancelář
server=pbx.example.cz
proxy=
domain=pbx.example.cz
username=⟦u|dvorak⟧
password=⟦sec|Hn7#zq2Lw⟧
authID=⟦u|dvorak-auth⟧
displayName=⟦n|Tomáš⟧ ⟦n|Dvořák⟧
voicemailNumber=*97
transport=tls"""),
("dart-sip-ua-log", P_DART, """flutter:  SIP_LOG 2024-02-19 12:42:55.773064  → REGISTER sip:sip.example.com SIP/2.0
flutter:  SIP_LOG 2024-02-19 12:42:55.773246  Via: SIP/2.0/WSS ⟦id|3510896i0495⟧.invalid;branch=z9hG4bK1494827393
flutter:  SIP_LOG 2024-02-19 12:42:55.773777  To: <sip:⟦u|userderyakaya58120⟧@sip.example.com>
flutter:  SIP_LOG 2024-02-19 12:42:55.773863  From: "⟦ph|+905321234567⟧" <sip:⟦u|userderyakaya58120⟧@sip.example.com>;tag=⟦id|5416487485⟧
flutter:  SIP_LOG 2024-02-19 12:42:55.774026  CSeq: 4 REGISTER
flutter:  SIP_LOG 2024-02-19 12:42:55.774067  Authorization: Digest algorithm=MD5, username="⟦u|userderyakaya58120⟧", realm="sip.example.com", nonce="⟦id|aZd2+2mXdc/Fm8LSKfGjrtllo5vsuBEhL6VSjUA=⟧", response="⟦sec|a77f82635f9b9fbad8f3d9380c7a65c1⟧", opaque="4/⟦ip|10.231.83.184⟧"
flutter:  SIP_LOG 2024-02-19 12:42:55.774142  Contact: <sip:⟦id|wvnsi0uv⟧@⟦id|3510896i0495⟧.invalid;transport=wss>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:⟦id|eafc1df7-c406-4620-9b6a-b3636c8aaf5e⟧>\""""),
("dart-sip-ua-log", P_DART, """flutter: [2024-03-11 09:02:44.118] Level.debug sip_ua_helper.dart:211 ::: call state changed: CallStateEnum.CALL_INITIATION, remote: ⟦ph|+48601234567⟧, display: ⟦n|Zofia⟧ ⟦n|Wiśniewska⟧
flutter: [2024-03-11 09:02:46.530] Level.debug rtc_session.dart:1702 ::: emit "progress" originator: remote, ⟦n|Zofia⟧ ⟦n|Wiśniewska⟧ <sip:⟦u|zwisniewska⟧@pbx.example.pl>"""),
("yealink-provisioning", P_PROV, """#!version:1.0.0.1
account.1.enable = 1
account.1.label = ⟦n|Kerstin⟧ ⟦n|Albers⟧
account.1.display_name = ⟦n|Kerstin⟧ ⟦n|Albers⟧
account.1.auth_name = ⟦u|k.albers⟧
account.1.user_name = ⟦u|4417⟧
account.1.password = ⟦sec|Zx81!fkq0⟧
account.1.sip_server.1.address = pbx.example.de
account.1.sip_server.1.port = 5061
static.network.internet_port.ip = ⟦ip|192.168.77.30⟧
static.autoprovision.server.url = https://prov.example.de/⟦mac|805ec0a1b2c3⟧.cfg"""),
("grandstream-pvalues", P_PROV, """# Grandstream GXP1625 config ⟦mac|000b82e4f1a7⟧
P270 = ⟦n|Rui⟧ ⟦n|Carvalho⟧
P47 = voip.example.pt
P35 = ⟦u|2208⟧
P36 = ⟦u|2208⟧
P34 = ⟦sec|qW3rtY9u⟧
P3 = ⟦n|Rui⟧ ⟦n|Carvalho⟧
P1362 = pt"""),
("snom-xml-settings", P_PROV, """<?xml version="1.0" encoding="utf-8"?>
<settings>
 <phone-settings e="2">
  <user_realname idx="1" perm="">⟦n|Maarten⟧ de ⟦n|Graaf⟧</user_realname>
  <user_name idx="1" perm="">⟦u|3105⟧</user_name>
  <user_pname idx="1" perm="">⟦u|mdegraaf⟧</user_pname>
  <user_pass idx="1" perm="">⟦sec|tulp-8812-Zomer⟧</user_pass>
  <user_host idx="1" perm="">sip.example.nl</user_host>
  <user_mailbox idx="1" perm="">⟦u|3105⟧</user_mailbox>
 </phone-settings>
</settings>"""),
("linphonerc", P_LRC, """[proxy_0]
reg_proxy=<sip:sip.example.be;transport=tls>
reg_identity="⟦n|Lotte⟧ ⟦n|Peeters⟧" <sip:⟦u|lpeeters⟧@sip.example.be>
reg_expires=3600
[auth_info_0]
username=⟦u|lpeeters⟧
userid=⟦u|lpeeters⟧
passwd=⟦sec|Brussel#2024⟧
ha1=⟦sec|5f4dcc3b5aa765d61d8327deb882cf99⟧
realm=sip.example.be
domain=sip.example.be"""),
("baresip-accounts", P_LRC, """# ~/.baresip/accounts
"⟦n|Giulia⟧ ⟦n|Esposito⟧" <sip:⟦u|gesposito⟧@voip.example.it;transport=tls>;auth_pass=⟦sec|Vesuvio88x⟧;answermode=manual;mwi=yes
<sip:⟦u|0612345678⟧@sip.example.nl>;auth_user=⟦u|a3f11092⟧;auth_pass=⟦sec|klompen-42⟧;regint=600"""),
("sofia-sip-debug", P_SOFIA, """nua.c:1457 nua_application_event() nua(0x55d4c6a1f2b0): event r_register 200 OK
nta.c:3046 agent_recv_response() nta: received 200 OK for REGISTER (2)
tport.c:3265 tport_deliver() tport_deliver(0x55d4c69e8a10): msg 0x55d4c6a20c40 (612 bytes) from udp/⟦ip|85.214.33.17⟧:5060/sip next=(nil)
   ------------------------------------------------------------------------
   SIP/2.0 200 OK
   From: "⟦n|Aylin⟧ ⟦n|Demir⟧" <sip:⟦u|aylin.demir⟧@sip.example.com.tr>;tag=⟦id|Bv9X2gQe1ZpmK⟧
   To: <sip:⟦u|aylin.demir⟧@sip.example.com.tr>;tag=⟦id|as61c2e19f⟧
   Contact: <sip:⟦u|aylin.demir⟧@⟦ip|78.180.44.201⟧:5060>;expires=600
   ------------------------------------------------------------------------"""),
("sofia-sip-debug", P_SOFIA, """2024-04-02 10:31:07.812233 [DEBUG] sofia.c:7384 Channel sofia/external/⟦ph|+33612345678⟧ entering state [calling][0]
2024-04-02 10:31:07.812233 [DEBUG] nua_session.c:2631 nua(0x7f1c2c046ab0): call state changed: init -> calling, sent offer
2024-04-02 10:31:08.044110 [DEBUG] nta.c:3251 outgoing_reply: 100 Trying for INVITE sip:⟦ph|+33612345678⟧@⟦ip|212.27.52.5⟧ (⟦id|0d6e8f1a-3c4b-123d-9a7e-02e1c3f4a5b6⟧)"""),
("resiprocate-log", P_RESIP, """DEBUG | 20240402-101112.345 | repro | RESIP:TRANSACTION | 140031229761280 | TransactionState.cxx:2215 | Processing ... INVITE sip:⟦u|jdurand⟧@example.fr tid=⟦id|4a8e1c6d0f3b⟧ cseq=1 INVITE contact=sip:⟦u|pmartin⟧@⟦ip|192.168.5.14⟧:5062 / 1 from(tu)
INFO | 20240402-101112.351 | repro | REPRO | 140031220844288 | ResponseContext.cxx:521 | Adding target sip:⟦u|jdurand⟧@⟦ip|10.4.1.77⟧:5060;transport=TCP with tid=⟦id|e21c0f9a74b3⟧
WARNING | 20240402-101113.002 | repro | RESIP:DUM | 140031220844288 | ServerAuthManager.cxx:410 | Authentication failed for user ⟦u|pmartin⟧ realm example.fr from ⟦ip|192.168.5.14⟧"""),
("jain-sip-fixture", P_JAIN, """String invite = "INVITE sip:⟦u|ingrid.holm⟧@sip.example.se SIP/2.0\\r\\n"
    + "Via: SIP/2.0/UDP ⟦ip|10.0.44.12⟧:5070;branch=z9hG4bK-⟦id|d8754z-2f1c39b6⟧\\r\\n"
    + "From: \\"⟦n|Nils⟧ ⟦n|Ekström⟧\\" <sip:⟦u|nils.ekstrom⟧@sip.example.se>;tag=⟦id|12345abc⟧\\r\\n"
    + "To: <sip:⟦u|ingrid.holm⟧@sip.example.se>\\r\\n"
    + "Call-ID: ⟦id|f81d4fae7dec11d0a76500a0c91e6bf6⟧@⟦ip|10.0.44.12⟧\\r\\n"
    + "CSeq: 1 INVITE\\r\\n"
    + "P-Asserted-Identity: <tel:⟦ph|+46701234567⟧>\\r\\n"
    + "Content-Length: 0\\r\\n\\r\\n";"""),
("drachtio-log", P_DRACH, """2024-04-02 11:05:41.221414 recv 943 bytes from udp/[⟦ip|54.172.60.1⟧]:5060 at 11:05:41.221320:
INVITE sip:⟦ph|+12025550143⟧@⟦ip|10.0.1.20⟧ SIP/2.0
From: "⟦n|DESHAWN⟧ ⟦n|TURNER⟧" <sip:⟦ph|+13125550178⟧@⟦ip|54.172.60.1⟧>;tag=⟦id|5yH2ZgPq8N1mB⟧
X-Twilio-AccountSid: ⟦id|AC6c8c88b048a04a173cc629cae521d7f0⟧
X-Twilio-CallSid: ⟦id|CA7fd72394a784f268e0a9bdc251b7a2c4⟧
2024-04-02 11:05:41.223001 drachtio:agent sending SIP INVITE to app ⟦id|a1b2c3d4-5e6f⟧ caller ⟦ph|+13125550178⟧"""),
("ngrep-byline", P_NGREP, """U 2024/04/02 15:35:33.103946 ⟦ip|10.7.0.109⟧:5060 -> ⟦ip|10.7.0.173⟧:5060 #14
REGISTER sip:sip.example.ie;transport=UDP SIP/2.0.
Via: SIP/2.0/UDP ⟦ip|192.168.1.238⟧:54270;rport=57937;received=⟦ip|86.44.160.202⟧;branch=z9hG4bK-524287-1---⟦id|6ab5bde6fb54f05f⟧.
Contact: <sip:⟦u|siobhan_k⟧@⟦ip|192.168.1.238⟧:54270;alias=⟦ip|86.44.160.202⟧~57937~1;rinstance=⟦id|f07ae8c64e7a1962⟧;transport=UDP>.
To: "⟦n|Siobhán⟧ ⟦n|Kelly⟧" <sip:⟦u|siobhan_k⟧@sip.example.ie;transport=UDP>.
Call-ID: ⟦id|iwGubUeCiNBMYcFqL4Kf4g⟧...
User-Agent: Z 5.6.1 v2.10.19.5."""),
("sngrep-export", P_SNGREP, """Idx  Method   SIP From                       SIP To                         Msgs  Source                Destination           Call State
1    INVITE   ⟦u|2204⟧@pbx.example.de               ⟦ph|015112345678⟧@pbx.example.de      7     ⟦ip|192.168.2.50⟧:5060    ⟦ip|192.168.2.1⟧:5060     COMPLETED
2    INVITE   ⟦u|anna.berg⟧@pbx.example.de          ⟦u|2210⟧@pbx.example.de               4     ⟦ip|192.168.2.61⟧:5062    ⟦ip|192.168.2.1⟧:5060     CANCELLED
3    REGISTER ⟦u|2204⟧@pbx.example.de               ⟦u|2204⟧@pbx.example.de               2     ⟦ip|192.168.2.50⟧:5060    ⟦ip|192.168.2.1⟧:5060"""),
("homer-search-json", P_HOMER, """{"data":[{"id":918271,"sid":"⟦id|3c5a1b8e2d4f6071⟧@⟦ip|10.0.0.15⟧","create_date":1712061600123,"protocol":17,"srcIp":"⟦ip|81.2.69.160⟧","srcPort":5060,"dstIp":"⟦ip|10.0.0.15⟧","dstPort":5060,"method":"INVITE","ruri_user":"⟦ph|442071838750⟧","from_user":"⟦ph|447700900388⟧","to_user":"⟦ph|442071838750⟧","pid_user":"⟦ph|447700900388⟧","auth_user":"","user_agent":"Sonus SBC","callid":"⟦id|3c5a1b8e2d4f6071⟧@⟦ip|10.0.0.15⟧","fromTag":"⟦id|gK0a1f2b3c⟧","aliasSrc":"carrier-lon","node":"homer01"}],"total":1}"""),
]
