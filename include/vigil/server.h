// The HTTP server: `vigil serve` exposes what the CLI does as JSON over HTTP.
//
// Every route is one row of a route table (src/server/routes.h): method, path
// pattern, the right it needs (an access.h Operation), the object it touches,
// its typed parameters and its handler. The dispatcher, the OpenAPI document
// at /openapi.json and the generated refusal tests are all built from that
// table, so a new route cannot skip authorisation or documentation.
//
// Identity: POST /v1/login {user, password} checks the password with
// Argon2id (Oversight::Authenticate, audited) and issues a random session
// token (libsodium randombytes) that expires; the server keeps only its
// BLAKE2b hash. Requests send `Authorization: Bearer TOKEN` and a purpose
// (`X-Vigil-Purpose` header, or a `purpose` query or body field) that goes
// into every audit record. Each request runs on an AccessStore (one SQLite
// connection each, pooled across worker threads, sharing one group-committed
// audit read log), so nothing reaches personal data without authorisation and
// an audit record.
//
// A refusal leaks nothing: a request about an object outside the user's
// compartments, or by a user whose role lacks the route's right, gets exactly
// the 404 body of a request about an object that does not exist.
//
// Thread-safety: Start/Stop from one thread; the server serves on its own
// worker threads.
#ifndef VIGIL_SERVER_H_
#define VIGIL_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "vigil/access.h"
#include "vigil/oversight.h"
#include "vigil/status.h"

namespace vigil {

struct ServerOptions {
  std::string db_path = "vigil.db";  // must exist (ingest first)
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Both or neither; with both the server speaks HTTPS only.
  std::string tls_cert;
  std::string tls_key;
  // Worker threads. A keep-alive connection holds a worker while it is open,
  // so this bounds the concurrent connections served without queueing.
  int threads = 80;
  size_t max_body_bytes = 1 << 20;  // larger bodies get 413
  int read_timeout_s = 10;          // per socket read
  int write_timeout_s = 10;         // per socket write
  int keep_alive_timeout_s = 5;     // idle keep-alive connection
  // Processing deadline of one request, in seconds (0: none). Past it, long
  // analyses are cancelled and the request answers 503 with a JSON error
  // body ("deadline_exceeded"), so that no question holds a worker forever.
  double request_deadline_s = 30;
  // Requests whose handler runs at once (0: no limit, every worker); the
  // rest wait in arrival order (src/server/admission.h says why that can
  // help on few cores). Off by default: a limit lets a few long network
  // questions hold back every look-up behind them, and on the shared
  // 2-core machine a limit of 8 measured within the noise of none
  // (bench/server/README.md).
  int max_active_requests = 0;
  int64_t session_ttl_s = 8 * 3600;
  // Login rate limit: a token bucket per client address and per user name,
  // `login_burst` attempts at once, refilled at `login_per_minute`.
  double login_burst = 5;
  double login_per_minute = 10;
  // Time for sessions, rate limits and oversight (nullptr: SystemClock()).
  const Clock* clock = nullptr;
  // Audit: the audit key ("" = <db>.audit-key) and witness, read-log mode,
  // and whether the store's connections and the read log sync to disk on
  // commit (tests turn it off; a server must not).
  std::string signing_key_path;
  std::string witness_path;  // "" = the key's path + ".witness"
  ReadLogMode read_log = ReadLogMode::kGroup;
  bool synchronous = true;
  // Directory of the workbench's built files (web/dist, or where it is
  // installed); "" serves the API only. Every GET outside the API's paths
  // is answered from it (src/server/static_files.h).
  std::string web_root;
  // The network routes' graph links persons whose SIMs were used in one
  // handset (StoreGraphOptions::shared_handset; tie kind "handset", each
  // with its handsets and dates). Off by default: the graph's ties and
  // weights stay those the evaluation figures were measured on.
  bool shared_handset_ties = false;
  // Partner exchange (vigil/share.h): the installation's identity file
  // ("" = none: POST /v1/share/inbox answers 503 and nothing is delivered).
  // With one, the inbox verifies and stores what partners send and answers
  // with a signed receipt, and a background thread delivers the outbox:
  // every `share_poll_ms` while it delivers something, every ten times that
  // while idle (each pass reads the outbox, an audited read), retrying a
  // message with back-off from `share_retry_base_s` doubling up to
  // `share_retry_max_s`; every `share_escalate_s` it raises the alerts of
  // overdue requests. Open fails with LoadIdentity's error for a bad
  // identity file.
  std::string share_identity_path;
  int share_poll_ms = 1000;
  int share_retry_base_s = 1;
  int share_retry_max_s = 300;
  int share_escalate_s = 60;
  // One structured log line (JSON) per request; nullptr: stderr.
  std::function<void(std::string_view line)> log;
};

class Server {
 public:
  // Opens the store and prepares the routes. NotFound when the store file
  // does not exist; InvalidArgument for bad options (one of --tls-cert /
  // --tls-key without the other, an unreadable certificate or key).
  static Result<std::unique_ptr<Server>> Open(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on background threads; returns once the socket
  // listens. IOError when the address cannot be bound.
  Status Start();
  // The bound port (after Start).
  int port() const;
  // Blocks until Stop() is called (from another thread or a signal handler's
  // helper thread).
  void Wait();
  // Stops accepting, finishes the requests in flight and joins the threads.
  void Stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigil

#endif  // VIGIL_SERVER_H_
