P_TW = "Twilio Voice webhook request parameters (application/x-www-form-urlencoded: AccountSid, CallSid, From, To, Caller, CallerName, FromCity, FromState, FromZip, FromCountry), twilio.com/docs voice webhooks; gist.github.com/jonahglover/5887ef900cc6890abda1 (console dump)"
P_TX = "Telnyx TeXML / Call Control webhooks (CallSid v3:..., From, To, CallerId; payload.call_control_id, client_state), developers.telnyx.com/api-reference/callbacks/texml-call-initiated and Call Webhooks v1 docs"
P_VG = "Vonage Voice API event webhook console dumps 'EVENT: { from: ..., uuid: ..., conversation_uuid: 'CON-...' }', developer.vonage.com/en/tutorials/phone-to-app/receive-call/javascript"
P_PV = "2600hz Pivot request parameters (Caller-ID-Name, Caller-ID-Number, From-Realm, User-ID), docs.2600hz.com/developers/pivot/pivot-request-parameters"
T = [
("twilio-webhook-form", P_TW, """POST /voice/incoming HTTP/1.1
Host: hooks.example.com
X-Twilio-Signature: ⟦sec|Np3lT2mMq8UPW0Yd3a4vYhJxk6U=⟧
Content-Type: application/x-www-form-urlencoded
AccountSid=⟦id|AC6c8c88b048a04a173cc629cae521d701⟧&ApiVersion=2010-04-01&CallSid=⟦id|CA7fd72394a784f268e0a9bdc251b73204⟧&CallStatus=ringing&Called=%2B⟦ph|14155550143⟧&CalledCity=SAN+FRANCISCO&CalledState=CA&Caller=%2B⟦ph|12125550198⟧&CallerCity=⟦geo|BROOKLYN⟧&CallerName=⟦n|GARCIA⟧+⟦n|MARISOL⟧&CallerState=NY&CallerZip=⟦geo|11215⟧&Direction=inbound&From=%2B⟦ph|12125550198⟧&FromCity=⟦geo|BROOKLYN⟧&FromZip=⟦geo|11215⟧&To=%2B⟦ph|14155550143⟧"""),
("twilio-webhook-console", P_TW, """{ AccountSid: '⟦id|AC0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e⟧',
  ApplicationSid: '⟦id|AP6b9619422181dc4e78e2051f4ad126c6⟧',
  Caller: 'client:⟦u|maria_lopez_agent⟧',
  CallStatus: 'ringing',
  To: '⟦ph|+34612345678⟧',
  CallSid: '⟦id|CAe9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4⟧',
  From: 'client:⟦u|maria_lopez_agent⟧',
  Direction: 'inbound',
  ApiVersion: '2010-04-01' }"""),
("twilio-debugger-alert", P_TW, """Twilio Debugger: Error 11200 HTTP retrieval failure
Request URL: https://hooks.example.com/voice?From=%2B⟦ph|447700900512⟧&CallerName=⟦n|Oliver⟧%20⟦n|Bennett⟧&Digits=⟦sec|482913⟧
Call SID: ⟦id|CA22b1f3e4d5c6a7b8c9d0e1f2a3b4c5d6⟧
Account: ⟦id|AC9f8e7d6c5b4a39281706f5e4d3c2b1a0⟧
Response body: Cannot POST /voice"""),
("telnyx-texml-webhook", P_TX, """{
  "AccountSid": "⟦id|f5586561-8ff0-4291-a51b-c7dfe4139ff9⟧",
  "CallSid": "v3:⟦id|9X2vxPDFY2RHSJ1EdMS0RHRksMTg7ldNxdjWbVr9zBjbGjGsSe-aiQ⟧",
  "CallStatus": "initiated",
  "ConnectionId": "⟦id|2088364728120001⟧",
  "From": "⟦ph|+35319605111⟧",
  "To": "⟦ph|+13129457788⟧",
  "CallerId": "⟦n|Aoife⟧ ⟦n|Byrne⟧",
  "ShakenStirAttestation": "A"
}"""),
("telnyx-call-control", P_TX, """{"record_type":"event","id":"⟦id|0ccc7b54-4df3-4bca-a65a-3da1ecc777f0⟧","event_type":"call.initiated","payload":{"to":"sip:⟦u|frontdesk_lisboa⟧@sip.telnyx.com","from":"⟦ph|+351912345678⟧","caller_id_name":"⟦n|João⟧ ⟦n|Gonçalves⟧","call_control_id":"v3:⟦id|AgDIxmoRX6QMuaIj_uXRXnPAXP0QlNfXczRrZvZakpWxBlpw48KyZQ⟧","connection_id":"⟦id|1494404757140276705⟧","call_leg_id":"⟦id|428c31b6-7af4-4bcb-b7f5-5013ef9657c1⟧","client_state":"⟦id|eyJ1c2VyIjoiam9hby5nb25jYWx2ZXMiLCJleHQiOiIyMjA3In0=⟧","state":"parked"}}"""),
("telnyx-sdk-debug", P_TX, """[TxClient] 2024-04-02T10:11:12.334Z DEBUG Login with sip_user: ⟦u|gencred7Xk2LmQp9⟧ password: ⟦sec|Hj29!kLw0q⟧
[TxClient] 2024-04-02T10:11:13.002Z DEBUG telnyx_rtc.invite: {"callerIdName":"⟦n|Ewa⟧ ⟦n|Kamińska⟧","callerIdNumber":"⟦ph|+48221234567⟧","destinationNumber":"⟦ph|+48501987654⟧","remoteSdp":"v=0\\r\\no=- 4611731400430051336 2 IN IP4 ⟦ip|127.0.0.1⟧\\r\\n"}"""),
("vonage-event-console", P_VG, """NCCO request:
  - caller: ⟦ph|447700900123⟧
  - callee: ⟦ph|442038297050⟧
EVENT:
{
headers: {},
from: '⟦ph|447700900123⟧',
to: '⟦ph|442038297050⟧',
uuid: '⟦id|0779a56d002f1c7f47f82ef5fe84ab79⟧',
conversation_uuid: 'CON-⟦id|8f5a100c-fbce-4218-8d4b-16341335bcd6⟧',
status: 'answered',
direction: 'inbound',
timestamp: '2024-03-29T21:20:05.582Z'
}"""),
("vonage-event-console", P_VG, """EVENT: { start_time: null, headers: {}, rate: null, from: '⟦ph|4915112345678⟧', to: '⟦u|user_anna_schulz⟧', uuid: '⟦id|aaaaaaaa-bbbb-cccc-dddd-0123456789ab⟧', conversation_uuid: 'CON-⟦id|1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9⟧', status: 'completed', direction: 'outbound', duration: '61', network: '26201' }"""),
("pivot-request", P_PV, """Pivot request to http://ivr.example.net/pivot.php: Account-ID=⟦id|4b8c2f5d1e7a9036c4b2d8e6f1a3c5b7⟧&Call-ID=⟦id|2b9c0d7e-41f3@10.1.5.9⟧&Caller-ID-Name=⟦n|Nguyen⟧%20⟦n|Van⟧%20⟦n|Minh⟧&Caller-ID-Number=⟦ph|+61298765432⟧&From-Realm=acme.sip.example.net&To=⟦u|2101⟧&User-ID=⟦id|8e1c6a4f2d0b9e7c5a3f1d9b7e5c3a10⟧&Language=en-au"""),
("twiml-app-log", P_TW, """2024-04-02T09:00:01.221Z info: [voice] inbound call from ⟦ph|+61412345678⟧ (⟦n|Chloe⟧ ⟦n|Nguyen⟧, ⟦geo|SYDNEY⟧ NSW ⟦geo|2000⟧) to ⟦ph|+61291234567⟧, dialing <Client>⟦u|agent_tkwan⟧</Client>
2024-04-02T09:00:03.551Z info: [voice] <Dial callerId="⟦ph|+61291234567⟧"><Number sendDigits="ww⟦sec|4471#⟧">⟦ph|+61299998888⟧</Number></Dial>"""),
]
