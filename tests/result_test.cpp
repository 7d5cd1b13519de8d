#include <doctest/doctest.h>

#include "agent/core/result.hpp"

TEST_SUITE("core") {
  TEST_CASE("result carries a value or an error") {
    veil::result<int> ok = 3;
    CHECK(ok.ok());
    CHECK(*ok == 3);
    veil::result<int> bad = veil::make_error(veil::errc::parse_error, "line 3: bad");
    CHECK_FALSE(bad.ok());
    CHECK(bad.err().code == veil::errc::parse_error);
    std::error_code ec = veil::errc::io_error;
    CHECK(ec.category().name() == std::string("veil"));
    CHECK(ec.message() == "i/o error");
  }
}
