P_ZOI = "Zoiper 5 for Windows debug log (Settings > Advanced > Debug log), layout as in Zoiper support forum posts"
P_3CX = "3CX client for Windows / 3CXPhone.log (%LocalAppData%\\3CXPhone\\), 3CX community forum pastes"
P_MSXML = "MicroSIP Contacts.xml and Accounts section of microsip.ini under %AppData%\\MicroSIP (microsip.org docs)"
P_UCC = "Skype for Business / Lync UCCAPILOG trace (TL_INFO(TF_PROTOCOL) lines, ms-diagnostics), msxfaq.de keyhole debugging; blog.valeconsulting.co.uk snooper refresher"
P_TEAMS = "New Teams (MSTeams) diagnostic log lines and logs.txt JSON fragments (%LocalAppData%\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache\\Microsoft\\MSTeams\\Logs)"
P_BRIA = "CounterPath Bria 6 Windows log (X-Lite heritage), 'Bria log' snippets on CounterPath forums"
P_JITSI = "Jitsi Desktop (SIP Communicator) log %AppData%\\Jitsi\\log\\jitsi0.log, github.com/jitsi/jitsi issues"
P_EVT = "Windows Event Log 'Application' text export (wevtutil qe /f:text) of a softphone service crash"
P_PS = "PowerShell Get-NetTCPConnection / netstat -ano output pasted in softphone support threads"
T = [
("zoiper5-win-debug", P_ZOI, """[2024-04-04 08:31:02.114] [Debug] [ACCOUNT] Account "⟦n|Dragan⟧ work" (id 2) registering as sip:⟦u|dragan.ilic⟧@sip.example.rs:5060;transport=udp
[2024-04-04 08:31:02.115] [Debug] [NET] Using local address ⟦ip|192.168.0.114⟧:53311, public address ⟦ip|109.93.14.202⟧:53311 (STUN stun.zoiper.com)
[2024-04-04 08:31:02.301] [Debug] [SIP] << 401 Unauthorized realm="asterisk" nonce="6a1c9f02"
[2024-04-04 08:31:02.305] [Debug] [SIP] >> REGISTER auth user ⟦u|dragan.ilic⟧ response=⟦sec|7b3e91c0d4f2a85e61b0c9d3e7f41a26⟧
[2024-04-04 08:31:02.388] [Info] [ACCOUNT] Account "⟦n|Dragan⟧ work" registered, expires 3600
[2024-04-04 08:31:05.002] [Debug] [CONFIG] Loaded contacts from ⟦path|C:\\Users\\dilic\\AppData\\Roaming\\Zoiper5\\contacts.xml⟧"""),
("zoiper5-win-call", P_ZOI, """[2024-04-04 09:10:44.020] [Info] [CALL] Incoming call from "⟦n|Milica⟧ ⟦n|Jovanović⟧" <sip:⟦u|381641234567⟧@sip.example.rs> on account 2
[2024-04-04 09:10:44.022] [Debug] [MEDIA] Codecs offered: ⟪opus⟫/48000 ⟪G722⟫/8000 ⟪PCMA⟫/8000 ⟪telephone-event⟫/8000
[2024-04-04 09:10:51.870] [Info] [CALL] Call 7 ended, duration 00:00:07, reason "Busy Here" (486)"""),
("3cx-win-client-log", P_3CX, """04/04/2024 10:02:11.411|INFO |Provisioning|Downloading https://pbx.alpen-ag.3cx.ch:5001/provisioning/⟦id|x7k2m9q4wz1r⟧/3cxprov_⟦id|9ad01f22b7⟧.xml
04/04/2024 10:02:11.902|INFO |Account|Extension ⟦u|142⟧ (⟦n|Beat⟧ ⟦n|Meier⟧) AuthID=⟦u|Bm7Qx2Lp⟧ registered via tunnel ⟦ip|178.198.44.10⟧:5090
04/04/2024 10:02:30.003|INFO |Call|Outgoing call to ⟦ph|0041 44 668 18 00⟧ via line ⟦u|142⟧ CallId=⟦id|a1Z9-3cx-ffe21b7c⟧"""),
("microsip-contacts-xml", P_MSXML, """<?xml version="1.0"?>
<contacts>
<contact number="⟦ph|+48 22 123 45 67⟧" name="⟦n|Zbigniew⟧ ⟦n|Wąsowski⟧" firstname="⟦n|Zbigniew⟧" lastname="⟦n|Wąsowski⟧" phone="⟦ph|501 234 876⟧" mobile="" email="⟦em|z.wasowski@firma.example.pl⟧" address="⟦geo|ul. Marszałkowska 84/92 m. 11, 00-514 Warszawa⟧" city="Warszawa" state="" zip="⟦geo|00-514⟧" comment="" presence="1" starred="0" info=""/>
<contact number="⟦u|2031⟧" name="Recepcja" presence="1" starred="1"/>
</contacts>"""),
("microsip-ini-accounts", P_MSXML, """[Account1]
label=⟦n|Hana⟧ office
server=pbx.example.cz
proxy=
domain=pbx.example.cz
username=⟦u|hana.dvorakova⟧
password=⟦sec|Kocka#2024praha⟧
authID=⟦u|3307⟧
displayName=⟦n|Hana⟧ ⟦n|Dvořáková⟧
voicemailNumber=*97
transport=tls
publicAddr=⟦ip|89.24.61.5⟧"""),
("sfb-uccapilog", P_UCC, """04/04/2024|11:20:14.552 2A40:3B18 INFO  :: Sending Packet - ⟦ip|10.44.8.19⟧:443 (From Local Address: ⟦ip|10.44.12.87⟧:51744) 1418 bytes:
04/04/2024|11:20:14.552 2A40:3B18 INFO  :: INVITE sip:⟦em|erik.nyberg@contoso.se⟧ SIP/2.0
Via: SIP/2.0/TLS ⟦ip|10.44.12.87⟧:51744
Max-Forwards: 70
From: <sip:⟦em|kaisa.virtanen@contoso.se⟧>;tag=5d7a0e1b3c;epid=⟦id|b2f91c7a04⟧
To: <sip:⟦em|erik.nyberg@contoso.se⟧>
Call-ID: ⟦id|4f0a9b2c7d1e43f8a6b5c2d1e0f9a8b7⟧
CSeq: 1 INVITE
Contact: <sip:⟦em|kaisa.virtanen@contoso.se⟧;opaque=user:epid:⟦id|Qm1xY3ZwT1c4RWFLdz09⟧;gruu>
User-Agent: UCCAPI/16.0.5413.1000 OC/16.0.5413.1000 (Skype for Business)
ms-subnet: 10.44.12.0
ms-endpoint-location-data: NetworkScope;ms-media-location-type=Intranet"""),
("sfb-uccapilog-diag", P_UCC, """04/04/2024|11:20:15.101 2A40:3B18 INFO  :: Data Received - ⟦ip|10.44.8.19⟧:443 (To Local Address: ⟦ip|10.44.12.87⟧:51744) 733 bytes:
04/04/2024|11:20:15.101 2A40:3B18 INFO  :: SIP/2.0 480 Temporarily Unavailable
ms-diagnostics: 15018;reason="Unable to reach user";source="sfbfe01.contoso.se";UserUri="sip:⟦em|erik.nyberg@contoso.se⟧"
ms-user-logon-data: RemoteUser
P-Asserted-Identity: "⟦n|Erik⟧ ⟦n|Nyberg⟧"<sip:⟦em|erik.nyberg@contoso.se⟧>,<tel:⟦ph|+46852018833⟧;ext=⟦u|8833⟧>"""),
("teams-new-log", P_TEAMS, """2024-04-04T12:05:31.118Z Inf	[CallingStack] callId=⟦id|18a7c3f0-2b9e-4d11-9f60-7e4a0b5c3d21⟧ participantId=⟦id|5e1d77a0-c3b2-4f19-8e0d-1a2b3c4d5e6f⟧ startCall target=8:orgid:⟦id|3c9b0e4f-71a2-4d58-b6e3-09f1a2b3c4d5⟧ displayName="⟦n|Fatima⟧ ⟦n|Zahra⟧ ⟦n|Haddad⟧"
2024-04-04T12:05:31.120Z Inf	[Auth] account upn=⟦em|f.haddad@fabrikam.onmicrosoft.com⟧ tenant=⟦id|72f988bf-86f1-41af-91ab-2d7cd011db47⟧ ring=general
2024-04-04T12:05:32.441Z Inf	[PSTN] dialout to 4:⟦ph|+97142223344⟧ via Direct Routing sbc=sbc1.fabrikam.ae"""),
("bria-win-log", P_BRIA, """2024-04-04 13:44:02.317 | INFO  | [sip] | Account "⟦u|b.okonkwo⟧@voip.example.ng" state changed: Registered (200 OK), Contact <sip:⟦u|b.okonkwo⟧@⟦ip|41.58.120.33⟧:61203;rinstance=⟦id|8c3b1a9e2d4f5067⟧;transport=TCP>
2024-04-04 13:44:10.009 | INFO  | [history] | added entry remote="⟦n|Chiamaka⟧ ⟦n|Eze⟧ <⟦ph|+2348031234567⟧>" duration=00:03:21 direction=in
2024-04-04 13:44:12.770 | DEBUG | [audio] | selected device "Jabra Evolve2 65" ⟪AEC⟫ on, ⟪AGC⟫ on"""),
("jitsi-desktop-log", P_JITSI, """INFO: [55] impl.protocol.sip.ProtocolProviderServiceSipImpl.register().1134 Registering ⟦sip|jana.horvathova@sip2sip.info⟧ with proxy proxy.sipthor.net
FINE: [55] impl.protocol.sip.SipRegistrarConnection.processOK().577 REGISTER for ⟦sip|jana.horvathova@sip2sip.info⟧ accepted, expires=600, contact=sip:⟦u|jana.horvathova⟧@⟦ip|2a02:8388:1a81:8f00:5c1:9e2b:44d0:11ab⟧:5060;transport=udp
INFO: [88] impl.gui.main.call.CallManager.createCall().301 Calling ⟦ph|+421 905 123 789⟧ from account ⟦sip|jana.horvathova@sip2sip.info⟧"""),
("windows-wevtutil-text", P_EVT, """Event[4]:
  Log Name: Application
  Source: Application Error
  Date: 2024-04-04T14:01:55.312
  Event ID: 1000
  Level: Error
  User: ⟦u|NT-DOM\\kvarga⟧
  Computer: ⟦n|VARGA⟧-⟦n|KATALIN⟧-NB.ad.example.hu
  Description:
Faulting application name: Phoner.exe, version: 3.21.0.0
Faulting application path: ⟦path|C:\\Users\\kvarga\\AppData\\Local\\Phoner\\Phoner.exe⟧"""),
("netstat-ano-paste", P_PS, """  Proto  Local Address          Foreign Address        State           PID
  UDP    ⟦ip|192.168.10.23⟧:5060     *:*                                    14220
  TCP    ⟦ip|192.168.10.23⟧:50611    ⟦ip|185.45.12.199⟧:5061     ESTABLISHED     14220
  TCP    [⟦ip|2001:db8:4f1:2::17⟧]:50622  [⟦ip|2a00:1450:4001:80b::200e⟧]:443  ESTABLISHED  9921"""),
]
