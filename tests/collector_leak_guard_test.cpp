// The collector's independent leak guard (tools/collector/leak_guard.hpp): what it flags, what
// it lets through, on hand-made cases in the phrasings the agent's scanner was found to miss
// (issue 11's families) and on cleaned-output shapes it must not flag. The false-quarantine
// rate on whole clean agent output is measured by tests/e2e/leak_guard_test.sh.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tools/collector/leak_guard.hpp"

using veil::collector::cleaned_record;
using veil::collector::leak_guard;

TEST_SUITE("collector leak guard") {
  TEST_CASE("leak guard flags personal tokens in every family, with their class") {
    const leak_guard g;
    struct c {
      const char* text;
      const char* cls;
    };
    const c cases[] = {
        {"Mon mail : jean.dupont@orange.fr", "email"},
        {"reach me at bob＠example.org", "email"},  // full-width at sign
        {"INVITE sip:bob@pbx.example.com SIP/2.0", "email"},
        {"forwarded to tel:+4915123456707", "uri_user"},
        {"Contact: <sips:alice.smith@host>", "email"},
        {"meine Nummer ist jetzt 55 8365 6223", "number"},
        {"call +49 (151) 234-56-789 now", "number"},
        {"iccid 8938 6834 1765 5466", "number"},
        {"IMEI 356938035643809", "number"},
        {"num ４９１５１２３４５６７０７", "number"},  // full-width digits
        {"num ٤٩١٥١٢٣٤٥٦٧", "number"},                 // Arabic-Indic digits
        {"06.12.34.56.78", "number"},
        {"0151.2345.6789", "number"},
        {"Via: SIP/2.0/UDP 192.168.1.20:5060", "ip"},
        {"from 2001:db8::10 port 5060", "ip"},
        {"peer [fe80::1ff:fe23:4567:890a%eth0]", "ip"},
        {"wifi 00:1a:2b:3c:4d:5e", "mac"},
        {"device 123e4567-e89b-12d3-a456-426614174000", "uuid"},
        {"key AKIAIOSFODNN7EXAMPLEx9", "token"},
        {"Authorization: Digest username=\"u\", response=\"6629fae49393a05397450978507c4ef1\"",
         "secret"},
        {"session 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "token"},
        {"open /home/nina/.config/voxline/acc.xml", "path_user"},
        {"C:\\Users\\Thomas\\AppData\\Roaming", "path_user"},
        {"/var/mobile/Containers/Data/Application/5A3C2E1F-7B8D-4C6A-9E0F-1A2B3C4D5E6F/x", "uuid"},
        {"password=hunter22", "secret"},
        {"at 52.520008, 13.404954", "geo"},
    };
    for (const auto& x : cases) {
      const std::string text = x.text;
      CAPTURE(text);
      auto r = g.scan(x.text);
      REQUIRE(r.has_value());
      CHECK(*r == x.cls);
    }
  }

  TEST_CASE("leak guard lets cleaned output through: placeholders, prefixes, dates, versions") {
    const leak_guard g;
    const char* clean[] = {
        "DEBUG | 20261201-000017.448 | <user> | RESIP:DUM | <phone> | ClientRegistration.cxx:1717 "
        "| Registration success for <sip>",
        "[Logs] Rotating C:\\ProgramData\\<user>\\<id>.log, 2989 KB written",
        "00:00:25.354     sound_port.c  .EC suspended, clock rate 8000 Hz",
        "SIGSEGV at 0x0000000000000018 in pjsip_dlg_inc_lock() while handling INVITE from <sip>",
        "Audio device lost: USB PnP Sound Device removed during call, 48000 Hz stream aborted",
        "/build/<id>.6/pjsip/src/pjsip-ua/sip_dialog.c",
        "ioqueue_dispatch_read_event",
        "std::out_of_range",
        "153.127.52.0/24",
        "2a01:c50e:af5c::/48",
        "2003:0:8300::/48",
        "10.0.19045",
        "5.6.12",
        "https://upd.voxline.app/v5/android/latest.json",
        "Registration timed out (Timer F, 32 s) waiting for <ip>",
        "SIP/2.0 403 Forbidden from <ip> (account <email>)",
        "2026-12-01 10:22:33 call ended after 245 s, MOS 4.1",
        "Works great with sip.zadarma.com, crystal clear opus calls. 5.6.12 fixed the echo.",
        "<user> 30秒 <user>。G.729 使用。<user> <email>",
        "ICE negotiation success after 271 ms",
        "jitter 46.9 ms, loss 7.99 %, rtt 577 ms",
        "Response: 200 OK",
        "Call 1 state changed to CONFIRMED",
        "/home/<user>/.config/voxline",
        "at 10:22, 12:30 and 14:05",
        "01-08 00:15:40.433 18941 18976 D Baresip Lib: ua: ua_register <sip>",  // pid, tid
        "10-25 04:48:15.046  8800  2887 W AccountManager: account {name=<email>}",
        // C++ names in crash frames: a namespace "sip" is not a sip: URI.
        "voxline::sip::dialog::on_response(voxline::sip::message const&)",
    };
    for (const char* t : clean) {
      const std::string text = t;
      CAPTURE(text);
      auto r = g.scan(t);
      CHECK_MESSAGE(!r.has_value(), (r ? *r : ""));
    }
    // A pseudonym is allowed as a whole value, not inside prose.
    CHECK_FALSE(g.scan("7f40f28e2bb81a935194f6c0793aa683", true));
  }

  TEST_CASE("leak guard checks every string and key of a record and names the class") {
    const leak_guard g;
    cleaned_record r;
    r.type = "call.ended";
    r.category = "call_quality";
    r.attrs = nlohmann::json{{"codec", "opus"},
                             {"carrier", {{"name", "Beeline"}, {"mcc", "250"}}},
                             {"public_net", "60.120.113.0/24"},
                             {"mos", 4.1}};
    CHECK_FALSE(g.check(r));
    r.attrs = nlohmann::json{{"codec", "opus"},
                             {"nested", {{"list", {"fine", "call me at 0151 2345 6789"}}}}};
    auto why = g.check(r);
    REQUIRE(why);
    CHECK(*why == "leak:number");
    r.attrs = nlohmann::json{{"bob@example.com", 1}};  // a key is scanned too
    REQUIRE(g.check(r));
    CHECK(*g.check(r) == "leak:email");
    // A crash frame's build id (GNU 40 hex, Mach-O UUID 32 hex) is the binary's, not a person's:
    // kept under "build_id" only, in its exact shape.
    r.attrs =
        nlohmann::json{{"frames", {{{"build_id", "b642cf5b7307407efa85f101faa54e117eb119e5"}}}}};
    CHECK_FALSE(g.check(r));
    r.attrs = nlohmann::json{{"note", "b642cf5b7307407efa85f101faa54e117eb119e5"}};
    CHECK(g.check(r));
    r.attrs = nlohmann::json{{"build_id", "B642CF5B7307407EFA85F101FAA54E117EB119E5"}};
    CHECK(g.check(r));
    r.attrs = nlohmann::json{{"public_net", "84.157.143.17/32"}};  // not a canonical prefix
    REQUIRE(g.check(r));
    CHECK(*g.check(r) == "leak:ip");
  }
}
