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

IssuedToken SessionTable::Create(const Principal& principal, int64_t generation) {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  IssuedToken issued{Hex(bytes, sizeof bytes), clock_.Now() + ttl_};
  std::lock_guard<std::mutex> lock(mu_);
  SweepLocked(clock_.Now());
  sessions_[Key(issued.token)] = Session{SessionState{principal, generation}, issued.expires_at};
  return issued;
}

Result<SessionState> SessionTable::Lookup(std::string_view token) {
  const std::string key = Key(token);
  std::lock_guard<std::mutex> lock(mu_);
  auto found = sessions_.find(key);
  if (found == sessions_.end() || found->second.expires_at <= clock_.Now()) {
    if (found != sessions_.end()) sessions_.erase(found);
    return Status::PermissionDenied("no valid session: log in at POST /v1/login");
  }
  return found->second.state;
}

void SessionTable::Refresh(std::string_view token, const Principal& principal, int64_t generation) {
  const std::string key = Key(token);
  std::lock_guard<std::mutex> lock(mu_);
  auto found = sessions_.find(key);
  if (found == sessions_.end()) return;
  // A refresh read at an older generation than one already kept (two
  // requests racing) does not undo the newer one; an unknown generation
  // (-1: a renewal, re-read at the next request) always applies.
  if (generation >= 0 && generation < found->second.state.generation) return;
  found->second.state.principal = principal;
  found->second.state.generation = generation;
}

void SessionTable::SetRenewing(std::string_view token, bool renewing) {
  const std::string key = Key(token);
  std::lock_guard<std::mutex> lock(mu_);
  auto found = sessions_.find(key);
  if (found != sessions_.end()) found->second.state.renewing = renewing;
}

void SessionTable::Remove(std::string_view token) {
  const std::string key = Key(token);
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(key);
}

void SessionTable::RemoveUser(std::string_view user) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sessions_,
                [user](const auto& entry) { return entry.second.state.principal.user == user; });
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

namespace {

constexpr size_t kMaxBucketKeys = 10'000;
constexpr double kFailureBurstFactor = 4;
constexpr double kFailureRateDivisor = 4;
constexpr int64_t kKnownAddressSeconds = 30 * 86400;
constexpr size_t kKnownAddressesPerUser = 16;

}  // namespace

LoginLimiter::Bucket& LoginLimiter::Refilled(std::unordered_map<std::string, Bucket>& map,
                                             const std::string& key, double burst,
                                             double per_second, UnixTime now) {
  auto [it, fresh] = map.try_emplace(key, Bucket{burst, now});
  Bucket& bucket = it->second;
  if (!fresh && now > bucket.updated) {
    bucket.tokens =
        std::min(burst, bucket.tokens + static_cast<double>(now - bucket.updated) * per_second);
    bucket.updated = now;
  }
  return bucket;
}

void LoginLimiter::Prune(std::unordered_map<std::string, Bucket>& map, double burst,
                         double per_second, UnixTime now) {
  if (map.size() <= kMaxBucketKeys) return;
  std::erase_if(map, [&](const auto& entry) {
    return entry.second.tokens + static_cast<double>(now - entry.second.updated) * per_second >=
           burst;
  });
}

bool LoginLimiter::KnownAddressLocked(const std::string& user, const std::string& address,
                                      UnixTime now) {
  auto found = known_.find(user);
  if (found == known_.end()) return false;
  auto at = found->second.find(address);
  return at != found->second.end() && now - at->second <= kKnownAddressSeconds;
}

int64_t LoginLimiter::Take(const std::string& address, const std::string& user) {
  const UnixTime now = clock_.Now();
  const double failure_burst = burst_ * kFailureBurstFactor;
  const double failure_rate = per_second_ / kFailureRateDivisor;
  std::lock_guard<std::mutex> lock(mu_);
  Prune(attempts_, burst_, per_second_, now);
  Prune(failures_, failure_burst, failure_rate, now);
  Bucket& by_address = Refilled(attempts_, "a:" + address, burst_, per_second_, now);
  Bucket& by_pair = Refilled(attempts_, "u:" + user + "\n" + address, burst_, per_second_, now);
  double wait = std::max(1.0 - by_address.tokens, 1.0 - by_pair.tokens) / per_second_;
  if (!KnownAddressLocked(user, address, now)) {
    const Bucket& by_user = Refilled(failures_, user, failure_burst, failure_rate, now);
    wait = std::max(wait, (1.0 - by_user.tokens) / failure_rate);
  }
  if (wait > 0) return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait)));
  by_address.tokens -= 1;
  by_pair.tokens -= 1;
  return 0;
}

void LoginLimiter::Record(const std::string& address, const std::string& user, bool success) {
  const UnixTime now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (!success) {
    Bucket& by_user = Refilled(failures_, user, burst_ * kFailureBurstFactor,
                               per_second_ / kFailureRateDivisor, now);
    by_user.tokens = std::max(by_user.tokens - 1, -1.0);
    return;
  }
  auto& addresses = known_[user];
  addresses[address] = now;
  if (addresses.size() > kKnownAddressesPerUser) {
    auto oldest =
        std::min_element(addresses.begin(), addresses.end(),
                         [](const auto& a, const auto& b) { return a.second < b.second; });
    addresses.erase(oldest);
  }
}

}  // namespace vigil::server
