// The transport: cpp-httplib (Debian's libcpp-httplib, built with OpenSSL)
// reads requests on a thread pool and hands them to the Dispatcher; this file
// is the only one that sees httplib.
#include "vigil/server.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "server/bounded_http.h"
#include "server/dispatcher.h"
#include "server/static_files.h"
#include "vigil/share.h"

namespace vigil {

namespace {

// How much of a refused or oversized body is read and dropped (never kept)
// to answer on a connection still in step; a client sending more has its
// connection closed instead.
constexpr size_t kMaxDrainBytes = size_t{256} << 20;

}  // namespace

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<server::StorePool> pool;
  std::unique_ptr<server::Dispatcher> dispatcher;
  std::unique_ptr<httplib::Server> http;
  std::thread listener;
  int port = 0;
  std::atomic<uint64_t> next_request_id{1};
  std::mutex log_mu;
  // Partner exchange: the identity (nullptr: off) and the outbox thread.
  std::unique_ptr<share::Identity> identity;
  std::thread outbox;
  std::mutex outbox_mu;
  std::condition_variable outbox_wake;
  bool outbox_stopping = false;  // guarded by outbox_mu

  // Delivers what is due and raises overdue alerts (ServerOptions says
  // how often), as the service principal "partner-outbox" (audited under
  // it), until StopOutbox. What is not delivered stays in the store's
  // outbox, so a restart resumes where this left off.
  void RunOutbox() {
    share::DeliveryOptions delivery;
    delivery.retry_base_s = options.share_retry_base_s;
    delivery.retry_max_s = options.share_retry_max_s;
    constexpr int kIdleFactor = 10;
    bool idle = false;
    auto last_escalation = std::chrono::steady_clock::time_point();
    while (true) {
      {
        std::unique_lock<std::mutex> lock(outbox_mu);
        outbox_wake.wait_for(
            lock, std::chrono::milliseconds(options.share_poll_ms * (idle ? kIdleFactor : 1)),
            [this] { return outbox_stopping; });
        if (outbox_stopping) return;
      }
      auto lease = pool->Acquire();
      if (!lease.ok()) continue;
      AccessStore& store = **lease;
      RequestContext& context = store.mutable_context();
      context.principal = Principal{};
      context.principal.user = "partner-outbox";
      context.principal.role = Role::kAnalyst;
      context.principal.compartments = {std::string(kAllCompartments)};
      context.purpose = "partner exchange: outbox delivery";
      context.client = "outbox";
      context.params.clear();
      share::Exchange exchange(store, *identity, *options.clock, "partner-outbox");
      Result<int> delivered = exchange.DeliverDue(
          [](const std::string& url, const std::string& body) {
            return share::PostToInbox(url, body, /*timeout_s=*/5);
          },
          delivery);
      idle = delivered.ok() && *delivered == 0;
      Status escalated = Status::Ok();
      const auto now = std::chrono::steady_clock::now();
      if (now - last_escalation >= std::chrono::seconds(options.share_escalate_s)) {
        last_escalation = now;
        escalated = exchange.Escalate().status();
      }
      for (const Status& status : {delivered.status(), escalated}) {
        if (status.ok()) continue;
        server::Json line = {{"time", FormatTime(options.clock->Now())},
                             {"component", "share-outbox"},
                             {"error", status.ToString()}};
        Log(line.dump(-1, ' ', false, server::Json::error_handler_t::replace));
      }
    }
  }

  void StopOutbox() {
    {
      std::lock_guard<std::mutex> lock(outbox_mu);
      outbox_stopping = true;
    }
    outbox_wake.notify_all();
    if (outbox.joinable()) outbox.join();
  }

  void Log(const std::string& line) {
    if (options.log) {
      options.log(line);
      return;
    }
    std::lock_guard<std::mutex> lock(log_mu);
    std::fprintf(stderr, "%s\n", line.c_str());
  }

  // One structured line per request: never a path, query or body, which may
  // name people; only the route pattern, the user and the outcome.
  void LogRequest(uint64_t id, const std::string& method, const server::Reply& reply,
                  const std::string& client, double millis) {
    server::Json line = {{"time", FormatTime(options.clock->Now())},
                         {"request_id", id},
                         {"method", method},
                         {"route", reply.route},
                         {"status", reply.status},
                         {"duration_ms", std::round(millis * 1000) / 1000},
                         {"user", reply.user},
                         {"client", client}};
    if (reply.status >= 400 && reply.body.contains("error")) {
      line["error"] = reply.body["error"]["code"];
    }
    Log(line.dump(-1, ' ', false, server::Json::error_handler_t::replace));
  }

  static server::Incoming Head(const httplib::Request& req) {
    server::Incoming in;
    in.method = req.method;
    in.path = req.path;
    // Not req.params: httplib also fills it from form-encoded bodies.
    in.target = req.target;
    in.authorization = req.get_header_value("Authorization");
    in.purpose = req.get_header_value("X-Vigil-Purpose");
    in.address = req.remote_addr;
    in.client = req.remote_addr + ":" + std::to_string(req.remote_port);
    return in;
  }

  void Answer(const httplib::Request& req, httplib::Response& res, const server::Incoming& in,
              const server::Reply& reply, std::chrono::steady_clock::time_point start) {
    const uint64_t id = next_request_id++;
    Write(reply, id, res);
    const double millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    LogRequest(id, req.method, reply, in.client, millis);
  }

  // A file of the workbench (see static_files.h), logged like a request
  // under the route "(workbench)": never its path.
  void ServeFile(const httplib::Request& req, httplib::Response& res, uint64_t id,
                 std::chrono::steady_clock::time_point start) {
    server::StaticReply file = server::ServeStaticFile(options.web_root, req.path);
    res.status = file.status;
    for (const auto& [name, value] : file.headers) res.set_header(name, value);
    res.set_header("X-Request-Id", std::to_string(id));
    res.set_content(std::move(file.body), file.content_type);
    server::Reply logged;
    logged.status = file.status;
    logged.route = "(workbench)";
    const double millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    LogRequest(id, req.method, logged, req.remote_addr + ":" + std::to_string(req.remote_port),
               millis);
  }

  // Requests without a body (GET): httplib reads none for them.
  void Handle(const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    if (!options.web_root.empty() && !server::IsApiPath(req.path) &&
        (req.method == "GET" || req.method == "HEAD")) {
      ServeFile(req, res, next_request_id++, start);
      return;
    }
    server::Incoming in = Head(req);
    Answer(req, res, in, dispatcher->Dispatch(in), start);
  }

  // Requests that may carry a body. httplib calls this before reading the
  // body, whatever its transfer encoding (Content-Length, chunked, or until
  // the connection closes): the route and the session are checked first,
  // then at most the route's limit is kept (the login route's is a few
  // KiB); past it the rest is read and dropped without being kept, up to
  // kMaxDrainBytes, so that a client that sends too much gets its 413 on a
  // connection still in step. Compressed (Content-Encoding) and multipart
  // bodies are refused unread: not a byte is inflated.
  void HandleWithBody(const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& read_body) {
    const auto start = std::chrono::steady_clock::now();
    server::Incoming in = Head(req);
    server::Preflight preflight = dispatcher->BeforeBody(in);
    const std::string encoding = req.get_header_value("Content-Encoding");
    const bool compressed = !encoding.empty() && encoding != "identity";
    // Neither is an API body: nothing of it is read (so nothing inflated)
    // and the connection is closed after the answer.
    const bool unread = compressed || req.is_multipart_form_data();
    if (!preflight.refusal && unread) {
      preflight.refusal =
          server::ErrorReply(415, "unsupported_media_type",
                             compressed ? "compressed request bodies are not accepted"
                                        : "send a JSON body (application/json)");
    }
    bool too_large = false;
    bool in_step = true;
    size_t received = 0;
    std::string body;
    const size_t keep = preflight.refusal ? 0 : preflight.max_body_bytes;
    if (unread) {
      in_step = false;
    } else {
      in_step = read_body([&](const char* data, size_t size) {
        received += size;
        if (received > kMaxDrainBytes) return false;  // stop reading: the connection ends
        if (received > keep) {
          too_large = !preflight.refusal;
          body.clear();
          return true;
        }
        body.append(data, size);
        return true;
      });
    }
    if (!in_step) res.set_header("Connection", "close");
    // A declared length past httplib's payload limit is skipped unread by
    // httplib itself (the receiver never runs): still a 413.
    if (!preflight.refusal && !too_large && req.has_header("Content-Length")) {
      const std::string declared = req.get_header_value("Content-Length");
      char* end = nullptr;
      const unsigned long long length = std::strtoull(declared.c_str(), &end, 10);
      too_large = end != declared.c_str() && length > keep;
    }
    server::Reply reply;
    if (preflight.refusal) {
      reply = *preflight.refusal;
    } else if (too_large) {
      reply = server::ErrorReply(
          413, "payload_too_large",
          "request body larger than " + std::to_string(preflight.max_body_bytes) + " bytes");
    } else if (!in_step) {
      reply = server::ErrorReply(400, "bad_request", "unreadable request body");
    } else {
      in.body = std::move(body);
      reply = dispatcher->Dispatch(in);
    }
    Answer(req, res, in, reply, start);
  }

  static void Write(const server::Reply& reply, uint64_t id, httplib::Response& res) {
    res.status = reply.status;
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-store");
    for (const auto& [name, value] : reply.headers) res.set_header(name, value);
    res.set_header("X-Request-Id", std::to_string(id));
    res.set_content(reply.body.dump(-1, ' ', false, server::Json::error_handler_t::replace),
                    "application/json");
  }

  // Errors httplib answers itself (413 body too large, 400 unreadable
  // request line, ...) get the same JSON body as ours.
  httplib::Server::HandlerResponse OnError(const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    server::Reply reply;
    switch (res.status) {
      case 413:
        reply = server::ErrorReply(
            413, "payload_too_large",
            "request body larger than " + std::to_string(options.max_body_bytes) + " bytes");
        break;
      case 414:
        reply = server::ErrorReply(414, "uri_too_long", "request line too long");
        break;
      default:
        reply = server::ErrorReply(res.status, "bad_request", "malformed HTTP request");
    }
    const uint64_t id = next_request_id++;
    Write(reply, id, res);
    LogRequest(id, req.method, reply, req.remote_addr + ":" + std::to_string(req.remote_port), 0);
    return httplib::Server::HandlerResponse::Handled;
  }

  Status MakeHttp() {
    const bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
    if (tls) {
      if (options.tls_cert.empty() || options.tls_key.empty()) {
        return Status::InvalidArgument("--tls-cert and --tls-key go together");
      }
      auto ssl =
          std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
      if (!ssl->is_valid()) {
        return Status::InvalidArgument("cannot load TLS certificate '" + options.tls_cert +
                                       "' or key '" + options.tls_key + "'");
      }
      http = std::move(ssl);
    } else {
      // The request line and headers of each request: at most 64 KiB.
      http = std::make_unique<server::BoundedHttpServer>(server::kHeaderBudgetBytes);
    }
    const int threads = options.threads;
    // httplib owns the queue it is handed and deletes it (its API takes a
    // raw pointer); this is the one `new` Vigil cannot avoid here.
    http->new_task_queue = [threads] {
      return new httplib::ThreadPool(static_cast<size_t>(threads));
    };
    http->set_payload_max_length(options.max_body_bytes);
    http->set_read_timeout(options.read_timeout_s, 0);
    http->set_write_timeout(options.write_timeout_s, 0);
    http->set_keep_alive_timeout(options.keep_alive_timeout_s);
    http->set_keep_alive_max_count(100'000);
    // Replies are written in pieces; without this, Nagle's algorithm and
    // delayed ACKs add ~40 ms to a keep-alive round trip.
    http->set_tcp_nodelay(true);
    auto handle = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
    auto handle_body = [this](const httplib::Request& req, httplib::Response& res,
                              const httplib::ContentReader& read_body) {
      HandleWithBody(req, res, read_body);
    };
    http->Get(".*", handle);
    http->Post(".*", handle_body);
    http->Put(".*", handle_body);
    http->Delete(".*", handle_body);
    http->Patch(".*", handle_body);
    http->set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) { return OnError(req, res); }));
    http->set_exception_handler(
        [this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
          res.status = 500;
          res.body.clear();
          server::Reply reply = server::ErrorReply(500, "internal", "internal error");
          const uint64_t id = next_request_id++;
          Write(reply, id, res);
          LogRequest(id, req.method, reply, req.remote_addr, 0);
        });
    return Status::Ok();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Open(ServerOptions options) {
  if (!std::filesystem::exists(options.db_path)) {
    return Status::NotFound("no store at '" + options.db_path + "' (run `vigil ingest PATH --db " +
                            options.db_path + "` first)");
  }
  if (options.threads < 1 || options.max_body_bytes < 1) {
    return Status::InvalidArgument("threads and max_body_bytes must be positive");
  }
  if (options.clock == nullptr) options.clock = &SystemClock();
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const ServerOptions& o = impl->options;
  OversightOptions oversight;
  oversight.clock = o.clock;
  oversight.signing_key_path =
      o.signing_key_path.empty() ? o.db_path + ".audit-key" : o.signing_key_path;
  oversight.witness_path = o.witness_path;
  oversight.read_log = o.read_log;
  oversight.synchronous = o.synchronous;
  VIGIL_ASSIGN_OR_RETURN(impl->pool, server::StorePool::Open(o.db_path, oversight));
  impl->dispatcher = std::make_unique<server::Dispatcher>(o, *impl->pool);
  if (!o.share_identity_path.empty()) {
    if (o.share_poll_ms < 1 || o.share_retry_base_s < 1 || o.share_escalate_s < 1 ||
        o.share_retry_max_s < o.share_retry_base_s) {
      return Status::InvalidArgument(
          "share poll and retry intervals must be positive (retry max >= base)");
    }
    VIGIL_ASSIGN_OR_RETURN(share::Identity identity, share::LoadIdentity(o.share_identity_path));
    impl->identity = std::make_unique<share::Identity>(identity);
    impl->dispatcher->set_share_identity(impl->identity.get());
  }
  VIGIL_RETURN_IF_ERROR(impl->MakeHttp());
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Start() {
  Impl& impl = *impl_;
  if (impl.options.port == 0) {
    impl.port = impl.http->bind_to_any_port(impl.options.host);
  } else {
    impl.port =
        impl.http->bind_to_port(impl.options.host, impl.options.port) ? impl.options.port : -1;
  }
  if (impl.port <= 0) {
    return Status::IOError("cannot listen on " + impl.options.host + ":" +
                           std::to_string(impl.options.port));
  }
  impl.listener = std::thread([&impl] { impl.http->listen_after_bind(); });
  if (impl.identity) impl.outbox = std::thread([&impl] { impl.RunOutbox(); });
  return Status::Ok();
}

int Server::port() const { return impl_->port; }

void Server::Wait() {
  if (impl_->listener.joinable()) impl_->listener.join();
}

void Server::Stop() {
  if (!impl_ || !impl_->http) return;
  impl_->StopOutbox();
  impl_->http->stop();
  if (impl_->listener.joinable()) impl_->listener.join();
}

}  // namespace vigil
