// Login sessions of the server: random bearer tokens that expire.
//
// A token is 32 random bytes (libsodium randombytes_buf), sent to the client
// in hex; the table keeps only its BLAKE2b-256 hash, so a memory dump does not
// hand out live tokens. Sessions live in memory: a restarted server forgets
// them and users log in again.
//
// Thread-safety: every method may be called from any thread.
// Cost: O(1) per look-up (hash map); Create also sweeps expired sessions,
// O(sessions) at most once a minute.
#ifndef VIGIL_SERVER_SESSIONS_H_
#define VIGIL_SERVER_SESSIONS_H_

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "vigil/access.h"
#include "vigil/status.h"

namespace vigil::server {

struct IssuedToken {
  std::string token;  // hex, 64 characters; shown to the client once
  UnixTime expires_at = 0;
};

class SessionTable {
 public:
  SessionTable(const Clock& clock, int64_t ttl_seconds) : clock_(clock), ttl_(ttl_seconds) {}

  // A new session for `principal`, valid for the table's time to live.
  IssuedToken Create(const Principal& principal);
  // The principal of a live session; PermissionDenied for an unknown, ended
  // or expired token (the same message for each).
  Result<Principal> Lookup(std::string_view token);
  // Ends a session (logout). Unknown tokens are ignored.
  void Remove(std::string_view token);
  size_t size();

 private:
  struct Session {
    Principal principal;
    UnixTime expires_at = 0;
  };
  static std::string Key(std::string_view token);
  void SweepLocked(UnixTime now);

  const Clock& clock_;
  const int64_t ttl_;
  std::mutex mu_;
  std::unordered_map<std::string, Session> sessions_;  // guarded by mu_
  UnixTime last_sweep_ = 0;                            // guarded by mu_
};

// Login rate limit: one token bucket per key (a client address, a user
// name). Each bucket holds up to `burst` attempts and refills at
// `per_minute`. Thread-safe. Memory O(keys seen in the last minutes): full
// buckets are dropped when the map grows past 10,000 keys.
class LoginLimiter {
 public:
  LoginLimiter(const Clock& clock, double burst, double per_minute)
      : clock_(clock), burst_(burst), per_second_(per_minute / 60.0) {}

  // Takes one attempt from each key's bucket. Returns 0 when allowed, else
  // the seconds to wait before the next attempt can pass (nothing is taken).
  int64_t Take(const std::string& address_key, const std::string& user_key);

 private:
  struct Bucket {
    double tokens = 0;
    UnixTime updated = 0;
  };
  Bucket& Refilled(const std::string& key, UnixTime now);

  const Clock& clock_;
  const double burst_;
  const double per_second_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;  // guarded by mu_
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_SESSIONS_H_
