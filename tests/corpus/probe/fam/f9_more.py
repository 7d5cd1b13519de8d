P_AORS = "Asterisk 'pjsip show aors' / 'pjsip show registrations' (outbound) CLI tables, github.com/asterisk/asterisk/issues/896"
P_ACRO = "Acrobits Softphone/Groundwire external provisioning XML (<account><username>, <password>, <title>, <host>), Acrobits cloud provisioning docs"
P_WINDBG = "WinDbg '!analyze -v' text of a softphone minidump (PROCESS_NAME, IMAGE_NAME, symbol paths, MODULE_NAME), as pasted in Windows crash issues"
P_TOMB = "Android tombstone 'Abort message:' and 'Cmdline:' lines with native VoIP libs (liblinphone, libpjsua2), github.com/KwaiAppTeam/KOOM/issues/83 layout"
P_SENTRY = "Sentry event JSON ('user': {id, email, ip_address, username}, 'contexts', 'breadcrumbs'), docs.sentry.io event payload"
P_STRUCT = "structured JSON app logs (pino/zap/logrus: level, ts, msg, caller, user, peer, sip fields) of WebRTC gateways (janus, jambonz)"
P_JANUS = "Janus SIP plugin log / admin API handle info ('[SIP-...] Registering user sip:... (secret ..., proxy ...)'), meetecho/janus-gateway issues"
P_MATRIX = "Element/matrix-js-sdk rageshake log lines with mxid '@user:server' and call events (m.call.invite), element-hq issues"
P_JITSI = "Jitsi Meet/jicofo/jigasi log lines ('Jigasi ... dial: +49..., room: ..., displayName'), jitsi/jigasi issues"
T = [
("asterisk-pjsip-show-aors", P_AORS, """  Aor:  <Aor..............................................>  <MaxContact>
    Contact:  <Aor/ContactUri............................> <Hash....> <Status> <RTT(ms)..>
==========================================================================================
  Aor:  ⟦u|6001⟧                                                 1
    Contact:  ⟦u|6001⟧/sip:⟦u|6001⟧@⟦ip|192.168.30.24⟧:40752;ob       ⟦id|b7a3ec1e1f⟧ Avail        14.221
  Aor:  ⟦u|maria.santos⟧                                         2
    Contact:  ⟦u|maria.santos⟧/sip:⟦u|maria.santos⟧@⟦ip|100.64.2.9⟧:5060;transport=ws ⟦id|4c2de9a011⟧ NonQual       nan
Objects found: 2"""),
("asterisk-pjsip-show-registrations", P_AORS, """ <Registration/ServerURI..............................>  <Auth....................>  <Status.......>
==========================================================================================
 telnyx/sip:sip.telnyx.com                               ⟦u|telnyx-auth⟧                 Registered        (exp. 3420s)
 sipgate-⟦u|3971044e0⟧/sip:sipgate.de                        ⟦u|3971044e0⟧                    Rejected
Objects found: 2"""),
("acrobits-provisioning", P_ACRO, """<account>
  <title>⟦n|Henrik⟧ ⟦n|Lund⟧ (Work)</title>
  <username>⟦u|hlund⟧</username>
  <authUsername>⟦u|hlund-auth-4471⟧</authUsername>
  <password>⟦sec|Fjord#7713⟧</password>
  <host>sip.example.dk</host>
  <displayName>⟦n|Henrik⟧ ⟦n|Lund⟧</displayName>
  <voiceMailNumber>*98</voiceMailNumber>
  <pushToken>⟦sec|a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9⟧</pushToken>
</account>"""),
("windbg-analyze", P_WINDBG, """FAULTING_IP: 
pjsua2!pj_sockaddr_print+2c
PROCESS_NAME:  MicroSIP.exe
IMAGE_NAME:  pjsua2.dll
SYMBOL_PATH: srv*C:\\Users\\⟦u|a.novotna⟧\\Symbols*https://msdl.microsoft.com/download/symbols
DUMP_FILE: C:\\Users\\⟦u|a.novotna⟧\\AppData\\Local\\CrashDumps\\MicroSIP.exe.7812.dmp
COMPUTER_NAME: ⟦n|ALENA⟧-NB
USER_NAME: ⟦u|a.novotna⟧
STACK_TEXT:  
00000000`0019f2a8 00007ff8`1c2b4e10 pjsua2!pj_sockaddr_print+0x2c"""),
("android-tombstone-abort", P_TOMB, """*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***
Build fingerprint: 'google/panther/panther:14/UQ1A.240205.004/11269751:user/release-keys'
Timestamp: 2024-04-02 10:44:12.002150018+0200
Cmdline: com.example.sipphone
pid: 28811, tid: 28903, name: pjsua_worker  >>> com.example.sipphone <<<
uid: 10291
signal 6 (SIGABRT), code -1 (SI_QUEUE), fault addr --------
Abort message: 'Assertion failed: acc_id >= 0 for account sip:⟦u|nikolaos.p⟧@sip.example.gr (⟦ph|+306944123456⟧), registrar ⟦ip|94.66.12.100⟧:5060'
    #00 pc 000000000005a9c4  /apex/com.android.runtime/lib64/bionic/libc.so (abort+164)
    #01 pc 00000000002c1f30  /data/app/~~⟦id|kQ3mT9xZ1vB7nR2cW8yL0g⟧==/com.example.sipphone-⟦id|Yp5dJ2hF8sA4eK6uN1qT3w⟧==/lib/arm64/libpjsua2.so"""),
("sentry-event", P_SENTRY, """{"event_id":"⟦id|fc6d8c0c43fc4630ad850ee518f1b9d0⟧","level":"error","platform":"javascript","release":"softphone-web@3.4.1","user":{"id":"⟦id|58213⟧","email":"⟦em|r.haddad@example.ae⟧","ip_address":"⟦ip|5.195.77.14⟧","username":"⟦u|rhaddad⟧"},"breadcrumbs":[{"category":"sip","message":"INVITE sip:⟦ph|+97142345678⟧@sbc.example.ae → 486 Busy Here"}],"exception":{"values":[{"type":"TypeError","value":"Cannot read properties of undefined (reading 'remoteIdentity')"}]}}"""),
("structured-json-log", P_STRUCT, """{"level":30,"time":1712045472334,"pid":41,"hostname":"jambonz-fs-7c9d","callSid":"⟦id|b2f1e0d9-c8b7-4a69-9584-7f6e5d4c3b2a⟧","msg":"inbound call","from":"⟦ph|+12025550111⟧","to":"⟦ph|+12025550199⟧","callerName":"⟦n|Jamal⟧ ⟦n|Washington⟧","sipUser":"⟦u|jwash⟧","sourceAddress":"⟦ip|3.91.12.44⟧"}
{"level":"warn","ts":"2024-04-02T10:11:13.002Z","caller":"sip/handler.go:211","msg":"auth failed","user":"⟦u|k.tanaka⟧","realm":"sip.example.jp","peer":"⟦ip|126.12.45.9⟧:52012"}"""),
("janus-sip-log", P_JANUS, """[SIP-⟦u|ekaterina⟧] Registering user sip:⟦u|ekaterina⟧@sip.example.ru (secret ⟦sec|Neva2024⟧) @ sip:sip.example.ru (proxy sip:⟦ip|95.213.4.18⟧:5060)
[SIP-⟦u|ekaterina⟧] Incoming call from "⟦n|Екатерина⟧ ⟦n|Морозова⟧" <sip:⟦ph|+78121234567⟧@sip.example.ru>
[SIP-⟦u|ekaterina⟧] >> Challenge for user: ⟦u|ekaterina⟧ (realm: sip.example.ru)"""),
("matrix-rageshake", P_MATRIX, """2024-04-02T10:11:12.334Z I Call ⟦id|1712045472334jh8sK3Ld⟧ placing call in room !⟦id|aBcDeFgHiJkLmNoP⟧:matrix.org to @⟦u|sofie.hansen⟧:matrix.org
2024-04-02T10:11:12.612Z I Got m.call.invite from @⟦u|lars_e⟧:example.dk (⟦n|Lars⟧ ⟦n|Eriksen⟧) party_id=⟦id|QWERTYUIOP⟧
2024-04-02T10:11:13.004Z W TURN server turn:turn.matrix.org username ⟦u|1712131872:@sofie.hansen:matrix.org⟧ credential ⟦sec|7h1sIsN0tR3al+cr3d=⟧"""),
("jigasi-log", P_JITSI, """Jigasi 2024-04-02 10:11:12.334 INFO: [72] SipGatewaySession.call#442: Dialing: ⟦ph|+4930120750000⟧ room: ⟦u|teamsync-anna-hofmann⟧@conference.meet.example.de callContext=CallContext{callResource=⟦id|a1b2c3d4e5⟧}
Jigasi 2024-04-02 10:11:15.002 INFO: [72] JvbConference.joinConferenceRoom#601: Joining JVB conference room as ⟦n|Anna⟧ ⟦n|Hofmann⟧ (⟦ph|+49 30 120750000⟧)"""),
("android-logcat-telephony-new", "Android logcat of carrier RCS/IMS provisioning (CarrierServices, ImsService), Google Messages RCS bug threads", """04-02 10:01:02.334  2011  2011 D CarrierServices: RcsProvisioning: msisdn=⟦ph|+491761234567⟧ imsi=⟦id|262011234567890⟧ sipUri=sip:⟦ph|+491761234567⟧@ims.mnc001.mcc262.3gppnetwork.org
04-02 10:01:02.410  2011  2011 D CarrierServices: RcsProfile: displayName=⟦n|Wolfgang⟧ ⟦n|Engel⟧ userAgent=IM-client/OMA1.0 Google/a52q-14"""),
("ims-register", "IMS/VoLTE REGISTER as in 3GPP TS 24.229 examples (P-Access-Network-Info with cell id, Authorization with IMPI, +sip.instance with IMEI URN)", """REGISTER sip:ims.mnc001.mcc262.3gppnetwork.org SIP/2.0
From: <sip:⟦id|262011234567890⟧@ims.mnc001.mcc262.3gppnetwork.org>;tag=⟦id|3671830547⟧
Authorization: Digest username="⟦id|262011234567890⟧@ims.mnc001.mcc262.3gppnetwork.org",realm="ims.mnc001.mcc262.3gppnetwork.org",nonce="",uri="sip:ims.mnc001.mcc262.3gppnetwork.org",response=""
Contact: <sip:⟦id|262011234567890⟧@[⟦ip|2a01:598:c842:1::a4⟧]:5060>;+sip.instance="<urn:gsma:imei:⟦id|35391110-234567-0⟧>";+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel"
P-Access-Network-Info: 3GPP-E-UTRAN-FDD;utran-cell-id-3gpp=⟦geo|2620100a1b2c3d04⟧
P-Preferred-Identity: <tel:⟦ph|+491761234567⟧>"""),
("sip-show-channels", "Asterisk chan_sip sip show channels table, Asterisk CLI docs", """pbx*CLI> sip show channels
Peer             User/ANR         Call ID          Format           Hold     Last Message    Expiry     Peer      
⟦ip|192.168.1.21⟧     ⟦u|101⟧              ⟦id|3c26700b71f4-b⟧  (ulaw)           No       Rx: ACK                    ⟦u|101⟧       
⟦ip|217.0.22.3⟧       ⟦ph|004930123456⟧     ⟦id|7d0e5b3a91c4⟧     (alaw)           No       Tx: ACK                    telekom-trunk
2 active SIP dialogs"""),
("kamailio-htable-dump", "kamcmd htable.dump output (ipban/auth-failure tables keyed by source IP and user), kamailio.org htable module docs", """kamcmd> htable.dump ipban
{
\tentry: 211
\tsize: 1
\tslot: {
\t\titem: {
\t\t\tname: ⟦ip|45.134.26.81⟧::⟦u|admin-jhughes⟧
\t\t\tvalue: 7
\t\t}
\t}
}"""),
]
