#include "util/hash.h"

#include <sodium.h>

#include <array>
#include <cstdio>
#include <memory>

namespace vigil {
namespace {

constexpr size_t kDigestBytes = 32;
constexpr size_t kReadBlock = 1 << 20;

std::string ToHex(const unsigned char* digest, size_t n) {
  static constexpr char kHexDigits[] = "0123456789abcdef";
  std::string hex(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    hex[2 * i] = kHexDigits[digest[i] >> 4];
    hex[2 * i + 1] = kHexDigits[digest[i] & 0xf];
  }
  return hex;
}

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};

}  // namespace

Result<std::string> HashFile(const std::string& path) {
  std::unique_ptr<FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return Status::IOError(path + ": cannot open for reading");
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kDigestBytes);
  auto block = std::make_unique<unsigned char[]>(kReadBlock);
  size_t n;
  while ((n = std::fread(block.get(), 1, kReadBlock, file.get())) > 0) {
    crypto_generichash_update(&state, block.get(), n);
  }
  if (std::ferror(file.get())) return Status::IOError(path + ": read failed");
  std::array<unsigned char, kDigestBytes> digest;
  crypto_generichash_final(&state, digest.data(), digest.size());
  return ToHex(digest.data(), digest.size());
}

std::string HashBytes(std::string_view bytes) {
  std::array<unsigned char, kDigestBytes> digest;
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                     0);
  return ToHex(digest.data(), digest.size());
}

}  // namespace vigil
