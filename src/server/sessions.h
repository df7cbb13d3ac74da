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

// What a session knows of its user: the rights read at login or at the last
// check, and the store's ChangeGeneration they were read at.
struct SessionState {
  Principal principal;
  int64_t generation = -1;  // -1: unknown (re-read at the next request)
  // The session is changing its own password: from just before the change
  // commits until the session holds the new credential.
  bool renewing = false;
};

class SessionTable {
 public:
  SessionTable(const Clock& clock, int64_t ttl_seconds) : clock_(clock), ttl_(ttl_seconds) {}

  // A new session for `principal`, whose rights were read at `generation`,
  // valid for the table's time to live.
  IssuedToken Create(const Principal& principal, int64_t generation);
  // The state of a live session; PermissionDenied for an unknown, ended or
  // expired token (the same message for each).
  Result<SessionState> Lookup(std::string_view token);
  // Replaces a live session's rights with `principal`, read at
  // `generation`. Unknown tokens are ignored.
  void Refresh(std::string_view token, const Principal& principal, int64_t generation);
  // Marks a live session as changing its own password (or not).
  void SetRenewing(std::string_view token, bool renewing);
  // Ends a session (logout). Unknown tokens are ignored.
  void Remove(std::string_view token);
  // Ends every session of `user`. Cost: O(sessions).
  void RemoveUser(std::string_view user);
  size_t size();

 private:
  struct Session {
    SessionState state;
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

// Login rate limits, shaped so that nobody can lock a user out by spending
// that user's allowance from elsewhere. Three kinds of token bucket, each
// holding up to its burst and refilling at its rate:
//  - per client address (`burst`, `per_minute`): every attempt from it;
//  - per (user, client address) (`burst`, `per_minute`): every attempt for
//    that user from that address, so guessing one password from one place
//    is slow;
//  - per user, failures only (4 x `burst`, `per_minute` / 4): failed
//    attempts from anywhere. When it is empty, attempts for that user are
//    refused only from addresses where the user has not logged in
//    successfully in the last 30 days (at most 16 remembered per user): an
//    attacker spread over many addresses is slowed to the failure rate,
//    while the real user at a workstation they have used keeps their own
//    (user, address) allowance.
// Thread-safe. Memory O(keys seen in the last minutes): full buckets are
// dropped when a map grows past 10,000 keys; known addresses are kept for
// users who logged in (bounded by accounts x 16).
class LoginLimiter {
 public:
  LoginLimiter(const Clock& clock, double burst, double per_minute)
      : clock_(clock), burst_(burst), per_second_(per_minute / 60.0) {}

  // Before an attempt for `user` from `address`: takes one token from the
  // address's and the (user, address) buckets. Returns 0 when allowed, else
  // the seconds to wait before the next attempt can pass (nothing taken).
  int64_t Take(const std::string& address, const std::string& user);
  // After the attempt: a failure takes one token from the user's failure
  // bucket; a success remembers `address` as one the user logs in from.
  void Record(const std::string& address, const std::string& user, bool success);

 private:
  struct Bucket {
    double tokens = 0;
    UnixTime updated = 0;
  };
  Bucket& Refilled(std::unordered_map<std::string, Bucket>& map, const std::string& key,
                   double burst, double per_second, UnixTime now);
  static void Prune(std::unordered_map<std::string, Bucket>& map, double burst, double per_second,
                    UnixTime now);
  bool KnownAddressLocked(const std::string& user, const std::string& address, UnixTime now);

  const Clock& clock_;
  const double burst_;
  const double per_second_;
  std::mutex mu_;
  // guarded by mu_
  std::unordered_map<std::string, Bucket> attempts_;  // "a:ADDRESS", "u:USER\nADDRESS"
  std::unordered_map<std::string, Bucket> failures_;  // USER
  // USER -> (ADDRESS -> time of the last successful login from it)
  std::unordered_map<std::string, std::unordered_map<std::string, UnixTime>> known_;
};

}  // namespace vigil::server

#endif  // VIGIL_SERVER_SESSIONS_H_
