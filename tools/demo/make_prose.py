#!/usr/bin/env python3
"""make_prose.py - raw events whose free text is phrased as the shared corpus never phrases it.

Free-text fields only (log.line message, rating.submitted comment, crash.report message and
breadcrumbs, account.registered error_text): prose in German, French, Spanish, Italian,
Portuguese, Russian, Bulgarian, Greek, Arabic (Arabic-Indic digits) and Japanese (full-width
digits) with identifiers announced by a word (`call-id …`, `iccid 8949 …`, `user …`, `ext …`),
national numbers grouped with spaces, NBSP, narrow or thin spaces, server log idioms quoted in
prose (Asterisk channels and dialplan, FreeSWITCH sofia channels, Kamailio pseudo-variables),
unquoted display names before <sip:…>, malformed IPv6, percent- and JSON-escaped URIs, base64 of a
SIP URI, names in Cyrillic/Greek/CJK.

    make_prose.py --seed 7 --count 1000 --out raw.jsonl [--truth truth.json]

truth.json is the format of tools/demo/check_clean.py (pii, benign, expect). Standard library
only; deterministic for a given seed and count.
"""
import argparse
import base64
import json
import random

NAMES = ["Maja Lindqvist", "Tomasz Wróbel", "Élodie Marchand", "Jürgen Albrecht", "Inês Ferreira", "Matteo Bianchi",
         "Иван Петров", "Светлана Кузнецова", "Георги Димитров", "Νίκος Παπαδόπουλος", "王磊", "田中 裕子"]
USERS = ["mkovacs", "lena.brandt", "j.oduya", "emarchand", "albrecht_j", "ines.f", "mbianchi", "okoval", "daydin"]
DOMAINS = ["pbx.nordvoice.example", "sip.alpenfon.example.de", "voip.lumen-tel.example.fr"]
SEPS = [" ", "\u00a0", "\u202f", "\u2009"]
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLW = str.maketrans("0123456789", "０１２３４５６７８９")

PHRASES = {
    "de": ["meine Nummer ist jetzt {ph}, Nebenstelle {ext}, Benutzer {user}",
           "Rückruf an {name} unter {ph}, Kanal PJSIP/{ext}-0000001a hängt"],
    "fr": ["rappelez-moi au {ph}, poste {ext}, identifiant {user}",
           "appel de {name} <sip:{user}@{dom}> coupé, call-id {cid}"],
    "es": ["mi número es {ph} y el usuario {user}; extensión {ext}",
           "la SIM con iccid {iccid} no registra, llamar a {name}"],
    "it": ["il mio numero è {ph}, interno {ext}, utente {user}",
           "Executing [{ext}@from-internal:1] Dial fallisce per {name}"],
    "pt": ["meu número é {ph}, ramal {ext}, usuário {user}",
           "canal sofia/internal/{ext}@{ip6} caiu, call-id {cid}"],
    "ru": ["мой номер {ph}, логин {user}, добавочный {ext}",
           "{name} не слышит, $fU={user} $ci={cid}"],
    "bg": ["номерът ми е {ph}, вътрешен {ext}, потребител {user}"],
    "el": ["ο αριθμός μου είναι {ph}, όνομα {name}"],
    "en": ["From: {last}, {firstn} <sip:{user}@{dom}> - ext {ext} keeps ringing, call-id {cid}",
           "dial target sip%3A{user}%40{dom} and \"sip:{user}\\u0040{dom}\", header {b64}",
           "iccid {iccid} and imei {imei}, user {user}"],
}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.pii, self.benign = [], []

    def d(self, n):
        return "".join(str(self.r.randint(0, 9)) for _ in range(n))

    def phone(self, lang):
        d = self.d
        f = {"de": f"0171 {d(3)} {d(4)}", "fr": f"06 {d(2)} {d(2)} {d(2)} {d(2)}", "es": f"6{d(2)} {d(2)} {d(2)} {d(2)}",
             "it": f"3{d(2)} {d(3)} {d(4)}", "pt": f"9{d(2)} {d(3)} {d(3)}", "ru": f"8 (9{d(2)}) {d(3)}-{d(2)}-{d(2)}",
             "bg": f"08{d(2)} {d(3)} {d(3)}", "el": f"69{d(1)} {d(3)} {d(4)}", "en": f"020 7946 {d(4)}"}[lang]
        return f.replace(" ", self.r.choice(SEPS))

    def text(self):
        r = self.r
        lang = r.choice(list(PHRASES) + ["ar", "ja"])
        ext = str(r.randint(2, 8)) + self.d(3)
        if lang == "ar":
            ph = f"0171 {self.d(3)} {self.d(4)}".translate(ARABIC)
            self.pii += [ph, ext.translate(ARABIC)]
            return f"رقمي الجديد {ph} والتحويلة {ext.translate(ARABIC)}"
        if lang == "ja":
            ph = f"090-{self.d(4)}-{self.d(4)}".translate(FULLW)
            self.pii += [ph]
            return f"電話番号は{ph}です、内線{ext.translate(FULLW)}"
        name = r.choice(NAMES)
        user = r.choice(USERS) + str(r.randint(2, 97))
        dom = r.choice(DOMAINS)
        vals = {"ph": self.phone(lang), "ext": ext, "user": user, "name": name, "dom": dom,
                "cid": "".join(r.choice("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(14)),
                "iccid": " ".join((lambda s: [s[i:i + 4] for i in range(0, 20, 4)])("8949" + self.d(16))),
                "imei": "35" + self.d(13), "ip6": f"2001:db8:{r.randint(1, 0xfff):x}:::{r.randint(1, 0xff):x}",
                "last": r.choice(["Lindqvist", "Albrecht", "Marchand"]), "firstn": r.choice(["Thomas", "Maja", "Olga"]),
                "b64": base64.b64encode(f"sip:{user}@{dom}".encode()).decode()}
        tpl = r.choice(PHRASES[lang])
        for k, v in vals.items():
            if "{" + k + "}" in tpl and k != "dom":
                self.pii.append(v)
        return tpl.format(**vals)

    def event(self, i):
        r = self.r
        ts = f"2026-12-05T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.000Z"
        ver = "5.6." + str(r.randint(1, 20))
        self.benign.append(ver)
        kind = r.choice(["log", "log", "rating", "crash", "account"])
        if kind == "log":
            return {"type": "log.line", "ts": ts, "attrs": {"level": "warn", "component": "sip",
                                                            "message": f"{self.text()} (version {ver})"}}
        if kind == "rating":
            self.benign.append("486 Busy Here")
            return {"type": "rating.submitted", "ts": ts,
                    "attrs": {"stars": r.randint(1, 5), "comment": f"{self.text()}. 486 Busy Here since {ver}", "app_version": ver}}
        if kind == "crash":
            return {"type": "crash.report", "ts": ts,
                    "attrs": {"signal": "SIGSEGV", "message": self.text(), "app_version": ver,
                              "breadcrumbs": [self.text(), f"10:15:07.123 registered, codec opus (version {ver})"]}}
        self.benign.append("403 Forbidden")
        return {"type": "account.registered", "ts": ts,
                "attrs": {"provider_domain": r.choice(DOMAINS), "transport": "TLS", "status_code": "403",
                          "error_text": f"403 Forbidden: {self.text()} (version {ver})"}}


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
        with open(a.truth, "w", encoding="utf-8") as f:
            json.dump({"pii": sorted({p for p in g.pii if len(p) >= 4}), "benign": sorted(set(g.benign)), "expect": []},
                      f, ensure_ascii=False)


if __name__ == "__main__":
    main()
