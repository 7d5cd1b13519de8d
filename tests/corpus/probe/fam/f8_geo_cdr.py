P_CLL = "iOS CLLocation description '<+lat,+lon> +/- 5.00m (speed ... / course ...) @ date', as printed by print(location) in Swift apps (Apple CoreLocation docs)"
P_HELD = "RFC 5985 HELD / RFC 5139 civicAddress XML (A1/A3/RD/HNO/PC) in E911/NG112 SIP bodies"
P_E911 = "E911 dispatchable-location JSON of cloud PBX APIs (Bandwidth/Teams emergency address: addressLine1, city, postalCode), vendor API docs"
P_MAPS = "map links and location codes pasted in chat/tickets (Google Maps @lat,lon,zoom URLs, Plus Codes, geohash, what3words)"
P_FSCDR = "FreeSWITCH mod_cdr_csv default template (\"${caller_id_name}\",\"${caller_id_number}\",\"${destination_number}\",...), FreeSWITCH docs"
P_ACC = "Kamailio acc module syslog line 'ACC: transaction answered: timestamp=...;method=INVITE;...;src_user=...;dst_ouser=...' (kamailio.org/docs/modules/stable/modules/acc.html)"
P_RTPE = "rtpengine log lines '[core] [ID=\"callid\"]: ... Confirmed peer address as ip:port' (sipwise/rtpengine issues)"
P_CEL = "Asterisk CEL CSV (eventtype, eventtime, cid_name, cid_num, cid_ani, exten, context, channame, appname, appdata), Asterisk docs"
P_BENIGN = "benign-only softphone/PBX log lines (protocol words, codec names, status codes, versions, times) assembled from the layouts above, to measure over-redaction"
T = [
("ios-cllocation", P_CLL, """LocationManager didUpdateLocations: [⟦geo|<+48.13715400,+11.57612400>⟧ +/- 5.00m (speed 0.00 mps / course -1.00) @ 02.04.24, 10:11:12 Mitteleuropäische Sommerzeit]"""),
("ios-cllocation", P_CLL, """emergencyCallLocation = ⟦geo|<+40.71278370,-74.00594130>⟧ +/- 65.00m (speed -1.00 mps / course -1.00) @ 4/2/24, 9:14:55 AM Eastern Daylight Time"""),
("held-civic", P_HELD, """<ca:civicAddress xml:lang="de"><ca:country>DE</ca:country><ca:A1>Bayern</ca:A1><ca:A3>⟦geo|München⟧</ca:A3><ca:RD>⟦geo|Leopoldstraße⟧</ca:RD><ca:HNO>⟦geo|112⟧</ca:HNO><ca:PC>⟦geo|80802⟧</ca:PC><ca:NAM>Praxis Dr. ⟦n|Haas⟧</ca:NAM></ca:civicAddress>"""),
("e911-json", P_E911, """{"emergencyAddress":{"houseNumber":"⟦geo|1428⟧","streetName":"⟦geo|Elm Street⟧","addressLine2":"⟦geo|Apt 3B⟧","city":"⟦geo|Springwood⟧","stateCode":"OH","zip":"⟦geo|45011⟧","callerName":"⟦n|Nancy⟧ ⟦n|Thompson⟧","callbackNumber":"⟦ph|+15135550166⟧"},"endpointId":"⟦id|e3f1a2b4-9c8d-4e7f-a6b5-c4d3e2f1a0b9⟧"}"""),
("maps-links", P_MAPS, """Treffpunkt: https://www.google.com/maps/place/@⟦geo|52.5162746,13.3777041⟧,17z – oder Plus Code ⟦geo|9F4MGCC8+GX⟧, geohash ⟦geo|u33db2m3⟧, w3w ///⟦geo|fliegen.warten.tulpe⟧"""),
("maps-links", P_MAPS, """my location: https://maps.apple.com/?ll=⟦geo|51.507351,-0.127758⟧&q=Dropped%20Pin ; DMS ⟦geo|51°30'26.5"N 0°07'39.9"W⟧"""),
("freeswitch-cdr-csv", P_FSCDR, """"⟦n|Katharina⟧ ⟦n|Böhm⟧","⟦u|1012⟧","⟦ph|004369912345678⟧","default","2024-04-02 10:11:12","2024-04-02 10:11:15","2024-04-02 10:13:40","148","145","NORMAL_CLEARING","⟦id|4c1f0c2a-8e7d-4b6a-9f5e-3d2c1b0a9f8e⟧","","⟦u|1012⟧","PCMA","PCMA"
"⟦ph|+436641112233⟧","⟦ph|+436641112233⟧","⟦u|1012⟧","public","2024-04-02 10:20:00","","2024-04-02 10:20:31","31","0","NO_ANSWER","⟦id|9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d⟧","","","",\"\""""),
("kamailio-acc", P_ACC, """Apr  2 10:11:12 sbc01 /usr/sbin/kamailio[2231]: NOTICE: acc [acc.c:316]: acc_log_request(): ACC: transaction answered: timestamp=1712045472;method=INVITE;from_tag=⟦id|as7f3e1c2b⟧;to_tag=⟦id|0a9b8c7d⟧;call_id=⟦id|4b1e2f0c99aa⟧;code=200;reason=OK;src_user=⟦u|lwagner⟧;src_domain=pbx.example.de;src_ip=⟦ip|10.2.3.4⟧;dst_ouser=⟦ph|004989123456⟧;dst_user=⟦ph|004989123456⟧;dst_domain=⟦ip|217.0.22.3⟧"""),
("rtpengine-log", P_RTPE, """Apr  2 10:11:13 media01 rtpengine[811]: INFO: [⟦id|4b1e2f0c99aa⟧ port 30412]: [core] Confirmed peer address as ⟦ip|91.64.133.207⟧:40126
Apr  2 10:11:13 media01 rtpengine[811]: INFO: [⟦id|4b1e2f0c99aa⟧]: [control] Received command 'offer' from ⟦ip|10.2.0.5⟧:50321
Apr  2 10:11:13 media01 rtpengine[811]: INFO: [⟦id|4b1e2f0c99aa⟧]: [control] Call-ID: ⟦id|4b1e2f0c99aa⟧, From-tag: ⟦id|as7f3e1c2b⟧, from: sip:⟦u|lwagner⟧@pbx.example.de"""),
("asterisk-cel-csv", P_CEL, """"CHAN_START","2024-04-02 10:11:12.334","⟦n|Petra⟧ ⟦n|Langer⟧","⟦u|2203⟧","⟦u|2203⟧","","","⟦ph|004915112345678⟧","from-internal","PJSIP/⟦u|2203⟧-00000021","","","3","","1712045472.77","1712045472.77","",""
"ANSWER","2024-04-02 10:11:19.002","⟦n|Petra⟧ ⟦n|Langer⟧","⟦u|2203⟧","⟦u|2203⟧","","","⟦ph|004915112345678⟧","from-internal","PJSIP/⟦u|2203⟧-00000021","Dial","PJSIP/⟦ph|004915112345678⟧@trunk,60,tT","3","","1712045472.77","1712045472.77","","\""""),
("benign-only", P_BENIGN, """10:11:12.334 ⟪pjsua_core.c⟫  ⟪SIP⟫/2.0 ⟪183⟫ ⟪Session⟫ ⟪Progress⟫ ⟪codec⟫ ⟪opus⟫/48000/2 ⟪ptime⟫=20 ⟪G.722⟫ ⟪PCMA⟫ ⟪telephone-event⟫/8000 ⟪DTLS-SRTP⟫ ⟪AES_CM_128_HMAC_SHA1_80⟫ ⟪ICE⟫ ⟪nomination⟫ ⟪succeeded⟫ ⟪rtcp-mux⟫"""),
("benign-only", P_BENIGN, """⟪Registration⟫ ⟪failed⟫: ⟪408⟫ ⟪Request⟫ ⟪Timeout⟫ (⟪retry⟫ in 30 s); ⟪transport⟫=⟪TLSv1.3⟫ ⟪cipher⟫ ⟪TLS_AES_256_GCM_SHA384⟫; ⟪keepalive⟫ ⟪CRLF⟫ every 15s; ⟪Session-Expires⟫: 1800;⟪refresher⟫=uac; ⟪Min-SE⟫: 90"""),
("benign-only", P_BENIGN, """⟪Android⟫ 14 (⟪UP1A.231005.007⟫) ⟪Linphone⟫ 5.2.5 ⟪LinphoneSDK⟫ 5.3.38 ⟪arm64-v8a⟫; ⟪Bluetooth⟫ ⟪SCO⟫ ⟪connected⟫; ⟪AudioManager⟫ ⟪MODE_IN_COMMUNICATION⟫; ⟪WakeLock⟫ ⟪acquired⟫; ⟪Doze⟫ ⟪whitelist⟫ ⟪granted⟫"""),
("benign-only", P_BENIGN, """⟪Verbindung⟫ ⟪abgebrochen⟫ nach ⟪32⟫ ⟪Sekunden⟫ – ⟪typisch⟫ für ⟪fehlendes⟫ ⟪ACK⟫ ⟪hinter⟫ ⟪NAT⟫. ⟪Codec⟫ ⟪G.711⟫ ⟪a-law⟫, ⟪Jitterbuffer⟫ 60 ms, ⟪Paketverlust⟫ 0,3 %."""),
("benign-only", P_BENIGN, """⟪L'appel⟫ ⟪sortant⟫ ⟪échoue⟫ avec ⟪488⟫ ⟪Not⟫ ⟪Acceptable⟫ ⟪Here⟫ ; ⟪l'offre⟫ ⟪SDP⟫ ⟪contient⟫ ⟪uniquement⟫ ⟪G729⟫. ⟪Le⟫ ⟪problème⟫ ⟪disparaît⟫ en ⟪activant⟫ ⟪PCMU⟫."""),
("benign-only", P_BENIGN, """⟪Połączenie⟫ ⟪przychodzące⟫ ⟪dzwoni⟫, ale po ⟪odebraniu⟫ ⟪brak⟫ ⟪dźwięku⟫. ⟪Gelen⟫ ⟪arama⟫ ⟪çalıyor⟫ ⟪ancak⟫ ⟪ses⟫ ⟪yok⟫. ⟪Inkomende⟫ ⟪oproep⟫ ⟪gaat⟫ ⟪over⟫ maar ⟪geen⟫ ⟪geluid⟫."""),
("benign-only", P_BENIGN, """⟪kamailio⟫ 5.7.4 (x86_64/linux) ⟪usrloc⟫ ⟪registrar⟫ ⟪dialog⟫ ⟪nathelper⟫ ⟪rtpengine⟫ ⟪dispatcher⟫ ⟪htable⟫; ⟪asterisk⟫ 20.6.0 ⟪chan_pjsip⟫ ⟪res_pjsip_session⟫; ⟪FreeSWITCH⟫ 1.10.11 ⟪mod_sofia⟫ ⟪mod_verto⟫"""),
("benign-only", P_BENIGN, """⟪CallKit⟫ ⟪CXProvider⟫ ⟪reportNewIncomingCall⟫ ⟪completion⟫ ⟪error⟫: ⟪CXErrorCodeIncomingCallErrorFilteredByDoNotDisturb⟫; ⟪PushKit⟫ ⟪PKPushTypeVoIP⟫ ⟪didInvalidatePushTokenFor⟫"""),
]
