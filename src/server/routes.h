// The server's route table: one row per route with its method, path
// pattern, the right it needs, the object it touches, its typed parameters
// and its handler. The dispatcher (server.cc), the OpenAPI document
// (openapi.cc), the generated refusal tests (tests/server) and the fuzz
// target are all driven by this table.
//
// Handlers see no HTTP: they get a validated ApiRequest and an AccessStore
// whose RequestContext is the caller's (user, purpose, client, parameters),
// and return JSON or a Status that the dispatcher maps to a status code.
#ifndef VIGIL_SERVER_ROUTES_H_
#define VIGIL_SERVER_ROUTES_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/api_request.h"
#include "server/graph_cache.h"
#include "server/person_index_cache.h"
#include "server/watchlist_cache.h"
#include "vigil/access.h"
#include "vigil/status.h"

namespace vigil::server {

// Who may call a route at all.
enum class Gate : uint8_t {
  kPublic,   // no session (healthz, openapi.json, login)
  kSession,  // any logged-in user (logout, whoami)
  kRight,    // a session whose role has `right` (RoleMay); the store then
             // checks compartments object by object
};

// What a handler may use besides its request.
struct HandlerContext {
  AccessStore& store;
  GraphCache& graphs;
  const Clock& clock;
  // Raised when the request's processing deadline passes: long analyses
  // take it as RunControl::cancel and stop with Cancelled.
  const std::atomic<bool>* cancel = nullptr;
  // The dossier's watch-list name index (nullptr: dossiers scan the list).
  WatchlistIndexCache* watchlist = nullptr;
  // The person search's name index (nullptr: search by exact text only).
  PersonIndexCache* persons = nullptr;
  // A handler that changes the caller's own credentials (their password)
  // sets the rights their session continues with; other sessions of the
  // user end at their next request.
  std::optional<Principal>* renewed = nullptr;
};

using Handler = std::function<Result<Json>(HandlerContext&, const ApiRequest&)>;

struct Route {
  std::string method;   // "GET" or "POST"
  std::string pattern;  // "/v1/persons/{id}": {name} matches one path segment
  std::string summary;
  Gate gate = Gate::kRight;
  Operation right = Operation::kReadStatus;  // with Gate::kRight
  // The compartmented object the route is about: the parameter naming it
  // and its kind ("person"). A refused or missing object answers 404 with
  // NotVisibleMessage(kind, id), whatever the reason.
  std::string object_param;
  std::string object_kind;
  std::vector<ParamSpec> params;
  Handler handler;  // unset for the routes the transport answers itself
};

// The partner inbox: authenticated by the envelope's signature, not a session.
inline constexpr std::string_view kShareInboxPattern = "/v1/share/inbox";

// Every route, in the order the OpenAPI document lists them.
const std::vector<Route>& Routes();

// The route whose pattern matches `path` with `method`, filling the path
// parameters. NotFound when no pattern matches; InvalidArgument("method")
// when a pattern matches with another method (405).
Result<const Route*> MatchRoute(std::string_view method, std::string_view path,
                                std::map<std::string, std::string>* path_params);

// The OpenAPI 3.0 document of the table. Cost: O(routes x params).
Json OpenApiDocument();

// The error body every refusal and failure uses: {"error":{"code","message"}}.
Json ErrorBody(std::string_view code, std::string_view message);

}  // namespace vigil::server

#endif  // VIGIL_SERVER_ROUTES_H_
