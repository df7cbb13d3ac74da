// Installation identities (Ed25519 key pairs in a file of their own) and
// the TLP 2.0 marking rules.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "vigil/share.h"

namespace vigil::share {
namespace {

constexpr char kIdentityHeader[] = "vigil-share-identity 1";

std::string Base64(const unsigned char* data, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Decodes base64 into exactly `size` bytes; false otherwise.
bool FromBase64(std::string_view text, unsigned char* out, size_t size) {
  size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out, size, text.data(), text.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  return written == size && end == text.data() + text.size();
}

}  // namespace

std::string Identity::PublicKeyText() const { return Base64(public_key.data(), public_key.size()); }

std::string KeyIdOf(const std::array<unsigned char, kPublicKeyBytes>& public_key) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, public_key.data(), public_key.size(), nullptr, 0);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, digest, 8);
  return hex;
}

Result<std::array<unsigned char, kPublicKeyBytes>> ParsePublicKey(std::string_view text) {
  std::array<unsigned char, kPublicKeyBytes> key{};
  if (!FromBase64(text, key.data(), key.size())) {
    return Status::InvalidArgument("key '" + std::string(text.substr(0, 64)) +
                                   "' is not a base64 Ed25519 public key (32 bytes)");
  }
  return key;
}

Result<Identity> CreateIdentity(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium did not initialise");
  Identity identity;
  crypto_sign_keypair(identity.public_key.data(), identity.secret_key.data());
  identity.key_id = KeyIdOf(identity.public_key);
  const std::string text = std::string(kIdentityHeader) + "\n" +
                           Base64(identity.secret_key.data(), identity.secret_key.size()) + "\n";
  // O_EXCL: an identity is never overwritten; 0600 before a byte is written.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::AlreadyExists("identity file '" + path + "' exists (never overwritten)");
    }
    return Status::IOError("cannot create identity file '" + path + "': " + std::strerror(errno));
  }
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  sodium_memzero(const_cast<char*>(text.data()), text.size());
  if (!ok) {
    ::unlink(path.c_str());
    return Status::IOError("cannot write identity file '" + path + "'");
  }
  return identity;
}

Result<Identity> LoadIdentity(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium did not initialise");
  struct stat file_stat {};
  if (::stat(path.c_str(), &file_stat) != 0) {
    return Status::NotFound("no identity file '" + path + "' (run `vigil identity init`)");
  }
  if ((file_stat.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(file_stat.st_mode & 0777));
    return Status::PermissionDenied("identity file '" + path + "' has mode " + mode +
                                    ", open to group or others: the private key is refused "
                                    "(chmod 600 it)");
  }
  std::ifstream in(path);
  if (!in) return Status::IOError("cannot read identity file '" + path + "'");
  std::string header;
  std::string secret;
  std::getline(in, header);
  std::getline(in, secret);
  Identity identity;
  if (header != kIdentityHeader ||
      !FromBase64(secret, identity.secret_key.data(), identity.secret_key.size())) {
    sodium_memzero(secret.data(), secret.size());
    return Status::Corruption("'" + path + "' is not a Vigil identity file");
  }
  sodium_memzero(secret.data(), secret.size());
  crypto_sign_ed25519_sk_to_pk(identity.public_key.data(), identity.secret_key.data());
  identity.key_id = KeyIdOf(identity.public_key);
  return identity;
}

// ---- Markings ----

namespace {
constexpr std::array<std::string_view, 5> kMarkingNames = {"CLEAR", "GREEN", "AMBER",
                                                           "AMBER+STRICT", "RED"};
}  // namespace

std::string_view MarkingName(Marking marking) {
  return kMarkingNames[static_cast<size_t>(marking)];
}

Result<Marking> ParseMarking(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string_view name = upper;
  if (name.substr(0, 4) == "TLP:") name.remove_prefix(4);
  for (size_t i = 0; i < kMarkingNames.size(); ++i) {
    if (name == kMarkingNames[i]) return static_cast<Marking>(i);
  }
  return Status::InvalidArgument("marking '" + std::string(text.substr(0, 40)) +
                                 "' is not one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED");
}

Status MayLeave(Marking marking, bool originator_control, std::string_view origin,
                std::string_view to) {
  if (marking == Marking::kRed) {
    return Status::PermissionDenied("TLP:RED never leaves this installation (not sent to '" +
                                    std::string(to) + "')");
  }
  if (origin.empty()) return Status::Ok();
  const std::string from(origin);
  if (originator_control) {
    return Status::PermissionDenied("originator control: what '" + from +
                                    "' shared may not be forwarded to '" + std::string(to) +
                                    "' without its consent");
  }
  if (marking == Marking::kAmberStrict) {
    return Status::PermissionDenied("TLP:AMBER+STRICT from '" + from +
                                    "' was shared with this installation only: it is never "
                                    "re-shared (not to '" +
                                    std::string(to) + "')");
  }
  if (marking == Marking::kAmber) {
    return Status::PermissionDenied("TLP:AMBER from '" + from +
                                    "' stays within this installation's organisation: not "
                                    "forwarded to '" +
                                    std::string(to) + "'");
  }
  return Status::Ok();
}

}  // namespace vigil::share
