#include <doctest/doctest.h>
#include <phonenumbers/phonenumberutil.h>

#include <list>
#include <set>
#include <string>

#include "agent/policy/actions.hpp"
#include "agent/policy/phone/phone_libphonenumber.hpp"

using namespace veil::detail;

namespace {
std::string prefix(std::string_view s) {
  std::string o;
  return ip_prefix(s, o) ? o : "FAIL";
}
std::string strip(std::string_view s) {
  std::string o;
  return url_strip(s, o) ? o : "FAIL";
}
std::string domain(std::string_view s) {
  std::string o;
  return sip_domain(s, o) ? o : "FAIL";
}
std::string paths(std::string_view s) {
  std::string o;
  scrub_path_users(s, o);
  return o;
}
std::string country(std::string_view s, std::string_view region = "ZZ") {
  return phone_country(s, region).value_or("NONE");
}
}  // namespace

TEST_SUITE("policy") {
  TEST_CASE("ip_prefix") {
    CHECK(prefix("203.0.113.77") == "203.0.113.0/24");
    CHECK(prefix(" 198.51.100.23 ") == "198.51.100.0/24");
    CHECK(prefix("198.51.100.23:5060") == "198.51.100.0/24");
    CHECK(prefix("2003:e1:49f0:315:a246:dd7f:c577:2c30") == "2003:e1:49f0::/48");
    CHECK(prefix("2001:0DB8:0001:0002:0000:0000:0000:0001") == "2001:db8:1::/48");
    CHECK(prefix("[2001:db8:1:2::1]:5061") == "2001:db8:1::/48");
    CHECK(prefix("fe80::1%eth0") == "fe80::/48");
    CHECK(prefix("::ffff:203.0.113.9") == "203.0.113.0/24");
    CHECK(prefix("::ffff:cb00:7109") == "203.0.113.0/24");
    CHECK(prefix("256.1.1.1") == "FAIL");
    CHECK(prefix("1.2.3") == "FAIL");
    CHECK(prefix("alice") == "FAIL");
    CHECK(prefix("") == "FAIL");
  }

  TEST_CASE("url_strip") {
    CHECK(strip("https://u:p@h/p?token=x#f") == "https://h/p");
    CHECK(strip("https://upd.voxline.app/check?uid=1&token=2") == "https://upd.voxline.app/check");
    CHECK(strip("HTTPS://host:8443/a/b#frag") == "https://host:8443/a/b");
    CHECK(strip("https://host") == "https://host");
    CHECK(strip("/relative/path?x=1") == "/relative/path");
    CHECK(strip("https://user@host/") == "https://host/");
    CHECK(strip("https:///nohost") == "FAIL");
  }

  TEST_CASE("sip_domain") {
    CHECK(domain("sip:alice.smith@sip.example.net") == "sip.example.net");
    CHECK(domain("sips:+4930123456@SIP.Example.NET:5061;transport=tls") == "sip.example.net");
    CHECK(domain("\"Alice\" <sip:alice@host.example.com>;tag=1") == "host.example.com");
    CHECK(domain("sip:alice:secret@pbx.example.org") == "pbx.example.org");
    CHECK(domain("sip:pbx.example.org") == "pbx.example.org");
    CHECK(domain("sip:bob@203.0.113.8") ==
          "203.0.113.0/24");                         // an address host keeps only its prefix
    CHECK(domain("tel:+1-212-555-0100") == "FAIL");  // no host
    CHECK(domain("alice@example.com") == "FAIL");
    sip_parts p;
    REQUIRE(parse_sip_uri("tel:+1-212-555-0100;phone-context=x", p));
    CHECK(p.user == "+1-212-555-0100");
  }

  TEST_CASE("bucket labels") {
    std::vector<double> b = {0, 10, 30, 60, 180, 600, 1800, 3600};
    CHECK(bucket_label(187, b) == "180-600");
    CHECK(bucket_label(0, b) == "0-10");
    CHECK(bucket_label(10, b) == "10-30");
    CHECK(bucket_label(3600, b) == "3600+");
    CHECK(bucket_label(99999, b) == "3600+");
    CHECK(bucket_label(-1, b) == "<0");
  }

  TEST_CASE("geo rounding and numbers") {
    CHECK(round_to(52.520008, 1) == doctest::Approx(52.5));
    CHECK(round_to(13.404954, 1) == doctest::Approx(13.4));
    CHECK(round_to(-0.386327, 1) == doctest::Approx(-0.4));
    CHECK(round_to(-0.04, 1) == 0.0);
    double d;
    CHECK(parse_number(" 187 ", d));
    CHECK(d == 187);
    CHECK(parse_number("4.5", d));
    CHECK_FALSE(parse_number("4.5x", d));
    CHECK_FALSE(parse_number("nan", d));
    CHECK_FALSE(parse_number("", d));
  }

  TEST_CASE("path user segments") {
    CHECK(paths("/home/alice/src/app.c") == "/home/<user>/src/app.c");
    CHECK(paths("/Users/carol/Library/Logs/x.log") == "/Users/<user>/Library/Logs/x.log");
    CHECK(paths("C:\\Users\\Bob\\AppData\\Local\\x.dll") ==
          "C:\\Users\\<user>\\AppData\\Local\\x.dll");
    CHECK(paths("C:\\\\Users\\\\Bob\\\\AppData") == "C:\\\\Users\\\\<user>\\\\AppData");
    CHECK(paths("D:/Users/Émile/x") == "D:/Users/<user>/x");
    CHECK(paths("C:\\Users\\Public\\x") == "C:\\Users\\Public\\x");
    CHECK(paths("/buildbot/src/pjsip/sip_transaction.c") ==
          "/buildbot/src/pjsip/sip_transaction.c");
    CHECK(paths("/data/user/0/com.voxline.android/files") ==
          "/data/user/0/com.voxline.android/files");
    CHECK(paths("open /home/dave/a and /home/erin/b") == "open /home/<user>/a and /home/<user>/b");
  }

  TEST_CASE("phone_country resolves shared calling codes") {
    CHECK(country("+49 30 1234567") == "DE");
    CHECK(country("+1 416 555 0100") == "CA");
    CHECK(country("+1 212 555 0100") == "US");
    CHECK(country("+7 495 123 45 67") == "RU");
    CHECK(country("+7 701 123 45 67") == "KZ");
    CHECK(country("+1 876 555 0100") == "JM");
    CHECK(country("0049301234567") == "DE");
    CHECK(country("030 1234567", "DE") == "DE");
    CHECK(country("(415) 555-0142", "US") == "US");
    CHECK(country("tel:+33690216182") == "FR");
    CHECK(country("+44 7700 210425") == "GB");  // fictional range: main region of +44
    CHECK(country("030 1234567") == "NONE");    // national format without a region
    CHECK(country("not a number") == "NONE");
    CHECK(country("") == "NONE");
  }

  TEST_CASE("phone_country fast path agrees with libphonenumber") {
    // Every 1-3 digit prefix, several lengths and separators: the fast path (single-region
    // calling codes) must give what Parse + GetRegionCodeForNumber give.
    std::uint64_t x = 88172645463325252ull;
    auto next = [&] {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return x;
    };
    int checked = 0;
    for (int code = 1; code < 1000; ++code) {
      for (int len : {7, 8, 11, 15, 16}) {
        std::string digits = std::to_string(code);
        while (static_cast<int>(digits.size()) < len)
          digits.push_back(static_cast<char>('0' + next() % 10));
        for (const char* sep : {"", " ", "-"}) {
          std::string num = "+";
          for (std::size_t k = 0; k < digits.size(); ++k) {
            if (k == 2 || k == 5) num += sep;
            num.push_back(digits[k]);
          }
          for (std::string in :
               {num, "00" + num.substr(1), " " + num + " ", "tel:" + num + ";x=y"}) {
            INFO(in);
            CHECK(phone_country(in, "ZZ") == phone_country_reference(in, "ZZ"));
            ++checked;
          }
        }
      }
    }
    CHECK(checked == 999 * 5 * 3 * 4);
  }

  TEST_CASE("phone_country fast path for shared calling codes agrees with libphonenumber") {
    // The region of a shared code depends on the number: sweep every 3-digit start of the NSN
    // for +1 and +7 (area codes, national prefixes 1 and 8, leading 0) and every 2-digit start
    // for the other shared codes (national prefix 0 or none), with random tails and lengths.
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&] {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return x;
    };
    const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
    std::set<int> codes;
    util.GetSupportedCallingCodes(&codes);
    int shared = 0, decided = 0, total = 0;
    for (int code : codes) {
      std::list<std::string> regions;
      util.GetRegionCodesForCountryCallingCode(code, &regions);
      if (regions.size() < 2) continue;
      ++shared;
      const int heads = code == 1 || code == 7 ? 1000 : 100;
      const std::string cc = std::to_string(code);
      for (int head = 0; head < heads; ++head) {
        for (int len : {7, 10, 11, 13}) {
          std::string nsn = std::to_string(heads + head).substr(1);
          while (static_cast<int>(nsn.size()) < len)
            nsn.push_back(static_cast<char>('0' + next() % 10));
          std::string in = "+" + cc + (next() % 2 ? " " : "") + nsn;
          INFO(in);
          CHECK(phone_country(in, "ZZ") == phone_country_reference(in, "ZZ"));
          decided += phone_country_fast(in).has_value();
          ++total;
        }
      }
    }
    CHECK(shared >= 10);             // +1 +7 +39 +44 +47 +61 +212 +262 +290 +358 +590 +599 (8.12)
    CHECK(decided * 4 > total * 3);  // most of them without Parse (9100 of 12000 with 8.12)
  }

  TEST_CASE("phone_country fast path: which shared-code numbers skip Parse") {
    for (const char* in :
         {"+44 20 7946 0958", "+44 7911 123456", "+39 347 123 4567", "+47 22 00 00 00",
          "+1 617 290 7387", "+7 926 123 45 67", "+358 40 123 4567"}) {
      INFO(in);
      CHECK(phone_country_fast(in).has_value());
      CHECK(phone_country_fast(in) == phone_country_reference(in, "ZZ"));
    }
    // Parse decides: a leading 0 (Italian fixed lines keep it), the main region's national
    // prefix (+44 0..., +1 1...), a prefix pattern (AU "0|(183[12])")
    for (const char* in : {"+39 06 6988 1234", "+44 020 7946 0958", "+1 1617 290 7387",
                           "+61 2 9374 4000", "+61 1831 234 567"}) {
      INFO(in);
      CHECK_FALSE(phone_country_fast(in).has_value());
      CHECK(phone_country(in, "ZZ") == phone_country_reference(in, "ZZ"));
    }
  }
}
