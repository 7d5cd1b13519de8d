#!/usr/bin/env python3
"""write_attack.py - writes tests/corpus/real/attack_*.jsonl, an adversarial real-world-style corpus.

Each family imitates the LAYOUT of a public source (PROVENANCE.md, section "Attack corpus", names
the source id, the URL / repo+path studied, and the file). Every personal value is invented here
(never copied). Names are labelled part by part (first name and surname separately), so that a
scrub that removes only one half of a name still counts the other half as a leak. Deterministic:
    write_attack.py [--out DIR] [--seed 23]
Standard library only; reuses G and Line of write_corpus.py.
"""
import base64
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import write_corpus  # noqa: E402
from write_corpus import G, Line  # noqa: E402

# invented combinations of common given names / surnames per language (no real person)
NAMES = {
    "en": [("Grace", "Hallworth"), ("Oliver", "Pennington"), ("Amelia", "Thornbury"), ("Rose", "Baker"),
           ("Bill", "Miller"), ("Mark", "Fletcher"), ("Hazel", "Whitcombe"), ("Noah", "Ashdown")],
    "de": [("Klaus", "Koch"), ("Lena", "Brandauer"), ("Jürgen", "Weidemann"), ("Anke", "Schäfer"),
           ("Heike", "Vogelsang"), ("Matthias", "Kühnel")],
    "fr": [("Marie-Claire", "Dubois"), ("Jean-Luc", "Picard"), ("Anne-Sophie", "Lemaire"),
           ("Théo", "Girardot"), ("Pierre", "Leroy"), ("Élise", "Fontaine")],
    "es": [("Carmen", "García López"), ("Maria", "de la Cruz"), ("Javier", "Ortega Ruiz"), ("Lucía", "Navarro")],
    "it": [("Giulia", "Bernardi"), ("Sofia", "Rossi"), ("Lorenzo", "Gatti"), ("Chiara", "Lombardo")],
    "pt": [("João", "Carvalho"), ("Inês", "Figueiredo"), ("Thiago", "Albuquerque")],
    "nl": [("Pieter", "van den Broek"), ("Anouk", "de Vries"), ("Sanne", "van der Berg"), ("Joost", "Verhoeven")],
    "pl": [("Krzysztof", "Wójcik"), ("Magdalena", "Zielińska"), ("Bartosz", "Kwiatkowski")],
    "tr": [("Ayşe", "Yılmaz"), ("Mehmet", "Öztürk"), ("Elif", "Çelik")],
    "ru": [("Дмитрий", "Соколов"), ("Ольга", "Лебедева")],
    "bg": [("Петър", "Стоянов"), ("Десислава", "Иванова")],
    "el": [("Γιώργος", "Αντωνίου"), ("Κατερίνα", "Παππά")],
}
SIGNOFF = {"en": ["Cheers,", "Kind regards,", "Thanks,", "Best,"], "de": ["Grüße,", "Viele Grüße", "MfG"],
           "fr": ["Cordialement,", "Merci,", "Bien à vous,"], "es": ["Saludos,", "Un saludo,", "Gracias,"],
           "it": ["Saluti,", "Grazie,", "Cordiali saluti,"], "pt": ["Abraços,", "Obrigado,"],
           "nl": ["Groeten,", "Met vriendelijke groet,"], "pl": ["Pozdrawiam,", "Dzięki,"],
           "tr": ["Saygılarımla,", "Teşekkürler,"], "ru": ["Спасибо,", "С уважением,"], "bg": ["Поздрави,"],
           "el": ["Ευχαριστώ,"]}
USERS = ["hkowalczyk", "marta.wisla", "lgatti", "szymon77", "bartek_w", "anouk.dv", "e.fontaine", "jverhoeven",
         "ayse.yilmaz", "mehmet.oz", "c.lombardo", "ipennington", "hazelw", "t.girardot", "kkoch", "dsokolov"]
DOM = ["pbx.kestrelvoice.example", "sip.hafenfon.example.de", "voip.rivage-tel.example.fr", "sbc.meseta.example.es",
       "tel.laguna.example.it", "sip.polder.example.nl"]
MAILDOM = ["gmail.com", "web.de", "orange.fr", "libero.it", "wp.pl", "hotmail.com", "outlook.de", "yandex.ru"]


class A(G):
    def nm(self, lang=None):
        lang = lang or self.r.choice(list(NAMES))
        return lang, self.r.choice(NAMES[lang])

    def u(self):
        return self.uniq(lambda: self.r.choice(USERS) + self.r.choice(["", str(self.r.randint(2, 99))]))

    def d(self):
        return self.r.choice(DOM)

    def b64(self, s):
        return base64.b64encode(s.encode()).decode()

    def jwt(self):
        h = base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT","kid":"k1"}').decode().rstrip("=")
        body = json.dumps({"sub": self.u(), "exp": self.r.randint(1700000000, 1800000000)}).encode()
        return h + "." + base64.urlsafe_b64encode(body).decode().rstrip("=") + "." + self.alnum(43).replace("Q", "_")

    def apa91(self):
        return self.alnum(11) + ":APA91b" + self.alnum(40) + "-" + self.alnum(30) + "_" + self.alnum(20)

    def nonce(self):
        return self.hexs(32)

    def ipv6g(self):
        return self.uniq(lambda: "2a02:%x:%x:%x:%x:%x:%x:%x" % tuple(self.r.randint(0x100, 0xffff) for _ in range(7)))

    def mac_sep(self, k):
        h = [self.hexs(2) for _ in range(6)]
        if k == 0:
            return self.uniq(lambda: "-".join(h).upper())
        if k == 1:
            return self.uniq(lambda: "".join(h[0:2]) + "." + "".join(h[2:4]) + "." + "".join(h[4:6]))
        if k == 2:
            return self.uniq(lambda: "".join(h).upper())
        if k == 3:
            return self.uniq(lambda: ":".join(h).upper())
        return self.uniq(lambda: " ".join(h))

    def imsi(self):
        return self.uniq(lambda: self.r.choice(["26201", "20801", "21407", "22210", "26003", "28601"]) + self.digits(10))


def name_parts(L, first, last):
    """label each part of a name; particles (van der, de la) stay out of the label"""
    L.p(first, "name")
    for part in last.split(" "):
        if part[:1].isupper() or not part.isascii():
            if part.lower() not in ("de", "la", "van", "der", "den", "da", "do", "von"):
                L.p(part, "name")
    return f"{first} {last}"


def label_ips(L, t):
    import re
    for m in re.finditer(r"(?<![\d.\w])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])", t):
        v = m.group(0)
        if not v.startswith(("0.", "127.")) and v != "66.86.0.15":
            L.p(v, "ip")
    return t


# ---- SIP stacks' test fixtures --------------------------------------------------------------------

def sip_fixtures(g):
    src = g.r.choice(["x-sip-fixture", "sip_cpp-registrar", "jssip-register", "sipsorcery-log"])
    L = Line(src)
    p, b = L.p, L.b
    d = g.d()
    if src == "x-sip-fixture":
        e, ip1, ip2 = g.ext() + g.digits(1), g.ipv4(), g.ipv4()
        t = (f"SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP {ip1}:5060;branch=z9hG4bK{p(g.digits(10), 'id')};received={ip1};rport=5060\r\n"
             f"From: <sip:{p(e, 'user')}@{ip2}>;tag={p(g.digits(10), 'id')}\r\nTo: <sip:{e}@{ip2}>;tag=as{p(g.hexs(8), 'id')}\r\n"
             f"Call-ID: {p(g.digits(10), 'id')}\r\nCSeq: 1 {b('REGISTER')}\r\nExpires:3600\r\n"
             f"Contact: <sip:{e}@{ip1};line={p(g.hexs(15), 'id')}>;expires=3600\r\n{b('Content-Length')}: 0\r\n")
    elif src == "sip_cpp-registrar":
        e = g.ext()
        t = (f"REGISTER sip:{g.ipv4()} SIP/2.0\nv: SIP/2.0/UDP {g.ipv4()}:5060\nt: <sip:{p(e, 'user')}@{g.ipv4()}>\n"
             f"f: <sip:{e}@{g.ipv4()}>\ni: {p(g.uuid(), 'id')}\nCSeq: 3 REGISTER\n{b('Max-Forwards')}: 70\n"
             f"m: <sip:{e}@{g.ipv4()}:5060>;dt=544\nExpires: 3600\nUser-Agent: {b('3Com-SIP-Phone')}/V7.1.53.53\n"
             f"X-3Com-PhoneInfo: firstRegistration=yes; primaryCallP={g.ipv4()}; secondaryCallP=0.0.0.0;")
    elif src == "jssip-register":
        lang, (fi, la) = g.nm()
        u, inv = g.u(), g.alnum(12).lower() + ".invalid"
        t = (f"REGISTER sip:{d} SIP/2.0\r\nVia: SIP/2.0/WSS {p(inv, 'id')};branch=z9hG4bK{p(g.digits(6), 'id')}\r\n"
             f"To: <sip:{p(u, 'user')}@{d}>\r\nFrom: \"{name_parts(L, fi, la)}\" <sip:{u}@{d}>;tag={p(g.alnum(10).lower(), 'id')}\r\n"
             f"Call-ID: {p(g.alnum(20).lower(), 'id')}\r\nCSeq: 2 REGISTER\r\n"
             f"Authorization: Digest algorithm=MD5, username=\"{u}\", realm=\"{d}\", nonce=\"{p(g.b64(g.digits(20)), 'secret')}\", uri=\"sip:{d}\", "
             f"response=\"{p(g.hexs(32), 'secret')}\", qop=auth-int, cnonce=\"{p(g.alnum(12).lower(), 'secret')}\", nc=00000001\r\n"
             f"Contact: <sip:{p(g.alnum(8).lower(), 'id')}@{inv};transport=ws>;+sip.ice;reg-id=1;+sip.instance=\"<urn:uuid:{p(g.uuid(), 'id')}>\";expires=600\r\n"
             f"Supported: path,gruu,outbound\r\nUser-Agent: {b('JsSIP')} 3.10.1\r\n")
    else:
        ph = "+" + g.r.choice(["55", "34", "48"]) + g.digits(11)
        lip, rip, pub = g.ipv4(), g.ipv4(), g.ipv4()
        t = (f"Response received: tls:{lip}:53692<-tls:{rip}:5061\nSIP/2.0 401 Unauthorized\n"
             f"Via: SIP/2.0/TLS {lip}:5061;rport=53692;received={pub};branch=z9hG4bK{p(g.hexs(32), 'id')}\n"
             f"To: <sip:{p(ph, 'phone')}@voip.{d}>;tag={p(g.digits(10) + '-' + g.digits(9), 'id')}\n"
             f"From: <sip:{ph}@voip.{d}>;tag={p(''.join(g.r.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ') for _ in range(10)), 'id')}\n"
             f"Call-ID: {p(g.uuid(), 'id')}\nWWW-Authenticate: Digest realm=\"voip.{d}\",nonce=\"{p(g.b64(g.hexs(12)), 'secret')}\",qop=auth,algorithm=MD5\n"
             f"Request sent: tls:{lip}:5061->tls:{rip}:5061")
    return L.done(label_ips(L, t))


# ---- PBX / softphone logs pasted in issues --------------------------------------------------------

def pbx_logs(g):
    src = g.r.choice(["3cx-log", "freeswitch-directory", "mjsip-registration", "esp32-sip", "pyvoip-dump",
                      "sipdroid-prose", "pjsua-tinyphone"])
    L = Line(src)
    p, b = L.p, L.b
    d = g.d()
    if src == "3cx-log":
        e, ip = g.ext()[:3], g.ipv4()
        cid = g.hexs(32)
        t = (f"02/05/2026 2:18:24 PM - [CM102001]: {b('Authentication failed')} for AuthFail Recv Req REGISTER from {ip}:18437 tid=Pj{p(g.hexs(32), 'id')} Call-ID={p(cid, 'id')}:\n"
             f"REGISTER sip:{g.ipv4()};transport=tcp SIP/2.0\nContact: <sip:{p(e, 'user')}@{ip}:18437;transport=TCP;ob>;reg-id=1\n"
             f"Proxy-Authorization: Digest username=\"{e}\",realm=\"3CXPhoneSystem\",nonce=\"{p(g.hexs(18) + ':' + g.hexs(32), 'secret')}\",response=\"{p(g.hexs(32), 'secret')}\",algorithm=MD5\n"
             f"; Reason: Credentials don't match, check that authorization-ID and password match the ones in extension settings")
    elif src == "freeswitch-directory":
        e = g.ext()[:3]
        t = (f"2026-04-13 18:51:50.181666 [WARNING] sofia_reg.c:2906 Can't find user [{p(e, 'user')}@{p('test.' + g.alnum(6).lower() + '.example', 'id')}] from {g.ipv4()}\n"
             f"You must define a domain called 'test.example.com' in your directory and add a user with the id=\"{e}\" attribute")
    elif src == "mjsip-registration":
        u = g.u()
        t = (f"phoneblock  | [2026-01-23 12:16:13] INFO: [org.mjsip.ua.registration.RegistrationClient]: Registration of <sip:{p(u, 'user')}@{g.ipv4()}> failed: 401 Unauthorized\n"
             f"phoneblock  | [2026-01-23 12:16:13] INFO: [org.mjsip.ua.registration.RegistrationClient]: Waiting 900s for next registration of <sip:{u}@{g.ipv4()}>.")
    elif src == "esp32-sip":
        e, ip = g.ext()[:3], g.ipv4()
        t = (f"I (3269) SIP: [1970-01-01/00:00:01]=======WRITE 0814 bytes>>\nREGISTER sip:{p(e, 'user')}@{g.ipv4()}:5060 SIP/2.0\n"
             f"Call-ID: {p(g.hexs(44).upper(), 'id')}\nUser-Agent: ESP32 SIP/2.0\n"
             f"Authorization: Digest username=\"{e}\", realm=\"Yate\", nonce=\"{p(g.hexs(32) + '.' + g.digits(10), 'secret')}\", uri=\"sip:{ip}:5060\", response=\"{p(g.hexs(32), 'secret')}\", algorithm=md5, nc=00000001, cnonce=\"{p(g.hexs(16), 'secret')}\"")
    elif src == "pyvoip-dump":
        u, ip = g.u(), g.ipv4()
        t = (f"From: {{'raw': '\"{p(u, 'user')}\"<sip:{u}@{ip}>', 'tag': '{p(g.hexs(8), 'id')}', 'address': '{u}@{ip}', 'number': '{u}', 'caller': '{u}', 'host': '{ip}'}}\n"
             f"Call-ID: {p(g.hexs(32), 'id')}@0.0.0.0:5060\nServer: {b('Flexisip')}/2.3.3 (sofia-sip-nta/2.0)")
    elif src == "sipdroid-prose":
        lang, (fi, la) = g.nm("en")
        acct = g.digits(10) + "x" + g.digits(4)
        t = (f"I can't seem to connect to my SIP server.\nI got a 401 Error.\n\nIp: {g.ipv4()}\nUsername: {p(acct, 'user')}\nPass: {p(g.secret(), 'secret')}\n\n"
             f"And in Sipdroid, I got it set-up like this:\nAuthorization Username: {acct}\nServer: {g.ipv4()}\nPort: 5060\nProtocol: UDP\n\nThankx in Advance.\n{p(fi, 'name')}")
    else:
        e, ip = g.ext(), g.ipv4()
        lang, (fi, la) = g.nm()
        t = (f"2026-02-05 14:18:25.409   pjsua_core.c !.RX 328 bytes Response msg 404/REGISTER/cseq={g.r.randint(1000, 30000)} (rdata{p(g.hexs(8).upper(), 'id')}) from TCP {ip}:5060:\n"
             f"SIP/2.0 404 Not Found\nFrom: \"{name_parts(L, fi, la)}\" <sip:{p(e, 'user')}@{ip}>;tag={p(g.hexs(32), 'id')}\n"
             f"User-Agent: TinyPhone Pjsua2 v36.0.0.79")
    return L.done(label_ips(L, t))


# ---- TURN / WebRTC --------------------------------------------------------------------------------

def turn_webrtc(g):
    src = g.r.choice(["coturn-log", "coturn-log", "webrtc-sdp", "webrtc-getstats"])
    L = Line(src)
    p, b = L.p, L.b
    if src == "coturn-log":
        u, sess = g.u(), "00" + str(g.r.randint(1, 9)) + "0000000000000" + g.digits(3)
        realm = "turn." + g.r.choice(["kestrelvoice", "hafenfon", "meseta"]) + ".example"
        k = g.r.randint(0, 2)
        if k == 0:
            t = (f"{g.r.randint(5, 9999)}: session {sess}: new, realm=<{realm}>, username=<{p(u, 'user')}>, lifetime=600\n"
                 f"{g.r.randint(5, 9999)}: session {sess}: realm <{realm}> user <{u}>: incoming packet {b('ALLOCATE')} processed, success")
        elif k == 1:
            ph = "9" + g.digits(11)
            t = (f"INFO: session {sess}: realm <{realm}> user <{g.digits(10)}:{p(ph, 'phone')}> remote:<{g.ipv4()}:{g.r.randint(1024, 65000)}>: incoming packet {b('CREATE_PERMISSION')} processed, success\n"
                 f"INFO: session {sess}: handle_turn_allocate: xor_relayed_addr ip4=[{g.ipv4()}:42908] ip6=[], xor_mapped_addr=[{g.ipv4()}:46019]")
        else:
            t = (f"{g.r.randint(5, 9999)}: session {sess}: closed (2nd stage), user <{p(u, 'user')}> realm <{realm}> origin <>, local {g.ipv4()}:3478, "
                 f"remote {g.ipv4()}:{g.r.randint(1024, 65000)}, reason: allocation timeout\n{g.r.randint(5, 9999)}: session {sess}: usage: realm=<{realm}>, username=<{u}>, rp=1, rb=20, sp=1, sb=88")
    elif src == "webrtc-sdp":
        v6, mdns = g.ipv6g(), g.uuid() + ".local"
        t = (f"a=candidate:{g.digits(9)} 1 udp 1685987071 {g.ipv4()} 55389 typ srflx raddr {g.ipv4()} rport 60259 generation 0\n"
             f"a=candidate:{g.digits(10)} 1 udp 2122265343 {p(v6, 'ip')} 65074 typ host generation 0\n"
             f"a=candidate:{g.digits(9)} 1 udp 2113937151 {p(mdns, 'id')} 54400 typ host generation 0 network-cost 999\n"
             f"a=ice-ufrag:{p(g.alnum(16), 'secret')}\na=ice-pwd:{p(g.alnum(24), 'secret')}\n"
             f"a=ssrc:{g.digits(10)} cname:{p(g.alnum(16), 'id')}\na=rtpmap:111 {b('opus/48000/2')}\na=rtpmap:9 {b('G722/8000')}")
    else:
        v6 = g.ipv6g()
        t = json.dumps({"id": "RTCIceCandidate_" + g.alnum(8), "type": "local-candidate", "address": g.ipv4(), "port": 54321,
                        "candidateType": "srflx", "relatedAddress": g.ipv4(), "networkType": "wifi",
                        "url": "stun:stun.kestrelvoice.example:3478", "usernameFragment": g.alnum(4)}) + "\n" + \
            json.dumps({"type": "remote-candidate", "ip": v6, "protocol": "udp", "candidateType": "prflx"})
        p(v6, "ip")
        b("candidateType")
        b("srflx")
    return L.done(label_ips(L, t))


# ---- crash reports --------------------------------------------------------------------------------

def crash(g):
    src = g.r.choice(["macos-crash", "macos-ips", "minidump-stackwalk", "android-tombstone", "ios-crash"])
    L = Line(src)
    p, b = L.p, L.b
    lang, (fi, la) = g.nm(g.r.choice(["en", "de", "fr", "nl", "pl", "it"]))
    short = (fi[0] + la.split(" ")[-1]).lower()
    short = "".join(c for c in short if c.isascii() and c.isalpha()) or "user"
    if src == "macos-crash":
        t = (f"Process:               Telephone [{g.r.randint(300, 9000)}]\nPath:                  /Users/{p(short, 'user')}/Applications/Telephone.app/Contents/MacOS/Telephone\n"
             f"Identifier:            com.tlphn.Telephone\nVersion:               1.6 (160)\nCode Type:             ARM-64 (Native)\n"
             f"User ID:               501\n\nDate/Time:             2026-09-17 07:42:51.408 -0700\nOS Version:            macOS 14.4 (23E214)\n"
             f"Anonymous UUID:        {p(g.uuid().upper(), 'id')}\n\nCrashed Thread:        7\n\nException Type:        {b('EXC_BAD_ACCESS')} (SIGSEGV)\n"
             f"Computer Name:         {p(fi, 'name')}s-MacBook-Pro")
    elif src == "macos-ips":
        t = json.dumps({"app_name": "MicroPhone", "timestamp": "2026-03-01 10:10:10.00 +0100", "app_version": "3.2.1",
                        "slice_uuid": g.uuid(), "bundleID": "com.example.microphone", "incident_id": g.uuid().upper(),
                        "crashReporterKey": g.hexs(40), "procPath": f"/Users/{short}/Downloads/MicroPhone.app/Contents/MacOS/MicroPhone",
                        "userID": 501, "deviceName": f"{fi}’s iPhone"}, ensure_ascii=False)
        for v in (short, ):
            p(v, "user")
        p(fi, "name")
        b("procPath")
        b("crashReporterKey")
        import re
        for m in re.finditer(r'"(incident_id|crashReporterKey|slice_uuid)": "([^"]+)"', t):
            if m.group(1) != "slice_uuid":
                p(m.group(2), "id")
    elif src == "minidump-stackwalk":
        wu = g.r.choice([f"{fi}.{la.split(' ')[-1]}", short, f"{fi} {la.split(' ')[-1]}"])
        wu = "".join(c for c in wu if c.isascii()) or "Admin1"
        t = (f"Operating system: Windows NT\n                  10.0.19045 \nCPU: amd64\n     GenuineIntel family 6 model 142 stepping 10\n\n"
             f"Crash reason:  {b('EXCEPTION_ACCESS_VIOLATION_READ')}\nCrash address: 0x0\n\nThread 0 (crashed)\n"
             f" 0  pjsua2.dll + 0x2785c\n    rip = 0x00007ffb1c42785c   rsp = 0x000000e7d5cfe7c0\n    Found by: given as instruction pointer in context\n\n"
             f"Loaded modules:\n0x7ff6a0000000 - 0x7ff6a0123fff  Softphone.exe  5.4.2.0  (main)\n"
             f"  C:\\Users\\{p(wu, 'user')}\\AppData\\Local\\Programs\\Softphone\\Softphone.exe\n"
             f"2026-12-04 14:18:39: simple_symbol_supplier.cc:171: INFO: No symbol file at C:\\Users\\{wu}\\symcache/pjsua2.pdb/{g.hexs(33).upper()}/pjsua2.sym")
    elif src == "android-tombstone":
        pkg = "com.example.sipdialer"
        t = (f"*** *** *** *** *** *** *** *** *** *** *** *** *** *** *** ***\n"
             f"Build fingerprint: 'samsung/a52qnsxx/a52q:13/TP1A.220624.014/A525FXXS6DWA1:user/release-keys'\n"
             f"Revision: '0'\nABI: 'arm64'\nTimestamp: 2026-07-15 15:45:12.489+0200\n"
             f"pid: {g.r.randint(1000, 32000)}, tid: {g.r.randint(1000, 32000)}, name: pjsua_worker  >>> {pkg} <<<\n"
             f"uid: 10{g.r.randint(100, 399)}\nsignal 11 (SIGSEGV), code 1 (SEGV_MAPERR), fault addr 0x0\n"
             f"Abort message: 'registration failed for sip:{p(g.u(), 'user')}@{g.d()} (503)'\n"
             f"    #00 pc 00000000002f32f4  /data/app/~~{p(g.alnum(22), 'id')}==/{pkg}-{p(g.alnum(22), 'id')}==/lib/arm64/libpjsua2.so (BuildId: {g.hexs(32)})\n"
             f"    #01 pc 0000000000046c1c  /data/user/0/{pkg}/files/{p(short, 'user')}_profile/libcallhook.so")
        b("SIGSEGV")
    else:
        t = (f"Incident Identifier: {p(g.uuid().upper(), 'id')}\nCrashReporter Key:   {p(g.hexs(40), 'id')}\n"
             f"Hardware Model:      iPhone14,5\nProcess:         VoipApp [{g.r.randint(300, 9000)}]\n"
             f"Path:            /private/var/containers/Bundle/Application/{p(g.uuid().upper(), 'id')}/VoipApp.app/VoipApp\n"
             f"Identifier:      com.example.voipapp\nOS Version:      iPhone OS 17.2 (21C62)\n"
             f"Exception Type:  EXC_CRASH (SIGABRT)\nTriggered by Thread:  0\n"
             f"Last Exception Backtrace: -[CXProvider reportNewIncomingCallWithUUID:update:completion:] handle={p(g.e164(), 'phone')}")
        b("EXC_CRASH")
    return L.done(label_ips(L, t))


# ---- push tokens ----------------------------------------------------------------------------------

def push_tokens(g):
    src = g.r.choice(["pushkit-log", "fcm-token-log", "firebase-iid-register", "rn-voip-push"])
    L = Line(src)
    p, b = L.p, L.b
    if src == "pushkit-log":
        tok = " ".join(g.hexs(8) for _ in range(8))
        t = (f"2026-10-16 21:02:15.399 voipTest[1508:1049731] app launched with state 1\n"
             f"2026-10-16 21:02:15.514 voipTest[1508:1049731] PushCredentials: <{p(tok, 'secret')}>\n"
             f"apn push \"<{tok}>\" -c ~/Desktop/voip/apple_push_notification.pem -m \"Hello\"")
    elif src == "fcm-token-log":
        tok = g.apa91()
        t = (f"Firebase registration token: {p(tok, 'secret')}\nnil\nRemote instance ID token: {tok}\n"
             f"D/MyFirebaseMsgService: Refreshed token: {tok}")
    elif src == "firebase-iid-register":
        dev, apns = g.digits(19), g.hexs(64)
        appid = g.alnum(22)
        t = (f"2026-06-24 15:53:55.630889+0530 Frats[1451:472412] 10.25.0 - [Firebase/InstanceID][I-IID020000] Register request to https://fcmtoken.googleapis.com/register content: "
             f"X-osv=17.5&device={p(dev, 'id')}&X-scope=*&plat=2&app=app.example.ios&app_ver=0.9.8&X-cliv=fiid-4.4.1&sender={p(g.digits(12), 'id')}"
             f"&appid={p(appid, 'id')}&apns_token=s_{p(apns, 'secret')}")
    else:
        tok = g.hexs(64)
        lang, (fi, la) = g.nm()
        t = (f" LOG  VOIP TOKEN:  {p(tok, 'secret')}\n LOG  [CallKeep] displayIncomingCall {{\"callUUID\":\"{p(g.uuid(), 'id')}\",\"handle\":\"{p(g.e164(), 'phone')}\","
             f"\"localizedCallerName\":\"{name_parts(L, fi, la)}\"}}")
    return L.done(t)


# ---- HTTP logs, auth headers ----------------------------------------------------------------------

def http_auth(g):
    src = g.r.choice(["nginx-access", "bearer-debug", "basic-auth", "provisioning-url"])
    L = Line(src)
    p, b = L.p, L.b
    if src == "nginx-access":
        u = g.u()
        mac = g.hexs(12)
        t = (f"{g.ipv4()} - {p(u, 'user')} [05/Mar/2026:10:11:12 +0100] \"GET /provisioning/{p(mac, 'mac')}.cfg HTTP/1.1\" 200 5120 \"-\" \"Yealink SIP-T46S 66.86.0.15 {mac}\"\n"
             f"{g.ipv4()} - - [05/Mar/2026:10:11:13 +0100] \"GET /api/contacts?search={p(urllib.parse.quote(g.e164()), 'phone')}&owner={p(g.u(), 'user')} HTTP/2.0\" 404 0")
        b("HTTP/1.1")
    elif src == "bearer-debug":
        tok = g.jwt()
        t = (f"[DEBUG] okhttp.OkHttpClient: --> POST https://api.kestrelvoice.example/v2/calls\n[DEBUG] okhttp.OkHttpClient: Authorization: Bearer {p(tok, 'secret')}\n"
             f"[DEBUG] okhttp.OkHttpClient: {{\"to\":\"{p(g.e164(), 'phone')}\",\"from\":\"{p(g.u(), 'user')}\"}}")
        b("Authorization")
    elif src == "basic-auth":
        u, s = g.u(), g.secret()
        enc = g.b64(f"{u}:{s}")
        t = (f"> GET /xml/phonebook.xml HTTP/1.1\n> Host: pbx.local\n> Authorization: Basic {p(enc, 'secret')}\n> Cookie: PHPSESSID={p(g.alnum(26).lower(), 'secret')}; lang=de\n"
             f"< HTTP/1.1 401 Unauthorized")
    else:
        u, s = g.u(), g.secret()
        t = (f"Fetching https://prov.kestrelvoice.example/cfg?user={p(u, 'user')}&pass={p(urllib.parse.quote(s), 'secret')}&mac={p(g.mac_sep(2), 'mac')}"
             f"&api_key={p(g.alnum(32), 'secret')}")
    return L.done(label_ips(L, t))


# ---- e-mail headers, vCard / contact sync ---------------------------------------------------------

def email_vcard(g):
    src = g.r.choice(["email-headers", "vcard", "vcard", "zpush-carddav", "nextcloud-json"])
    L = Line(src)
    p, b = L.p, L.b
    lang, (fi, la) = g.nm()
    ascii_f = "".join(c for c in fi.lower() if c.isascii() and c.isalpha())
    ascii_l = "".join(c for c in la.split(" ")[-1].lower() if c.isascii() and c.isalpha())
    if not (ascii_f and ascii_l):  # Cyrillic / Greek names: a Latin login instead
        ascii_f, ascii_l = g.r.choice([("dmitri", "sokolov"), ("olga", "lebedeva"), ("petar", "stoyanov"), ("giorgos", "antoniou")])
    mail = f"{ascii_f}.{ascii_l}{g.r.randint(1, 99)}@{g.r.choice(MAILDOM)}"
    if src == "email-headers":
        t = (f"Return-Path: <{p(mail, 'email')}>\nReceived: from mx2.kestrelvoice.example (mx2.kestrelvoice.example [{g.ipv4()}])\n"
             f"\tby mail.example.net with ESMTPS id {p(g.alnum(10), 'id')}\n\tfor <{p(g.u() + '@example.org', 'email')}>; Tue, 5 Mar 2026 10:11:12 +0100\n"
             f"From: \"{name_parts(L, fi, la)}\" <{mail}>\nSubject: Voicemail from {p(g.e164(), 'phone')} (0:42)\n"
             f"Message-ID: <{p(g.alnum(16) + '@mail.example.com', 'email')}>\nX-Originating-IP: [{g.ipv4()}]")
        b("ESMTPS")
    elif src == "vcard":
        ph1 = g.e164()
        ph2 = g.national(g.r.choice(["de", "fr", "it", "es"]))
        t = (f"BEGIN:VCARD\nVERSION:3.0\nN:{p(la.split(' ')[-1], 'name')};{p(fi, 'name')}\nFN:{fi} {la}\nBDAY:1987-04-13\n"
             f"EMAIL;TYPE=INTERNET:{p(mail, 'email')}\nTEL;TYPE=CELL;TYPE=CELL:{p(ph1, 'phone')}\nTEL;TYPE=WORK,VOICE:{p(ph2, 'phone')}\n"
             f"ADR;TYPE=HOME:;;{p(g.r.choice(['Lindenstraße', 'Rue des Acacias', 'Via Garibaldi', 'Calle Mayor']) + ' ' + str(g.r.randint(2, 120)), 'geo')};"
             f"{g.r.choice(['Musterstadt', 'Lyon', 'Bologna', 'Zaragoza'])};;{p(g.digits(5), 'geo')};\n"
             f"UID:{p(g.uuid(), 'id')}\nX-SIP:sip:{p(g.u(), 'user')}@{g.d()}\nEND:VCARD")
        name_parts(L, fi, la)
        b("BEGIN:VCARD")
    elif src == "zpush-carddav":
        t = (f"14/12/2026 18:35:43 [23830] [ERROR] [{p(mail, 'email')}] BackendCardDAV->GetMessageList - Error getting the vcards in "
             f"'https://127.0.0.1:443/cloud/remote.php/carddav/addressbooks/{mail}/contacts/': The CardDAV server returned the http status code 504.")
    else:
        u = f"{ascii_f}.{ascii_l}"
        t = json.dumps({"reqId": g.alnum(20), "level": 4, "time": "2026-11-16T19:06:16+00:00", "remoteAddr": g.ipv4(),
                        "user": u, "app": "webdav", "method": "REPORT",
                        "url": f"/remote.php/dav/addressbooks/users/{u}/z-app-generated--contactsinteraction--recent/",
                        "message": "This parser only supports VCARD and VCALENDAR files"})
        p(u, "user")
        b("webdav")
    return L.done(label_ips(L, t))


# ---- users' prose in many languages ---------------------------------------------------------------

SPELLED = {
    "en": ["oh seven seven double-oh nine one two three four five", "nine one seven, five five five, zero one nine nine",
           "zero one six three, four four, two seven, eight one"],
    "fr": ["zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit", "zéro sept vingt-deux onze quarante-cinq quatre-vingt-dix"],
    "de": ["null eins sieben eins, zwei drei vier, fünf sechs sieben acht", "null drei null, vier vier eins, neun neun zwei"],
    "es": ["seis cero cinco, doce, treinta y cuatro, cincuenta y seis"],
    "it": ["tre quattro sette, uno due tre, quattro cinque sei sette"],
}


def prose(g):
    L = Line("attack-prose")
    p, b = L.p, L.b
    k = g.r.randint(0, 17)
    if k == 0:  # sign-off with full name
        lang = g.r.choice(list(SIGNOFF))
        _, (fi, la) = g.nm(lang)
        body = {"en": "The app drops the call after exactly 32 seconds when on LTE.",
                "de": "Der Anruf bricht nach genau 32 Sekunden ab, nur im Mobilfunknetz.",
                "fr": "L'appel coupe au bout de 32 secondes, seulement en 4G.",
                "es": "La llamada se corta a los 32 segundos con datos móviles.",
                "it": "La chiamata cade dopo 32 secondi, solo in 4G.", "pt": "A chamada cai depois de 32 segundos no 4G.",
                "nl": "Het gesprek valt na 32 seconden weg, alleen op 4G.", "pl": "Połączenie zrywa się po 32 sekundach na LTE.",
                "tr": "Arama LTE'de 32 saniye sonra kesiliyor.", "ru": "Звонок обрывается через 32 секунды в LTE.",
                "bg": "Разговорът прекъсва след 32 секунди в LTE.", "el": "Η κλήση κόβεται μετά από 32 δευτερόλεπτα στο LTE."}[lang]
        t = f"{body}\n\n{g.r.choice(SIGNOFF[lang])}\n{name_parts(L, fi, la)}"
        b("32")
    elif k == 1:  # name at sentence start before a verb
        _, (fi, la) = g.nm("en")
        t = f"{name_parts(L, fi, la)} called twice yesterday about the echo, and {p(g.r.choice(['Hazel', 'Oliver', 'Amelia']), 'name')} from accounting confirmed it on version 4.2.1."
        b("4.2.1")
    elif k == 2:  # hyphenated French names and particles
        _, (f1, l1) = g.nm("fr")
        _, (f2, l2) = g.nm("nl")
        t = f"{name_parts(L, f1, l1)} et {name_parts(L, f2, l2)} ont appelé le support hier ; le codec était {b('G.722')}."
    elif k == 3:  # obfuscated e-mail
        _, (fi, la) = g.nm(g.r.choice(["en", "it", "pl", "de"]))
        af = "".join(c for c in fi.lower() if c.isascii())
        al = "".join(c for c in la.lower().split(" ")[-1] if c.isascii())
        dom = g.r.choice(["gmail", "web", "libero", "wp"])
        form = g.r.choice([f"{af} dot {al} at {dom} dot com", f"{af}.{al}[at]{dom}[dot]com", f"{af}.{al} (at) {dom} (dot) com",
                           f"{af}_{al} AT {dom} DOT com", f"{af}.{al}＠{dom}.com"])
        p(af, "name")
        p(al, "name")
        t = f"Please send the debug log to {p(form, 'email')} - I can't attach it here (GitHub says file too big)."
    elif k == 4:  # spelled-out numbers
        lang = g.r.choice(list(SPELLED))
        intro = {"en": "Call me back at", "fr": "Rappelez-moi au", "de": "Ruf mich an unter", "es": "Llámame al", "it": "Richiamami al"}[lang]
        t = f"{intro} {p(g.r.choice(SPELLED[lang]), 'phone')}, thanks."
    elif k == 5:  # Dutch
        _, (fi, la) = g.nm("nl")
        ph = g.r.choice([f"06-{g.digits(8)}", f"06 {g.digits(2)} {g.digits(2)} {g.digits(2)} {g.digits(2)}", f"+31 6 {g.digits(4)} {g.digits(4)}", f"020-{g.digits(3)} {g.digits(4)}"])
        t = f"Mijn nummer is {p(ph, 'phone')} en mijn toestel {p(g.ext()[:3], 'user')}. Groeten, {name_parts(L, fi, la)}"
    elif k == 6:  # Turkish
        _, (fi, la) = g.nm("tr")
        ph = g.r.choice([f"0532 {g.digits(3)} {g.digits(2)} {g.digits(2)}", f"+90 (5{g.digits(2)}) {g.digits(3)} {g.digits(2)} {g.digits(2)}"])
        t = f"Benim numaram {p(ph, 'phone')}, adım {name_parts(L, fi, la)}. Uygulama 3.1 sürümünde çöküyor."
    elif k == 7:  # Polish
        _, (fi, la) = g.nm("pl")
        ph = g.r.choice([f"{g.r.randint(500, 799)} {g.digits(3)} {g.digits(3)}", f"+48 {g.r.randint(500, 799)}-{g.digits(3)}-{g.digits(3)}", f"(22) {g.digits(3)} {g.digits(2)} {g.digits(2)}"])
        t = f"Dzień dobry, {name_parts(L, fi, la)} z tej strony. Mój numer to {p(ph, 'phone')}, wewnętrzny {p(g.ext()[:3], 'user')}."
    elif k == 8:  # Greek
        _, (fi, la) = g.nm("el")
        t = f"Γεια σας, είμαι ο/η {name_parts(L, fi, la)}. Καλέστε με στο {p('69' + g.digits(1) + ' ' + g.digits(3) + ' ' + g.digits(4), 'phone')} ή στο {p('+30 210 ' + g.digits(3) + ' ' + g.digits(4), 'phone')}."
    elif k == 9:  # Bulgarian / Russian
        if g.r.random() < 0.5:
            _, (fi, la) = g.nm("bg")
            t = f"Здравейте, казвам се {name_parts(L, fi, la)}. Моят мобилен е {p('08' + g.r.choice('789') + g.digits(1) + '/' + g.digits(3) + '-' + g.digits(3), 'phone')}, вътрешен {p(g.ext()[:3], 'user')}."
        else:
            _, (fi, la) = g.nm("ru")
            t = f"Меня зовут {name_parts(L, fi, la)}, мой телефон {p('+7 9' + g.digits(2) + ' ' + g.digits(3) + '-' + g.digits(2) + '-' + g.digits(2), 'phone')}, логин {p(g.u(), 'user')}."
    elif k == 10:  # German intro with a dictionary-word surname
        _, (fi, la) = g.nm("de")
        t = f"Hallo, ich heiße {name_parts(L, fi, la)} und meine Durchwahl ist {p(g.ext()[:3], 'user')}, Festnetz {p('0' + g.r.choice(['30', '89', '221', '40']) + ' ' + g.digits(3) + ' ' + g.digits(2) + ' ' + g.digits(2), 'phone')}."
    elif k == 11:  # French poste announced with "c'est le"
        _, (fi, la) = g.nm("fr")
        t = f"Je m'appelle {name_parts(L, fi, la)}, mon poste c'est le {p(g.ext(), 'user')} et mon portable le {p('06.' + '.'.join(g.digits(2) for _ in range(4)), 'phone')}."
    elif k == 12:  # Spanish with compound surname
        _, (fi, la) = g.nm("es")
        t = f"Hola, soy {name_parts(L, fi, la)}. Mi móvil: {p('+34 6' + g.digits(2) + ' ' + g.digits(3) + ' ' + g.digits(3), 'phone')}. Gracias."
    elif k == 13:  # Italian
        _, (fi, la) = g.nm("it")
        t = f"Buongiorno, {name_parts(L, fi, la)} qui. Il mio cellulare è {p('+39 3' + g.digits(2) + ' ' + g.digits(3) + ' ' + g.digits(4), 'phone')}, l'interno {p(g.ext()[:3], 'user')}."
    elif k == 14:  # Portuguese
        _, (fi, la) = g.nm("pt")
        t = f"Olá, aqui é {name_parts(L, fi, la)}. Meu celular é {p('(11) 9' + g.digits(4) + '-' + g.digits(4), 'phone')} e o ramal {p(g.ext()[:3], 'user')}."
    elif k == 15:  # chat handles
        _, (fi, la) = g.nm()
        t = (f"You can also reach me on Telegram @{p(g.u(), 'user')}, Skype live:.cid.{p(g.hexs(16), 'id')} or "
             f"WhatsApp {p(g.e164(), 'phone')} ({p(fi, 'name')}).")
    elif k == 16:  # credentials pasted in prose
        t = (f"my sip login is {p(g.u(), 'user')} / {p(g.secret(), 'secret')} on {g.d()}, voicemail PIN {p(g.digits(4), 'secret')}, "
             f"and the web portal password was {p(g.r.choice(['Sommer', 'Winter', 'Herbst']) + g.digits(4), 'secret')}! (already changed)")
    else:  # English with extension after "x"
        _, (fi, la) = g.nm("en")
        t = f"Please ask for {name_parts(L, fi, la)} on {p('+44 20 7946 ' + g.digits(4), 'phone')} x{p(g.digits(3), 'user')} or on her mobile {p('07700 900' + g.digits(3), 'phone')}."
    return L.done(t)


# ---- device identifiers ---------------------------------------------------------------------------

def device_ids(g):
    src = g.r.choice(["android-telephony-dump", "wifi-logcat", "device-ids-prose"])
    L = Line(src)
    p, b = L.p, L.b
    if src == "android-telephony-dump":
        imei = g.imei()
        t = g.r.choice([
            f"D/PhoneSubInfoController: getDeviceIdForPhone: IMEI={p(imei, 'id')} MEID={p('A' + g.hexs(13).upper(), 'id')}",
            f"I/SubscriptionController: [getSubInfo] iccId={p(g.iccid(False), 'id')} displayName=Vodafone DE carrier=Vodafone.de mcc 262 mnc 2 imsi={p(g.imsi(), 'id')}",
            f"IMEI: {p(imei[:2] + '-' + imei[2:8] + '-' + imei[8:14] + '-' + imei[14], 'id')}  SV: 05",
            f"D/GsmCdmaPhone: [1] getSubscriberId imsi={p(g.imsi(), 'id')} msisdn={p(g.e164(), 'phone')} line1Number={p(g.e164(), 'phone')}",
            f"Device info: serial={p('R58M' + g.alnum(7).upper(), 'id')} androidId={p(g.hexs(16), 'id')} adId={p(g.uuid(), 'id')}",
        ])
    elif src == "wifi-logcat":
        k = g.r.randint(0, 4)
        m = g.mac_sep(k)
        lang, (fi, la) = g.nm(g.r.choice(["de", "pl", "pt", "nl"]))
        ssid = g.r.choice([f"{la.split(' ')[-1]}-Home-5G", f"Casa {la.split(' ')[-1]}", f"WLAN-{la.split(' ')[-1]}", f"{fi}s iPhone"])
        t = (f"I/wpa_supplicant: wlan0: CTRL-EVENT-CONNECTED - Connection to {p(m, 'mac')} completed [id=3 id_str=]\n"
             f"D/WifiStateMachine: SSID=\"{ssid}\" BSSID={p(g.mac(), 'mac')} rssi=-61 freq=5180")
        if fi in ssid:
            p(fi, "name")
        else:
            p(la.split(" ")[-1], "name")
    else:
        k = g.r.randint(0, 4)
        t = (f"Phone: Pixel 7, IMEI {p(g.imei(), 'id')}, SIM ICCID {p(g.iccid(True), 'id')}, IMSI {p(g.imsi(), 'id')}; "
             f"desk phone MAC {p(g.mac_sep(k), 'mac')} (Cisco style {p(g.mac_sep(1), 'mac')}).")
    return L.done(t)


# ---- coordinates and paths ------------------------------------------------------------------------

def geo_paths(g):
    L = Line(g.r.choice(["geo-formats", "user-paths"]))
    p, b = L.p, L.b
    lang, (fi, la) = g.nm(g.r.choice(["en", "de", "pl", "tr", "nl", "fr"]))
    sh = "".join(c for c in (fi[0] + "." + la.split(" ")[-1]).lower() if c.isascii() and (c.isalpha() or c == "."))
    if L.source == "geo-formats":
        la_, lo_ = g.r.uniform(36, 60), g.r.uniform(-9, 28)
        k = g.r.randint(0, 6)
        if k == 0:
            t = f"E/LocationManager: lat {p(f'{la_:.6f}', 'geo')} lng {p(f'{lo_:.6f}', 'geo')} acc 12.0"
        elif k == 1:
            t = f"position lat={p(f'{la_:.4f}'.replace('.', ','), 'geo')} lon={p(f'{lo_:.4f}'.replace('.', ','), 'geo')} (Standort zu Hause)"
        elif k == 2:
            d1, m1 = int(la_), (la_ - int(la_)) * 60
            d2, m2 = int(lo_), abs(lo_ - int(lo_)) * 60
            t = f"GPS fix: {p(f'N {d1}° {m1:.3f}', 'geo')}' {p(f'E {abs(d2):03d}° {m2:.3f}', 'geo')}' HDOP 0.9"
        elif k == 3:
            t = f"emergency call location: geo:{p(f'{la_:.5f},{lo_:.5f}', 'geo')};u=35 sent in Geolocation header"
        elif k == 4:
            t = f"{{\"latitude\": {p(f'{la_:.7f}', 'geo')}, \"longitude\": {p(f'{lo_:.7f}', 'geo')}, \"accuracy\": 14.3}}"
        elif k == 5:
            t = f"Long {p(f'{lo_:.14f}', 'geo')}\nLati {p(f'{la_:.15f}', 'geo')}\nAlt 68.30245971679688\nSpeed 0.0"
        else:
            t = f"PIDF-LO: <gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>{p(f'{la_:.6f} {lo_:.6f}', 'geo')}</gml:pos></gml:Point>"
    else:
        k = g.r.randint(0, 9)
        if k == 0:
            t = f"Log file: \\\\fileserver\\homes\\{p(sh, 'user')}\\softphone\\trace.log"
        elif k == 1:
            t = f"\"logPath\": \"C:\\\\Users\\\\{p(sh, 'user')}\\\\AppData\\\\Local\\\\MicroSIP\\\\MicroSIP_log.txt\""
        elif k == 2:
            t = f"Open file:///Users/{p(sh, 'user')}/Desktop/trace.pcapng in Wireshark"
        elif k == 3:
            t = f"C:\\Documents and Settings\\{p(fi, 'name')} {p(la.split(' ')[-1], 'name')}\\Local Settings\\Temp\\zoiper.dmp"
        elif k == 4:
            t = f"~{p(sh, 'user')}/.local/share/linphone/linphone.db is locked"
        elif k == 5:
            t = f"/var/mobile/Containers/Data/Application/{p(g.uuid().upper(), 'id')}/Documents/{p(fi.lower(), 'name')}_calls.sqlite"
        elif k == 6:
            t = f"Saved recording to /storage/emulated/0/Recordings/Call/{p(fi, 'name')} {p(la.split(' ')[-1], 'name')}_{p(g.e164(), 'phone')}_20261201.m4a"
        elif k == 7:
            t = f"PS C:\\Users\\{p(sh, 'user')}> Get-Content .\\AppData\\Roaming\\Zoiper5\\Config.xml"
        else:  # a user directory starting with n, t or r: `\\n` `\\t` `\\r` are not JSON escapes here
            wu = g.r.choice(["nadia.k", "tomasz.b", "rafael", "nicolas", "tereza", "robin.h", "natalia", "timo"])
            t = f"Zoiper log: C:\\Users\\{p(wu, 'user')}\\AppData\\Roaming\\Zoiper5\\logs\\{p(wu.split('.')[0], 'user')}_sip.log"
    return L.done(t)


# ---- encodings ------------------------------------------------------------------------------------

def encoded(g):
    L = Line(g.r.choice(["b64-sip", "pct-json", "html-entities"]))
    p, b = L.p, L.b
    u, d = g.u(), g.d()
    lang, (fi, la) = g.nm(g.r.choice(["en", "fr", "de", "es"]))
    if L.source == "b64-sip":
        k = g.r.randint(0, 2)
        if k == 0:
            raw = f"From: <sip:{u}@{d}>;tag={g.hexs(8)}\r\n"
        elif k == 1:
            raw = f"{u}@{g.r.choice(MAILDOM)}"
        else:
            raw = f"SIP/2.0 200 OK\r\nTo: \"{fi} {la}\" <sip:{g.e164()}@{d}>\r\n"
        t = f"X-Debug-Trace: {p(g.b64(raw), 'secret')}\npayload={p(base64.urlsafe_b64encode(raw.encode()).decode().rstrip('='), 'secret')}"
    elif L.source == "pct-json":
        k = g.r.randint(0, 3)
        if k == 0:
            t = f"GET /click2call?dest=%2B{p(g.digits(12), 'phone')}&caller=sip%3A{p(u, 'user')}%40{d}&name={p(urllib.parse.quote(fi), 'name')}%20{p(urllib.parse.quote(la.split(' ')[-1]), 'name')}"
        elif k == 1:
            t = f"{{\"display\":\"{p(fi, 'name')}\\u0020{p(la.split(' ')[-1], 'name')}\",\"uri\":\"sip:{p(u, 'user')}\\u0040{d}\",\"tel\":\"\\u002B{p(g.digits(11), 'phone')}\"}}"
        elif k == 2:
            t = f"callback=tel%3A%2B{p(g.digits(2) + '%20' + g.digits(3) + '%20' + g.digits(7), 'phone')}&note=from%20{p(fi, 'name')}"
        else:
            t = f"sip:{p(u, 'user')}%40{d}%3Btransport%3Dtls q=%22{p(fi, 'name')}%2B{p(la.split(' ')[-1], 'name')}%22"
    else:
        t = f"<td>{p(fi, 'name')}&nbsp;{p(la.split(' ')[-1], 'name')}</td><td>{p(u, 'user')}&#64;{d}</td><td>&#43;{p(g.digits(11), 'phone')}</td>"
    return L.done(t)


# ---- SMS / chat logs ------------------------------------------------------------------------------

def chat_sms(g):
    L = Line(g.r.choice(["whatsapp-export", "android-sms-logcat", "linphone-chat"]))
    p, b = L.p, L.b
    lang, (fi, la) = g.nm()
    if L.source == "whatsapp-export":
        ph = g.national(g.r.choice(["de", "fr", "it", "es"]))
        t = (f"[05.03.26, 10:11:12] {name_parts(L, fi, la)}: kannst du mich unter {p(ph, 'phone')} zurückrufen?\n"
             f"[05.03.26, 10:12:40] ‎{p(g.e164(), 'phone')}: ok, in 5 Minuten")
    elif L.source == "android-sms-logcat":
        t = (f"D/SmsMessage: SMS SC address: {p(g.e164(), 'phone')}\nV/SmsHandler: Received SMS from {p(g.e164(), 'phone')} body=\"Hi, hier {p(fi, 'name')}, Code {p(g.digits(6), 'secret')}\"")
    else:
        u = g.u()
        t = (f"2026-02-11 15:09:07:942 [linphone-android] MESSAGE [Notifications Manager] Creating chat message notifiable Id: 5, "
             f"local identity: sip:{p(u, 'user')}@{g.d()}, myself: {u}, isGrouped: false, peer: \"{name_parts(L, fi, la)}\" <sip:{p(g.u(), 'user')}@{g.d()}>")
    return L.done(t)


# ---- caller-id displays, tel URIs, more name shapes -------------------------------------------------

CAPS = [("SMITH", "JOHN"), ("MILLER", "ROSE"), ("BAKER", "MARK"), ("KOCH", "ANKE"), ("FISCHER", "PAUL"), ("WOLF", "NINA")]
DICT_SURNAMES = [("Hans", "Müller"), ("Sanne", "Berg"), ("Paul", "Fischer"), ("Nina", "Wolf"), ("Tom", "Weber"), ("Eva", "Koch")]
APOS = [("Siobhan", "O'Brien"), ("Luca", "D'Angelo"), ("Priya", "D'Souza"), ("Aoife", "O'Connell")]
RU = [("Иван", "Петрович", "Смирнов"), ("Мария", "Ивановна", "Орлова"), ("Сергей", "Николаевич", "Волков")]
SPELL_DIG = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def misc(g):
    L = Line(g.r.choice(["cnam-callerid", "rfc3966-tel", "prose-names"]))
    p, b = L.p, L.b
    if L.source == "cnam-callerid":
        la, fi = g.r.choice(CAPS)
        ph = "1" + g.r.choice(["415", "212", "617"]) + "555" + g.digits(4)
        k = g.r.randint(0, 2)
        if k == 0:
            t = f"CID: {p(la, 'name')} {p(fi, 'name')} {p(ph[1:], 'phone')}"
        elif k == 1:
            t = (f"    -- Executing [s@from-trunk:1] Set(\"SIP/trunk-000000{g.hexs(2)}\", \"CALLERID(name)={la} {fi}\") in new stack\n"
                 f"    -- CNAM lookup for {p('+' + ph, 'phone')} returned '{la} {fi}'")
            p(la, "name")
            p(fi, "name")
        else:
            t = f"Caller ID: \"{p(la, 'name')},{p(fi, 'name')}\" <{p('+' + ph, 'phone')}>  (line 2, {b('CANCEL')} after 3 rings)"
    elif L.source == "rfc3966-tel":
        k = g.r.randint(0, 2)
        if k == 0:
            ph = "+49" + g.r.choice(["30", "89", "40"]) + g.digits(7)
            t = (f"P-Asserted-Identity: <sip:{p(ph, 'phone')};phone-context=+49@{g.d()};{b('user=phone')}>\r\n"
                 f"Privacy: {b('id')}\r\nRequest-URI: sip:{p('0' + ph[3:], 'phone')}@{g.d()};{b('user=phone')}")
        elif k == 1:
            t = f"Transfer target: tel:{p('+1-' + g.r.choice(['415', '617']) + '-555-' + g.digits(4), 'phone')};ext={p(g.digits(3), 'user')} (blind REFER)"
        else:
            t = f"Tel. {p(' '.join('0' + g.digits(9)), 'phone')} (bitte langsam diktieren, Ziffer für Ziffer)"
    else:
        k = g.r.randint(0, 5)
        if k == 0:
            fi, la = g.r.choice(APOS)
            t = f"Thanks to {p(fi, 'name')} {p(la, 'name')} for the pcap, the 488 comes from the SBC."
        elif k == 1:
            fi, la = g.r.choice(DICT_SURNAMES)
            t = f"Call from {p(la, 'name')}, {p(fi, 'name')} on line 3 was dropped after the re-INVITE."
        elif k == 2:
            fi, la = g.r.choice(DICT_SURNAMES)
            t = f"{p(la, 'name')}, {p(fi, 'name')} wrote: the app hangs on {b('Android')} 14 when Bluetooth is on"
        elif k == 3:
            fi, pa, la = g.r.choice(RU)
            t = f"Звонил {p(fi, 'name')} {p(pa, 'name')} {p(la, 'name')}, просил перезвонить после обеда."
        elif k == 4:
            la = g.r.choice(["Lefèvre", "Mercier", "Rousseau", "Chevalier"])
            t = f"Déjà reçu un appel de {g.r.choice(['M.', 'Mme'])} {p(la, 'name')} ce matin, le son était coupé."
        else:
            e = g.digits(3)
            t = f"My extension is {p(' '.join(SPELL_DIG[int(c)] for c in e), 'user')}, desk phone in room 12."
    return L.done(t)


FAMILIES = [  # (file, generator, lines)
    ("attack_sip_fixtures.jsonl", sip_fixtures, 30), ("attack_pbx_logs.jsonl", pbx_logs, 35),
    ("attack_turn_webrtc.jsonl", turn_webrtc, 25), ("attack_crash.jsonl", crash, 25),
    ("attack_push_tokens.jsonl", push_tokens, 16), ("attack_http_auth.jsonl", http_auth, 20),
    ("attack_email_vcard.jsonl", email_vcard, 22), ("attack_prose.jsonl", prose, 90),
    ("attack_device_ids.jsonl", device_ids, 25), ("attack_geo_paths.jsonl", geo_paths, 35),
    ("attack_encoded.jsonl", encoded, 20), ("attack_chat_sms.jsonl", chat_sms, 15),
    ("attack_misc.jsonl", misc, 30),
]


def main():
    write_corpus.write_families(FAMILIES, A, 23)


if __name__ == "__main__":
    main()
