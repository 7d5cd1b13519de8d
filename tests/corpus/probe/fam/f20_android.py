P_CQ = "adb shell content query --uri content://call_log/calls row dump, github.com/Swind/pure-python-adb/issues/103 and github.com/Sanmeet007/logger/issues/16"
P_CQC = "adb shell content query --uri content://com.android.contacts/data projection dump (ContactsContract columns), AOSP ContactsProvider"
P_ISUB = "adb shell dumpsys isub (SubscriptionManagerService records), AOSP frameworks/opt/telephony SubscriptionInfo.toString"
P_TREG = "adb shell dumpsys telephony.registry (mCallState/mCallIncomingNumber, CellIdentityLte), AOSP TelephonyRegistry.dump"
P_ACC = "adb shell dumpsys account (Accounts: Account {name=..., type=...}), RealityNet/android_triage dumpsys collection"
P_NOTIF = "adb shell dumpsys notification --noredact (NotificationRecord extras android.title/android.text), AOSP NotificationManagerService"
P_LOC = "adb shell dumpsys location (last location Location[fused lat,lon hAcc=...]), AOSP LocationManagerService"
P_BT = "adb shell dumpsys bluetooth_manager (Bonded devices: address name), AOSP Bluetooth AdapterService dump"
P_WIFI = "adb shell dumpsys wifi (mWifiInfo SSID/BSSID/MAC, saved networks), AOSP WifiServiceImpl dump"
P_PROP = "adb bugreport header and getprop '[ro.serialno]: [..]' lines, Android bugreport text format"
P_SMSCQ = "adb shell content query --uri content://sms/inbox row dump (address, person, body columns)"
P_DIALER = "Google Dialer / AOSP Dialer logcat (CallLogAdapter, PhoneNumberUtil formatting, ContactInfoHelper lookups)"
T = [
("android-cq-calllog", P_CQ, """$ adb shell content query --uri content://call_log/calls --projection _id:number:name:date:duration:type:geocoded_location
Row: 0 _id=118, number=⟦ph|+4917623458812⟧, name=⟦n|Kerstin⟧ ⟦n|Pohlmann⟧, date=1712066011000, duration=184, type=1, geocoded_location=⟪Germany⟫
Row: 1 _id=119, number=⟦ph|030 4471 2290⟧, name=NULL, date=1712071980000, duration=0, type=3, geocoded_location=Berlin
Row: 2 _id=120, number=⟦ph|+33 6 12 48 90 37⟧, name=⟦n|Amélie⟧ ⟦n|Garnier⟧, date=1712080102000, duration=42, type=2, geocoded_location=⟪France⟫"""),
("android-cq-calllog", P_CQ, """Row: 14 _id=2207, number=⟦ph|9845012377⟧, formatted_number=⟦ph|098450 12377⟧, normalized_number=⟦ph|+919845012377⟧, name=⟦n|Ravi⟧ ⟦n|Shankar⟧, numberlabel=NULL, numbertype=2, countryiso=IN, subscription_id=89910211304512880017, phone_account_address=⟦ph|+919900112233⟧, ⟪features⟫=0
Row: 15 _id=2208, number=⟦u|sip:7712@pbx.shankar-traders.in⟧, name=NULL, numbertype=0, countryiso=IN, via_number=, ⟪features⟫=0"""),
("android-cq-contacts-data", P_CQC, """Row: 0 raw_contact_id=41, mimetype=vnd.android.cursor.item/name, data1=⟦n|Yusuf⟧ ⟦n|Demirtaş⟧, data2=⟦n|Yusuf⟧, data3=⟦n|Demirtaş⟧
Row: 1 raw_contact_id=41, mimetype=vnd.android.cursor.item/phone_v2, data1=⟦ph|0532 418 77 21⟧, data2=2, data4=⟦ph|+905324187721⟧
Row: 2 raw_contact_id=41, mimetype=vnd.android.cursor.item/email_v2, data1=⟦em|yusuf.demirtas@posta.example.com.tr⟧, data2=1
Row: 3 raw_contact_id=41, mimetype=vnd.android.cursor.item/postal-address_v2, data1=⟦geo|Bağdat Cad. No:214 D:7, Kadıköy, İstanbul⟧, data4=⟦geo|Bağdat Cad. No:214 D:7⟧, data7=⟦geo|Kadıköy⟧
Row: 4 raw_contact_id=41, mimetype=vnd.android.cursor.item/sip_address, data1=⟦sip|yusuf@sip.example.net⟧"""),
("android-dumpsys-isub", P_ISUB, """SubscriptionInfoInternal: id=1 iccId=⟦id|8949022001234567890F⟧ simSlotIndex=0 portIndex=0 isEmbedded=false carrierId=1911 displayName=⟦n|Marta⟧ privat carrierName=Vodafone.de displayNameSource=CARRIER iconTint=-16746133 number=⟦ph|+491729934410⟧ dataRoaming=0 mcc=262 mnc=02 ehplmns=[] hplmns=[] cardString=⟦id|8949022001234567890F⟧ cardId=0 nativeAccessRules=null
 subId=2 iccId=⟦id|89462046070004112233⟧ simSlotIndex=1 displayName=⟦n|Tomas⟧ jobb number=⟦ph|+46 70 214 55 81⟧ mcc=240 mnc=07 isOpportunistic=false groupUuid=null"""),
("android-dumpsys-telephony-registry", P_TREG, """last known state:
  Phone Id=0
  mCallState=1
  mRingingCallState=5
  mCallIncomingNumber=⟦ph|06 51 88 24 17⟧
  mServiceState={mVoiceRegState=0(IN_SERVICE), mChannelNumber=1300, mOperatorAlphaLong=Orange F, mOperatorNumeric=20801}
  mCellIdentity=CellIdentityLte:{ mCi=⟦id|212735490⟧ mPci=381 mTac=⟦id|29440⟧ mEarfcn=1300 mBandwidth=20000 mMcc=208 mMnc=01 mAlphaLong=Orange F}
  mDataConnectionState=2
  mPhoneCapability=null"""),
("android-dumpsys-account", P_ACC, """Accounts: 4
    Account {name=⟦em|ioana.popescu88@gmail.com⟧, type=com.google}
    Account {name=⟦u|ioana_p⟧, type=com.whatsapp}
    Account {name=⟦ph|+40 723 456 118⟧, type=com.viber.voip.account}
    Account {name=⟦sip|ipopescu@voip.example.ro⟧, type=com.csipsimple.account}
  RegisteredServicesCache: 11 services
    ServiceInfo: AuthenticatorDescription {type=com.google}, ComponentInfo{com.google.android.gms/com.google.android.gms.auth.account.authenticator.GoogleAccountAuthenticatorService}, uid 10121"""),
("android-dumpsys-notification", P_NOTIF, """  NotificationRecord(0x0c1f3a2e: pkg=com.google.android.dialer user=UserHandle{0} id=1 tag=null importance=4 key=0|com.google.android.dialer|1|null|10114: Notification(channel=phone_incoming_call shortcut=null contentView=null vibrate=null sound=null defaults=0x0 flags=0x62 color=0xff1a73e8 category=call actions=2 vis=PRIVATE))
      extras={
        android.title=String (⟦n|Giulia⟧ ⟦n|Moretti⟧)
        android.text=String (Chiamata in arrivo · ⟦ph|+39 347 112 9080⟧)
        android.people.list=ArrayList (1)
          android.app.Person (name=⟦n|Giulia⟧ ⟦n|Moretti⟧, uri=tel:⟦ph|+393471129080⟧, key=null)
        android.subText=String (Lavoro)
      }"""),
("android-dumpsys-location", P_LOC, """  Last Known Locations:
    passive: Location[fused ⟦geo|52.370216,4.895168⟧ hAcc=12.5 et=+3d2h11m05s410ms alt=14.2 vAcc=3.0 vel=0.0 {Bundle[mParcelledData.dataSize=96]}]
    gps: Location[gps ⟦geo|52.370198,4.895201⟧ hAcc=4.0 et=+3d2h10m59s001ms alt=11.7 vel=0.3 bear=88.0]
  Historical Records by Provider:
    com.whatsapp: Interval 600 seconds: Duration requested 12 out of the last 1441 minutes"""),
("android-dumpsys-bluetooth", P_BT, """Bluetooth Status
  enabled: true
  state: ON
  address: ⟦mac|3C:28:6D:91:AB:04⟧
  name: ⟦n|Lukas⟧ Pixel 7
  time since enabled: 02:31:14.882
Bonded devices:
  ⟦mac|F4:7D:EF:12:0A:9C⟧ [BR/EDR][ 0x240404 ] ⟦n|Lukas⟧' ⟪AirPods⟫ Pro
  ⟦mac|00:1B:66:C2:7E:31⟧ [ DUAL ][ 0x200408 ] VW CAR-NET ⟦id|8512⟧"""),
("android-dumpsys-wifi", P_WIFI, """mWifiInfo SSID: "⟦n|Kowalski⟧-Dom-5G", BSSID: ⟦mac|a4:2b:b0:77:10:e2⟧, MAC: ⟦mac|ce:91:04:3a:7f:10⟧, IP: /⟦ip|192.168.1.37⟧, Security type: 4, Supplicant state: COMPLETED, Wi-Fi standard: 11ax, RSSI: -54, Link speed: 864Mbps, Frequency: 5500MHz
WifiConfigurationManager - Configured networks Begin ----
ID: 3 SSID: "⟦n|Kowalski⟧-Dom-5G" PROVIDER-NAME: null BSSID: null FQDN: null PRIO: 0 HIDDEN: false
 PreSharedKey: "⟦sec|Burek2019!krakow⟧"
 ID: 4 SSID: "Biuro-Gosc" PRIO: 0"""),
("android-bugreport-getprop", P_PROP, """== dumpstate: 2024-04-02 14:05:41
Build: UP1A.231005.007
Build fingerprint: 'samsung/a52qnsxx/a52q:14/UP1A.231005.007/A525FXXU6FXA1:user/release-keys'
Bootloader: A525FXXU6FXA1
Network: Vodafone.de
Uptime: up 3 days, 2:11
[ro.serialno]: [⟦id|R58R41KZ2QF⟧]
[ro.boot.serialno]: [⟦id|R58R41KZ2QF⟧]
[persist.sys.device_name]: [⟦n|Selin⟧s Galaxy A52]
[ril.imei]: [⟦id|354821116093347⟧]
[gsm.sim.operator.alpha]: [Vodafone.de]"""),
("android-cq-sms", P_SMSCQ, """Row: 0 _id=5521, thread_id=17, address=⟦ph|+351912334871⟧, person=208, date=1712121212000, read=1, status=-1, type=1, body=Olá, sou a ⟦n|Inês⟧, o código do portão é ⟦sec|4471⟧. Rua ⟦geo|da Boavista 1180, 4100-130 Porto⟧
Row: 1 _id=5522, thread_id=18, address=NOS, person=NULL, date=1712123000000, read=1, type=1, body=A sua fatura de março está disponível."""),
("android-dialer-logcat", P_DIALER, """04-02 09:14:02.118  2871  2871 I Dialer  : ContactInfoHelper.lookupNumber - lookup for ⟦ph|(212) 555-0147⟧ in directory 0 returned displayName=⟦n|DeShawn⟧ ⟦n|Whitaker⟧, lookupKey=⟦id|3789r41-2F4D3B432F314B⟧
04-02 09:14:02.120  2871  2871 D Dialer  : CallLogAdapter.bindView - number: ⟦ph|2125550147⟧, postDialDigits: ,,⟦ph|4417⟧#, viaNumber: , countryIso: US
04-02 09:14:02.131  2871  3011 I Dialer  : CallLogAsyncTaskUtil.markCallAsRead - callId: 771"""),
]
