#!/usr/bin/env python3
"""write_corpus.py - writes tests/corpus/real/*.jsonl, the labelled real-world-style corpus.

Every line imitates the STYLE of a public source (PROVENANCE.md names it per source id); every
personal value in it is freshly invented here (never copied from the source). Deterministic:
    write_corpus.py [--out DIR] [--seed 11]
Line format: {"text", "source", "pii": [{"value", "class"}], "benign": [...]}
Standard library only.
"""
import argparse
import base64
import json
import os
import random

FIRST = ["Maja", "Tomasz", "Élodie", "Jürgen", "Aoife", "Inês", "Matteo", "Lucía", "Kwabena", "Hiroshi",
         "Sanna", "Radek", "Oksana", "Deniz", "Ignacio", "Priya"]
LAST = ["Lindqvist", "Wróbel", "Marchand", "Albrecht", "Byrne", "Ferreira", "Bianchi", "Romero", "Asante",
        "Tanaka", "Halvorsen", "Novotný", "Koval", "Aydın", "Quintero", "Raghavan"]
SCRIPT_NAMES = ["Иван Петров", "Светлана Кузнецова", "Георги Димитров", "Νίκος Παπαδόπουλος", "Ελένη Γεωργίου",
                "王磊", "李娜", "田中 裕子", "김민준", "يوسف الحداد", "Мария Янкова", "Στέλιος Κ."]
USERS = ["mkovacs", "lena.brandt", "j.oduya", "tw.rob", "emarchand", "albrecht_j", "aoife.b", "ines.f", "mbianchi",
         "lromero88", "kasante", "htanaka", "shalvorsen", "radek.n", "okoval", "daydin", "iquintero", "priya.r"]
DOMAINS = ["pbx.nordvoice.example", "sip.alpenfon.example.de", "voip.lumen-tel.example.fr", "sbc.iberline.example.es",
           "sip.example.net"]


class G:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used, self.order = set(), []  # the list keeps draws independent of str hashing

    def uniq(self, f):
        for _ in range(100):
            v = f()
            if v not in self.used and not any(v in u or u in v for u in self.order[-400:]):
                break
        self.used.add(v)
        self.order.append(v)
        return v

    def digits(self, n):
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    def ext(self):
        return self.uniq(lambda: str(self.r.randint(2, 8)) + self.digits(3))

    def user(self):
        return self.uniq(lambda: self.r.choice(USERS) + str(self.r.randint(2, 97)))

    def name(self):
        return self.uniq(lambda: f"{self.r.choice(FIRST)} {self.r.choice(LAST)}")

    def script_name(self):
        return self.r.choice(SCRIPT_NAMES)

    def hexs(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def alnum(self, n):
        return self.uniq(lambda: "".join(self.r.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                         for _ in range(n)))

    def uuid(self):
        h = self.hexs(32)
        return self.uniq(lambda: f"{self.hexs(8)}-{self.hexs(4)}-4{self.hexs(3)}-a{self.hexs(3)}-{self.hexs(12)}")

    def ip(self):
        return self.uniq(lambda: self.r.choice(["203.0.113.", "198.51.100.", "192.0.2.", "10.44.", "172.20.", "192.168.7."])
                         + (str(self.r.randint(2, 250)) if self.r.random() < 0.5 else
                            f"{self.r.randint(2, 250)}.{self.r.randint(2, 250)}"))

    def ipv4(self):
        v = self.ip()
        while v.count(".") != 3:
            v = self.ip()
        return v

    def ipv6(self):
        return self.uniq(lambda: f"2001:db8:{self.hexs(3)}:{self.r.randint(1, 0xffff):x}::{self.r.randint(1, 0xfff):x}")

    def mac(self):
        return self.uniq(lambda: ":".join(self.hexs(2) for _ in range(6)))

    def callid(self):
        k = self.r.randint(0, 3)
        if k == 0:
            return self.uuid()
        if k == 1:
            return self.hexs(16) + "@" + self.ipv4()
        if k == 2:
            return self.alnum(22)
        return self.alnum(10) + "." + self.alnum(12)

    def tag(self):
        return self.uniq(lambda: self.hexs(self.r.choice([8, 10, 12])))

    def branch(self):
        return "z9hG4bK" + self.uniq(lambda: self.alnum(12))

    def luhn(self, body):
        t = 0
        for i, ch in enumerate(reversed(body)):
            d = int(ch)
            if i % 2 == 0:
                d *= 2
                if d > 9:
                    d -= 9
            t += d
        return body + str((10 - t % 10) % 10)

    def iccid(self, grouped=True):
        v = self.luhn("8949" + self.digits(15))
        return " ".join(v[i:i + 4] for i in range(0, 20, 4)) if grouped else v

    def imei(self):
        return self.luhn("35" + self.digits(12))

    def e164(self):
        cc = self.r.choice(["49", "33", "34", "39", "351", "7", "359", "44", "1"])
        return self.uniq(lambda: "+" + cc + self.digits(10 if cc != "351" else 9))

    def national(self, lang):
        d = self.digits
        f = {
            "de": lambda: self.r.choice([f"0171 {d(3)} {d(4)}", f"030 {d(4)} {d(4)}", f"55 {d(4)} {d(4)}", f"089/{d(3)} {d(2)} {d(2)}"]),
            "fr": lambda: f"06 {d(2)} {d(2)} {d(2)} {d(2)}",
            "es": lambda: f"6{d(2)} {d(2)} {d(2)} {d(2)}",
            "it": lambda: f"3{d(2)} {d(3)} {d(4)}",
            "pt": lambda: self.r.choice([f"9{d(2)} {d(3)} {d(3)}", f"(11) 9{d(4)}-{d(4)}"]),
            "ru": lambda: f"8 (9{d(2)}) {d(3)}-{d(2)}-{d(2)}",
            "bg": lambda: f"08{d(2)} {d(3)} {d(3)}",
            "en": lambda: self.r.choice([f"(415) 555-01{d(2)}", f"07700 900{d(3)}", f"020 7946 {d(4)}"]),
            "el": lambda: f"69{d(1)} {d(3)} {d(4)}",
            "zh": lambda: f"13{d(1)} {d(4)} {d(4)}",
        }[lang]
        return self.uniq(f)

    def secret(self):
        return self.uniq(lambda: self.r.choice(["Tr0ub4dor", "Sommer", "Kwiecien", "Lisboa", "Zaq1xsw"]) +
                         self.r.choice(["!", "#", "&", "%"]) + self.digits(3))

    def ts(self):
        return f"2025-{self.r.randint(1, 12):02d}-{self.r.randint(1, 28):02d} {self.clock()}"

    def clock(self):
        return f"{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}:{self.r.randint(0, 59):02d}"

    def ms(self):
        return f"{self.clock()}.{self.r.randint(0, 999):03d}"


class Line:
    def __init__(self, source):
        self.source, self.pii, self.benign = source, [], []

    def p(self, v, cls):
        if not any(x["value"] == v for x in self.pii):
            self.pii.append({"value": v, "class": cls})
        return v

    def b(self, v):
        if v not in self.benign:
            self.benign.append(v)
        return v

    def done(self, text):
        # a value drawn for a variant that did not use it is not in the text: no label
        pii = [x for x in self.pii if x["value"] in text]
        return {"text": text, "source": self.source, "pii": pii, "benign": [t for t in self.benign if t in text]}


# ---- families: each function returns one line dict ------------------------------------------------

def rfc4475(g):
    L = Line("rfc4475")
    p, b = L.p, L.b
    k = g.r.randint(0, 6)
    d = g.r.choice(DOMAINS)
    u1, u2 = g.user(), g.user()
    if k == 0:  # short tortuous INVITE: folding, LWS around ':' and '=', escaped quote in display name
        first, last = g.r.choice(FIRST), g.r.choice(LAST)
        t = (f"{b('INVITE')} sip:{p(u1, 'user')}@{d};unknownparam SIP/2.0\r\nTO :\r\n sip:{u1}@{d} ;   tag    = {p(g.tag(), 'id')}\r\n"
             f"from   : \"{p(first + ' ' + last, 'name')} \\\\\\\"\"       <sip:{p(u2, 'user')}@{d}>\r\n  ;\r\n  tag = {p(g.tag(), 'id')}\r\n"
             f"MaX-fOrWaRdS: 0068\r\nCall-ID: {p(g.callid(), 'id')}\r\n{b('Content-Length')}   : 150\r\ncseq: 0009\r\n  INVITE\r\n"
             f"Via  : SIP  /   2.0\r\n /UDP\r\n    {p(g.ipv4(), 'ip')};rport;branch={p(g.branch(), 'id')}\r\ns :\r\n")
    elif k == 1:  # quoted "Last, First" and spaces inside <>
        n1, n2 = g.name().split(" "), g.name().split(" ")
        t = (f"{b('OPTIONS')} sip:{p(u1, 'user')}@{d} SIP/2.0\r\nVia: SIP/2.0/UDP {p(g.ipv4(), 'ip')}:5060;branch={p(g.branch(), 'id')}\r\n"
             f"From: \"{p(n1[1] + ', ' + n1[0], 'name')}\" <sip:{p(u2, 'user')}@{d}>;tag={p(g.tag(), 'id')}\r\n"
             f"To: \"{p(n2[1] + ', ' + n2[0], 'name')}\" < sip:{p(g.user(), 'user')}@{d} >\r\n"
             f"Call-ID: {p(g.callid(), 'id')}\r\n{b('Accept')}: application/sdp\r\nCSeq: 3923239 OPTIONS\r\nl: 0\r\n")
    elif k == 2:  # unquoted display names (comma, title with initials)
        n1 = g.name().split(" ")
        init = f"{g.r.choice(['Mr.', 'Dr.', 'Ms.'])} {n1[0][0]}. {n1[1]}"
        t = (f"From: {p(n1[1] + ', ' + g.r.choice(FIRST), 'name')} <sip:{p(u1, 'user')}@{d}>;tag={p(g.tag(), 'id')}\r\n"
             f"To: {p(init, 'name')} <sip:{p(u2, 'user')}@{d}>\r\n"
             f"Contact: {p(g.r.choice(FIRST), 'name')} <sip:{u1}@{p(g.ipv4(), 'ip')}:5070>;{b('expires')}=3600\r\n")
    elif k == 3:  # % escaping in users and parameters
        raw = g.user()
        esc = "".join(f"%{ord(c):02X}" if i % 3 == 1 and c.isalpha() else c for i, c in enumerate(raw))
        t = (f"INVITE sip:sips%3A{p(u1, 'user')}%40{d}@example.net SIP/2.0\r\nTo: sip:{p(esc, 'user')}@{d}\r\n"
             f"From: <sip:{p(g.r.choice(FIRST), 'name')}%20{p(g.r.choice(LAST), 'name')}@{d}>;tag={p(g.tag(), 'id')}\r\n"
             f"i: {p(g.callid(), 'id')}\r\nMax-Forwards: 87\r\nCSeq: 234234 INVITE\r\n"
             f"Contact:\r\n  <sip:{p(u2, 'user')}@{p(g.ipv4(), 'ip')};%6C%72;n%61me=v%61lue%25%34%31>\r\n")
    elif k == 4:  # password in the URI userinfo, odd characters
        s = g.secret()
        t = (f"REGISTER sip:{d} SIP/2.0\r\nTo: <sip:{p(u1, 'user')}:{p(s, 'secret')}@{d}>\r\n"
             f"f: \"{p(g.name(), 'name')}\" <sip:{u1}@{d}>;tag={p(g.tag(), 'id')}\r\nv: SIP/2.0/TCP {p(g.ipv4(), 'ip')};branch={p(g.branch(), 'id')}\r\n"
             f"m: <sip:{u1}@{p(g.ipv4(), 'ip')}:5060;transport=tcp>;q=0.8\r\ni: {p(g.callid(), 'id')}\r\nl: 0\r\n")
    elif k == 5:  # IPv6 references, malformed addresses
        a6 = g.ipv6()
        bad = a6.replace("::", ":::")
        t = (f"{b('REGISTER')} sip:[{p(a6, 'ip')}] SIP/2.0\r\nVia: SIP/2.0/UDP [{p(g.ipv6(), 'ip')}];branch={p(g.branch(), 'id')}\r\n"
             f"From: <sip:{p(u1, 'user')}@[{p(bad, 'ip')}]>;tag={p(g.tag(), 'id')}\r\nTo: <sip:{u1}@[{a6}]>\r\n"
             f"Contact: \"{p(g.name(), 'name')}\" <sip:{u1}@[{p(g.ipv6(), 'ip')}]:5070>\r\nCall-ID: {p(g.callid(), 'id')}\r\n{b('CSeq')}: 98176 REGISTER\r\n")
    else:  # tags and branches in odd positions, many Vias, Route params
        t = (f"Via: SIP/2.0/UDP {p(g.ipv4(), 'ip')};branch={p(g.branch(), 'id')}, SIP/2.0/TCP {p(g.ipv4(), 'ip')};branch={p(g.branch(), 'id')};received={p(g.ipv4(), 'ip')}\r\n"
             f"Route: <sip:{d};lr;ftag={p(g.tag(), 'id')};did={p(g.hexs(7) + '.' + g.hexs(6), 'id')}>\r\n"
             f"To: sip:{p(u1, 'user')}@{d};tag={p(g.tag(), 'id')};{b('tag')}x=1\r\nCall-ID  :  {p(g.callid(), 'id')}\r\n")
    return L.done(t)


def flows(g):
    L = Line(g.r.choice(["rfc3665", "rfc3261"]))
    p, b = L.p, L.b
    d1, d2 = g.r.sample(DOMAINS, 2)
    u1, u2, n1, n2 = g.user(), g.user(), g.name(), g.name()
    k = g.r.randint(0, 4)
    if k == 0:
        ip = p(g.ipv4(), "ip")
        t = (f"INVITE sip:{p(u2, 'user')}@{d2} SIP/2.0\r\nVia: SIP/2.0/TCP client.{d1}:5060;branch={p(g.branch(), 'id')}\r\n"
             f"Max-Forwards: 70\r\nFrom: {p(n1, 'name')} <sip:{p(u1, 'user')}@{d1}>;tag={p(g.tag(), 'id')}\r\nTo: {p(n2, 'name')} <sip:{u2}@{d2}>\r\n"
             f"Call-ID: {p(g.callid(), 'id')}\r\nCSeq: 1 INVITE\r\nContact: <sip:{u1}@client.{d1};transport=tcp>\r\n"
             f"Content-Type: application/sdp\r\n\r\nv=0\r\no={u1} 2890844526 2890844526 IN IP4 {ip}\r\nc=IN IP4 {ip}\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 {b('PCMU/8000')}\r\n")
    elif k == 1:
        t = (f"{b('SIP/2.0 407 Proxy Authorization Required')}\r\nProxy-Authenticate: Digest realm=\"{d1}\", qop=\"auth\", nonce=\"{p(g.hexs(32), 'secret')}\", opaque=\"\", stale=FALSE, algorithm=MD5\r\n"
             f"From: {p(n1, 'name')} <sip:{p(u1, 'user')}@{d1}>;tag={p(g.tag(), 'id')}\r\nCall-ID: {p(g.callid(), 'id')}\r\n"
             f"Proxy-Authorization: Digest username=\"{u1}\", realm=\"{d1}\", nonce=\"{p(g.hexs(24), 'secret')}\", uri=\"sip:{p(u2, 'user')}@{d2}\", response=\"{p(g.hexs(32), 'secret')}\", cnonce=\"{p(g.hexs(8), 'secret')}\", nc=00000001\r\n")
    elif k == 2:
        t = (f"REFER sip:{p(u2, 'user')}@{d2} SIP/2.0\r\nRefer-To: <sip:{p(g.user(), 'user')}@{d2}?Replaces={p(g.alnum(14), 'id')}%40{p(g.ipv4(), 'ip')}%3Bto-tag%3D{p(g.tag(), 'id')}%3Bfrom-tag%3D{p(g.tag(), 'id')}>\r\n"
             f"Referred-By: {p(n1, 'name')} <sip:{p(u1, 'user')}@{d1}>\r\nEvent: {b('refer')}\r\n")
    elif k == 3:
        ph = g.e164()
        t = (f"P-Asserted-Identity: \"{p(n1, 'name')}\" <sip:{p(ph, 'phone')}@{d1};user=phone>, <tel:{ph}>\r\n"
             f"Diversion: <sip:{p(g.e164(), 'phone')}@{d1}>;reason=unconditional;counter=1\r\n"
             f"Remote-Party-ID: {p(n2, 'name')} <sip:{p(u2, 'user')}@{d2}>;party=calling;privacy=off;screen=no\r\n")
    else:
        t = (f"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP server10.{d2};branch={p(g.branch(), 'id')};received={p(g.ipv4(), 'ip')}\r\n"
             f"Record-Route: <sip:{p(g.ipv4(), 'ip')};lr>\r\nTo: {p(n2, 'name')} <sip:{p(u2, 'user')}@{d2}>;tag={p(g.tag(), 'id')}\r\n"
             f"From: {p(n1, 'name')} <sip:{p(u1, 'user')}@{d1}>;tag={p(g.tag(), 'id')}\r\nCall-ID: {p(g.callid(), 'id')}\r\nCSeq: 314159 {b('INVITE')}\r\n"
             f"Contact: <sip:{u2}@{p(g.ipv4(), 'ip')}>\r\n")
    return L.done(t)


def sipp(g):
    L = Line("sipp")
    p, b = L.p, L.b
    k = g.r.randint(0, 2)
    if k == 0:
        t = (f"----------------------------------------------- {g.ts()}.{g.r.randint(0, 999999):06d}\nUDP message sent (612 bytes):\n\n"
             f"INVITE sip:{p(g.ext(), 'user')}@{p(g.ipv4(), 'ip')}:5060 SIP/2.0\nVia: SIP/2.0/UDP {p(g.ipv4(), 'ip')}:5061;branch={p(g.branch(), 'id')}\n"
             f"From: sipp <sip:{p(g.user(), 'user')}@{g.ipv4()}:5061>;tag={p(str(g.r.randint(1000, 99999)) + 'SIPpTag00' + str(g.r.randint(1, 99)), 'id')}\n"
             f"Call-ID: {p(str(g.r.randint(1, 9)) + '-' + str(g.r.randint(1000, 99999)) + '@' + g.ipv4(), 'id')}\nCSeq: 1 INVITE\nSubject: {b('Performance Test')}\n")
        for x in list(L.pii):
            pass
    elif k == 1:
        s = g.secret()
        u = g.user()
        t = f"SEQUENTIAL\n{p(u, 'user')};{g.r.choice(DOMAINS)};[authentication username={u} password={p(s, 'secret')}];{p(g.e164(), 'phone')}\n"
    else:
        t = (f"{g.ts()}\t{b('Aborting call on unexpected message')} for Call-Id '{p(str(g.r.randint(1, 99)) + '-' + str(g.r.randint(1000, 99999)) + '@' + g.ipv4(), 'id')}': "
             f"while expecting '180' (index 1), received 'SIP/2.0 {b('486 Busy Here')}\nFrom: <sip:{p(g.ext(), 'user')}@{p(g.ipv4(), 'ip')}>;tag={p(g.tag(), 'id')}'")
    # fix: every ip mentioned above must be labelled
    return fix_unlabelled_ips(g, L, t)


def fix_unlabelled_ips(g, L, t):
    import re
    for m in re.finditer(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])", t):
        L.p(m.group(0), "ip")
    return L.done(t)


def asterisk(g):
    L = Line(g.r.choice(["asterisk-verbose", "asterisk-verbose", "asterisk-security", "asterisk-cli"]))
    p, b = L.p, L.b
    e1, e2 = g.ext(), g.ext()
    c1, c2 = f"{g.r.randint(0, 0xfff):08x}", f"{g.r.randint(0, 0xfff):08x}"
    chan = g.r.choice(["PJSIP", "SIP"])
    pre = f"[{g.ts()}] VERBOSE[{g.r.randint(1000, 30000)}][C-{g.r.randint(0, 0xfff):08x}] pbx.c: "
    if L.source == "asterisk-verbose":
        k = g.r.randint(0, 7)
        if k == 0:
            t = pre + f"-- {b('Executing')} [{p(e2, 'user')}@from-internal:1] {b('Dial')}(\"{chan}/{p(e1, 'user')}-{c1}\", \"{chan}/{e2},30,Ttr\") in new stack"
        elif k == 1:
            t = pre + f"-- Executing [s@macro-dial-one:15] Set(\"{chan}/{p(e1, 'user')}-{c1}\", \"DSTRING={chan}/{p(e2, 'user')}&\") in new stack"
        elif k == 2:
            t = f"    -- {chan}/{p(e2, 'user')}-{c2} is ringing\n    -- {chan}/{e2}-{c2} {b('answered')} {chan}/{p(e1, 'user')}-{c1}"
        elif k == 3:
            ph = g.national(g.r.choice(["de", "fr", "it"])).replace(" ", "")
            t = pre + f"-- Executing [{p(ph, 'phone')}@outbound-allroutes:1] Set(\"{chan}/{p(e1, 'user')}-{c1}\", \"CALLERID(name)={p(g.name(), 'name')}\") in new stack"
        elif k == 4:
            t = pre + f"-- Executing [{p(e2, 'user')}@from-internal:3] VoiceMail(\"{chan}/{p(e1, 'user')}-{c1}\", \"{e2}@default,u\") in new stack"
        elif k == 5:
            t = f"[{g.ts()}] WARNING[{g.r.randint(1000, 30000)}]: pbx.c:4566 __ast_pbx_run: Channel '{chan}/{p(e1, 'user')}-{c1}' sent to invalid extension but no invalid handler: context,exten,priority=from-internal,{p(e2, 'user')},1"
        elif k == 6:
            t = pre + f"-- Executing [h@from-internal:1] Hangup(\"{chan}/{p(e1, 'user')}-{c1}\", \"\") in new stack\n  == Spawn extension (from-internal, {p(e2, 'user')}, 1) exited non-zero on '{chan}/{e1}-{c1}'"
        else:
            t = (f"\"\",\"{p(e1, 'user')}\",\"{p(e2, 'user')}\",\"from-internal\",\"\"\"{p(g.name(), 'name')}\"\" <{e1}>\",\"{chan}/{e1}-{c1}\",\"{chan}/{e2}-{c2}\","
                 f"\"{b('Dial')}\",\"{chan}/{e2},30\",\"{g.ts()}\",\"{g.ts()}\",\"{g.ts()}\",42,37,\"{b('ANSWERED')}\",\"DOCUMENTATION\",\"{p(str(g.r.randint(1600000000, 1760000000)) + '.' + str(g.r.randint(1, 999)), 'id')}\"")
    elif L.source == "asterisk-security":
        k = g.r.randint(0, 2)
        ip = g.ipv4()
        if k == 0:
            t = (f"[{g.ts()}] SECURITY[{g.r.randint(100, 9999)}] res_security_log.c: SecurityEvent=\"{b('InvalidPassword')}\",EventTV=\"2025-03-11T22:21:07.504+0200\",Severity=\"Error\","
                 f"Service=\"PJSIP\",EventVersion=\"2\",AccountID=\"{p(e1, 'user')}\",SessionID=\"{p(g.callid(), 'id')}\",LocalAddress=\"IPV4/UDP/{p(g.ipv4(), 'ip')}/5060\","
                 f"RemoteAddress=\"IPV4/UDP/{p(ip, 'ip')}/5060\",Challenge=\"{p(g.hexs(8), 'secret')}\"")
        elif k == 1:
            t = (f"[{g.ts()}] NOTICE[{g.r.randint(100, 9999)}] res_pjsip/pjsip_distributor.c:676 log_failed_request: Request 'REGISTER' from "
                 f"'\"{p(g.name(), 'name')}\" <sip:{p(e1, 'user')}@{p(ip, 'ip')}>' failed for '{ip}:5060' (callid: {p(g.callid(), 'id')}) - {b('Failed to authenticate')}")
        else:
            t = f"[{g.ts()}] NOTICE[{g.r.randint(100, 9999)}] chan_sip.c: Registration from '\"{p(e1, 'user')}\" <sip:{e1}@{p(ip, 'ip')}>' failed for '{ip}:5062' - {b('Wrong password')}"
    else:
        k = g.r.randint(0, 2)
        if k == 0:
            t = f"  Contact:  {p(e1, 'user')}/sip:{e1}@{p(g.ipv4(), 'ip')}:5060;ob        {p(g.hexs(10), 'id')} {b('Avail')}        12.345"
        elif k == 1:
            t = f" Endpoint:  {p(e1, 'user')}/{p(g.e164(), 'phone')}                                 {b('Not in use')}    0 of inf\n     InAuth:  {e1}-auth/{e1}"
        else:
            t = f"  == Manager '{p(g.user(), 'user')}' logged on from {p(g.ipv4(), 'ip')}\n    -- Registered SIP '{p(e1, 'user')}' at {p(g.ipv4(), 'ip')}:5060"
    return L.done(t)


def freeswitch(g):
    L = Line("freeswitch")
    p, b = L.p, L.b
    e1, e2 = g.ext(), g.ext()
    ip = g.ipv4()
    ch = f"sofia/{g.r.choice(['internal', 'external', 'default'])}/{p(e1, 'user')}@{p(ip, 'ip')}:{g.r.randint(1024, 65000)}"
    pre = f"{g.ts()}.{g.r.randint(0, 999999):06d} 98.90% "
    k = g.r.randint(0, 7)
    if k == 0:
        t = pre + f"[NOTICE] switch_channel.c:1123 {b('New Channel')} {ch} [{p(g.uuid(), 'id')}]"
    elif k == 1:
        t = pre + f"[DEBUG] switch_core_state_machine.c:581 ({ch}) {b('State Change CS_NEW -> CS_INIT')}"
    elif k == 2:
        t = f"EXECUTE [depth=0] {ch} export(dialed_extension={p(e2, 'user')})\n" + pre + f"[DEBUG] switch_channel.c:1310 EXPORT (export_vars) [dialed_extension]=[{e2}]"
    elif k == 3:
        t = f"EXECUTE [depth=0] {ch} bind_meta_app(2 b s record_session::{p('/var/lib/freeswitch/recordings/' + e1 + '.2025-02-11-14-36-47.wav', 'path')})"
    elif k == 4:
        t = pre + f"[INFO] sofia_glue.c:1654 {ch} sending invite call-id: {p(g.callid(), 'id')}"
    elif k == 5:
        t = pre + f"[WARNING] sofia_reg.c:1768 SIP auth failure (REGISTER) on sofia profile 'internal' for [{p(e2, 'user')}@{g.r.choice(DOMAINS)}] from ip {p(g.ipv4(), 'ip')}"
    elif k == 6:
        t = pre + f"[DEBUG] switch_core_media.c:8787 AUDIO RTP [{ch}] {p(g.ipv4(), 'ip')} port 19632 -> {ip} port 4000 codec: 0 ms: 20"
    else:
        d = g.r.choice(DOMAINS)
        t = (f"variable_sip_from_user: [{e1}]\nvariable_caller_id_name: [{p(g.name(), 'name')}]\nvariable_caller_id_number: [{p(g.e164(), 'phone')}]\n"
             f"variable_sip_call_id: [{p(g.callid(), 'id')}]\nvariable_bridge_to: [[leg_timeout=12]user/{p(e2, 'user')}@{d}|user/{p(g.ext(), 'user')}@{d}]\n"
             f"variable_hangup_cause: [{b('NORMAL_CLEARING')}]\nvariable_sip_network_ip: [{ip}]")
    return L.done(t)


def kamailio(g):
    L = Line(g.r.choice(["kamailio", "kamailio", "opensips"]))
    p, b = L.p, L.b
    e1, u = g.ext(), g.user()
    d = g.r.choice(DOMAINS)
    pid = f"{g.r.randint(1, 40)}({g.r.randint(1000, 9999)})"
    if L.source == "kamailio":
        k = g.r.randint(0, 4)
        if k == 0:
            t = f"{pid} INFO: <script>: {b('REGISTER')} {p(e1, 'user')} from {p(g.ipv4(), 'ip')}:5060 to {e1} call-id {p(g.callid(), 'id')}"
        elif k == 1:
            t = f"{pid} ALERT: <script>: ALERT: pike blocking INVITE from sip:{p(u, 'user')}@{d} (IP:{p(g.ipv4(), 'ip')}:5080)"
        elif k == 2:
            t = f"{pid} NOTICE: <script>: [RELAY] [INVITE] $ru is now sip:{p(g.e164(), 'phone')}@{p(g.ipv4(), 'ip')};user=phone ftag={p(g.tag(), 'id')}"
        elif k == 3:
            t = (f"\tAoR: {p(u, 'user')}@{d}\n\t\tContact: <sip:{u}@{p(g.ipv4(), 'ip')}:{g.r.randint(1024, 65000)};ob>;q=\n\t\t\tReceived: sip:{p(g.ipv4(), 'ip')}:5060\n"
                 f"\t\t\tCall-ID: {p(g.callid(), 'id')}\n\t\t\tRuid: uloc-{p(g.hexs(8) + '-' + g.hexs(4) + '-1', 'id')}\n\t\t\tUser-Agent: {b('Linphone')}/5.2.5")
        else:
            t = f"{pid} ERROR: auth_db [authorize.c:318]: auth_check_response(): invalid password for '{p(u, 'user')}@{d}' from {p(g.ipv4(), 'ip')} (fU={u} rU={p(e1, 'user')} ci={p(g.callid(), 'id')})"
    else:
        k = g.r.randint(0, 2)
        pre = f"Aug 20 {g.clock()} edge01 /sbin/opensips[{g.r.randint(1000, 9999)}]: "
        if k == 0:
            t = pre + f"DBG:core:parse_to: display={{\"{p(g.name(), 'name')}\"}}, ruri={{sip:{p(u, 'user')}@{d}}}"
        elif k == 1:
            t = pre + f"DBG:core:parse_headers: header field type 4, name=<From>, body=<{p(e1, 'user')} <sip:{e1}@{p(g.ipv4(), 'ip')}>>"
        else:
            t = pre + f"onreply: udp:{p(g.ipv4(), 'ip')}:5060 -> {p(g.ipv4(), 'ip')}:6050 -> <null>:<null>:<null> 200 <null>, from: sip:{p(u, 'user')}@{d}, to: sip:{u}@{d}"
    return L.done(t)


def pjsua(g):
    L = Line("pjsua")
    p, b = L.p, L.b
    e1 = g.r.choice([g.ext(), g.user()])
    p(e1, "user")
    d = g.r.choice(DOMAINS)
    k = g.r.randint(0, 4)
    if k == 0:
        t = (f"{g.ms()}           pjsua_core.c  .TX 523 bytes {b('Request msg REGISTER')}/cseq={g.r.randint(1000, 60000)} (tdta0x{g.hexs(12)}) to UDP {p(g.ipv4(), 'ip')}:5060:\n"
             f"REGISTER sip:{d} SIP/2.0\nVia: SIP/2.0/UDP {p(g.ipv4(), 'ip')}:5060;rport;branch=z9hG4bKPj{p(g.uuid(), 'id')}\n"
             f"From: <sip:{e1}@{d}>;tag={p(g.uuid(), 'id')}\nTo: <sip:{e1}@{d}>\nCall-ID: {p(g.uuid(), 'id')}\n"
             f"Authorization: Digest username=\"{e1}\", realm=\"{d}\", nonce=\"{p(g.hexs(20), 'secret')}\", uri=\"sip:{d}\", response=\"{p(g.hexs(32), 'secret')}\", algorithm=MD5\n--end msg--")
    elif k == 1:
        t = f"{g.ms()}    pjsua_acc.c  ....sip:{e1}@{d}: {b('registration success')}, status=200 (OK), will re-register in 300 seconds"
    elif k == 2:
        t = f"{g.ms()}   pjsua_call.c  !Making call with acc #0 to sip:{p(g.e164(), 'phone')}@{d}\n{g.ms()}   pjsua_acc.c  .Acc 0: {b('Registration sent')} for {e1}"
    elif k == 3:
        t = f"{g.ms()}   icestr0x{g.hexs(8)}  ...Candidate 1 added: comp_id=1, type=srflx, foundation=Xc0a80{g.hexs(3)}, addr={p(g.ipv4(), 'ip')}:4000, base={p(g.ipv4(), 'ip')}:4000, prio=0x64ffffff (Srflx)"
    else:
        t = f"{g.ms()}  pjsua_media.c  ...Call 0: media channel #0 updated: {b('opus/48000/2')} to {p(g.ipv4(), 'ip')}:4002 for sip:{e1}@{d}"
    return L.done(t)


def linphone(g):
    L = Line("linphone")
    p, b = L.p, L.b
    u = g.user()
    d = g.r.choice(DOMAINS)
    k = g.r.randint(0, 4)
    ts = f"{g.ts()}:{g.r.randint(0, 999):03d}"
    if k == 0:
        t = f"{ts} [/belle-sip] MESSAGE channel [000002A3{g.hexs(8).upper()}]: message received from [UDP://{p(g.ipv4(), 'ip')}:5060]"
    elif k == 1:
        ph = g.national("fr").replace(" ", "")
        t = (f"{ts} [/liblinphone] MESSAGE Unable to find audio video conference with conference ID ConferenceId(peer=sip:{p(ph, 'phone')}@{p(g.ipv4(), 'ip')};user=phone, "
             f"local=sip:{p(u, 'user')}@{d}) in RAM.")
    elif k == 2:
        t = f"{ts} [/liblinphone] MESSAGE Proxy config [0x7d{g.hexs(8)}] for identity [sip:{p(u, 'user')}@{d}] moving from state [LinphoneRegistrationProgress] to [{b('LinphoneRegistrationOk')}] on core"
    elif k == 3:
        ph = g.e164()
        t = f"{g.ts()}.{g.r.randint(0, 999):03d} 15868-15868/org.linphone I/liblinphone: New incoming call from [\"{p(g.name(), 'name')}\" <sip:{p(ph, 'phone')}@{d}>] to [sip:{p(u, 'user')}@{d}]"
    else:
        t = f"{g.ts()}.{g.r.randint(0, 999):03d} D/MyLinphone: callStateChanged, callId: {p(g.callid(), 'id')}, state: {b('OutgoingInit')}, message: {b('Starting outgoing call')}"
    return L.done(t)


def baresip(g):
    L = Line("baresip")
    p, b = L.p, L.b
    u = g.r.choice([g.ext(), g.user()])
    d = g.r.choice(DOMAINS)
    k = g.r.randint(0, 5)
    if k == 0:
        t = f"{p(u, 'user')}@{d}: {{0/UDP/v4}} {b('200 Registration successful')} (Flexisip/2.2.0 (sofia-sip-nta/2.0)) [1 binding]"
    elif k == 1:
        t = f"call: connecting to 'sip:{p(u, 'user')}@{p(g.ipv4(), 'ip')}'..\nsip:{u}@{d}: session closed: {b('488 Not Acceptable Here')}"
    elif k == 2:
        t = f"uag: add local address {p(g.ipv6(), 'ip')}\nua: sipsess connect via UDP {p(g.ipv4(), 'ip')}:46598 --> {p(g.ipv4(), 'ip')}:5080"
    elif k == 3:
        t = f"Contact: <sip:{p(u, 'user')}-0x{g.hexs(12)}@{p(g.ipv4(), 'ip')}:37472>;expires=3689;+sip.instance=\"<urn:uuid:{p(g.uuid(), 'id')}>\""
    elif k == 4:
        hu = g.user()
        t = f"uuid: loaded UUID {p(g.uuid(), 'id')} from file {p('/home/' + hu + '/.baresip/uuid', 'path')}"
        p(hu, "user")
    else:
        t = f"{g.r.randint(1, 12):02d}-{g.r.randint(1, 28):02d} {g.ms()} 18941 18976 D Baresip Lib: ua: ua_register sip:{p(u, 'user')}@{d}\n... D Baresip : got uaEvent {b('registering')}/sip:{u}@{d}/0"
    return L.done(t)


def logcat(g):
    L = Line("android-logcat")
    p, b = L.p, L.b
    pre = f"{g.r.randint(1, 12):02d}-{g.r.randint(1, 28):02d} {g.ms()}  {g.r.randint(900, 9000)}  {g.r.randint(900, 9000)} "
    k = g.r.randint(0, 5)
    if k == 0:
        t = pre + f"I MmsService: MmsConfigManager.load -- mcc/mnc for sub: {{id=1, iccId={p(g.iccid(False), 'id')} simSlotIndex=0 displayName={b('Telekom.de')} mcc 262 mnc 1 number={p(g.e164(), 'phone')}}}"
    elif k == 1:
        t = pre + f"D SubInfoRecordUpdater: sIccId[0] = {p(g.iccid(False), 'id')}, imsi={p('26201' + g.digits(10), 'id')}"
    elif k == 2:
        t = pre + f"I Telecom : CallsManager: onSuccessfulOutgoingCall: Handle: tel:{p(g.national('de').replace(' ', ''), 'phone')}, {b('OUTGOING')}"
    elif k == 3:
        t = pre + f"D WifiClientModeImpl: connected to SSID \"{p(g.r.choice(FIRST) + 's WLAN', 'name')}\" BSSID {p(g.mac(), 'mac')} rssi=-61"
    elif k == 4:
        t = pre + f"W AccountManager: account {{name={p(g.user() + '@example.org', 'email')}, type=com.google}} imei {p(g.imei(), 'id')}"
    else:
        lat, lon = f"{g.r.uniform(40, 55):.6f}", f"{g.r.uniform(-3, 20):.6f}"
        t = pre + f"D LocationManager: Location[fused {p(lat, 'geo')},{p(lon, 'geo')} hAcc=12 et=+3d2h {b('alt=')}41.0]"
    return L.done(t)


def ios(g):
    L = Line("ios-unified")
    p, b = L.p, L.b
    pre = f"default\t{g.clock()}.{g.r.randint(0, 999999):06d} +0100\t"
    k = g.r.randint(0, 3)
    if k == 0:
        t = pre + f"callservicesd\treportNewIncomingCallWithUUID: {p(g.uuid().upper(), 'id')} update: <CXCallUpdate remoteHandle=<CXHandle type=PhoneNumber value={p(g.national('en'), 'phone')}> localizedCallerName={p(g.name(), 'name')}>"
    elif k == 1:
        t = pre + f"Voxline\tPushKit didUpdatePushCredentials token={p(g.hexs(64), 'secret')} type={b('PKPushTypeVoIP')}"
    elif k == 2:
        t = f"error\t{g.clock()}.{g.r.randint(0, 999999):06d} +0100\tVoxline\t[SIP] {b('REGISTER failed')} for sip:{p(g.user(), 'user')}@{g.r.choice(DOMAINS)} (403)"
    else:
        t = pre + f"callservicesd\t<CXHandle 0x280c8{g.hexs(4)} type=EmailAddress, value={p(g.user() + '@example.pt', 'email')}> {b('Generic')}"
    return L.done(t)


PROSE = {
    "de": ["Hallo, meine Nummer ist jetzt {ph}, bitte an {name} weiterleiten. Nebenstelle {ext} klingelt seit Version {ver} nicht mehr.",
           "Rückruf bitte unter {ph} (Herr {name}), Benutzer {user}, Anruf brach nach 30 Sekunden ab."],
    "fr": ["Bonjour, rappelez-moi au {ph} (poste {ext}), je suis {name}. Depuis la version {ver} l'appel coupe.",
           "Mon identifiant est {user} et mon numéro {ph} ; erreur 486 Busy Here à chaque appel."],
    "es": ["Mi número nuevo es {ph} y el usuario es {user}; la llamada se corta a los 30 segundos.",
           "Soy {name}, extensión {ext}, llamadme al {ph} por favor."],
    "it": ["Il mio numero è {ph}, interno {ext}, utente {user}. Dalla versione {ver} non sento nulla.",
           "Sono {name}, richiamatemi al {ph} dopo le 18:00."],
    "pt": ["Meu número é {ph} e o ramal {ext}; sou {name}. Desde a versão {ver} não registra.",
           "O utilizador {user} não consegue ligar, telefone {ph}."],
    "ru": ["Мой номер {ph}, логин {user}, звоните после 18:00. Версия {ver} не работает.",
           "Это {name}, добавочный {ext}, перезвоните на {ph}."],
    "bg": ["Номерът ми е {ph}, вътрешен {ext}, потребител {user}.",
           "Аз съм {name}, обадете се на {ph} след 18:00."],
    "el": ["Ο αριθμός μου είναι {ph}, όνομα {name}, εσωτερικό {ext}."],
    "zh": ["我的电话是 {ph}，用户名 {user}，版本 {ver} 无法注册。"],
    "en": ["my new number is {ph}, user {user}, ext {ext} - calls drop after 30 seconds since {ver}",
           "call-id {cid} failed again, iccid {iccid}, please call {name} on {ph}",
           "IMEI {imei} and SIP password {pw} (yes I know), account {user}"],
}
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLW = str.maketrans("0123456789", "０１２３４５６７８９")


def prose(g):
    L = Line("issue-prose")
    p, b = L.p, L.b
    lang = g.r.choice(list(PROSE) + ["ar", "ja", "de", "fr", "en"])
    ver = b("5.6." + str(g.r.randint(1, 20)))
    if lang == "ar":
        ph = g.national("de").replace("/", " ").translate(ARABIC)
        ext = g.ext().translate(ARABIC)
        t = f"رقمي الجديد {p(ph, 'phone')} والتحويلة {p(ext, 'user')}، الاسم {p(g.script_name(), 'name')}، الإصدار {ver}"
        return L.done(t)
    if lang == "ja":
        ph = (f"090-{g.digits(4)}-{g.digits(4)}").translate(FULLW).replace("-", "－")
        t = f"電話番号は{p(ph, 'phone')}です、内線{p(g.ext().translate(FULLW), 'user')}、{p(g.script_name(), 'name')}まで。バージョン {ver}"
        return L.done(t)
    tpl = g.r.choice(PROSE[lang])
    ph = g.national(lang if lang != "zh" else "zh")
    sep = g.r.choice([" ", " ", "\u00a0", "\u202f", "\u2009"])
    ph = ph.replace(" ", sep)
    name = g.script_name() if lang in ("ru", "bg", "el", "zh") and g.r.random() < 0.7 else g.name()
    vals = {"ph": ph, "name": name, "ext": g.ext(), "user": g.user(), "ver": ver, "cid": g.alnum(12),
            "iccid": g.iccid(True), "imei": g.imei(), "pw": g.secret()}
    cls = {"ph": "phone", "name": "name", "ext": "user", "user": "user", "cid": "id", "iccid": "id", "imei": "id", "pw": "secret"}
    import string
    for _, field, _, _ in string.Formatter().parse(tpl):
        if field and field in cls:
            p(vals[field], cls[field])
    for w in ("486 Busy Here", "18:00", "30"):
        if w in tpl:
            b(w)
    return L.done(tpl.format(**vals))


def encodings(g):
    L = Line(g.r.choice(["rfc4475", "json-logs", "http-logs"]))
    p, b = L.p, L.b
    u, d = g.user(), g.r.choice(DOMAINS)
    k = g.r.randint(0, 5)
    L.source = "json-logs" if k in (1, 2, 5) else "http-logs"  # (the draw above keeps the seeded values)
    if k == 0:
        t = f"{b('GET')} /api/v1/calls?caller=sip%3A{p(u, 'user')}%40{d}&callee=%2B{p(g.e164()[1:], 'phone')} HTTP/1.1"
    elif k == 1:
        t = f"{{\"event\":\"call.initiated\",\"from\":\"sip:{p(u, 'user')}\\u0040{d}\",\"to\":\"{p(g.e164(), 'phone')}\",\"state\":\"{b('ringing')}\"}}"
    elif k == 2:
        e = g.ext()
        t = f"{{\"recording_url\":\"https:\\/\\/media.example.com\\/rec\\/{p(e, 'user')}\\/{p(g.uuid(), 'id')}.wav\",\"duration\":\"{b('187 ms')}\"}}"
    elif k == 3:
        uri = f"sip:{u}@{d}"
        t = f"X-Caller-Info: {p(base64.b64encode(uri.encode()).decode(), 'sip_uri')}\r\nX-Client: {b('Voxline')}/5.6.12"
    elif k == 4:
        s = g.secret()
        t = f"Authorization: Basic {p(base64.b64encode(f'{u}:{s}'.encode()).decode(), 'secret')}\r\nUser-Agent: {b('Voxline')}"
    else:
        t = f"{{\"msg\":\"dial\",\"target\":\"sip:{p(u, 'user')}%40{d}\",\"display\":\"{p(g.r.choice(FIRST), 'name')}\\u0020{p(g.r.choice(LAST), 'name')}\"}}"
    return L.done(t)


FAMILIES = [  # (file, generator, lines)
    ("rfc4475_torture.jsonl", rfc4475, 45), ("call_flows.jsonl", flows, 35), ("sipp.jsonl", sipp, 20),
    ("asterisk.jsonl", asterisk, 60), ("freeswitch.jsonl", freeswitch, 40), ("kamailio_opensips.jsonl", kamailio, 35),
    ("pjsua.jsonl", pjsua, 30), ("linphone.jsonl", linphone, 20), ("baresip.jsonl", baresip, 25),
    ("android_logcat.jsonl", logcat, 25), ("ios_unified.jsonl", ios, 15), ("prose_multilang.jsonl", prose, 80),
    ("encodings.jsonl", encodings, 30),
]


def write_families(families, make_gen, default_seed):
    """The command line of both corpus writers: --out DIR, --seed N; one JSONL file per family
    of (file name, text function, count), every label checked to be in its text."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--seed", type=int, default=default_seed)
    a = ap.parse_args()
    g = make_gen(a.seed)
    for fname, fn, n in families:
        with open(os.path.join(a.out, fname), "w", encoding="utf-8") as f:
            for _ in range(n):
                line = fn(g)
                for x in line["pii"]:
                    assert x["value"] in line["text"], (fname, x, line["text"])
                f.write(json.dumps(line, ensure_ascii=False) + "\n")


def main():
    write_families(FAMILIES, G, 11)


if __name__ == "__main__":
    main()
