P_TEL = "Android Telecom logcat 'I Telecom : CallsManager: setCallState ... [TC@1, RINGING, ..., tel:..., A, childs(0)...]' and InCall 'CallList - onUpdate - [Call_3, ...]', github.com/sonyxperiadev/device-sony-aries/issues/49, github.com/ArchiDroid/android_device_samsung_i9300/issues/55 (numbers masked there; here invented)"
P_DUMPSYS = "adb shell dumpsys telecom (Call TC@n ... handle, callerDisplayName, PhoneAccountHandle), Android platform dumpsys output"
P_CS = "self-managed ConnectionService logcat of VoIP apps (react-native-callkeep / twilio_voice / androidx.core.telecom), github.com/cybex-dev/twilio_voice/issues/213, github.com/deltachat/deltachat-android/issues/4601"
P_CK = "iOS CallKit/PushKit NSLog of CXCallUpdate / CXHandle / PKPushPayload dictionaries, github.com/VoIPGRID/VialerSIPLib/issues/207, github.com/twilio/voice-quickstart-objc/issues/108, github.com/hiennguyen92/flutter_callkit_incoming/issues/729"
T = [
("android-telecom-logcat", P_TEL, """04-02 10:14:59.911  1184  2608 I Telecom : CallsManager: setCallState RINGING -> ACTIVE, call: [TC@7, RINGING, com.android.phone/com.android.services.telephony.TelephonyConnectionService, tel:⟦ph|+4915209876543⟧, A, childs(0), has_parent(false), [Capabilities: CAPABILITY_SUPPORT_HOLD CAPABILITY_MUTE], [Properties:]]: CSW.sA@AFw
04-02 10:14:59.912  1184  2608 I Telecom : Event: Call TC@7: SET_ACTIVE, active set explicitly: CSW.sA@AFw
04-02 10:14:59.916  1184  2608 I Telecom : InCallController: Sending updateCall [TC@7, ACTIVE, com.android.phone/com.android.services.telephony.TelephonyConnectionService, tel:⟦ph|+4915209876543⟧, A, childs(0), has_parent(false)] ==> [TC@7, parent:null, children:[]]: CSW.sA@AFw"""),
("android-telecom-logcat", P_TEL, """04-02 11:20:03.440  1184  1201 I Telecom : CallsManager: startOutgoingCall found accounts = [ComponentInfo{com.android.phone/com.android.services.telephony.TelephonyConnectionService}, ⟦id|89490200001234567891⟧, UserHandle{0}]: TSI.pC@A2Q
04-02 11:20:03.452  1184  1201 I Telecom : NewOutgoingCallIntentBroadcaster: Processing call intent in OutgoingCallIntentBroadcaster, handle tel:⟦ph|06%2012%2034%2056%2078⟧: TSI.pC@A2Q
04-02 11:20:03.470  1184  1201 I Telecom : Event: Call TC@12: START_OUTGOING_CALL, tel:⟦ph|0612345678⟧ Unknown: TSI.pC@A2Q"""),
("android-incall-calllist", P_TEL, """03-04 18:59:01.705 I/InCall  (3856): CallList - onUpdate - [Call_3, ACTIVE, [Capabilities: HOLD SUPPORT_HOLD MUTE], children:[], parent:null, videoState:0, number:⟦ph|+393471234567⟧, cnapName:⟦n|Francesca⟧ ⟦n|Romano⟧, conferenceable:[]]
03-04 18:59:01.730 I/InCall  (3856): CallCardPresenter - setPrimary: name=⟦n|Francesca⟧ ⟦n|Romano⟧, number=⟦ph|347 123 4567⟧, label=Cellulare, photo=content://com.android.contacts/contacts/2217/photo
03-04 18:59:01.755 I/InCall  (3856): ContactInfoCache - Contact lookup. Local contact found ContactCacheEntry{name='⟦n|Francesca⟧ ⟦n|Romano⟧', nameAlternative='⟦n|Romano⟧, ⟦n|Francesca⟧', number='⟦ph|+39 347 123 4567⟧', location='Italia', label='Cellulare'}"""),
("android-dumpsys-telecom", P_DUMPSYS, """Call TC@4 [2024-04-02 09:12:44.103, com.android.phone/com.android.services.telephony.TelephonyConnectionService]
  startTime: 1712041964103
  endTime: 1712042031877
  direction: INCOMING
  callerInfo: CallerInfo { name ⟦n|Mehmet⟧ ⟦n|Öztürk⟧, phoneNumber ⟦ph|05321234567⟧ }
  handle: tel:⟦ph|+905321234567⟧
  callerDisplayName: ⟦n|Mehmet⟧ ⟦n|Öztürk⟧
  PhoneAccountHandle: ComponentInfo{com.android.phone/com.android.services.telephony.TelephonyConnectionService}, ⟦id|8990011234567890123⟧, UserHandle{0}
  disconnectCause: DisconnectCause [ Code: (REMOTE) Label: () Description: () Reason: (CALL_ENDED) Tone: (-1) ]"""),
("android-connectionservice", P_CS, """2024-03-07 21:44:10.213 12877-12877 VoiceConnectionService  com.example.voip  D  onCreateIncomingConnection: extras=Bundle[{call_sid=⟦id|CA1d9e7b23f0aa48c6b71f2e09c4d3a815⟧, caller_name=⟦n|Olga⟧ ⟦n|Ivanova⟧, from=client:⟦u|olga_ivanova⟧, to=client:⟦u|support_desk_7⟧}]
2024-03-07 21:44:10.219 12877-12877 VoiceConnectionService  com.example.voip  D  setAddress(tel:⟦ph|+79161234567⟧, PRESENTATION_ALLOWED) setCallerDisplayName(⟦n|Olga⟧ ⟦n|Ivanova⟧)
2024-03-07 21:44:10.230 12877-12901 TelecomManager          com.example.voip  I  addNewIncomingCall: PhoneAccountHandle{VoiceConnectionService, ⟦em|olga.ivanova@example.ru⟧, UserHandle{0}}"""),
("android-connectionservice", P_CS, """04-02 13:01:17.551 20011 20011 D RNCallKeep: [VoiceConnectionService] onCreateOutgoingConnection: number=⟦ph|0888123456⟧ name=⟦n|Георги⟧ ⟦n|Димитров⟧ uuid=⟦id|2f4e6a8c-1b3d-4e5f-8a9b-0c1d2e3f4a5b⟧
04-02 13:01:17.560 20011 20011 D RNCallKeep: [VoiceConnection] onAnswer called, handle: tel:⟦ph|+359888123456⟧"""),
("androidx-core-telecom", P_CS, """E/AndroidRuntime(30122): java.lang.IllegalArgumentException: CallAttributes(displayName=⟦n|Kasia⟧ ⟦n|Lewandowska⟧, address=sip:⟦u|klewandowska⟧@sip.example.pl, direction=1, callType=1, callCapabilities=3)
E/AndroidRuntime(30122): \tat android.telecom.TelecomManager.addCall(TelecomManager.java:3006)
E/AndroidRuntime(30122): \tat androidx.core.telecom.CallsManager.addCall$core_telecom_release(CallsManager.kt:479)"""),
("ios-callkit-nslog", P_CK, """2024-04-02 08:41:12.334512+0200 Vialer[2210:88123] reportNewIncomingCall uuid=⟦id|E621E1F8-C36C-495A-93FC-0C247A3E6E5F⟧ update=<CXCallUpdate 0x283f4c000 UUID=⟦id|E621E1F8-C36C-495A-93FC-0C247A3E6E5F⟧ remoteHandle=<CXHandle 0x2836a1e40 type=PhoneNumber value=⟦ph|+31612345678⟧> localizedCallerName=⟦n|Sanne⟧ ⟦n|Visser⟧ supportsHolding=1 supportsDTMF=1 hasVideo=0>
2024-04-02 08:41:12.401002+0200 Vialer[2210:88123] [VSLCall] inbound call number: ⟦ph|0612345678⟧ name: ⟦n|Sanne⟧ ⟦n|Visser⟧"""),
("ios-pushkit-payload", P_CK, """2024-04-02 08:41:11.998+0200 MyPhone[2210:88101] didReceiveIncomingPushWith payload: {
    aps =     {
        alert = "Incoming call";
    };
    "caller_id" = "⟦ph|+4917623456789⟧";
    "caller_name" = "⟦n|Friedrich⟧ ⟦n|Bauer⟧";
    handle = "sip:⟦u|fbauer⟧@pbx.example.de";
    uuid = "⟦id|6F9619FF-8B86-D011-B42D-00C04FC964FF⟧";
    "twi_account_sid" = ⟦id|AC3f0e1d2c4b5a69788f7e6d5c4b3a2910⟧;
}"""),
("ios-callkit-nslog", P_CK, """default 08:52:03.117 +0100 callservicesd Adding call <CSDProviderCall 0x10b4a2f0 type=Provider UUID=⟦id|3B8D1A60-7C2E-4F5B-9E01-2D4C6B8A0F13⟧ status=1 provider=<CSDCallProvider identifier=net.whatsapp.WhatsApp> handle=<CXHandle type=Generic value=⟦ph|+33 6 12 34 56 78⟧> isoCountryCode=fr displayName=⟦n|Chloé⟧ ⟦n|Lefebvre⟧>
default 08:52:03.120 +0100 callservicesd Setting remote participant handles to {(<CXHandle type=EmailAddress value=⟦em|chloe.lefebvre@example.fr⟧>)}"""),
("ios-callkit-swift-print", P_CK, """CallManager: startCall(handle: "⟦u|jmiller⟧@sip.example.com", video: false) -> CXStartCallAction(callUUID: ⟦id|7A3C1E29-4B5D-4F6A-8C7E-9D0F1A2B3C4D⟧, handle: CXHandle(type: .generic, value: "⟦u|jmiller⟧@sip.example.com"), contactIdentifier: "⟦id|410FE041-5C4E-48DA-B4DE-04C15EA3DBAC⟧:ABPerson")
ProviderDelegate: provider(_:perform:) CXAnswerCallAction caller=⟦n|Jamie⟧ ⟦n|Miller⟧ number=⟦ph|(415) 555-0132⟧"""),
]
