P_ULDUMP = "kamcmd ul.dump / ul.lookup RPC output as pasted in github.com/kamailio/kamailio/issues/1299 and /1586"
P_KAMCTL = "kamctl ul show 'AOR::' double-colon layout, github.com/kamailio/kamailio/issues/1027"
P_OSUL = "opensips-cli -x mi ul_dump JSON, github.com/OpenSIPS/opensips/issues/2153"
P_DLG = "kamcmd dlg.list / opensips mi dlg_list output (dialog module RPC docs, kamailio.org/docs/modules/stable/modules/dialog.html)"
P_PEERS = "Asterisk chan_sip 'sip show peers' table, github.com/AsterNET/AsterNET/issues/59 and /30"
P_ASTDB = "Asterisk 'database show' AstDB dump (FreePBX AMPUSER/cidname, CallForward, DND families), github.com/AllStarLink/app_rpt/issues/286, github.com/cinamo/asterisk-operator-panel/issues/2"
P_AMI = "Asterisk Manager events / AsterNET ManagerReader debug log, github.com/AsterNET/AsterNET/issues/30"
P_QUEUE = "Asterisk 'queue show' output, github.com/POSSA/QueueCallers/issues/1"
P_FSREG = "FreeSWITCH 'show registrations' CSV and 'sofia status profile internal reg', github.com/altanai/freeswitchexamples README, xeon-zolt/Notebook Freeswitch.md"
P_KAZOO = "2600hz Kazoo crossbar registrations JSON, github.com/2600hz/kazoo applications/crossbar/doc/registrations.md"
P_VM = "Asterisk voicemail.conf mailbox lines 'ext => pin,Full Name,email' (Asterisk sample configs)"
T = [
("kamcmd-ul-dump", P_ULDUMP, """{
\tDomains: {
\t\tDomain: {
\t\t\tDomain: location
\t\t\tSize: 1024
\t\t\tAoRs: {
\t\t\t\tInfo: {
\t\t\t\t\tAoR: ⟦u|2741⟧
\t\t\t\t\tHashID: 917245133
\t\t\t\t\tContacts: {
\t\t\t\t\t\tContact: {
\t\t\t\t\t\t\tAddress: sip:⟦u|2741⟧@⟦ip|10.12.4.77⟧:5066
\t\t\t\t\t\t\tExpires: 41
\t\t\t\t\t\t\tQ: -1.000000
\t\t\t\t\t\t\tCall-ID: ⟦id|518803311-5066-7⟧@⟦ip|10.12.4.77⟧
\t\t\t\t\t\t\tCSeq: 30412
\t\t\t\t\t\t\tUser-Agent: Grandstream GXP2170 1.0.11.23
\t\t\t\t\t\t\tReceived: [not set]
\t\t\t\t\t\t\tState: ⟪CS_NEW⟫
\t\t\t\t\t\t\tMethods: 7135
\t\t\t\t\t\t\tRuid: ⟦id|uloc-1-65a12f47-1c2b-3⟧
\t\t\t\t\t\t\tInstance: <urn:uuid:⟦id|00000000-0000-1000-8000-000B82A7C41F⟧>
\t\t\t\t\t\t\tReg-Id: 4
\t\t\t\t\t\t\tServer-Id: 1
\t\t\t\t\t\t}
\t\t\t\t\t}
\t\t\t\t}"""),
("kamcmd-ul-dump", P_ULDUMP, """kamcmd> ul.lookup location ⟦u|sommer⟧
{
\tAoR: ⟦u|sommer⟧
\tContacts: {
\t\tContact: {
\t\t\tAddress: sip:⟦u|sommer⟧@⟦ip|192.168.178.41⟧:49222;transport=tls;ob
\t\t\tExpires: 3412
\t\t\tCall-ID: ⟦id|Qm9ZcXh1a2VyTjE2⟧
\t\t\tUser-Agent: ⟪Linphone⟫/5.2.4 (⟦n|Annas⟧-iPhone) LinphoneSDK/5.3.1
\t\t\tReceived: sip:⟦ip|91.64.133.207⟧:35114;transport=tls
\t\t\tSocket: tls:⟦ip|10.1.0.4⟧:5061
\t\t\tRuid: ⟦id|uloc-6601b2ce-3f11-2a⟧
\t\t\tInstance: <urn:uuid:⟦id|8a41c6d2-5e0f-4b7a-9c33-1f2e7d6a90b4⟧>
\t\t}
\t}
}"""),
("kamcmd-ul-dump", P_ULDUMP, """kamcmd> ul.add location ⟦u|schmidt.k⟧ sip:⟦u|schmidt.k⟧@⟦ip|172.16.30.9⟧ 0 -1.0 . 0 0 0
kamcmd> ul.rm location ⟦u|4402⟧
error: 404 - AOR not found
kamcmd> ul.rm_contact location ⟦u|4403⟧ sip:⟦u|4403⟧@⟦ip|172.16.30.12⟧:5060"""),
("kamctl-ul-show", P_KAMCTL, """Domain:: location table=1024 records=2 max_slot=1
\tAOR:: ⟦u|3318⟧@⟦ip|10.20.0.2⟧
\t\tContact:: sip:⟦u|3318⟧@⟦ip|10.20.7.51⟧:51423;rinstance=⟦id|7f4e20b9c1d3a8e6⟧;transport=tcp Q=
\t\t\tExpires:: 3366
\t\t\tCallid:: ⟦id|Z3RpNEJkYXhRMnVw⟧
\t\t\tCseq:: 2
\t\t\tUser-agent:: Z 5.6.1 v2.10.19.5
\t\t\tState:: ⟪CS_SYNC⟫
\t\t\tSocket:: tcp:⟦ip|10.20.0.2⟧:5060
\t\t\tRuid:: ⟦id|uloc-5891af42-b58-3⟧
\t\t\tLast-Keepalive:: 1711943492
\tAOR:: ⟦u|fischer⟧@⟦ip|10.20.0.2⟧
\t\tContact:: sip:⟦u|fischer⟧@⟦ip|10.20.7.88⟧:5060 Q="""),
("opensips-mi-uldump", P_OSUL, """{
    "Domains": [
        {
            "name": "location",
            "hash_size": 4096,
            "AORs": [
                {
                    "AOR": "⟦u|7205⟧",
                    "Contacts": [
                        {
                            "Contact": "sip:⟦u|7205⟧@⟦ip|100.72.14.6⟧:5060;ob",
                            "ContactID": "2684132548512372251",
                            "Expires": 276,
                            "Q": "",
                            "Callid": "⟦id|a84b4c76e66710a7f3d⟧",
                            "Cseq": 4,
                            "User-agent": "⟪MicroSIP⟫/3.21.3",
                            "Received": "sip:⟦ip|203.0.113.58⟧:60012",
                            "State": "CS_DIRTY",
                            "Flags": 0,
                            "Cflags": "NAT",
                            "Socket": "udp:⟦ip|100.72.0.1⟧:5060",
                            "Methods": 8191
                        }
                    ]
                },
                {
                    "AOR": "⟦u|beatriz.lopes⟧",
                    "Contacts": []
                }
            ]
        }
    ]
}"""),
("opensips-mi-uldump", P_OSUL, """# opensips-cli -x mi ul_show_contact location ⟦u|mvandijk⟧@sip.example.nl
{"Contacts": [{"Contact": "<sip:⟦u|mvandijk⟧@⟦ip|10.8.3.17⟧:5062>;q=;expires=1800;flags=0x0;cflags=0x0;socket=<udp:⟦ip|10.8.0.1⟧:5060>;methods=0x1FFF;user_agent=<Yealink SIP-T46U 108.86.0.45>;instance=<urn:uuid:⟦id|1c9f3e7a-2b8d-4d61-a0f5-6e2c91b7d348⟧>"}]}"""),
("kamcmd-dlg-list", P_DLG, """kamcmd> dlg.list
{
\th_entry: 1907
\th_id: 4411
\tcall-id: ⟦id|7c2e0b5f-41aa-4d3b-bb6e-0c1de28a9f77⟧
\tfrom_uri: sip:⟦u|3520⟧@pbx.example.de
\tto_uri: sip:⟦ph|004930902184466⟧@pbx.example.de
\tstate: 4
\tstart_ts: 1712056211
\ttimeout: 1712099411
\tcaller: {
\t\ttag: ⟦id|a7f3c1e9⟧
\t\tcontact: sip:⟦u|3520⟧@⟦ip|10.30.2.61⟧:5060;transport=udp
\t\tcseq: 102
\t\troute_set: 
\t\tsocket: udp:⟦ip|10.30.0.2⟧:5060
\t}
\tcallee: {
\t\ttag: ⟦id|as5e2b7c19⟧
\t\tcontact: sip:⟦ph|004930902184466⟧@⟦ip|217.10.79.9⟧:5060
\t\tcseq: 0
\t}
\tprofiles: {
\t}
\tvariables: {
\t\tcaller_name: ⟦n|Henrike⟧ ⟦n|Lindqvist⟧
\t}
}"""),
("opensips-mi-dlglist", P_DLG, """opensips-cli -x mi dlg_list
{"Dialogs": [{"ID": "3298534883330", "state": 4, "user_flags": 0, "timestart": 1712057002, "timeout": 1712100202, "callid": "⟦id|4b1e2f0c99aa@10.9.0.5⟧", "from_uri": "sip:⟦u|gonzalez⟧@voz.example.es", "to_uri": "sip:⟦ph|+34911234567⟧@voz.example.es", "caller_tag": "⟦id|87234100⟧", "caller_contact": "sip:⟦u|gonzalez⟧@⟦ip|192.168.10.33⟧:5060", "callee_cseq": "1", "caller_route_set": "", "caller_bind_addr": "udp:⟦ip|10.9.0.5⟧:5060", "callee_tag": "⟦id|3Bd8X7mNqK⟧", "callee_contact": "sip:⟦ph|+34911234567⟧@⟦ip|185.45.12.7⟧"}]}"""),
("asterisk-sip-show-peers", P_PEERS, """pbx*CLI> sip show peers
Name/username             Host                                    Dyn Forcerport Comedia    ACL Port     Status      Description                      
⟦u|101⟧/⟦u|101⟧                   ⟦ip|192.168.1.21⟧                            D  Yes        Yes         A  5060     OK (12 ms)  ⟦n|Brigitte⟧ ⟦n|Hoffmann⟧
⟦u|102⟧/⟦u|102⟧                   (Unspecified)                            D  Yes        Yes         A  0        UNKNOWN     Empfang
⟦u|wagner⟧/⟦u|wagner⟧             ⟦ip|10.0.8.14⟧                               D  No         No          A  5062     OK (3 ms)   ⟦n|Tobias⟧ ⟦n|Wagner⟧ Lager
telekom-trunk/⟦ph|4930123456⟧   ⟦ip|217.0.22.3⟧                              N  No         No             5060     OK (21 ms)
4 sip peers [Monitored: 3 online, 1 offline Unmonitored: 0 online, 0 offline]"""),
("asterisk-sip-show-registry", P_PEERS, """pbx*CLI> sip show registry
Host                                    dnsmgr Username       Refresh State                Reg.Time                 
sipgate.de:5060                         N      ⟦u|2839471e0⟧      3585 Registered           Tue, 02 Apr 2024 09:14:11
tel.t-online.de:5060                    N      ⟦ph|+4961511234567⟧ 480 Registered           Tue, 02 Apr 2024 09:14:12
sip.easybell.de:5060                    N      ⟦u|ebk_4417290⟧    105 Request Sent         Tue, 02 Apr 2024 09:13:40
3 SIP registrations."""),
("asterisk-database-show", P_ASTDB, """pbx*CLI> database show
/AMPUSER/201/cidname                              : ⟦n|Jürgen⟧ ⟦n|Weiß⟧
/AMPUSER/201/cidnum                               : ⟦u|201⟧
/AMPUSER/201/outboundcid                          : "⟦n|Jürgen⟧ ⟦n|Weiß⟧" <⟦ph|069123456201⟧>
/AMPUSER/201/password                             : ⟦sec|7712⟧
/AMPUSER/202/cidname                              : ⟦n|Sabine⟧ ⟦n|Krüger⟧
/CF/202                                           : ⟦ph|01715554321⟧
/CFU/201                                          : ⟦ph|+491608765432⟧
/DND/202                                          : YES
/SIP/Registry/201                                 : ⟦ip|192.168.20.41⟧:5060:3600:⟦u|201⟧:sip:⟦u|201⟧@⟦ip|192.168.20.41⟧:5060
/dundi/secret                                     : ⟦sec|LjuJSPv0GTotx7o+bqCtfA==⟧;⟦sec|E4Cva8cUfScFx5RbBsulcQ==⟧
/pbx/UUID                                         : ⟦id|af3ff751-9a2a-4ee2-9c08-a319d727e7e6⟧
11 results found."""),
("asterisk-database-show", P_ASTDB, """root@pbx:~# asterisk -rx "database show AMPUSER"
/AMPUSER/310/cidname                              : ⟦n|Marta⟧ ⟦n|Zielińska⟧
/AMPUSER/310/device                               : ⟦u|310⟧
/AMPUSER/310/voicemail                            : default
/AMPUSER/311/cidname                              : ⟦n|Rose⟧ ⟦n|Baker⟧
/AMPUSER/312/cidname                              : Dr. ⟦n|Engin⟧ ⟦n|Yıldız⟧
/AMPUSER/313/cidname                              : Empfang ⟦n|Koch⟧
/BLKVM/311/CHANNEL                                : PJSIP/⟦u|311⟧-00000a1c
7 results found."""),
("asterisk-ami-events", P_AMI, """Event: Newchannel
Privilege: call,all
Channel: PJSIP/⟦u|4021⟧-0000012f
ChannelState: 0
ChannelStateDesc: Down
CallerIDNum: ⟦u|4021⟧
CallerIDName: ⟦n|Ingrid⟧ ⟦n|Solberg⟧
ConnectedLineNum: <unknown>
ConnectedLineName: <unknown>
Language: no
AccountCode: 
Context: from-internal
Exten: ⟦ph|004722334455⟧
Priority: 1
Uniqueid: 1712061234.1139
Linkedid: 1712061234.1139"""),
("asterisk-ami-events", P_AMI, """07:57:13.921879 ManagerReader:Run - Response: Success
07:57:13.921879 ManagerReader:Run - Message: Extension Status
07:57:13.921879 ManagerReader:Run - Exten: ⟦u|hkowalski⟧
07:57:13.921879 ManagerReader:Run - Context: ext-local
07:57:13.921879 ManagerReader:Run - Hint: PJSIP/⟦u|hkowalski⟧
07:57:14.002115 ManagerReader:Run - Event: DialBegin
07:57:14.002115 ManagerReader:Run - DestCallerIDNum: ⟦ph|0048601234567⟧
07:57:14.002115 ManagerReader:Run - DestConnectedLineName: ⟦n|Halina⟧ ⟦n|Kowalska⟧
07:57:14.002115 ManagerReader:Run - DialString: ⟦ph|0048601234567⟧@trunk-orange"""),
("asterisk-queue-show", P_QUEUE, """pbx*CLI> queue show support
support has 2 calls (max unlimited) in 'rrmemory' strategy (14s holdtime, 212s talktime), W:0, C:57, A:6, SL:89.5%, SL2:91.2% within 60s
   Members: 
      ⟦n|Lukas⟧ ⟦n|Brandt⟧ (Local/⟦u|2104⟧@from-queue/n from hint:⟦u|2104⟧@ext-local) (ringinuse disabled) (dynamic) (Not in use) has taken 21 calls (last was 304 secs ago)
      ⟦n|Noor⟧ ⟦n|Haddad⟧ (PJSIP/⟦u|2107⟧) (ringinuse disabled) (In use) has taken 36 calls (last was 12 secs ago)
   Callers: 
      1. PJSIP/trunk-0000a1f3 (wait: 0:41, prio: 0)
      2. PJSIP/trunk-0000a1f7 (wait: 0:07, prio: 0)"""),
("asterisk-core-show-channels", P_QUEUE, """pbx*CLI> core show channels verbose
Channel              Context              Extension        Prio State   Application  Data                      CallerID        Duration Accountcode PeerAccount BridgeID
PJSIP/⟦u|5512⟧-00000be1   macro-dialout-trunk  s                  19 Up      Dial         PJSIP/⟦ph|00436641234567⟧@a1-trunk ⟦u|5512⟧            00:03:12                         8c1e2d3f
PJSIP/a1-trunk-00000be2 from-pstn            ⟦ph|+4312052200⟧          1 Up      AppDial      (Outgoing Line)           ⟦ph|00436641234567⟧  00:03:11                         8c1e2d3f
2 active channels"""),
("asterisk-voicemail-conf", P_VM, """[default]
⟦u|1001⟧ => ⟦sec|4321⟧,⟦n|Agnieszka⟧ ⟦n|Wróbel⟧,⟦em|a.wrobel@example.pl⟧,,attach=yes|tz=central
⟦u|1002⟧ => ⟦sec|90817⟧,⟦n|Mark⟧ ⟦n|Stone⟧,⟦em|mstone@example.co.uk⟧,⟦ph|+447700900431⟧@sms.example.co.uk
⟦u|1003⟧ => ⟦sec|5550⟧,⟦n|Émilie⟧ ⟦n|Rousseau⟧,,,delete=no"""),
("freeswitch-show-registrations", P_FSREG, """freeswitch@fs01> show registrations
reg_user,realm,token,url,expires,network_ip,network_port,network_proto,hostname,metadata
⟦u|1001⟧,⟦ip|10.60.18.33⟧,⟦id|a84b4c76e66710@10.60.18.40⟧,sofia/internal/sip:⟦u|1001⟧@⟦ip|10.60.18.40⟧:35722,1712063510,⟦ip|10.60.18.40⟧,35722,udp,fs01,
⟦u|jbauer⟧,voip.example.at,⟦id|MzA3YjQ5NDE2ZmQ⟧,sofia/internal/sip:⟦u|jbauer⟧@⟦ip|188.23.71.5⟧:5060;fs_nat=yes,1712063800,⟦ip|188.23.71.5⟧,5060,tls,fs01,
2 total."""),
("freeswitch-sofia-status-reg", P_FSREG, """freeswitch@fs01> sofia status profile internal reg
Registrations:
=================================================================================================
Call-ID:    \t⟦id|ZTJmN2Q0Y2EzMmM5ODE⟧
User:       \t⟦u|1004⟧@voip.example.fr
Contact:    \t"⟦n|Hélène⟧ ⟦n|Marchetti⟧" <sip:⟦u|1004⟧@⟦ip|192.168.1.64⟧:5060;rinstance=⟦id|e2b1c7d94f0a38a6⟧>
Agent:      \t⟪Zoiper⟫ v2.10.20.1
Status:     \tRegistered(UDP)(unknown) EXP(2024-04-02 12:31:02) EXPSECS(3591)
Ping-Status:\tReachable
Host:       \tfs01
IP:         \t⟦ip|83.204.19.140⟧
Port:       \t6102
Auth-User:  \t⟦u|1004⟧
Auth-Realm: \tvoip.example.fr
MWI-Account:\t⟦u|1004⟧@voip.example.fr
Total items returned: 1
================================================================================================="""),
("kazoo-registrations-json", P_KAZOO, """{"auth_token": "⟦sec|6b2f1c7de4a94d80b3e1f05c2a7d9e63⟧",
 "data": [
     {"account_name": "⟦n|Okafor⟧ Dental",
      "account_realm": "⟦id|okafor-dental.sip.example.com⟧",
      "authorizing_id": "⟦id|4e1d8c2b7a90f3e56d1c0b9a8e7f6d5c⟧",
      "call_id": "⟦id|792957271⟧@⟦ip|10.26.0.158⟧",
      "contact": "sip:⟦u|user_k3h9x2⟧@⟦ip|102.89.34.17⟧:5060;fs_path=<sip:⟦ip|10.26.0.158⟧:5060;lr>",
      "contact_ip": "⟦ip|102.89.34.17⟧",
      "from_user": "⟦u|user_k3h9x2⟧",
      "owner_id": "⟦id|9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a41⟧",
      "user_agent": "Yealink SIP-T38G 38.0.0.115",
      "username": "⟦u|user_k3h9x2⟧"}],
 "status": "success"}"""),
]
