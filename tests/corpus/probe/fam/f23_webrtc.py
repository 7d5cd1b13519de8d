P_WI = "chrome://webrtc-internals 'Create Dump' JSON (getUserMedia / PeerConnections / stats), Chromium webrtc-internals page"
P_SDP6 = "SDP offer with IPv6 host, srflx and relay candidates, github.com/onsip/SIP.js/issues/1089 and feross/simple-peer#758"
P_MDNS = "mDNS .local host candidates next to raddr/rport srflx, github.com/Kurento/bugtracker/issues/405, sipsorcery-org/sipsorcery#743"
P_TRICKLE = "Trickle ICE candidate JSON messages over signalling (candidate/sdpMid/sdpMLineIndex/usernameFragment), webrtc.github.io samples"
P_JANUS = "Janus 'trickle' / Jitsi colibri2 JSON with endpoint stats_id and display name (Janus admin API handle_info)"
P_FF = "Firefox about:webrtc 'ICE Stats' table text (local/remote candidate columns)"
T = [
("webrtc-internals-dump", P_WI, """{"getUserMedia":[{"origin":"https://meet.example.org","pid":48112,"rid":7,"audio":"{deviceId: {exact: [\\"⟦id|c4a1f9e02b7d63e8a5f1c0b9d2e74a36f1b8c5d09e2a7f4b3c6d1e0a9f8b7c2d⟧\\"]}}","video":"","timestamp":1712231011402.5}],
"PeerConnections":{"48112-3":{"url":"https://meet.example.org/⟦u|standup-nadia⟧?displayName=⟦n|Nadia⟧%20⟦n|Rahimi⟧&email=⟦em|nadia.rahimi@example.org⟧","rtcConfiguration":"{ iceServers: [turn:turn.example.org:443?transport=tcp], iceTransportPolicy: all, bundlePolicy: max-bundle }","constraints":"","updateLog":[]}}}"""),
("webrtc-internals-icecandidate", P_WI, """{"time":"4/4/2024, 3:12:08 PM","type":"icecandidate (host)","value":"sdpMid: 0, sdpMLineIndex: 0, candidate: candidate:1510613869 1 udp 2122260223 ⟦ip|192.168.1.44⟧ 61883 typ host generation 0 ufrag ⟦sec|Qx7e⟧ network-id 1 network-cost 10"},
{"time":"4/4/2024, 3:12:08 PM","type":"icecandidate (srflx)","value":"sdpMid: 0, sdpMLineIndex: 0, candidate: candidate:842163049 1 udp 1686052607 ⟦ip|86.12.201.77⟧ 61883 typ srflx raddr ⟦ip|192.168.1.44⟧ rport 61883 generation 0 ufrag ⟦sec|Qx7e⟧ network-id 1"}"""),
("sdp-ipv6-candidates", P_SDP6, """v=0
o=- 4611731400430051336 2 IN IP6 ⟦ip|2a02:810d:4bc0:1e00:8d2:7f41:c9a3:5b10⟧
s=-
t=0 0
m=audio 51822 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP6 ⟦ip|2a02:810d:4bc0:1e00:8d2:7f41:c9a3:5b10⟧
a=candidate:3221465521 1 udp 2122262783 ⟦ip|2a02:810d:4bc0:1e00:8d2:7f41:c9a3:5b10⟧ 51822 typ host generation 0 network-id 2
a=candidate:1177300452 1 udp 2122197247 ⟦ip|fd00::5c2e:1aff:fe33:9b01⟧ 58010 typ host generation 0 network-id 3
a=candidate:2048800123 1 udp 41885695 ⟦ip|2001:67c:2b0:101::a⟧ 3478 typ relay raddr ⟦ip|2a02:810d:4bc0:1e00:8d2:7f41:c9a3:5b10⟧ rport 51822 generation 0
a=ice-ufrag:⟦sec|hT4k⟧
a=ice-pwd:⟦sec|mZq8Ww1r0bCkYtP2uLx9s7Ve⟧
a=rtpmap:111 ⟪opus⟫/48000/2
a=rtpmap:9 ⟪G722⟫/8000"""),
("sdp-mdns-candidates", P_MDNS, """a=candidate:3471249754 1 udp 2113937151 7b2e90c4-11d3-4f6a-9a8e-2c5d7f1b3e06.local 52743 typ host generation 0 network-cost 999
a=candidate:842163049 1 udp 1677729535 ⟦ip|203.0.113.58⟧ 52743 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999
a=candidate:3058790112 1 tcp 1518280447 ⟦ip|100.72.14.3⟧ 9 typ host tcptype active generation 0
a=fingerprint:sha-256 4A:1F:0C:9B:22:7E:D0:35:8C:61:AF:03:E4:B7:19:5D:60:C2:9E:11:7A:F8:33:4D:B0:6E:27:95:1C:D4:8F:02
a=setup:actpass"""),
("trickle-ice-json", P_TRICKLE, """{"type":"candidate","from":"⟦u|peer-olga_ivashchenko⟧","to":"⟦u|peer-taras_b⟧","candidate":{"candidate":"candidate:2999745851 1 udp 2122129151 ⟦ip|10.0.2.15⟧ 41021 typ host generation 0 ufrag ⟦sec|5nYf⟧ network-id 1","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"⟦sec|5nYf⟧"}}
{"type":"candidate","from":"⟦u|peer-olga_ivashchenko⟧","candidate":{"candidate":"candidate:1023984 1 udp 33562623 ⟦ip|198.51.100.23⟧ 60102 typ relay raddr ⟦ip|46.211.88.140⟧ rport 41021 generation 0 ufrag ⟦sec|5nYf⟧","sdpMid":"0","sdpMLineIndex":0}}"""),
("janus-handle-info", P_JANUS, """{"session_id":4412093318822451,"handle_id":7719023441125522,"plugin_specific":{"plugin":"janus.plugin.sip","username":"sip:⟦u|lmartinez⟧@sip.example.mx","authuser":"⟦u|lmartinez⟧","displayname":"⟦n|Lucía⟧ ⟦n|Martínez⟧","identity":"sip:⟦u|lmartinez⟧@sip.example.mx","registration_status":"registered","callee":"sip:⟦ph|5215512345678⟧@sip.example.mx","srtp-required":false},"ice-mode":"full","ice-role":"controlled","streams":[{"id":1,"ready":-1,"ssrc":{"audio":⟪3301829771⟫},"components":[{"id":1,"state":"connected","remote-candidates":["1 1 udp 2013266431 ⟦ip|187.190.44.21⟧ 50210 typ host"],"selected-pair":"⟦ip|10.1.0.8⟧:20118 [host,udp] <-> ⟦ip|187.190.44.21⟧:50210 [host,udp]"}]}]}"""),
("firefox-about-webrtc", P_FF, """ICE Stats
Local Candidate                          Remote Candidate                       ICE State   Priority  Nominated  Selected
⟦ip|192.168.178.23⟧:64512/udp(host)    ⟦ip|93.184.216.34⟧:3478/udp(relay-udp)     succeeded   9115005270282354687  true  true
⟦ip|84.159.7.201⟧:64512/udp(serverreflexive)  ⟦ip|93.184.216.34⟧:3478/udp(relay-udp)  frozen  7421923189190672383
Raw Local Candidate
candidate:0 1 UDP 2122252543 ⟦ip|192.168.178.23⟧ 64512 typ host"""),
("webrtc-getstats-candidate-pair", P_WI, """RTCIceCandidatePair_Kx9pQ2rT_Mb3aW0vN (candidate-pair)
 transportId: RTCTransport_0_1  localCandidateId: RTCIceCandidate_Kx9pQ2rT  remoteCandidateId: RTCIceCandidate_Mb3aW0vN
 state: succeeded  nominated: true  bytesSent: 1820331  currentRoundTripTime: 0.041
RTCIceCandidate_Kx9pQ2rT (local-candidate)
 address: ⟦ip|172.20.10.3⟧  port: 59110  protocol: udp  candidateType: host  networkType: wifi
RTCIceCandidate_Mb3aW0vN (remote-candidate)
 address: ⟦ip|2a01:4f8:c17:3d2e::1⟧  port: 40022  candidateType: srflx  relatedAddress: ⟦ip|10.8.0.2⟧  relatedPort: 40022"""),
("webrtc-turn-credentials-log", P_TRICKLE, """[signaling] got iceServers: [{"urls":["turn:turn1.example.net:3478?transport=udp"],"username":"1712300000:⟦u|priya.nair⟧","credential":"⟦sec|pX0v3m7+QZr1kT4bYc9w2Hs8dE0=⟧"},{"urls":"stun:stun.l.google.com:19302"}]
[pc] iceConnectionState -> checking
[pc] iceConnectionState -> connected (selected pair ⟦ip|49.207.33.110⟧:52881 -> ⟦ip|13.126.77.2⟧:3478 relay)"""),
("sdp-answer-sip-webrtc-gw", P_SDP6, """a=candidate:1 1 UDP 2130706431 ⟦ip|172.31.5.19⟧ 10022 typ host
a=candidate:2 1 UDP 1694498815 ⟦ip|52.58.200.17⟧ 10022 typ srflx raddr ⟦ip|172.31.5.19⟧ rport 10022
a=ice-lite
a=ssrc:3301829771 cname:⟦id|a1b2c3d4e5f6a7b8⟧
a=ssrc:3301829771 msid:janus janusa0
a=ssrc:3301829771 label:⟦n|Bogdan⟧-⟦n|Ionescu⟧-mic"""),
]
