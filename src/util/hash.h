// Content hashing (BLAKE2b-256 through libsodium) for file identity.
#ifndef VIGIL_UTIL_HASH_H_
#define VIGIL_UTIL_HASH_H_

#include <string>
#include <string_view>

#include "vigil/status.h"

namespace vigil {

// Hex BLAKE2b-256 of the bytes of the file at `path`. Streams the file in
// blocks: O(file size) time, O(1) memory. IOError if it cannot be read.
Result<std::string> HashFile(const std::string& path);

// Hex BLAKE2b-256 of `bytes`.
std::string HashBytes(std::string_view bytes);

}  // namespace vigil

#endif  // VIGIL_UTIL_HASH_H_
