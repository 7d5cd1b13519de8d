P_XLOG = "Kamailio xinfo/xlog lines with $rm/$si/$sp/$fu/$tu printed, github.com/Omid-Mohajerani/Learn-Kamailio/issues/5 and kamailio/kamailio#430"
P_XLOGU = "Kamailio xlog printing $fU/$rU/$au/$fn and htable/dispatcher values, kamailio/kamailio#430, #3762"
P_OSXLOG = "OpenSIPS xlog lines with $fu/$ru/$ci/$avp()/$var() (OpenSIPS script docs core variables)"
P_KPFX = "Kamailio log_prefix '{$mt $hdr(CSeq) $ci}' output lines, herlesupreeth/docker_open5gs#515"
P_PJEP = "Asterisk 'pjsip show endpoint <name>' full output with InAuth/Aor/Contact/Identify/Channel parts, github.com/asterisk/asterisk/pull/1202"
P_PJCT = "Asterisk 'pjsip show contacts' table (Contact: <Aor/ContactUri> <Hash> <Status> <RTT>), asterisk/asterisk#1202"
P_PJAMI = "AMI PJSIPShowEndpoint EndpointDetail/ContactStatusDetail events, asterisk/asterisk#1254 and pchero/jade#72"
P_PJAUTH = "Asterisk 'pjsip show auth <id>' ParameterName : ParameterValue listing"
T = [
("kamailio-xinfo-pvars", P_XLOG, """Apr  4 17:01:10 proxy1 kamailio[58634]: INFO: {1 1 REGISTER ⟦id|E3fNnAyni0_xvXIr3YHXrQ..⟧} <script>: SIP request REGISTER received from ⟦ip|95.91.204.18⟧:33534 via tcp - from sip:⟦u|mirela.stan⟧@proxy1.example.ro;transport=TCP to sip:⟦u|mirela.stan⟧@proxy1.example.ro;transport=TCP
Apr  4 17:01:10 proxy1 kamailio[58605]: NOTICE: {1 1 REGISTER ⟦id|E3fNnAyni0_xvXIr3YHXrQ..⟧} <core> [core/receive.c:528]: receive_msg(): request-route executed in: 1514 usec"""),
("kamailio-xlog-users", P_XLOGU, """ALERT: From URI sip:⟦u|2207⟧@⟦ip|10.9.0.14⟧
ALERT: From user ⟦u|2207⟧ display [⟦n|Oana⟧ ⟦n|Mureșan⟧]
ALERT: Request user ⟦ph|0040744123456⟧
ALERT: auth user ⟦u|omuresan⟧ realm pbx.example.ro src ⟦ip|86.120.33.9⟧:5060 ua [⟪Linphone⟫ Desktop/5.2.1 (⟦n|oana⟧-thinkpad)]"""),
("kamailio-xlog-custom", P_XLOGU, """Apr  4 17:05:33 sbc kamailio[1201]: ERROR: <script>: [AUTH-FAIL] $fU=⟦u|bence.kovacs⟧ $au=⟦u|bence.kovacs⟧ $si=⟦ip|176.63.12.250⟧ attempts=5 -> banned 3600s
Apr  4 17:05:34 sbc kamailio[1202]: WARNING: <script>: [PIKE] blocked ⟦ip|176.63.12.250⟧ ua=friendly-scanner
Apr  4 17:05:40 sbc kamailio[1203]: INFO: <script>: [LCR] $rU=⟦ph|0036301234567⟧ -> gw 2 (carrier-hu) caller $fU=⟦u|36121⟧"""),
("opensips-xlog-vars", P_OSXLOG, """Apr  4 17:10:01 edge /usr/sbin/opensips[3310]: [⟦id|3a5f1b0c-77de-4c9a-b1e2-88f0d3c4a5b6⟧] INVITE from ⟦sip|s.bergstrom@voip.example.se⟧ to sip:⟦ph|+46812345670⟧@voip.example.se src=⟦ip|83.250.14.99⟧:5060
Apr  4 17:10:01 edge /usr/sbin/opensips[3310]: avp(caller_name)=⟦n|Sara⟧ ⟦n|Bergström⟧ var(cli)=⟦ph|+46731122334⟧ avp(tenant)=acme
Apr  4 17:10:02 edge /usr/sbin/opensips[3311]: NOTICE:dialog:dlg_onroute: dialog ⟦id|16421.2⟧ in state 4 (confirmed)"""),
("kamailio-log-prefix", P_KPFX, """icscf[439986]: ERROR: {1 1 REGISTER ⟦id|c5cd8ca311198f6b⟧@⟦ip|10.46.0.12⟧ DEFAULT_ROUTE} <script>: IMPU sip:⟦ph|001011234567895⟧@ims.mnc001.mcc001.3gppnetwork.org not found
scscf[440012]: INFO: {2 2 INVITE ⟦id|3fa9e1c0bb2d⟧@⟦ip|10.46.0.13⟧ MO_ROUTE} <script>: caller tel:⟦ph|+4930123456789⟧ callee tel:⟦ph|+4917612345678⟧"""),
("asterisk-pjsip-show-endpoint", P_PJEP, """ Endpoint:  ⟦u|6012⟧/⟦u|6012⟧                                         Not in use    0 of inf
     InAuth:  ⟦u|6012⟧-auth/⟦u|6012⟧
        Aor:  ⟦u|6012⟧                                               2
      Contact:  ⟦u|6012⟧/sip:⟦u|6012⟧@⟦ip|192.168.50.31⟧:5062;ob   ⟦id|1f8112fffc⟧ Avail        12.771
  Transport:  transport-udp             udp      0      0  0.0.0.0:5060
   Identify:  ⟦u|6012⟧-identify/⟦u|6012⟧
        Match: ⟦ip|192.168.50.31⟧/32
 ParameterName                      : ParameterValue
 callerid                           : "⟦n|Dimitra⟧ ⟦n|Karagianni⟧" <⟦u|6012⟧>
 mailboxes                          : ⟦u|6012⟧@default
 context                            : from-internal"""),
("asterisk-pjsip-show-contacts", P_PJCT, """  Contact:  <Aor/ContactUri..............................> <Hash....> <Status> <RTT(ms)..>
==========================================================================================
  Contact:  ⟦u|ext201⟧/sip:⟦u|ext201⟧@⟦ip|77.173.90.4⟧:41877;transport=TLS;rinstance=⟦id|b1e2f3a4c5d6⟧  ⟦id|4e9aa01c37⟧ Avail         33.402
  Contact:  ⟦u|wojtek_m⟧/sip:⟦u|wojtek_m⟧@[⟦ip|2a01:110f:4403:9c00::1b⟧]:5060  ⟦id|0c77e1f92b⟧ Unavail        nan
Objects found: 2"""),
("asterisk-ami-contactstatusdetail", P_PJAMI, """Event: ContactStatusDetail
ActionID: QuerySIPEndpoint
AOR: ⟦u|1207⟧
URI: sip:⟦u|1207⟧@⟦ip|10.20.30.41⟧:5060
UserAgent: Yealink SIP-T46U 108.86.0.45
RegExpire: 1712250000
ViaAddress: ⟦ip|10.20.30.41⟧:5060
CallID: ⟦id|0_2041337815@10.20.30.41⟧
Status: Reachable
RoundtripUsec: 2841
EndpointName: ⟦u|1207⟧
ID: ⟦u|1207⟧;@⟦id|3d1bb0e87ac4b1b22a4d1c8e5f6a7b8c⟧
AuthenticateQualify: 0
OutboundProxy:
Path:
QualifyFrequency: 60"""),
("asterisk-ami-endpointdetail", P_PJAMI, """Event: EndpointDetail
ObjectType: endpoint
ObjectName: ⟦u|tanaka_h⟧
Callerid: "⟦n|Hiroshi⟧ ⟦n|Tanaka⟧" <⟦u|3105⟧>
Aors: ⟦u|tanaka_h⟧
Auth: ⟦u|tanaka_h⟧-auth
Mailboxes: ⟦u|3105⟧@default
FromUser: ⟦u|3105⟧
IdentifyBy: username,ip
Context: from-internal
DtmfMode: rfc4733
Allow: (ulaw|alaw|g722|opus)"""),
("asterisk-pjsip-show-auth", P_PJAUTH, """ ParameterName      : ParameterValue
 ==================================================
 auth_type          : userpass
 md5_cred           :
 nonce_lifetime     : 32
 password           : ⟦sec|Tr0mb0ne-44!⟧
 realm              :
 username           : ⟦u|m.ferreira⟧
 oauth_clientid     :"""),
("asterisk-pjsip-show-registrations-outbound", P_PJEP, """ <Registration/ServerURI..............................>  <Auth....................>  <Status.......>
==========================================================================================
 trunk-sipgate/sip:sipgate.de                           trunk-sipgate-auth          Registered        (exp. 541s)
 ⟦u|2904715e0⟧/sip:⟦u|2904715e0⟧@sipconnect.sipgate.de        ⟦u|2904715e0⟧                   Rejected
Objects found: 2"""),
("kamailio-dispatcher-usrloc-xlog", P_XLOGU, """INFO: <script>: lookup($tu=sip:⟦u|anna.schaefer⟧@pbx.example.de) -> 2 contacts, branch1=sip:⟦u|anna.schaefer⟧@⟦ip|100.64.12.9⟧:5060 branch2=sip:⟦u|anna.schaefer⟧@⟦ip|2003:e4:af1d:5100:7c3:11ff:fe22:9a01⟧:5060
INFO: <script>: push sent to token ⟦sec|fX9a:APA91bH3k2LmN4oP5qR6sT7uV8wX9yZ0aB1cD2eF3gH4⟧ for ⟦u|anna.schaefer⟧"""),
]
