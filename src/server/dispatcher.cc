#include "server/dispatcher.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "server/routes.h"

namespace vigil::server {
namespace {

// The id of the object a route is about (a seed list's first), or "".
std::string ObjectId(const Route& route, const ApiRequest& request) {
  if (route.object_param.empty()) return "";
  const Json& value = request.Raw(route.object_param);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array() && !value.empty() && value[0].is_string()) {
    return value[0].get<std::string>();
  }
  return "";
}

std::string BearerToken(const std::string& header) {
  static constexpr std::string_view kPrefix = "Bearer ";
  if (header.size() <= kPrefix.size() || header.compare(0, kPrefix.size(), kPrefix) != 0) {
    return "";
  }
  return header.substr(kPrefix.size());
}

// The audit parameters of a request: its identifiers as they are, anything
// else hashed by the audit layer (oversight.h).
std::vector<std::pair<std::string, std::string>> AuditParams(const Route& route,
                                                             const ApiRequest& request) {
  std::vector<std::pair<std::string, std::string>> params = {{"route", route.pattern}};
  for (const auto& [name, value] : request.values) {
    // A password never enters the log, not even hashed (an unsalted hash
    // of a password can be guessed offline).
    if (name.find("password") != std::string::npos) continue;
    if (value.is_string()) {
      params.emplace_back(name, value.get<std::string>());
    } else if (value.is_array() && value.size() <= 16) {
      std::string joined;
      for (const Json& item : value) {
        if (item.is_string()) joined += (joined.empty() ? "" : ",") + item.get<std::string>();
      }
      params.emplace_back(name, joined);
    } else if (value.is_primitive()) {
      params.emplace_back(name, value.dump());
    }
  }
  return params;
}

Reply FromStatus(const Status& status, const Route& route, const std::string& object_id) {
  const bool object_route = !route.object_param.empty() && !object_id.empty();
  switch (status.code()) {
    case Status::Code::kNotFound:
      return ErrorReply(404, "not_found", status.message());
    case Status::Code::kPermissionDenied:
      // A refusal on an object is told exactly like a missing object.
      if (object_route) {
        return ErrorReply(404, "not_found", NotVisibleMessage(route.object_kind, object_id));
      }
      return ErrorReply(403, "forbidden", status.message());
    case Status::Code::kInvalidArgument:
      return ErrorReply(400, "bad_request", status.message());
    case Status::Code::kAlreadyExists:
      return ErrorReply(409, "conflict", status.message());
    case Status::Code::kCancelled:
      return ErrorReply(503, "cancelled", status.message());
    default:
      // Store failures may quote data; the client gets the kind only.
      return ErrorReply(500, "internal", "internal error");
  }
}

}  // namespace

Reply ErrorReply(int status, std::string_view code, std::string_view message) {
  Reply reply;
  reply.status = status;
  reply.body = ErrorBody(code, message);
  return reply;
}

Dispatcher::Dispatcher(const ServerOptions& options, StorePool& pool)
    : clock_(*options.clock),
      request_deadline_s_(options.request_deadline_s),
      max_body_bytes_(options.max_body_bytes),
      pool_(pool),
      graphs_(options.shared_handset_ties),
      sessions_(*options.clock, options.session_ttl_s),
      limiter_(*options.clock, options.login_burst, options.login_per_minute),
      openapi_(OpenApiDocument().dump()),
      gate_(options.max_active_requests) {}

namespace {

Reply Unauthenticated(const std::string& route, const std::string& message) {
  Reply denied = ErrorReply(401, "unauthenticated", message);
  denied.route = route;
  denied.headers.emplace_back("WWW-Authenticate", "Bearer");
  return denied;
}

}  // namespace

Preflight Dispatcher::BeforeBody(const Incoming& head) {
  Preflight out;
  out.max_body_bytes = max_body_bytes_;
  std::map<std::string, std::string> path_params;
  auto matched = MatchRoute(head.method, head.path, &path_params);
  if (!matched.ok()) {
    out.refusal =
        matched.status().code() == Status::Code::kInvalidArgument
            ? ErrorReply(405, "method_not_allowed", head.method + " is not allowed here")
            : ErrorReply(404, "no_route", "no route " + head.method + " (see /openapi.json)");
    return out;
  }
  const Route& route = **matched;
  if (route.pattern == "/v1/login") {
    out.max_body_bytes = std::min(max_body_bytes_, kMaxLoginBodyBytes);
    return out;
  }
  if (route.pattern == "/healthz" || route.pattern == "/openapi.json" ||
      route.pattern == kShareInboxPattern) {
    return out;
  }
  const std::string token = BearerToken(head.authorization);
  auto session = token.empty() ? Result<SessionState>(Status::PermissionDenied(
                                     "send Authorization: Bearer TOKEN (POST /v1/login)"))
                               : sessions_.Lookup(token);
  if (!session.ok()) out.refusal = Unauthenticated(route.pattern, session.status().message());
  return out;
}

Result<Principal> Dispatcher::CurrentRights(const std::string& token, const SessionState& session,
                                            StorePool::Lease& lease) {
  const int64_t generation = lease.change_generation();
  if (generation >= 0 && generation == session.generation) return session.principal;
  auto fresh =
      lease->oversight().CurrentPrincipal(session.principal.user, session.principal.credential);
  if (!fresh.ok()) {
    // A gone or disabled account ends the session for good. A changed
    // password refuses it at every request without ending it here: the
    // session's own password change (HandleChangeOwnPassword) renews it
    // a moment after the change commits, and a request racing in between
    // must not end it first. Other sessions never match the new hash.
    if (fresh.status().code() == Status::Code::kNotFound) {
      sessions_.Remove(token);
      return Status::PermissionDenied(fresh.status().message());
    }
    // This session's own password change, committed but not yet renewed
    // (or renewed since it was looked up): its rights are unchanged.
    auto now = sessions_.Lookup(token);
    if (now.ok() && now->principal.credential != session.principal.credential) {
      return lease->oversight().CurrentPrincipal(now->principal.user, now->principal.credential);
    }
    if (now.ok() && now->renewing) return now->principal;
    return fresh.status();
  }
  sessions_.Refresh(token, *fresh, generation);
  return fresh;
}

Reply Dispatcher::Dispatch(const Incoming& in) {
  RawRequest raw;
  auto matched = MatchRoute(in.method, in.path, &raw.path_params);
  if (!matched.ok()) {
    if (matched.status().code() == Status::Code::kInvalidArgument) {
      return ErrorReply(405, "method_not_allowed", in.method + " is not allowed here");
    }
    return ErrorReply(404, "no_route", "no route " + in.method + " (see /openapi.json)");
  }
  const Route& route = **matched;
  Reply reply;
  reply.route = route.pattern;
  if (route.pattern == "/healthz") {
    reply.body = Json{{"status", "ok"}};
    return reply;
  }
  if (route.pattern == "/openapi.json") {
    reply.body = Json::parse(openapi_);
    return reply;
  }
  const bool login = route.pattern == "/v1/login";
  const size_t limit = login ? std::min(max_body_bytes_, kMaxLoginBodyBytes) : max_body_bytes_;
  if (in.body.size() > limit) {
    Reply large = ErrorReply(413, "payload_too_large",
                             "request body larger than " + std::to_string(limit) + " bytes");
    large.route = route.pattern;
    return large;
  }
  raw.method = in.method;
  auto query = ParseQueryString(in.target);
  if (!query.ok()) {
    Reply bad = ErrorReply(400, "bad_request", query.status().message());
    bad.route = route.pattern;
    return bad;
  }
  raw.query = std::move(query).value();
  auto validate = [&]() -> Result<ApiRequest> {
    raw.body = in.body;
    auto request = ValidateRequest(route.params, raw);
    raw.body.clear();
    return request;
  };
  if (login) {
    auto request = validate();
    if (!request.ok()) {
      Reply bad = ErrorReply(400, "bad_request", request.status().message());
      bad.route = route.pattern;
      return bad;
    }
    return Login(in, *request);
  }
  if (route.pattern == kShareInboxPattern) return ShareInbox(in);
  // Who asks is settled before the body is parsed: an anonymous client
  // gets no JSON parser to work on.
  const std::string token = BearerToken(in.authorization);
  auto session = token.empty() ? Result<SessionState>(Status::PermissionDenied(
                                     "send Authorization: Bearer TOKEN (POST /v1/login)"))
                               : sessions_.Lookup(token);
  if (!session.ok()) return Unauthenticated(route.pattern, session.status().message());
  auto lease = pool_.Acquire();
  if (!lease.ok()) return ErrorReply(500, "internal", "internal error");
  // Rights as they are now: a revoke, a demotion, a disabled account or a
  // changed password (in this process or another) counts from here.
  auto principal = CurrentRights(token, *session, *lease);
  if (!principal.ok()) {
    if (principal.status().code() == Status::Code::kPermissionDenied) {
      return Unauthenticated(route.pattern, principal.status().message());
    }
    return ErrorReply(500, "internal", "internal error");
  }
  reply.user = principal->user;
  auto request = validate();
  if (!request.ok()) {
    Reply bad = ErrorReply(400, "bad_request", request.status().message());
    bad.route = route.pattern;
    bad.user = principal->user;
    return bad;
  }
  if (route.pattern == "/v1/logout") {
    sessions_.Remove(token);
    reply.body = Json{{"logged_out", true}};
    return reply;
  }
  if (route.pattern == "/v1/session") {
    reply.body = Json{{"user", principal->user},
                      {"role", RoleName(principal->role)},
                      {"compartments", principal->compartments}};
    return reply;
  }
  return Authorised(route, in, *request, *principal, token, **lease, std::move(reply));
}

Reply Dispatcher::Authorised(const Route& route, const Incoming& in, const ApiRequest& request,
                             const Principal& principal, const std::string& token,
                             AccessStore& store, Reply reply) {
  const std::string purpose = !in.purpose.empty() ? in.purpose : request.purpose;
  auto finish = [&](Reply out) {
    out.route = route.pattern;
    out.user = principal.user;
    return out;
  };
  if (purpose.empty() || !IsValidUtf8(purpose) || purpose.size() > kMaxStringBytes) {
    return finish(ErrorReply(400, "purpose_required",
                             "give a purpose (X-Vigil-Purpose header or `purpose` field): it is "
                             "written to the audit log"));
  }
  RequestContext& context = store.mutable_context();
  context.principal = principal;
  context.purpose = purpose;
  context.client = "http " + in.client;
  context.params = AuditParams(route, request);
  const std::string object_id = ObjectId(route, request);
  if (!RoleMay(principal.role, route.right)) {
    // Decided before any object is looked up; audited as a refused read
    // (it changes nothing) through the group-committed read log.
    const std::string object =
        object_id.empty() ? "route:" + route.pattern : route.object_kind + ":" + object_id;
    Status logged = store.oversight().LogRead(store.oversight().MakeRecord(
        context, OperationName(route.right), object, {}, /*refused=*/true));
    if (!logged.ok()) return finish(ErrorReply(500, "internal", "internal error"));
    return finish(
        FromStatus(Status::PermissionDenied("role " + std::string(RoleName(principal.role)) +
                                            " may not " + std::string(OperationName(route.right))),
                   route, object_id));
  }
  // A GET changes nothing: its read records wait in the store and are
  // committed together once the handler is done (one group commit per
  // request, not one per store call), before anything is answered.
  const bool defer_reads = in.method == "GET";
  if (defer_reads) store.DeferReads();
  const Deadlines::Ticket deadline = deadlines_.Arm(request_deadline_s_);
  std::optional<Principal> renewed;
  const bool own_password = route.pattern == "/v1/session/password";
  if (own_password) sessions_.SetRenewing(token, true);
  HandlerContext handler_context{store,       graphs_,   clock_,  deadline.cancel(),
                                 &watchlist_, &persons_, &renewed};
  // Only the handler's work is admitted in turn (the deadline counts the
  // wait): the audit commit below waits on the disk, not on a core.
  Result<Json> result = [&] {
    const AdmissionGate::Pass pass = gate_.Enter();
    return route.handler(handler_context, request);
  }();
  if (renewed) sessions_.Refresh(token, *renewed, /*generation=*/-1);
  if (own_password) sessions_.SetRenewing(token, false);
  if (defer_reads && !store.FlushDeferredReads().ok()) {
    return finish(ErrorReply(500, "internal", "internal error"));
  }
  if (deadline.Expired()) {
    return finish(ErrorReply(503, "deadline_exceeded",
                             "the request ran past the server's processing deadline (" +
                                 fmt::format("{:g}", request_deadline_s_) +
                                 " s); narrow the question or ask the operator"));
  }
  if (!result.ok()) return finish(FromStatus(result.status(), route, object_id));
  reply.body = std::move(result).value();
  return finish(std::move(reply));
}

Reply Dispatcher::Login(const Incoming& in, const ApiRequest& request) {
  const std::string user = request.String("user");
  // The request log names the user only once the login succeeded: a name
  // that failed may be a password typed in the wrong field.
  std::string logged_user;
  auto finish = [&](Reply out) {
    out.route = "/v1/login";
    out.user = logged_user;
    return out;
  };
  if (int64_t wait = limiter_.Take(in.address, user); wait > 0) {
    Reply limited = ErrorReply(429, "rate_limited",
                               "too many login attempts; retry in " + std::to_string(wait) + " s");
    limited.headers.emplace_back("Retry-After", std::to_string(wait));
    return finish(std::move(limited));
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return finish(ErrorReply(500, "internal", "internal error"));
  AccessStore& store = **lease;
  store.mutable_context().client = "http " + in.client;
  auto principal = store.oversight().Authenticate(user, request.String("password"));
  if (!principal.ok()) {
    if (principal.status().code() == Status::Code::kPermissionDenied) {
      limiter_.Record(in.address, user, /*success=*/false);
      return finish(ErrorReply(401, "unauthenticated", "authentication failed"));
    }
    return finish(ErrorReply(500, "internal", "internal error"));
  }
  logged_user = principal->user;
  limiter_.Record(in.address, user, /*success=*/true);
  // The generation read before the rights (Acquire): a change committed
  // in between makes the first request read them again.
  IssuedToken issued = sessions_.Create(*principal, lease->change_generation());
  Reply reply;
  reply.body = Json{{"token", issued.token},
                    {"expires_at", FormatTime(issued.expires_at)},
                    {"user", principal->user},
                    {"role", RoleName(principal->role)}};
  return finish(std::move(reply));
}

namespace {
constexpr double kInboxRefusalBurst = 30;
constexpr double kInboxRefusalsPerSecond = 0.5;
constexpr size_t kInboxAddressesKept = 10'000;
}  // namespace

int64_t Dispatcher::InboxWait(const std::string& address) {
  std::lock_guard<std::mutex> lock(inbox_mu_);
  auto found = inbox_refusals_.find(address);
  if (found == inbox_refusals_.end()) return 0;
  InboxBucket& bucket = found->second;
  const UnixTime now = clock_.Now();
  bucket.tokens = std::min(kInboxRefusalBurst,
                           bucket.tokens + (now - bucket.updated) * kInboxRefusalsPerSecond);
  bucket.updated = now;
  if (bucket.tokens >= 1) return 0;
  return static_cast<int64_t>(std::ceil((1 - bucket.tokens) / kInboxRefusalsPerSecond));
}

void Dispatcher::InboxRefused(const std::string& address) {
  std::lock_guard<std::mutex> lock(inbox_mu_);
  const UnixTime now = clock_.Now();
  if (inbox_refusals_.size() >= kInboxAddressesKept) {
    // Forget the addresses whose bucket has refilled: they are as new.
    for (auto it = inbox_refusals_.begin(); it != inbox_refusals_.end();) {
      const bool full = it->second.tokens + (now - it->second.updated) * kInboxRefusalsPerSecond >=
                        kInboxRefusalBurst;
      it = full ? inbox_refusals_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = inbox_refusals_.try_emplace(address);
  if (fresh) it->second = {kInboxRefusalBurst, now};
  it->second.tokens = std::max(0.0, it->second.tokens - 1);
}

Reply Dispatcher::ShareInbox(const Incoming& in) {
  auto finish = [](Reply out) {
    out.route = std::string(kShareInboxPattern);
    out.user = "partner-inbox";
    return out;
  };
  if (share_identity_ == nullptr) {
    return finish(ErrorReply(503, "sharing_off",
                             "this installation has no partner identity (vigil identity init; "
                             "vigil serve --identity FILE)"));
  }
  if (int64_t wait = InboxWait(in.address); wait > 0) {
    Reply limited = ErrorReply(
        429, "rate_limited",
        "too many refused envelopes from this address; retry in " + std::to_string(wait) + " s");
    limited.headers.emplace_back("Retry-After", std::to_string(wait));
    return finish(std::move(limited));
  }
  auto lease = pool_.Acquire();
  if (!lease.ok()) return finish(ErrorReply(500, "internal", "internal error"));
  AccessStore& store = **lease;
  RequestContext& context = store.mutable_context();
  context.principal = Principal{};
  context.principal.user = "partner-inbox";
  context.principal.role = Role::kAnalyst;
  context.principal.compartments = {std::string(kAllCompartments)};
  context.purpose = "partner exchange: inbox";
  context.client = "http " + in.client;
  context.params.clear();
  share::Exchange exchange(store, *share_identity_, clock_, "partner-inbox");
  Result<share::Received> received = exchange.Receive(in.body, "http " + in.client, true);
  if (received.ok()) {
    Reply reply;
    reply.body = Json{{"outcome", "accepted"},
                      {"message_id", received->message_id},
                      {"receipt", received->receipt}};
    return finish(std::move(reply));
  }
  const Status& why = received.status();
  InboxRefused(in.address);
  switch (why.code()) {
    case Status::Code::kAlreadyExists: {
      // A repeat of what was received: the original receipt, so that a
      // sender whose first answer was lost can still prove delivery.
      Reply reply = ErrorReply(409, "replay", why.message());
      Result<std::string> receipt = exchange.ReceiptFor(in.body);
      if (receipt.ok()) reply.body["receipt"] = *receipt;
      return finish(std::move(reply));
    }
    case Status::Code::kInvalidArgument:
      return finish(ErrorReply(400, "bad_envelope", why.message()));
    case Status::Code::kNotFound:
    case Status::Code::kPermissionDenied:
      return finish(ErrorReply(403, "refused", why.message()));
    default:
      return finish(ErrorReply(500, "internal", "internal error"));
  }
}

}  // namespace vigil::server
