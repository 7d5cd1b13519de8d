// 2 violations: policy includes Beast and SQLite; the crypto include is allowed.
#include "agent/crypto/key_ring.hpp"
#include <boost/beast/http.hpp>
#include <sqlite3.h>
