P_POLY = "Polycom SoundPoint/VVX syslog (app log 'so|sip|...' module lines), Polycom Technical Bulletin 17124 'Syslog on SoundPoint IP Phones'"
P_GS = "Grandstream GS_LOG syslog '[MAC][code] message', Grandstream HandyTone 286 user manual syslog section"
P_CISCO = "Cisco SPA/CP-78xx syslog lines (RSE_DEBUG / SIP reg), Cisco small business phone admin guides"
P_YEA = "Yealink T4x syslog (sip[xxx]: ... '<5+notice>' lines), Yealink phones syslog export"
P_FAN = "Fanvil X-series syslog (sipua: ...), Fanvil admin guide"
P_OBI = "Obihai OBi202 syslog (SP1 Registration / Call from ...), OBiTALK forum pastes"
P_SNOM = "Snom D7xx syslog (sip: Registration of ... succeeded), snom service wiki"
P_SPL = "Spectralink 8020/8030 handset syslog (MAC, IP, sequence, handoff AP MAC), Polycom SpectraLink 1725-36038-001 admin guide"
P_HW = "Huawei switch SEA/5/SIP_INVITE_FAIL syslog with CallID/SrcIp/DevMAC fields, a10.tagan.ru/huawei/dc/SEA_SIP_INVITE_FAIL"
T = [
("polycom-vvx-syslog", P_POLY, """Apr  4 15:02:11 ⟦ip|10.30.1.77⟧ ⟦mac|0004f2a1b3c4⟧|0404150211|sip  |4|00|Registration failed for line 1 user ⟦u|4471⟧@voip.example.co.uk: 403 Forbidden
Apr  4 15:02:11 ⟦ip|10.30.1.77⟧ ⟦mac|0004f2a1b3c4⟧|0404150211|so   |1|00|Line 1 label '⟦n|Gareth⟧ ⟦n|Pritchard⟧' ext ⟦u|4471⟧
Apr  4 15:02:14 ⟦ip|10.30.1.77⟧ ⟦mac|0004f2a1b3c4⟧|0404150214|dns  |1|00|SRV lookup _sip._udp.voip.example.co.uk ok"""),
("polycom-app-log-call", P_POLY, """0404150930|cdr  |*|00|Call from "⟦n|Siân⟧ ⟦n|Llewellyn⟧" <sip:⟦ph|01632960418⟧@voip.example.co.uk> line 1 duration 00:02:18 codec ⟪G.722⟫
0404150930|sip  |2|00|CallId ⟦id|b61c-9f2e0a77-41d3⟧ BYE from ⟦ip|81.2.69.160⟧:5060
0404150931|dir  |1|00|Directory entry added: ⟦n|Llewellyn⟧, ⟦n|Siân⟧ ⟦ph|01632 960418⟧"""),
("grandstream-gslog", P_GS, """May 19 02:40:38 ⟦ip|192.168.1.14⟧ GS_LOG: [⟦mac|00:0b:82:4c:91:e7⟧][000] Ethernet link is up
May 19 02:40:41 ⟦ip|192.168.1.14⟧ GS_LOG: [⟦mac|00:0b:82:4c:91:e7⟧][050] Account 1 ⟦u|ivanov_a⟧@sip.example.ru registered
May 19 02:41:02 ⟦ip|192.168.1.14⟧ GS_LOG: [⟦mac|00:0b:82:4c:91:e7⟧][070] Incoming call from ⟦ph|84951234567⟧ (⟦n|Ирина⟧ ⟦n|Соколова⟧) on FXS1"""),
("cisco-cp-syslog", P_CISCO, """<134>Apr 4 15:20:02 SEP⟦mac|6C416A3B0F21⟧ :  RSE_DEBUG: Reg 1: user ⟦u|5310⟧ Auth ⟦u|jdelgado⟧ proxy 172.16.0.5 status 200
<134>Apr 4 15:20:40 SEP⟦mac|6C416A3B0F21⟧ :  CC: incoming call from "⟦n|Javier⟧ ⟦n|Delgado⟧" <⟦ph|+34915550123⟧> to ⟦u|5310⟧
<134>Apr 4 15:21:02 SEP⟦mac|6C416A3B0F21⟧ :  PHONE: DHCP lease ⟦ip|172.16.3.41⟧ from 172.16.0.1"""),
("cisco-spa-syslog", P_CISCO, """Apr 04 15:33:10 ⟦ip|192.168.2.50⟧ [0]Reg Addr Change(0) 0:0->ac1000.5:5060
Apr 04 15:33:10 ⟦ip|192.168.2.50⟧ [0]RegOK. NextReg in 3600 (1)
Apr 04 15:33:52 ⟦ip|192.168.2.50⟧ [0:0]->Call from ⟦ph|0221 9876543⟧ "⟦n|Heinz⟧-⟦n|Dieter⟧ ⟦n|Kuhlmann⟧"
Apr 04 15:33:52 ⟦ip|192.168.2.50⟧ Calling:(0) ⟦ph|02219876543⟧"""),
("yealink-syslog", P_YEA, """Apr  4 16:01:55 ⟦ip|10.0.8.41⟧ sip[803]: <5+notice> [SIP] acc[0] user=⟦u|8112⟧ server=pbx.example.com.br:5060 register success, expire 300
Apr  4 16:02:30 ⟦ip|10.0.8.41⟧ sip[803]: <6+info  > [SIP] incoming call, from: "⟦n|João⟧ ⟦n|Pedro⟧ ⟦n|Albuquerque⟧"<sip:⟦ph|11987654321⟧@pbx.example.com.br>, to: <sip:⟦u|8112⟧@pbx.example.com.br>
Apr  4 16:02:31 ⟦ip|10.0.8.41⟧ GUI[612]: <6+info  > [CALL] call 4 state ringing line 1 label "⟦n|Renata⟧ Rec" idle"""),
("fanvil-syslog", P_FAN, """2024-04-04 16:10:11 ⟦ip|172.18.0.66⟧ sipua: [LINE1] register to sip:pbx.example.vn user ⟦u|1205⟧ result 200
2024-04-04 16:10:44 ⟦ip|172.18.0.66⟧ sipua: [LINE1] INVITE from <sip:⟦ph|0903123456⟧@pbx.example.vn> display "⟦n|Nguyễn⟧ ⟦n|Thị⟧ ⟦n|Lan⟧"
2024-04-04 16:10:44 ⟦ip|172.18.0.66⟧ ui: ring tone Ring3.wav"""),
("obihai-syslog", P_OBI, """<7> [SLIC] CID to deliver: '⟦n|ROSSI⟧ ⟦n|MARCO⟧' ⟦ph|3471234567⟧
<7> SP1(12:00:11)REGISTER: sip:⟦u|obi_mrossi⟧@sip.example.it
<7> SP1 Registration Success (Exp=3600, Server=⟦ip|5.10.12.90⟧:5060)
<7> [SLIC] Call from SP1: ⟦ph|+39 347 123 4567⟧ → PH1"""),
("snom-syslog", P_SNOM, """Apr 4 16:22:03 snomD785-⟦mac|000413A7BC21⟧ [info ] SIP: Registration of ⟦sip|r.vanderberg@sip.example.nl⟧ succeeded (expires 600)
Apr 4 16:22:40 snomD785-⟦mac|000413A7BC21⟧ [info ] PHN: Missed call from ⟦ph|+31 20 794 1133⟧ (⟦n|Marloes⟧ ⟦n|Bakker⟧)
Apr 4 16:22:41 snomD785-⟦mac|000413A7BC21⟧ [debug] LED: fkey 3 blink"""),
("spectralink-syslog", P_SPL, """04-04 16:30:01.21 ⟦mac|00:90:7a:0e:11:52⟧ ⟦ip|10.55.2.18⟧ seq=4411 Successful Handoff new AP ⟦mac|70:10:6f:aa:31:c0⟧ rssi -61 old AP ⟦mac|70:10:6f:aa:2e:80⟧ rssi -79 reason RSSI
04-04 16:30:14.02 ⟦mac|00:90:7a:0e:11:52⟧ ⟦ip|10.55.2.18⟧ seq=4412 Call Start type telephony AP ⟦mac|70:10:6f:aa:31:c0⟧ ext ⟦u|2219⟧ user ⟦n|Noor⟧ ⟦n|Jansen⟧"""),
("huawei-sea-sip-syslog", P_HW, """Apr  4 2024 16:40:09 SW-CORE-2 %%01SEA/5/SIP_INVITE_FAIL(l)[12]:This SIP session fails to be invited. (CallID=⟦id|1744221901⟧, SrcIp=⟦ip|10.12.40.101⟧, Sport=5060, Pro=17, DevMAC=⟦mac|00e0-fc12-3456⟧, SrcMAC=⟦mac|3c8c-40ab-cd01⟧, DstMAC=⟦mac|00e0-fc12-3456⟧, Msgcode=486, Type=AUDIO, Time=2024-04-04 16:40:09)"""),
("yealink-dect-w70b-log", P_YEA, """<14>Apr  4 16:50:12 W70B ⟦mac|805ec0a4d211⟧ [HS3] name="⟦n|Ahmed⟧ Lager" ipui=⟦id|02F1A7C3E1⟧ registered to base
<14>Apr  4 16:50:20 W70B ⟦mac|805ec0a4d211⟧ [ACC2] ⟦u|7703⟧ reg ok via ⟦ip|185.94.12.7⟧"""),
]
