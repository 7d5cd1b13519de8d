P_CSCV = "Asterisk 'core show channels verbose' table (Channel Context Extension Prio State Application Data CallerID Duration Accountcode PeerAccount BridgeID), Asterisk CLI docs"
P_QLOG = "Asterisk queue_log pipe format 'epoch|uniqueid|queue|agent|event|data...', docs.asterisk.org/Operation/Logging/Queue-Logs and wazo queue_log docs"
P_MCSV = "Asterisk cdr-csv Master.csv row variants (with userfield, with sequence/linkedid), Asterisk CDR docs"
P_FSUD = "FreeSWITCH fs_cli 'uuid_dump <uuid>' key: value output (Caller-Caller-ID-Name, variable_sip_from_user...), OpenACD/OpenACD#12, englercj/node-esl#79"
P_FSSC = "FreeSWITCH 'show channels' CSV (uuid,direction,created,...,cid_name,cid_num,ip_addr,dest,...), FreeSWITCH mod_commands docs"
P_FSXML = "FreeSWITCH mod_xml_cdr XML CDR (<cdr><variables>..., <callflow><caller_profile>), FreeSWITCH docs"
P_WAZO = "Wazo queue_log table with psql '|' column layout, wazo.readthedocs.io api_sdk/queue_log"
T = [
("asterisk-core-show-channels-verbose", P_CSCV, """Channel              Context              Extension        Prio State   Application  Data                      CallerID        Duration Accountcode PeerAccount BridgeID
PJSIP/⟦u|4021⟧-0000012a   from-internal        ⟦ph|0612345678⟧         7 Up      Dial         PJSIP/⟦ph|0612345678⟧@trunk-kpn,,  ⟦u|4021⟧            00:01:12                         ⟦id|7b9f0c2a-1d3e-4f5a⟧
PJSIP/trunk-kpn-0000012b  from-trunk           s                1 Up      AppDial      (Outgoing Line)           ⟦ph|0612345678⟧      00:01:10                         ⟦id|7b9f0c2a-1d3e-4f5a⟧
2 active channels"""),
("asterisk-core-show-channel-detail", P_CSCV, """ -- General --
           Name: PJSIP/⟦u|4021⟧-0000012a
           Type: PJSIP
       UniqueID: 1712251201.298
       LinkedID: 1712251201.298
      Caller ID: ⟦u|4021⟧
 Caller ID Name: ⟦n|Femke⟧ ⟦n|de Vries⟧
Connected Line ID: ⟦ph|0612345678⟧
Connected Line ID Name: ⟦n|Pieter⟧ ⟦n|Hoekstra⟧
    DNID Digits: ⟦ph|0612345678⟧
       Language: nl
          State: Up (6)
  NativeFormats: (alaw)
      BLINDTRANSFER=
    DIALEDPEERNUMBER=⟦ph|0612345678⟧@trunk-kpn"""),
("asterisk-queue-log", P_QLOG, """1712252001|1712251990.311|support|NONE|ENTERQUEUE||⟦ph|07700900481⟧|1
1712252004|1712251990.311|support|PJSIP/⟦u|2104⟧|RINGNOANSWER|15000
1712252019|1712251990.311|support|⟦n|Priya⟧ ⟦n|Chandrasekaran⟧|CONNECT|29|1712252004.315|14
1712252260|1712251990.311|support|⟦n|Priya⟧ ⟦n|Chandrasekaran⟧|COMPLETECALLER|29|241|1
1712252300|NONE|support|PJSIP/⟦u|2107⟧|ADDMEMBER|
1712252301|NONE|support|⟦n|Dmitri⟧ ⟦n|Volkov⟧|PAUSE|Lunch"""),
("wazo-queue-log-psql", P_WAZO, """           time            |     callid      | queuename |   agent    |        event        |        data1        |  data2  | data3 | data4 | data5
---------------------------+-----------------+-----------+------------+---------------------+---------------------+---------+-------+-------+-------
2024-04-04 15:27:23.896208 | 1712244440.4    | NONE      | Agent/⟦u|3001⟧ | AGENTCALLBACKLOGIN  | ⟦u|1002⟧@pcm-dev        |         |       |       |
2024-04-04 15:29:02.101003 | 1712244540.9    | q1        | NONE       | ENTERQUEUE          |                     | ⟦ph|5149998812⟧ | 1     |       |"""),
("asterisk-master-csv-userfield", P_MCSV, """"","⟦ph|+33145678901⟧","⟦u|201⟧","from-trunk","""+'"'+"""⟦n|Élodie⟧ ⟦n|Lefèvre⟧"" <⟦ph|+33145678901⟧>","PJSIP/ovh-000001a4","PJSIP/⟦u|201⟧-000001a5","Dial","PJSIP/⟦u|201⟧,30,tT","2024-04-04 15:40:01","2024-04-04 15:40:09","2024-04-04 15:42:55","174","166","ANSWERED","DOCUMENTATION","1712245201.420","client=⟦n|Lefèvre⟧;dossier=⟦id|FR-2024-08812⟧"
"acct7","⟦u|305⟧","⟦ph|0033612345678⟧","from-internal","""+'"'+"""⟦n|Marc⟧ ⟦n|Aubert⟧"" <⟦u|305⟧>","PJSIP/⟦u|305⟧-000001b0","PJSIP/ovh-000001b1","Dial","PJSIP/⟦ph|0033612345678⟧@ovh","2024-04-04 15:51:11","","2024-04-04 15:51:41","30","0","NO ANSWER","DOCUMENTATION","1712245871.431","","1712245871.431","77\""""),
("asterisk-cdr-adaptive-odbc-select", P_MCSV, """mysql> select calldate,clid,src,dst,disposition,billsec,recordingfile from cdr order by calldate desc limit 2;
+---------------------+--------------------------------------+-------------+-------------+-------------+---------+------------------------------------------------------+
| 2024-04-04 16:02:44 | "⟦n|Ludmila⟧ ⟦n|Horáková⟧" <⟦ph|+420603111222⟧> | ⟦ph|+420603111222⟧ | ⟦u|102⟧         | ANSWERED    |     311 | in-⟦u|102⟧-⟦ph|+420603111222⟧-20240404-160244-1712246564.88.wav |
| 2024-04-04 15:58:10 | "⟦u|104⟧" <⟦u|104⟧>                            | ⟦u|104⟧         | ⟦ph|0800123456⟧  | BUSY        |       0 |                                                      |
+---------------------+--------------------------------------+-------------+-------------+-------------+---------+------------------------------------------------------+"""),
("freeswitch-uuid-dump", P_FSUD, """freeswitch@pbx> uuid_dump 83f8a3b4-8e31-428a-b61c-d21f7de52d05
Event-Name: CHANNEL_DATA
Core-UUID: 08a97102-b26b-46ba-aaeb-1c348c0681f2
FreeSWITCH-Hostname: pbx01
FreeSWITCH-IPv4: ⟦ip|10.0.0.21⟧
Channel-State: CS_EXECUTE
Channel-Name: sofia/internal/⟦u|1004⟧@⟦ip|10.0.0.21⟧
Caller-Username: ⟦u|1004⟧
Caller-Caller-ID-Name: ⟦n|Agnieszka⟧ ⟦n|Zielińska⟧
Caller-Caller-ID-Number: ⟦u|1004⟧
Caller-Network-Addr: ⟦ip|10.0.3.88⟧
Caller-Destination-Number: ⟦ph|48221234567⟧
variable_sip_from_user: ⟦u|1004⟧
variable_sip_from_display: ⟦n|Agnieszka⟧%20⟦n|Zielińska⟧
variable_sip_received_ip: ⟦ip|10.0.3.88⟧
variable_sip_user_agent: Grandstream GXP1625 1.0.7.13
variable_effective_caller_id_name: ⟦n|Agnieszka⟧ ⟦n|Zielińska⟧
variable_origination_caller_id_number: ⟦ph|+48221234500⟧"""),
("freeswitch-show-channels-csv", P_FSSC, """uuid,direction,created,created_epoch,name,state,cid_name,cid_num,ip_addr,dest,application,application_data,dialplan,context,read_codec,read_rate,read_bit_rate,write_codec,write_rate,write_bit_rate,secure,hostname,presence_id,presence_data,accountcode,callstate,callee_name,callee_num,callee_direction,call_uuid,sent_callee_name,sent_callee_num,initial_cid_name,initial_cid_num,initial_ip_addr,initial_dest,initial_dialplan,initial_context
9b3d33a2-19b5-4589-a824-203a67cbbd88,inbound,2024-04-04 16:11:02,1712247062,sofia/internal/⟦u|1012⟧@pbx.example.hu,CS_EXECUTE,⟦n|Gábor⟧ ⟦n|Szűcs⟧,⟦u|1012⟧,⟦ip|192.168.4.17⟧,⟦ph|06301234567⟧,bridge,sofia/gateway/magyar/⟦ph|06301234567⟧,XML,default,⟪PCMA⟫,8000,64000,⟪PCMA⟫,8000,64000,,pbx01,⟦u|1012⟧@pbx.example.hu,,,ACTIVE,Outbound Call,⟦ph|06301234567⟧,SEND,,,,⟦n|Gábor⟧ ⟦n|Szűcs⟧,⟦u|1012⟧,⟦ip|192.168.4.17⟧,⟦ph|06301234567⟧,XML,default
1 total."""),
("freeswitch-xml-cdr", P_FSXML, """<?xml version="1.0"?>
<cdr core-uuid="08a97102-b26b-46ba-aaeb-1c348c0681f2" switchname="pbx01">
  <channel_data><state>CS_REPORTING</state><direction>inbound</direction></channel_data>
  <variables>
    <sip_from_user>⟦ph|5511987654321⟧</sip_from_user>
    <sip_from_display>⟦n|Thiago%20Nascimento⟧</sip_from_display>
    <sip_network_ip>⟦ip|200.147.33.12⟧</sip_network_ip>
    <sip_to_user>⟦u|3001⟧</sip_to_user>
    <hangup_cause>NORMAL_CLEARING</hangup_cause>
    <billsec>94</billsec>
  </variables>
  <callflow dialplan="XML" profile_index="1">
    <caller_profile>
      <username>⟦ph|5511987654321⟧</username>
      <caller_id_name>⟦n|Thiago⟧ ⟦n|Nascimento⟧</caller_id_name>
      <caller_id_number>⟦ph|5511987654321⟧</caller_id_number>
      <network_addr>⟦ip|200.147.33.12⟧</network_addr>
      <destination_number>⟦u|3001⟧</destination_number>
    </caller_profile>
  </callflow>
</cdr>"""),
("freeswitch-esl-event-plain", P_FSUD, """Event-Name: CUSTOM
Event-Subclass: sofia::register
profile-name: internal
from-user: ⟦u|ahmad.karimi⟧
from-host: pbx.example.ir
contact: "⟦n|Ahmad⟧ ⟦n|Karimi⟧" <sip:⟦u|ahmad.karimi⟧@⟦ip|5.202.61.19⟧:50311;transport=udp>
call-id: ⟦id|ZmE5NjdlMTY0ZGMyNjFkNmI⟧
network-ip: ⟦ip|5.202.61.19⟧
network-port: 50311
username: ⟦u|ahmad.karimi⟧
realm: pbx.example.ir
user-agent: MicroSIP/3.21.3"""),
]
