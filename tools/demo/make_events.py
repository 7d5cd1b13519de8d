#!/usr/bin/env python3
"""make_events.py - Veil's own generator of raw softphone events with planted personal data.

Used by the demo (README main job) when ../shared is not there, and by tests as a HARDER corpus
than the shared one: odd textual forms of every token class (IPv6 with zone ids and brackets,
IPv4-mapped, national phone formats, quoted SIP display names, digest auth, SDP, Cisco MACs,
Luhn-valid cards and IMEIs, escaped Windows paths, JWTs, non-ASCII names), epoch-ms timestamps
and numbers sent as strings.

    make_events.py --seed 7 --count 1000 --out raw.jsonl [--truth truth.json]

truth.json: {"pii": [every planted personal string], "benign": [strings that must survive],
             "expect": [[line, "attrs.path", expected value], ...]}
Standard library only; deterministic for a given seed and count.
"""
import argparse
import json
import random

FIRST = ["Zoë", "Мария", "Jürgen", "Ólafur", "Siobhán", "李", "Ayşe", "François", "Nguyễn", "Kwame", "Ingrid", "Tomás"]
LAST = ["Ångström", "Иванова", "Müller", "Þórsson", "Ní Bhriain", "小龙", "Yılmaz", "Lefèvre", "Thị Hoa", "Mensah",
        "Bergström", "Ó Súilleabháin"]
ASCII_USER = ["zoe.angstrom", "maria.ivanova", "juergen.mueller", "olafur.t", "siobhan.nb", "li.xiaolong",
              "ayse.yilmaz", "francois.lefevre", "hoa.nguyen", "kwame.mensah", "ingrid.b", "tomas.os"]
DOMAINS = ["sip.example.net", "pbx.acme-voice.eu", "voip.provider.co.uk", "sip.telco.example.com.br"]
MAIL = ["example.com", "mail.example.org", "post.example.de", "example.co.jp"]
CODECS = ["opus", "PCMU", "G722", "G729"]
PHONES = [  # (raw text form, country)
    ("+49 (0)30 12345678", "DE"), ("0049 30 12345678", "DE"), ("+1-212-555-0187", "US"), ("+1 (416) 555-0134", "CA"),
    ("+7 495 123-45-67", "RU"), ("+7 (701) 234 56 78", "KZ"), ("+33 6 12 34 56 78", "FR"), ("+44 20 7946 0958", "GB"),
    ("+81 90-1234-5678", "JP"), ("+55 (11) 91234-5678", "BR"), ("+359 88 123 4567", "BG"), ("+39 06 4567 1234", "IT"),
]
IPV4_PUBLIC = ["203.0.113.{}", "198.51.100.{}", "192.0.2.{}", "100.64.{}.17"]


def luhn_complete(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.pii, self.benign, self.expect = [], [], []

    def p(self, v):
        self.pii.append(v)
        return v

    def b(self, v):
        self.benign.append(v)
        return v

    def ipv4(self):
        return self.r.choice(IPV4_PUBLIC).format(self.r.randint(1, 254))

    def ipv6(self):
        groups = [f"{self.r.randint(0, 0xffff):x}" for _ in range(8)]
        groups[0] = "2001"
        groups[1] = "db8"
        form = self.r.randint(0, 3)
        if form == 0:
            return ":".join(groups)
        if form == 1:
            return ":".join(f"{int(g, 16):04x}" for g in groups)
        if form == 2:
            return ":".join(groups[:3]) + "::" + groups[7]
        return "fe80::" + ":".join(groups[5:8]) + "%wlan0"

    def mac(self):
        b = [self.r.randint(0, 255) for _ in range(6)]
        form = self.r.randint(0, 2)
        if form == 0:
            return ":".join(f"{x:02x}" for x in b)
        if form == 1:
            return "-".join(f"{x:02X}" for x in b)
        h = "".join(f"{x:02x}" for x in b)
        return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"

    def person(self):
        i = self.r.randrange(len(FIRST))
        return FIRST[i], LAST[i], ASCII_USER[i]

    def ts(self, i):
        # Four minutes apart: 2 500 events span a week, so the report's per-day tables and
        # charts have days to show.
        base = 1795910400000 + i * 241_000 + self.r.randint(0, 999)
        if self.r.random() < 0.3:
            return base
        s = base // 1000
        import datetime as dt
        t = dt.datetime.fromtimestamp(s, dt.timezone.utc)
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{base % 1000:03d}Z"

    def sip_trace(self, user, host, first, last):
        pub, loc = self.ipv4(), f"192.168.{self.r.randint(0, 9)}.{self.r.randint(2, 250)}"
        ph, _ = self.r.choice(PHONES)
        digits = "".join(c for c in ph if c.isdigit())
        callid = f"{self.r.getrandbits(64):016x}@{loc}"
        tag, branch = f"{self.r.getrandbits(32):08x}", f"z9hG4bK{self.r.getrandbits(40):010x}"
        nonce, resp = f"{self.r.getrandbits(64):016x}", f"{self.r.getrandbits(128):032x}"
        inst = f"{self.r.getrandbits(32):08x}-1c2d-4e5f-8a9b-{self.r.getrandbits(48):012x}"
        port = self.b(str(self.r.choice([5060, 5061, 40000 + self.r.randint(0, 999)])))
        for v in (user, pub, loc, callid, tag, branch, nonce, resp, inst, f"{first} {last}", digits):
            self.p(v)
        self.b("SIP/2.0")
        self.b("Max-Forwards: 70")
        codec = self.b(self.r.choice(["PCMU/8000", "opus/48000/2", "G722/8000"]))
        return (f"INVITE sip:+{digits}@{host} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {loc}:{port};rport;branch={branch}\r\n"
                f"Max-Forwards: 70\r\n"
                f"From: \"{first} {last}\" <sip:{user}@{host}>;tag={tag}\r\n"
                f"To: <sip:+{digits}@{host}>\r\n"
                f"Contact: <sip:{user}@{pub}:{port};ob>;+sip.instance=\"<urn:uuid:{inst}>\"\r\n"
                f"Call-ID: {callid}\r\n"
                f"CSeq: 20 INVITE\r\n"
                f"Authorization: Digest username=\"{user}\", realm=\"{host}\", nonce=\"{nonce}\", "
                f"uri=\"sip:{host}\", response=\"{resp}\", algorithm=MD5\r\n"
                f"Content-Type: application/sdp\r\n\r\n"
                f"v=0\r\no=- 3900000000 3900000000 IN IP4 {pub}\r\ns=pjmedia\r\nc=IN IP4 {pub}\r\n"
                f"m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:0 {codec}\r\n"
                f"a=candidate:1 1 UDP 2130706431 {loc} 4000 typ host\r\n")

    def event(self, i):
        r = self.r
        first, last, user = self.person()
        host = r.choice(DOMAINS)
        email = f"{user}+voip@{r.choice(MAIL)}"
        kind = r.choice(["app", "account", "call", "call", "network", "rating", "crash", "log", "log", "update",
                         "location", "contacts", "chat"])
        ts = self.ts(i)
        if kind == "app":
            inst = f"{r.getrandbits(128):032x}"
            imei = luhn_complete("35" + "".join(str(r.randint(0, 9)) for _ in range(12)))
            osn, osv = r.choice([("Android", "14"), ("Android", "13"), ("Android", "12"), ("iOS", "17.5"),
                                 ("iOS", "18.1")])
            a = {"app_version": self.b(r.choice(["5.6.12", "5.6.12", "5.6.11", "5.6.10"])), "build": "pro",
                 "os_name": osn, "os_version": osv,
                 "device_model": "Pixel 8" if osn == "Android" else "iPhone15,2", "locale": "de-DE",
                 "install_id": self.p(inst),
                 "username": self.p(user), "email": self.p(email), "device_id": self.p(imei)}
            return {"type": "app.started", "ts": ts, "attrs": a}
        if kind == "account":
            pub6 = self.ipv6()
            a = {"provider_domain": host, "sip_uri": f"sips:{self.p(user)}@{host.upper()}:5061;transport=tls",
                 "username": user, "password": self.p(f"S3cr!t{r.randint(100, 999)}"),
                 "display_name": self.p(f"{first} {last}"), "transport": "TLS",
                 "registrar_ip": f"[{self.p(pub6)}]:5061" if "%" not in pub6 else self.p(self.ipv4()),
                 "public_ip": "::ffff:" + self.p(self.ipv4()), "status_code": "403",
                 "error_text": (f"403 Forbidden for \"{first} {last}\" <sip:{user}@{host}> from {self.p(self.ipv4())}:5060; "
                                f"account of {first} {last} locked")}
            self.b("403 Forbidden")
            return {"type": "account.registered", "ts": ts, "attrs": a}
        if kind == "call":
            ph, cc = r.choice(PHONES)
            self.p(ph)
            dur = r.randint(0, 5000)
            a = {"call_id": self.p(f"{r.getrandbits(64):x}-{user}"), "direction": r.choice(["in", "out"]),
                 "remote_number": ph, "remote_uri": f"\"{first}\" <sip:{self.p(user)}@{host}>",
                 "remote_display_name": self.p(f"{first} {last}"), "duration_s": str(dur),
                 "codec": r.choice(CODECS), "transport": "UDP",
                 "network_type": r.choice(["wifi", "wifi", "lte", "5g"]), "end_reason": "hangup",
                 "srtp": False, "mos": round(r.uniform(2.5, 4.5), 2), "jitter_ms": str(r.randint(1, 80)),
                 "packet_loss_pct": round(r.uniform(0, 5), 2), "rtt_ms": r.randint(10, 400),
                 "local_ip": self.p(f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"),
                 "public_ip": self.p(self.ipv4()),
                 "carrier": {"mcc": "262", "mnc": "01", "name": "Telekom.de", "msisdn": self.p("+4915112345678")},
                 "geo": {"lat": str(self.p_num(52.520008 + r.uniform(-1, 1))), "lon": self.p_num(13.404954 + r.uniform(-1, 1))}}
            self.expect.append([i, "attrs.remote_country", cc])
            return {"type": "call.ended", "ts": ts, "attrs": a}
        if kind == "network":
            a = {"network_type": "wifi", "ssid": self.p(f"{first}'s Wi-Fi"), "bssid": self.p(self.mac()),
                 "gateway_mac": self.p(self.mac()), "imsi": self.p("2620112" + "".join(str(r.randint(0, 9)) for _ in range(8))),
                 "local_ip": self.p(self.ipv6()), "public_ip": self.p(self.ipv4())}
            return {"type": "network.changed", "ts": ts, "attrs": a}
        if kind == "rating":
            ph, _ = r.choice(PHONES)
            card = luhn_complete("4" + "".join(str(r.randint(0, 9)) for _ in range(14)))
            card_txt = " ".join(card[k:k + 4] for k in range(0, 16, 4))
            c = (f"Echo since {self.b('5.6.12')}, {self.b('486 Busy Here')} every time. Call me: {self.p(ph)} "
                 f"or mail <{self.p(email)}>. Billing charged card {self.p(card_txt)} twice. Sent from my phone")
            return {"type": "rating.submitted", "ts": ts, "attrs": {"stars": 2, "comment": c, "app_version": "5.6.12"}}
        if kind == "crash":
            win = r.random() < 0.5
            f = (f"C:\\\\Users\\\\{self.p(first + last)}\\\\AppData\\\\Local\\\\Voxline\\\\core.dll" if win else
                 f"/Users/{self.p(user)}/Library/Voxline/core.dylib")
            crumbs = [f"{self.b('10:15:07.123')} Registering {self.p(user)}@{host} via {self.p(self.ipv6())}",
                      f"Bearer token: Authorization: Bearer {self.p('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.' + f'{r.getrandbits(128):x}')}",
                      f"heap at {self.b('0x7ffd5e2a10')} ok"]
            a = {"signal": "SIGSEGV", "message": f"crash in pjsip_dlg_inc_lock while calling {self.p(user)}@{host}",
                 "frames": [{"module": "core", "offset": "0x1f2e", "function": "main", "line": 42, "file": f}],
                 "breadcrumbs": crumbs, "app_version": r.choice(["5.6.12", "5.6.11"]),
                 "os_name": "Windows" if win else "macOS",
                 "environment": {"HOME": self.p(f"/home/{user}x"), "USER": self.p(user + "x")}}
            return {"type": "crash.report", "ts": ts, "attrs": a}
        if kind == "update":
            tok = self.p(f"{r.getrandbits(160):040x}")
            a = {"current_version": "5.6.11", "available_version": "5.6.12",
                 "url": f"https://{self.p(user)}:{self.p('hunter' + str(r.randint(10, 99)))}@upd.example.com/check?uid={self.p(f'{r.getrandbits(64):x}')}&token={tok}#frag",
                 "server_ip": self.p(self.ipv4()), "result": "available"}
            return {"type": "update.checked", "ts": ts, "attrs": a}
        if kind == "location":
            return {"type": "location.updated", "ts": ts,
                    "attrs": {"lat": self.p_num(48.137154 + r.uniform(-1, 1)), "lon": self.p_num(11.576124 + r.uniform(-1, 1)),
                              "accuracy_m": 12, "source": "gps"}}
        if kind == "contacts":
            ph, _ = r.choice(PHONES)
            return {"type": "contacts.synced", "ts": ts,
                    "attrs": {"contact_count": "412", "source": "carddav",
                              "contacts": [{"name": self.p(f"{first} {last}"), "numbers": [self.p(ph)], "emails": [self.p(email)],
                                            "photo_base64": self.p("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk")}]}}
        if kind == "chat":
            return {"type": "chat.message_sent", "ts": ts,
                    "attrs": {"body": self.p(f"Hi {first}, see you at 5"), "recipient": self.p(f"sips:{user}@{host}"),
                              "length": 24, "has_attachment": False}}
        # log: a SIP trace, or a one-liner
        if r.random() < 0.5:
            msg = self.sip_trace(user, host, first, last)
        else:
            mac = self.mac()
            msg = (f"{self.b('10:15:07.123')} pjsua_acc.c {self.b('Registration failed, status=408 (Request Timeout)')} "
                   f"for {self.p(email)} via {self.p(mac)} at {self.p('52.520008')}, {self.p('13.404954')} "
                   f"password={self.p('pa55-' + str(r.randint(1000, 9999)))}")
        return {"type": "log.line", "ts": ts, "attrs": {"level": "warn", "component": "sip", "message": msg}}

    def p_num(self, x):
        v = round(x, 6)
        self.pii.append(f"{v:.6f}".rstrip("0"))
        return v


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--truth")
    a = ap.parse_args()
    g = Gen(a.seed)
    with open(a.out, "w", encoding="utf-8") as f:
        for i in range(a.count):
            f.write(json.dumps(g.event(i), ensure_ascii=False) + "\n")
    if a.truth:
        pii = sorted({p for p in g.pii if len(p) >= 4})
        with open(a.truth, "w", encoding="utf-8") as f:
            json.dump({"pii": pii, "benign": sorted(set(g.benign)), "expect": g.expect}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
