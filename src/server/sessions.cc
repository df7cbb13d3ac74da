#include "server/sessions.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>

namespace vigil::server {
namespace {

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

}  // namespace

std::string SessionTable::Key(std::string_view token) {
  unsigned char hash[crypto_generichash_BYTES];
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return Hex(hash, sizeof hash);
}

IssuedToken SessionTable::Create(const Principal& principal) {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  IssuedToken issued{Hex(bytes, sizeof bytes), clock_.Now() + ttl_};
  std::lock_guard<std::mutex> lock(mu_);
  SweepLocked(clock_.Now());
  sessions_[Key(issued.token)] = Session{principal, issued.expires_at};
  return issued;
}

Result<Principal> SessionTable::Lookup(std::string_view token) {
  const std::string key = Key(token);
  std::lock_guard<std::mutex> lock(mu_);
  auto found = sessions_.find(key);
  if (found == sessions_.end() || found->second.expires_at <= clock_.Now()) {
    if (found != sessions_.end()) sessions_.erase(found);
    return Status::PermissionDenied("no valid session: log in at POST /v1/login");
  }
  return found->second.principal;
}

void SessionTable::Remove(std::string_view token) {
  const std::string key = Key(token);
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(key);
}

size_t SessionTable::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

void SessionTable::SweepLocked(UnixTime now) {
  if (now - last_sweep_ < 60) return;
  last_sweep_ = now;
  std::erase_if(sessions_, [now](const auto& entry) { return entry.second.expires_at <= now; });
}

LoginLimiter::Bucket& LoginLimiter::Refilled(const std::string& key, UnixTime now) {
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.updated) {
    bucket.tokens =
        std::min(burst_, bucket.tokens + static_cast<double>(now - bucket.updated) * per_second_);
    bucket.updated = now;
  }
  return bucket;
}

int64_t LoginLimiter::Take(const std::string& address_key, const std::string& user_key) {
  const UnixTime now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() > 10'000) {
    std::erase_if(buckets_, [&](const auto& entry) {
      return entry.second.tokens + static_cast<double>(now - entry.second.updated) * per_second_ >=
             burst_;
    });
  }
  Bucket& by_address = Refilled(address_key, now);
  Bucket& by_user = Refilled(user_key, now);
  const double lacking = std::max(1.0 - by_address.tokens, 1.0 - by_user.tokens);
  if (lacking > 0) {
    return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(lacking / per_second_)));
  }
  by_address.tokens -= 1;
  by_user.tokens -= 1;
  return 0;
}

}  // namespace vigil::server
