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
#include <string>
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

class Dispatcher {
 public:
  // `options.clock` must be set. The pool must outlive the dispatcher.
  Dispatcher(const ServerOptions& options, StorePool& pool);

  Reply Dispatch(const Incoming& in);

  SessionTable& sessions() { return sessions_; }

 private:
  Reply Login(const Incoming& in, const ApiRequest& request);
  Reply Authorised(const Route& route, const Incoming& in, const ApiRequest& request,
                   const Principal& principal, Reply reply);

  const Clock& clock_;
  const double request_deadline_s_;
  StorePool& pool_;
  GraphCache graphs_;
  WatchlistIndexCache watchlist_;
  PersonIndexCache persons_;
  SessionTable sessions_;
  LoginLimiter limiter_;
  const std::string openapi_;
  Deadlines deadlines_;
  AdmissionGate gate_;
};

// A reply with the error body.
Reply ErrorReply(int status, std::string_view code, std::string_view message);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_DISPATCHER_H_
