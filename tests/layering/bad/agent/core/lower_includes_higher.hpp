// 2 violations: core includes the upload layer and libsodium.
#include "agent/core/result.hpp"
#include "agent/upload/uploader.hpp"
#include <sodium.h>
