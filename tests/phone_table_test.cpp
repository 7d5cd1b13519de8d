// The phone table (agent/policy/phone_table.*) against its oracle, libphonenumber's Parse +
// GetRegionCodeForNumber (phone_country_reference): every region's example numbers in every
// format, and a large generated set (fixed seed) of valid, short and long numbers in
// international and national forms, with and without national prefixes and separators. The
// table must give the reference's answer on all of them; a failure lists the first differences.
#include <doctest/doctest.h>
#include <phonenumbers/phonemetadata.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/policy/phone/phone_libphonenumber.hpp"
#include "agent/policy/phone_table.hpp"

namespace i18n::phonenumbers {
int metadata_size();
const void* metadata_get();
}  // namespace i18n::phonenumbers

using namespace veil::detail;
namespace pn = i18n::phonenumbers;

namespace {

// Compares the table with the reference and keeps the first differences for the message.
struct comparison {
  std::size_t total = 0, differ = 0, answered = 0;
  std::string first;
  void check(const std::string& in, const std::string& region) {
    ++total;
    const auto t = phone_country_table(in, region);
    const auto r = phone_country_reference(in, region);
    answered += r.has_value();
    if (t == r) return;
    if (++differ <= 25)
      first += "\n  \"" + in + "\" in " + region + ": table " + t.value_or("none") +
               ", libphonenumber " + r.value_or("none");
  }
  std::string report() const {
    return std::to_string(differ) + " of " + std::to_string(total) + " differ:" + first;
  }
};

std::uint64_t fnv1a(const void* data, std::size_t n) {
  std::uint64_t h = 14695981039346656037ull;
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

const std::map<std::string, pn::PhoneMetadata>& metadata_by_region() {
  static const auto all = [] {
    pn::PhoneMetadataCollection c;
    REQUIRE(c.ParseFromArray(pn::metadata_get(), pn::metadata_size()));
    std::map<std::string, pn::PhoneMetadata> m;
    for (const auto& r : c.metadata())
      if (r.id() != "001") m[r.id()] = r;
    return m;
  }();
  return all;
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

TEST_SUITE("phone_table") {
  TEST_CASE("phone table: made from the installed libphonenumber (stale check)") {
    const phone_table_facts f = phone_table_info();
    const std::uint64_t installed =
        fnv1a(pn::metadata_get(), static_cast<std::size_t>(pn::metadata_size()));
    INFO("table from libphonenumber ", f.libphonenumber_version, ", installed ",
         VEIL_LIBPHONENUMBER_VERSION);
    CHECK_MESSAGE(f.metadata_digest == installed,
                  "the phone table is stale: its metadata differs from the linked "
                  "libphonenumber's; regenerate it (docs/phone-table.md)");
    CHECK_MESSAGE(f.libphonenumber_version == std::string_view(VEIL_LIBPHONENUMBER_VERSION),
                  "the phone table names another libphonenumber version than the installed one");
    CHECK(f.regions >= 240);
    CHECK(f.calling_codes >= 200);
    CHECK(f.bytes < 128 * 1024);  // compact: about 64 KB with 8.12.57
    MESSAGE("phone table: ", f.bytes, " bytes, ", f.regions, " regions, ", f.calling_codes,
            " calling codes, ", f.instructions, " pattern instructions");
  }

  TEST_CASE("phone table agrees with libphonenumber on every region's example numbers") {
    const auto& util = *pn::PhoneNumberUtil::GetInstance();
    std::set<std::string> regions;
    util.GetSupportedRegions(&regions);
    REQUIRE(regions.size() >= 240);
    comparison c;
    for (const std::string& region : regions) {
      std::set<pn::PhoneNumberUtil::PhoneNumberType> types;
      util.GetSupportedTypesForRegion(region, &types);
      std::vector<pn::PhoneNumber> numbers;
      for (auto type : types) {
        pn::PhoneNumber n;
        if (util.GetExampleNumberForType(region, type, &n)) numbers.push_back(n);
      }
      pn::PhoneNumber invalid;
      if (util.GetInvalidExampleNumber(region, &invalid)) numbers.push_back(invalid);
      for (const pn::PhoneNumber& n : numbers) {
        for (auto format : {pn::PhoneNumberUtil::E164, pn::PhoneNumberUtil::INTERNATIONAL,
                            pn::PhoneNumberUtil::NATIONAL, pn::PhoneNumberUtil::RFC3966}) {
          std::string s;
          util.Format(n, format, &s);
          for (const std::string& def : {std::string("ZZ"), region, std::string("US")})
            c.check(s, def);
        }
      }
    }
    std::set<int> global;
    util.GetSupportedGlobalNetworkCallingCodes(&global);
    for (int code : global) {
      pn::PhoneNumber n;
      if (!util.GetExampleNumberForNonGeoEntity(code, &n)) continue;
      std::string s;
      util.Format(n, pn::PhoneNumberUtil::INTERNATIONAL, &s);
      c.check(s, "ZZ");
      c.check(s, "DE");
    }
    MESSAGE("example numbers: ", c.total, " compared (", c.answered, " with a region), ", c.differ,
            " differ");
    CHECK(c.total > 8000);
    CHECK_MESSAGE(c.differ == 0, c.report());
  }

  TEST_CASE("phone table agrees with libphonenumber on a generated set") {
    std::uint64_t x = 0x5DEECE66Dull;  // fixed seed: the same set on every run
    auto next = [&] {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return x;
    };
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(next() % n); };
    const auto& util = *pn::PhoneNumberUtil::GetInstance();
    const auto& meta = metadata_by_region();
    std::vector<std::string> ids;
    for (const auto& [id, m] : meta) ids.push_back(id);
    // Separators between groups of digits, as people and softphones write them.
    auto grouped = [&](const std::string& d) {
      static const char* const seps[] = {"", " ", "-", ".", "/", " - "};
      const std::string sep = seps[pick(6)];
      std::string o;
      const bool parens = d.size() > 4 && pick(5) == 0;
      const std::size_t head = 1 + pick(3);
      for (std::size_t k = 0; k < d.size(); ++k) {
        if (parens && k == 0) o += "(";
        if (parens && k == head) o += ") ";
        else if (k > 0 && !sep.empty() && (k == head || (k > head && (k - head) % 3 == 0)))
          o += sep;
        o.push_back(d[k]);
      }
      return o;
    };
    constexpr std::size_t per_region = 400;
    comparison c;
    for (const auto& [id, m] : meta) {
      const std::string cc = std::to_string(m.country_code());
      const auto& lengths = m.general_desc().possible_length();
      std::vector<std::string> examples;
      std::set<pn::PhoneNumberUtil::PhoneNumberType> types;
      util.GetSupportedTypesForRegion(id, &types);
      for (auto type : types) {
        pn::PhoneNumber n;
        std::string nsn;
        if (util.GetExampleNumberForType(id, type, &n)) {
          util.GetNationalSignificantNumber(n, &nsn);
          examples.push_back(nsn);
        }
      }
      const std::string ndd = m.national_prefix();
      std::string idd = m.preferred_international_prefix();
      if (!all_digits(idd))
        idd = all_digits(m.international_prefix()) ? m.international_prefix() : "00";
      for (std::size_t k = 0; k < per_region; ++k) {
        // The national significant number: an example's first digits (so that it lands in
        // real ranges) or random ones, of a possible length, one too short or too long, or any.
        std::size_t len;
        const std::size_t lk = pick(10);
        if (lk < 6 && !lengths.empty())
          len = static_cast<std::size_t>(
              lengths[static_cast<int>(pick(static_cast<std::size_t>(lengths.size())))]);
        else if (lk == 6 && !lengths.empty()) len = static_cast<std::size_t>(lengths[0]) - 1;
        else if (lk == 7 && !lengths.empty())
          len = static_cast<std::size_t>(lengths[lengths.size() - 1]) + 1;
        else len = 1 + pick(18);
        std::string nsn;
        if (!examples.empty() && pick(10) < 7) {
          const std::string& e = examples[pick(examples.size())];
          nsn = e.substr(0, pick(e.size() + 1));
        }
        nsn.resize(std::min(nsn.size(), len));
        while (nsn.size() < len) nsn.push_back(static_cast<char>('0' + pick(10)));
        const std::string other = ids[pick(ids.size())];
        switch (k % 10) {
          case 0: c.check("+" + cc + " " + grouped(nsn), "ZZ"); break;
          case 1: c.check("+" + cc + grouped(nsn), id); break;
          case 2: c.check("00" + cc + " " + grouped(nsn), "ZZ"); break;
          case 3: c.check(idd + " " + cc + " " + grouped(nsn), id); break;
          case 4: c.check(ndd + grouped(nsn), id); break;
          case 5: c.check(grouped(nsn), id); break;
          case 6: c.check(cc + nsn, id); break;
          case 7: c.check("+" + cc + "-" + grouped(nsn), other); break;
          case 8: c.check(ndd + nsn, other); break;
          case 9: c.check(cc + " " + grouped(nsn), pick(2) ? "ZZ" : other); break;
        }
      }
    }
    MESSAGE("generated set: ", c.total, " compared (", c.answered, " with a region), ", c.differ,
            " differ");
    CHECK(c.total == per_region * meta.size());
    CHECK_MESSAGE(c.differ == 0, c.report());
  }

  TEST_CASE("phone table: national prefixes, transform rules, IDDs and odd syntax") {
    comparison c;
    for (const char* in : {"011 15 2345 6789",
                           "0 11 15 2345 6789",
                           "15 2345 6789",
                           "+54 9 11 2345 6789",
                           "+54 11 15 2345 6789",
                           "0 21 11 2345 6789",
                           "0 xx",
                           "+55 11 96123 4567",
                           "0041 44 668 18 00",
                           "8 495 123 45 67",
                           "8 10 49 30 1234567",
                           "810 49 30 1234567",
                           "011 49 30 1234567",
                           "1 650 253 0000",
                           "1 1 650 253 0000",
                           "06 6988 1234",
                           "+39 06 6988 1234",
                           "+44 020 7946 0958",
                           "+1 1617 290 7387",
                           "+61 1831 234 567",
                           "+7 701 123 45 67",
                           "+7 8 701 123 45 67",
                           "+800 1234 5678",
                           "+979 1234 5678",
                           "+882 1234 5678",
                           "++49 30 1234567",
                           "+49+30 1234567",
                           "+49\t30 1234567",
                           "+49 30 1234567 ",
                           "(+49) 30 1234567",
                           "+0049 30 1234567",
                           "+001 650 253 0000",
                           "+12",
                           "+123",
                           "12",
                           "123",
                           "1",
                           "+",
                           "",
                           "  tel:+33690216182;x=y",
                           "+49 30 123-",
                           "00",
                           "0",
                           "+1",
                           "+1 2",
                           "+999 123 4567",
                           "+3 333 3333",
                           "+49 30 [123] 4567",
                           "*49 30 1234567",
                           "+49 30 1234567*",
                           "[+49] 30 1234567",
                           "+*49 30 1234567"}) {
      for (const char* region : {"ZZ", "AR", "BR", "CH", "RU", "US", "IT", "GB", "AU", "DE"})
        c.check(in, region);
    }
    CHECK_MESSAGE(c.differ == 0, c.report());
  }

  TEST_CASE("phone table agrees with libphonenumber on generated text around numbers") {
    // Letters, extensions, vanity numbers, second numbers and punctuation of every kind (ASCII):
    // the syntax libphonenumber strips or maps before it looks at the digits.
    std::uint64_t x = 0xC0FFEE1234567ull;
    auto next = [&] {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      return x;
    };
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(next() % n); };
    static const char* const tokens[] = {
        "+",    "++",  " ",   "-",     ".",         "(",   ")",   "/",    "[",  "]",    "~",
        "*",    "#",   ",",   ",,",    ";",         ":",   "\t",  "x",    "X",  "ext",  "ext.",
        "extn", "xtn", "int", "anexo", "extension", "EXT", "Tel", "tel:", "/x", "\\ x", "FLOWERS",
        "CALL", "ab",  "a",   "!",     "?",         "\"",  "'",   "_",    "=",  "&",    "%",
        "$",    "@",   "{",   "}",     "<",         ">",   "|",   "^",    "`",  "e"};
    const char* const regions[] = {"ZZ", "US", "DE", "GB", "AR", "BR", "RU", "IT", "FR", "CA"};
    comparison c;
    for (int k = 0; k < 30000; ++k) {
      std::string s;
      const std::size_t parts = 1 + pick(8);
      for (std::size_t p = 0; p < parts; ++p) {
        if (pick(2) == 0) {
          const std::size_t n = 1 + pick(pick(3) == 0 ? 12 : 5);
          for (std::size_t d = 0; d < n; ++d) s.push_back(static_cast<char>('0' + pick(10)));
        } else {
          s += tokens[pick(sizeof tokens / sizeof *tokens)];
        }
      }
      c.check(s, regions[pick(10)]);
    }
    CHECK(c.answered * 5 > c.total);  // most of them are numbers, not noise
    MESSAGE("generated text: ", c.total, " compared (", c.answered, " with a region), ", c.differ,
            " differ");
    CHECK_MESSAGE(c.differ == 0, c.report());
  }

  TEST_CASE("phone table: what it does not answer") {
    // Non-ASCII characters (full-width or Arabic-Indic digits, no-break spaces, Unicode dashes)
    // and control characters other than a tab: libphonenumber reads many of them; the table
    // answers nothing, so the policy drops the field (docs/phone-table.md).
    for (const char* in :
         {"+49\xC2\xA0"
          "30 1234567",
          "\xEF\xBC\x8B"
          "49 30 1234567",
          "+49 30 123\xE2\x80\x93"
          "4567",
          "+49 30 1234567\n", "\xD9\xA4\xD9\xA9 30 1234567", "+49 30 1234567 \xC3\xA9"}) {
      INFO(in);
      CHECK_FALSE(phone_country_table(in, "ZZ").has_value());
    }
    // What it does answer: any ASCII text, as libphonenumber does.
    CHECK(phone_country_table("Tel. +49 (30) 123-45.67", "ZZ") == "DE");
    CHECK(phone_country_table("+1 (416) 555-0100 ext. 12", "ZZ") == "CA");
    CHECK(phone_country_table("1-800-FLOWERS", "US") == "US");
  }
}
