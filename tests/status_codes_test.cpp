// Every status and error code is part of a contract: C hosts (Swift, Kotlin, JNI) switch on the
// numbers, stored data and logs carry errc values. They are appended, never renumbered, so each
// value is pinned at compile time here; a renumbering fails the build, not a later run.
#include <doctest/doctest.h>

#include <string>

#include "agent/core/result.hpp"
#include "veil/agent.hpp"
#include "veil/veil.h"

// The C ABI's status codes.
static_assert(VEIL_OK == 0);
static_assert(VEIL_E_INVALID_ARGUMENT == -1);
static_assert(VEIL_E_POLICY_INVALID == -2);
static_assert(VEIL_E_IO == -3);
static_assert(VEIL_E_NOT_FOUND == -4);
static_assert(VEIL_E_UNAVAILABLE == -5);
static_assert(VEIL_E_TIMEOUT == -6);
static_assert(VEIL_E_QUEUE_FULL == -7);
static_assert(VEIL_E_CLOSED == -8);
static_assert(VEIL_E_INTERNAL == -9);
static_assert(VEIL_E_CONFIG_INVALID == -10);
static_assert(VEIL_E_NO_MEMORY == -11);
static_assert(VEIL_E_NOT_CONSENTED == -12);

// The C++ API's status is the same numbers (c_api.cpp converts by value).
static_assert(static_cast<int>(veil::status::ok) == VEIL_OK);
static_assert(static_cast<int>(veil::status::invalid_argument) == VEIL_E_INVALID_ARGUMENT);
static_assert(static_cast<int>(veil::status::policy_invalid) == VEIL_E_POLICY_INVALID);
static_assert(static_cast<int>(veil::status::io_error) == VEIL_E_IO);
static_assert(static_cast<int>(veil::status::not_found) == VEIL_E_NOT_FOUND);
static_assert(static_cast<int>(veil::status::unavailable) == VEIL_E_UNAVAILABLE);
static_assert(static_cast<int>(veil::status::timeout) == VEIL_E_TIMEOUT);
static_assert(static_cast<int>(veil::status::queue_full) == VEIL_E_QUEUE_FULL);
static_assert(static_cast<int>(veil::status::closed) == VEIL_E_CLOSED);
static_assert(static_cast<int>(veil::status::internal) == VEIL_E_INTERNAL);
static_assert(static_cast<int>(veil::status::config_invalid) == VEIL_E_CONFIG_INVALID);
static_assert(static_cast<int>(veil::status::no_memory) == VEIL_E_NO_MEMORY);
static_assert(static_cast<int>(veil::status::not_consented) == VEIL_E_NOT_CONSENTED);

// The library's internal error codes.
static_assert(static_cast<int>(veil::errc::ok) == 0);
static_assert(static_cast<int>(veil::errc::invalid_argument) == 1);
static_assert(static_cast<int>(veil::errc::parse_error) == 2);
static_assert(static_cast<int>(veil::errc::limit_exceeded) == 3);
static_assert(static_cast<int>(veil::errc::policy_invalid) == 4);
static_assert(static_cast<int>(veil::errc::io_error) == 5);
static_assert(static_cast<int>(veil::errc::crypto_error) == 6);
static_assert(static_cast<int>(veil::errc::not_found) == 7);
static_assert(static_cast<int>(veil::errc::corrupt) == 8);
static_assert(static_cast<int>(veil::errc::unavailable) == 9);
static_assert(static_cast<int>(veil::errc::shut_down) == 10);
static_assert(static_cast<int>(veil::errc::internal) == 11);

TEST_SUITE("status_codes") {
  TEST_CASE("every C status has its own text, and the C++ text is the same") {
    // The pins above are compile-time; this checks the texts a host shows stay distinct.
    const veil_status_t all[] = {VEIL_OK,
                                 VEIL_E_INVALID_ARGUMENT,
                                 VEIL_E_POLICY_INVALID,
                                 VEIL_E_IO,
                                 VEIL_E_NOT_FOUND,
                                 VEIL_E_UNAVAILABLE,
                                 VEIL_E_TIMEOUT,
                                 VEIL_E_QUEUE_FULL,
                                 VEIL_E_CLOSED,
                                 VEIL_E_INTERNAL,
                                 VEIL_E_CONFIG_INVALID,
                                 VEIL_E_NO_MEMORY,
                                 VEIL_E_NOT_CONSENTED};
    for (std::size_t i = 0; i < std::size(all); ++i) {
      const std::string text = veil_status_str(all[i]);
      CAPTURE(all[i]);
      CHECK(text != "unknown status");
      CHECK(text == veil::to_string(static_cast<veil::status>(all[i])));
      for (std::size_t j = 0; j < i; ++j) CHECK(text != std::string(veil_status_str(all[j])));
    }
  }
}
