// The dispatcher: one HTTP request, already read by the transport, in; one
// JSON reply out. It matches the route table, validates, authenticates,
// authorises, runs the handler on a pooled AccessStore and maps a Status to
// a status code and an {"error":{"code","message"}} body. It knows nothing of
// httplib, so that tests can call it directly.
//
// Thread-safety: Dispatch may be called from any number of threads.
#ifndef VIGIL_SERVER_DISPATCHER_H_
#define VIGIL_SERVER_DISPATCHER_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/admission.h"
#include "server/api_request.h"
#include "server/deadlines.h"
#include "server/graph_cache.h"
#include "server/person_index_cache.h"
#include "server/routes.h"
#include "server/sessions.h"
#include "server/store_pool.h"
#include "server/watchlist_cache.h"
#include "vigil/server.h"
#include "vigil/share.h"

namespace vigil::server {

struct Incoming {
  std::string method;
  std::string path;    // decoded, without the query
  std::string target;  // as sent: path and raw query string (parsed here)
  std::string body;
  std::string authorization;  // the Authorization header
  std::string purpose;        // the X-Vigil-Purpose header
  std::string client;         // "ADDRESS:PORT"
  std::string address;        // ADDRESS (the login rate-limit key)
};

struct Reply {
  int status = 200;
  Json body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For the structured log: the route pattern and the user, never content.
  std::string route;
  std::string user;
};

// The largest body of POST /v1/login (a user name, a password and a
// purpose fit many times over): the only body read before authentication.
inline constexpr size_t kMaxLoginBodyBytes = 4096;

// What the transport learns from a request's line and headers alone, before
// it reads a byte of the body.
struct Preflight {
  // Set when the request is refused already (no route, method not allowed,
  // no valid session on a route that needs one): the transport answers it
  // without reading the body into memory.
  std::optional<Reply> refusal;
  // The most body bytes the transport may keep (kMaxLoginBodyBytes for
  // the login route, ServerOptions::max_body_bytes otherwise); past it, 413.
  size_t max_body_bytes = 0;
};

class Dispatcher {
 public:
  // `options.clock` must be set. The pool must outlive the dispatcher.
  Dispatcher(const ServerOptions& options, StorePool& pool);

  // The checks made on the request line and headers (`head.body` is
  // ignored). Cost: one route match and one session look-up.
  Preflight BeforeBody(const Incoming& head);
  // Answers a request. In order: route, body size (413), query, then for
  // the login route its small form; for every other route the session
  // (401), the user's rights as the store holds them now (re-read whenever
  // Store::ChangeGeneration moved since the session last read them; a
  // disabled account or a changed password ends the session), and only
  // then the body's JSON and the handler.
  Reply Dispatch(const Incoming& in);

  SessionTable& sessions() { return sessions_; }
  // The identity the partner inbox signs its receipts with (nullptr: the
  // inbox answers 503). REQUIRES: it outlives the dispatcher.
  void set_share_identity(const share::Identity* identity) { share_identity_ = identity; }

 private:
  Reply Login(const Incoming& in, const ApiRequest& request);
  // POST /v1/share/inbox: no session; the envelope's signature by a known
  // partner's key is the authentication (share::Exchange::Receive). Runs as
  // the service principal "partner-inbox", so every receipt and refusal is
  // audited under it with the client's address.
  Reply ShareInbox(const Incoming& in);
  // The session's principal, re-read from the store when its rights may
  // have changed; PermissionDenied (and the session ended) when the
  // account is gone or disabled or its password changed.
  Result<Principal> CurrentRights(const std::string& token, const SessionState& session,
                                  StorePool::Lease& lease);
  Reply Authorised(const Route& route, const Incoming& in, const ApiRequest& request,
                   const Principal& principal, const std::string& token, AccessStore& store,
                   Reply reply);

  const Clock& clock_;
  const double request_deadline_s_;
  const size_t max_body_bytes_;
  StorePool& pool_;
  GraphCache graphs_;
  WatchlistIndexCache watchlist_;
  PersonIndexCache persons_;
  SessionTable sessions_;
  LoginLimiter limiter_;
  const std::string openapi_;
  Deadlines deadlines_;
  AdmissionGate gate_;
  const share::Identity* share_identity_ = nullptr;
  // Refused envelopes per client address, a token bucket (kInboxRefusal*
  // in dispatcher.cc): each refusal is audited, so a stranger posting
  // garbage gets 429 before it can fill the audit log.
  struct InboxBucket {
    double tokens = 0;
    UnixTime updated = 0;
  };
  // Whether `address` may be heard now; the seconds to wait otherwise.
  int64_t InboxWait(const std::string& address);
  void InboxRefused(const std::string& address);
  std::mutex inbox_mu_;
  std::unordered_map<std::string, InboxBucket> inbox_refusals_;  // guarded by inbox_mu_
};

// A reply with the error body.
Reply ErrorReply(int status, std::string_view code, std::string_view message);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_DISPATCHER_H_
