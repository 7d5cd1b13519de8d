#!/usr/bin/env python3
"""Builds the default-deny scanner's word table (agent/policy/scanner/word_table.hpp) from
Debian's word lists and Veil's own keyword list, at build time.

Inputs (docs/scanner.md, "Where the words come from"):
  * /usr/share/dict/{american-english,ngerman,french,spanish,italian,portuguese,bulgarian}
    (Debian packages wamerican, wngerman, wfrench, wspanish, witalian, wportuguese, wbulgarian)
  * /usr/share/hunspell/ru_RU.dic (hunspell-ru; stems only, flags dropped)
  * agent/policy/scanner/keywords.txt: protocol and product words (SIP, SDP, codecs, log
    vocabulary) and benign proper nouns (countries, vendors), separated by white space, '#'
    comments.
Rules: an entry that appears only capitalised is a proper noun (a name) and is left out,
except in German, where nouns are capitalised; then German capitalised entries that are
English proper nouns are left out too. Entries with an apostrophe, a digit, a space or a dot
are left out (keywords may hold digits). Every word is folded with fold() (mirrored by
agent/policy/scanner/fold.hpp) and hashed with FNV-1a 64; the table holds a 32-bit
fingerprint per word: 65,536 buckets by the high 16 bits, each a sorted run of low 16 bits
(table_blob). Three small tables beside it: English words that are also names (Bob, Mark),
proper nouns (entries only capitalised, every language but German), and keywords.txt's words
(a product or protocol word is never part of a name).

The same source carries the Unicode tables the scanner's normalisation and tokeniser use,
taken from Python's unicodedata (so they follow the build machine's Unicode version, 14.0 on
Debian 12): code points that fold to ASCII (every Nd digit of every script, NFKC
compatibility forms such as full-width letters and '\uff20', spaces of category Z, dashes),
code points that are removed (category Cf: zero-width spaces and joiners, soft hyphen, bidi
controls), and the ranges of letters and marks (categories L and M) above U+007F.

Output: a C++ source with the tables as string literals (fast to compile), or --stats.
"""
import argparse
import os
import sys
import unicodedata

LISTS = {
    "en": "/usr/share/dict/american-english",
    "de": "/usr/share/dict/ngerman",
    "fr": "/usr/share/dict/french",
    "es": "/usr/share/dict/spanish",
    "it": "/usr/share/dict/italian",
    "pt": "/usr/share/dict/portuguese",
    "bg": "/usr/share/dict/bulgarian",
    "ru": "/usr/share/hunspell/ru_RU.dic",
}
PACKAGES = {"en": "wamerican", "de": "wngerman", "fr": "wfrench", "es": "wspanish",
            "it": "witalian", "pt": "wportuguese", "bg": "wbulgarian", "ru": "hunspell-ru"}


def fold_char(c):
    o = ord(c)
    if 0x41 <= o <= 0x5A:
        return chr(o + 32)
    if 0xC0 <= o <= 0xDE and o != 0xD7:
        return chr(o + 32)
    if 0x100 <= o <= 0x17F and o not in (0x130, 0x131, 0x138, 0x149, 0x17F):
        # Latin Extended-A: capital at the even (or odd, in 0x139-0x148 / 0x179-0x17E) slot
        if 0x139 <= o <= 0x148 or 0x179 <= o <= 0x17E:
            return chr(o + 1) if o % 2 == 1 else c
        return chr(o + 1) if o % 2 == 0 else c
    if 0x391 <= o <= 0x3A9 and o != 0x3A2:
        return chr(o + 32)
    if 0x410 <= o <= 0x42F:
        return chr(o + 32)
    if 0x400 <= o <= 0x40F:
        return chr(o + 80)
    return c


def fold(s):
    return "".join(fold_char(c) for c in s)


def is_upper_start(s):
    return fold_char(s[0]) != s[0]


def fnv1a64(b):
    h = 0xCBF29CE484222325
    for x in b:
        h ^= x
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def fingerprint(word):
    h = fnv1a64(fold(word).encode("utf-8"))
    return (h ^ (h >> 32)) & 0xFFFFFFFF


def unicode_tables():
    """(map, letters): map is a sorted list of (code point, ASCII replacement or '') for
    every code point >= 0x80 the scanner rewrites; letters the [lo, hi] ranges of L and M."""
    m = {}
    letters = []
    for cp in range(0x80, 0x110000):
        c = chr(cp)
        cat = unicodedata.category(c)
        if cat[0] in "LM":
            if letters and letters[-1][1] == cp - 1:
                letters[-1][1] = cp
            else:
                letters.append([cp, cp])
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if cat == "Nd":
            m[cp] = str(unicodedata.decimal(c))
        elif cat == "Cf":
            m[cp] = ""
        elif cat[0] == "Z":
            m[cp] = " "
        elif cat == "Pd" or cp == 0x2212:
            m[cp] = "-"
        else:
            n = unicodedata.normalize("NFKC", c)
            if n != c and n and all(0x20 <= ord(x) < 0x7F for x in n):
                m[cp] = n
    return sorted(m.items()), letters


def emit_unicode(out):
    mp, letters = unicode_tables()
    pool = bytearray()
    codes = []
    index = {}
    for cp, rep in mp:
        b = rep.encode("ascii")
        if b not in index:
            index[b] = len(pool)
            pool += b
        off = index[b]
        assert off < (1 << 24) and len(b) < 256
        codes.append((cp, (off << 8) | len(b)))
    out.append("namespace veil::detail::unicode_data {")
    out.append(f"extern const std::size_t map_count = {len(codes)};")
    out.append("extern const std::uint32_t map_cp[] = {")
    for k in range(0, len(codes), 12):
        out.append(", ".join(f"0x{cp:x}" for cp, _ in codes[k:k + 12]) + ",")
    out.append("};")
    out.append("extern const std::uint32_t map_rep[] = {")
    for k in range(0, len(codes), 12):
        out.append(", ".join(f"0x{r:x}" for _, r in codes[k:k + 12]) + ",")
    out.append("};")
    out.append("extern const char map_pool[] = " + c_string(pool) + ";")
    out.append(f"extern const std::size_t letter_count = {len(letters)};")
    out.append("extern const std::uint32_t letter_lo[] = {")
    for k in range(0, len(letters), 12):
        out.append(", ".join(f"0x{lo:x}" for lo, _ in letters[k:k + 12]) + ",")
    out.append("};")
    out.append("extern const std::uint32_t letter_hi[] = {")
    for k in range(0, len(letters), 12):
        out.append(", ".join(f"0x{hi:x}" for _, hi in letters[k:k + 12]) + ",")
    out.append("};")
    out.append("}  // namespace veil::detail::unicode_data")
    return len(codes), len(letters)


def c_string(b):
    lines = []
    for k in range(0, len(b), 64):
        lines.append('"' + "".join(f"\\x{x:02x}" for x in b[k:k + 64]) + '"')
    return "\n".join(lines) if lines else '""'


def table_blob(fps, bits=16):
    """A set of 32-bit fingerprints: a little-endian uint32 `bits`, 2^bits + 1 uint32 bucket
    offsets (bucket = the high `bits` bits), then each bucket's sorted low 16 bits. Small
    tables take fewer buckets (their index would outweigh them); the bits between the bucket
    and the low 16 are then not compared, which for 20k entries in 2^28 is a false match in
    about 10^-4 of unknown tokens."""
    buckets = [[] for _ in range(1 << bits)]
    for fp in sorted(set(fps)):
        buckets[fp >> (32 - bits)].append(fp & 0xFFFF)
    offsets = [0]
    for b in buckets:
        offsets.append(offsets[-1] + len(b))
    blob = bytearray(bits.to_bytes(4, "little"))
    for o in offsets:
        blob += o.to_bytes(4, "little")
    for b in buckets:
        for v in sorted(b):
            blob += v.to_bytes(2, "little")
    return blob


def usable(w, allow_digits=False):
    if not w or len(w) < 2 or len(w) > 24:
        return False
    for c in w:
        if c in "'’ .\t" or (c.isdigit() and not allow_digits):
            return False
    return True


def read_list(path, lang):
    words = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f):
            w = line.strip()
            if lang == "ru":
                if n == 0 and w.isdigit():
                    continue
                w = w.split("/", 1)[0]
            if usable(w):
                words.append(w)
    return words


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keywords", required=True)
    ap.add_argument("--langs", default="en,de,fr,es,it,pt,bg,ru")
    ap.add_argument("--out")
    ap.add_argument("--stats", action="store_true")
    a = ap.parse_args()
    langs = [x for x in a.langs.split(",") if x]
    words = set()
    en_proper = set()
    en_names = set()
    proper = set()
    per_lang = {}
    for lang in langs:
        path = LISTS.get(lang)
        if path is None:
            sys.exit(f"gen_wordlist.py: unknown language '{lang}' (known: {','.join(LISTS)})")
        if not os.path.exists(path):
            sys.exit(f"gen_wordlist.py: {path} not found: install the Debian package "
                     f"{PACKAGES[lang]} (scripts/install-deps.sh does)")
        ws = read_list(path, lang)
        lower = {fold(w) for w in ws if not is_upper_start(w)}
        caps = {fold(w) for w in ws if is_upper_start(w)}
        if lang == "en":
            en_proper = caps - lower
            # Names that are also words (Bob, Mark, Rose): kept as words, but a capitalised
            # one inside a sentence is a name (docs/scanner.md).
            en_names = caps & lower
        if lang != "de":
            # Proper nouns (capitalised only): first names, surnames, places. Only hyphenated
            # pairs consult them (Marie-Claire: both parts are also French words).
            proper |= caps - lower
        if lang == "de":
            keep = lower | (caps - en_proper)
        else:
            keep = lower
        if lang == "ru":
            # hunspell holds lemmas; inflected forms differ in their last letters. Lemmas'
            # prefixes let the scanner's stem fallback (strip 1-3 letters) find them.
            keep |= {w[:-k] for w in keep for k in (1, 2) if len(w) - k >= 4}
        per_lang[lang] = len(keep)
        words |= keep
    kw = 0
    keywords = set()
    with open(a.keywords, encoding="utf-8") as f:
        for line in f:
            for w in line.split("#", 1)[0].split():
                if usable(w, allow_digits=True):
                    words.add(fold(w))
                    keywords.add(fold(w))
                    kw += 1
    fps = sorted({fingerprint(w) for w in words})
    names = sorted({fingerprint(w) for w in en_names})
    propers = sorted({fingerprint(w) for w in proper})
    if a.stats:
        nmap, nlet = len(unicode_tables()[0]), len(unicode_tables()[1])
        print(f"words {len(words)} fingerprints {len(fps)} bytes {2 * len(fps) + 4 * 65537} "
              f"names {len(names)} proper nouns {len(propers)} keywords {kw} per-language {per_lang} "
              f"unicode map {nmap} letter ranges {nlet}")
        return
    if not a.out:
        sys.exit("gen_wordlist.py: --out FILE or --stats is required")
    blob = table_blob(fps)
    nblob = table_blob(names, 12)
    pblob = table_blob(propers, 12)
    kblob = table_blob(sorted({fingerprint(w) for w in keywords}), 8)
    out = [
        "// Generated by tools/wordlist/gen_wordlist.py; do not edit.",
        f"// {len(words)} words ({','.join(langs)} + {kw} keywords), {len(fps)} fingerprints,",
        f"// {len(names)} English names that are also words; Unicode {unicodedata.unidata_version}.",
        "#include <cstddef>",
        "#include <cstdint>",
        "namespace veil::detail::word_table_data {",
        f"extern const std::size_t size = {len(blob)};",
        f"extern const std::size_t entries = {len(fps)};",
        "alignas(8) extern const unsigned char bytes[] =",
        c_string(blob) + ";",
        f"extern const std::size_t names_size = {len(nblob)};",
        "alignas(8) extern const unsigned char names_bytes[] =",
        c_string(nblob) + ";",
        f"extern const std::size_t proper_size = {len(pblob)};",
        "alignas(8) extern const unsigned char proper_bytes[] =",
        c_string(pblob) + ";",
        f"extern const std::size_t keywords_size = {len(kblob)};",
        "alignas(8) extern const unsigned char keywords_bytes[] =",
        c_string(kblob) + ";",
        "}  // namespace veil::detail::word_table_data",
    ]
    emit_unicode(out)
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(out) + "\n")
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
