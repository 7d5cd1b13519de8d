P_INT = "IntentsExtension INStartCallIntent/INPerson description as NSLog'd, github.com/VoIPGRID/VialerSIPLib/issues/29 and signalapp/Signal-iOS#1681"
P_CXU = "CallKit CXCallUpdate / CXStartCallAction description prints in app logs (Apple CallKit docs, VialerSIPLib-style NSLog)"
P_CS = "sysdiagnose `log show --style syslog` lines of callservicesd / CommCenter / IDS (Apple unified logging, sysdiagnose archive)"
P_CH = "iOS CallHistory.storedata ZCALLRECORD sqlite3 dump (forensics write-ups, sleuthkit/autopsy#6154 call-log parsing)"
P_AB = "iOS AddressBook.sqlitedb ABPerson/ABMultiValue sqlite3 '-line' dump (forensics write-ups)"
P_SYSD = "sysdiagnose summary files: remote_status/ioreg excerpt, 'Device Name:' lines in sysdiagnose README/summary"
P_PK = "PushKit didReceiveIncomingPushWith payload print (Swift dictionary description), react-native-voip-push-notification issues"
T = [
("ios-instartcallintent-desc", P_INT, """2024-04-03 10:12:44.018 ⟪IntentsExtension⟫[412:88311] HANDLE Audio intent:<INStartCallIntent: 0x281f4c3c0> {
    callRecordFilter = <null>;
    callCapability = AudioCall;
    contacts = (
        "<INPerson: 0x281b2d680> {\\n    displayName = ⟦n|Søren⟧ ⟦n|Kjærgaard⟧;\\n    personHandle = <INPersonHandle: 0x28047e9a0> {\\n    value = ⟦ph|+45 21 44 90 17⟧;\\n    type = PhoneNumber;\\n    label = _$!<Mobile>!$_;\\n};\\n    nameComponents = givenName: ⟦n|Søren⟧ familyName: ⟦n|Kjærgaard⟧ ;\\n    contactIdentifier = ⟦id|5C2A1D0E-77B3-4E40-9A61-2B8D1E0F7A44⟧:ABPerson;\\n}"
    );
    destinationType = Normal;
}"""),
("ios-instartcallintent-desc", P_INT, """<INPerson: 0x600003b1c2d0> { displayName = ⟦n|Camila⟧ ⟦n|Arango⟧ ⟦n|Restrepo⟧; personHandle = <INPersonHandle value: ⟦em|camila.arango@correo.example.co⟧, type: EmailAddress>; customIdentifier = ⟦u|carango⟧; relationship = <null>; siriMatches = (null) }"""),
("ios-cxcallupdate-desc", P_CXU, """[CallKitProvider] reportNewIncomingCall uuid=⟦id|E0D3B6C1-54A2-4F19-8A7E-31C0B9D7F26E⟧ update=<CXCallUpdate 0x2830a1f80 remoteHandle=<CXHandle 0x280c61b60 type=PhoneNumber value=⟦ph|+61 412 908 331⟧> localizedCallerName=⟦n|Bronwyn⟧ ⟦n|McAllister⟧ supportsHolding=1 supportsGrouping=0 supportsUngrouping=0 supportsDTMF=1 hasVideo=0>
[CallKitProvider] CXAnswerCallAction <CXAnswerCallAction 0x2831c9e00 UUID=B71A... state=0 commitDate=(null) callUUID=⟦id|E0D3B6C1-54A2-4F19-8A7E-31C0B9D7F26E⟧>"""),
("ios-cxstartcallaction-desc", P_CXU, """<CXStartCallAction 0x600002e8d0a0 UUID=⟦id|0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0⟧ state=0 commitDate=2024-04-03 08:01:55 +0000 callUUID=⟦id|9AB8C7D6-E5F4-4321-8765-0FEDCBA98765⟧ handle=<CXHandle 0x600000c4a6a0 type=Generic value=⟦u|maximilian.hofer⟧> contactIdentifier=(null) video=0 relay=0 upgrade=0 retry=0 emergency=0 isVoicemail=0 ttyType=0 localSenderIdentityUUID=(null)>"""),
("ios-sysdiagnose-callservicesd", P_CS, """2024-04-03 09:55:10.331204+0200 0x2b41     Default     0x0   101    0    callservicesd: [com.apple.calls.callservicesd:Default] Call <CSDProviderCall 0x1039a4e00 identifier=⟦id|3F2C7E90-1B44-4D2A-A0B1-7C9E5D3A2F10⟧ provider=<CSDCallProvider identifier=com.apple.coretelephony> handle=<TUHandle 0x281c5e380 type=PhoneNumber value=⟦ph|+41791234508⟧ normalizedValue=⟦ph|+41791234508⟧ isoCountryCode=ch> status=4 isOutgoing=0>
2024-04-03 09:55:10.340113+0200 0x2b41     Default     0x0   101    0    callservicesd: [com.apple.calls.callservicesd:Default] contactIdentifier: ⟦id|A6D9E2F1-3C0B-4A87-9E21-55B0C4D3E201⟧ for handle ⟦ph|+41791234508⟧ name: ⟦n|Reto⟧ ⟦n|Zbinden⟧"""),
("ios-sysdiagnose-commcenter", P_CS, """2024-04-03 09:55:09.870011+0200 0x1a3      Default     0x0   88     0    CommCenter: [com.apple.telephony:ct.call] #I CallInfo: callId=3, state=Incoming, number=⟦ph|079 123 45 08⟧, presentation=Allowed, cnap=⟦n|ZBINDEN⟧ ⟦n|RETO⟧, slot=1
2024-04-03 09:55:09.870512+0200 0x1a3      Default     0x0   88     0    CommCenter: [com.apple.telephony:ct.sim] #I SIM ready, iccid=⟦id|8941020014005557771⟧, imsi=⟦id|228012345678901⟧, mdn=⟦ph|+41 79 555 01 22⟧"""),
("ios-sysdiagnose-ids", P_CS, """2024-04-03 10:01:22.004311+0200 0x44f1     Default     0x0   144    0    identityservicesd: [com.apple.IDS:IDSDaemon] Sending message to destinations: ("mailto:⟦em|sofie.lindqvist@icloud.com⟧", "tel:⟦ph|+46701238845⟧") from: tel:⟦ph|+46739912004⟧ service: com.apple.madrid
2024-04-03 10:01:22.010012+0200 0x44f1     Default     0x0   144    0    identityservicesd: [com.apple.IDS:IDSDaemon] Peer token for ⟦em|sofie.lindqvist@icloud.com⟧: <⟦id|a9f1c3e70b5d2846ce91f0a37b4d8e6512c0f9a3b7e1d5c4⟧>"""),
("ios-callhistory-sqlite", P_CH, """sqlite> SELECT Z_PK,ZADDRESS,ZNAME,ZDATE,ZDURATION,ZORIGINATED,ZISO_COUNTRY_CODE,ZLOCATION FROM ZCALLRECORD ORDER BY ZDATE DESC LIMIT 3;
512|⟦ph|+819012345678⟧|⟦n|田中⟧ ⟦n|美咲⟧|734001122.551|312.0|0|jp|⟪Japan⟫
511|⟦ph|0312345678⟧||733998011.02|0.0|1|jp|Tokyo, Japan
510|⟦em|k.watanabe@example.jp⟧|⟦n|渡辺⟧ ⟦n|健⟧|733990000.9|61.0|1|jp|"""),
("ios-addressbook-sqlite-line", P_AB, """sqlite> .mode line
sqlite> SELECT ROWID, First, Last, Organization, Note FROM ABPerson WHERE ROWID=77;
       ROWID = 77
       First = ⟦n|Oluwaseun⟧
        Last = ⟦n|Adeyemi⟧
Organization = Adeyemi Logistics Ltd
        Note = Gate code ⟦sec|7791#⟧, lives at ⟦geo|14 Admiralty Way, Lekki Phase 1, Lagos⟧
sqlite> SELECT record_id, label, value FROM ABMultiValue WHERE record_id=77;
record_id = 77
    label = 1
    value = ⟦ph|+234 803 555 0192⟧"""),
("ios-sysdiagnose-summary", P_SYSD, """sysdiagnose_2024.04.03_10-14-55+0200_iPhone-OS_iPhone_21E236
Device Name: ⟦n|Ewa⟧’s iPhone
Model: iPhone14,5
Serial Number: ⟦id|F2LXK9QRPLJ7⟧
UDID: ⟦id|00008110-001A2C3E0E91801E⟧
Product Version: 17.4.1 (21E236)
Wi-Fi Address: ⟦mac|ac:15:f4:02:9d:6e⟧
Bluetooth Address: ⟦mac|ac:15:f4:02:78:11⟧"""),
("ios-pushkit-swift-dict", P_PK, """didReceiveIncomingPushWith payload: [AnyHashable("aps"): { "content-available" = 1; }, AnyHashable("caller_name"): ⟦n|Nikolaos⟧ ⟦n|Papadakis⟧, AnyHashable("handle"): ⟦ph|+30 694 512 3380⟧, AnyHashable("uuid"): ⟦id|6B1F4D2A-93C8-4E75-B0A1-D2C3E4F5A6B7⟧, AnyHashable("sip_user"): ⟦u|npapadakis⟧, AnyHashable("hasVideo"): 0]"""),
]
