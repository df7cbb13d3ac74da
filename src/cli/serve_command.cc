// vigil serve: the HTTP API (see include/vigil/server.h and README.md).
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <thread>

#include "cli/command.h"
#include "vigil/server.h"

namespace vigil::cli {
namespace {

// Stop() must not run inside a signal handler: a helper thread waits for
// SIGINT or SIGTERM (blocked in every thread) and stops the server.
void StopOnSignal(Server& server) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([&server, signals] {
    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "vigil: signal %d, stopping\n", received);
    server.Stop();
  }).detach();
}

// Where the workbench's built files are when --web-root is not given: beside
// an installed binary (<prefix>/share/vigil/web), else the source tree's
// web/dist that the build fills (VIGIL_WEB_BUILD_DIR). "" when neither holds
// an index.html.
std::string DefaultWebRoot() {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  std::vector<fs::path> candidates;
  if (!error) candidates.push_back(exe.parent_path().parent_path() / "share" / "vigil" / "web");
#ifdef VIGIL_WEB_BUILD_DIR
  candidates.emplace_back(VIGIL_WEB_BUILD_DIR);
#endif
  for (const fs::path& dir : candidates) {
    if (fs::is_regular_file(dir / "index.html", error)) return dir.string();
  }
  return "";
}

}  // namespace

void RegisterServeCommand(CLI::App& app, CliContext& context) {
  auto options = std::make_shared<ServerOptions>();
  CLI::App* command =
      app.add_subcommand("serve", "Serve the JSON HTTP API (OpenAPI document at /openapi.json)");
  command->add_option("--host", options->host, "Address to listen on");
  command->add_option("--port", options->port, "Port (0: any free port)");
  command->add_option("--tls-cert", options->tls_cert, "PEM certificate (HTTPS)");
  command->add_option("--tls-key", options->tls_key, "PEM private key (HTTPS)");
  command->add_option("--threads", options->threads,
                      "Worker threads (bounds concurrent keep-alive connections)");
  command->add_option("--session-ttl", options->session_ttl_s, "Session lifetime in seconds");
  command->add_option("--max-body", options->max_body_bytes, "Largest request body in bytes");
  command->add_option("--max-active", options->max_active_requests,
                      "Requests handled at once, the rest wait in order (0: no limit)");
  command->add_option("--request-deadline", options->request_deadline_s,
                      "Processing deadline of one request in seconds (0: none); past it the "
                      "request answers 503");
  command->add_flag("--shared-handset", options->shared_handset_ties,
                    "The network's graph also ties persons whose SIMs were used in one handset "
                    "(tie kind 'handset', with the handset and dates as evidence; off by default)");
  auto web_root = std::make_shared<std::string>();
  command->add_option("--web-root", *web_root,
                      "Directory of the workbench's built files (default: <prefix>/share/vigil/web "
                      "when installed, else the build's web/dist; 'none': API only)");
  auto read_log = std::make_shared<std::string>("group");
  command
      ->add_option("--read-log", *read_log,
                   "Audit read records: group (durable before each reply) or buffered (synced "
                   "every 256 reads; up to 256 unlogged reads lost on a crash)")
      ->check(CLI::IsMember({"group", "buffered"}));
  command->add_option("--share-poll-ms", options->share_poll_ms,
                      "How often the partner outbox is delivered, in milliseconds");
  command->add_option("--share-retry-base", options->share_retry_base_s,
                      "First retry of an undelivered partner message after this many seconds "
                      "(doubled each time)");
  command->add_option("--share-retry-max", options->share_retry_max_s,
                      "Longest wait between two delivery attempts, in seconds");
  command->add_option("--share-escalate", options->share_escalate_s,
                      "How often overdue partner requests are looked for, in seconds");
  command->callback([options, read_log, web_root, &context] {
    // Partner exchange when the identity file exists (vigil identity init).
    const std::string identity = IdentityPath(context);
    std::error_code missing;
    if (std::filesystem::exists(identity, missing)) options->share_identity_path = identity;
    options->db_path = context.db_path;
    options->signing_key_path = AuditKeyPath(context);
    options->witness_path = AuditWitnessPath(context);
    options->read_log = *read_log == "buffered" ? ReadLogMode::kBuffered : ReadLogMode::kGroup;
    if (web_root->empty()) {
      options->web_root = DefaultWebRoot();
    } else if (*web_root != "none") {
      std::error_code error;
      if (!std::filesystem::is_regular_file(std::filesystem::path(*web_root) / "index.html",
                                            error)) {
        return ReportFailure(
            context, Status::InvalidArgument("--web-root '" + *web_root + "' holds no index.html"));
      }
      options->web_root = *web_root;
    }
    // Every signal is blocked before the worker threads start, so that only
    // the helper thread receives them.
    auto server = Server::Open(*options);
    if (!server.ok()) return ReportFailure(context, server.status());
    StopOnSignal(**server);
    Status started = (*server)->Start();
    if (!started.ok()) return ReportFailure(context, started);
    std::fprintf(stderr, "vigil: serving %s on %s://%s:%d\n", context.db_path.c_str(),
                 options->tls_cert.empty() ? "http" : "https", options->host.c_str(),
                 (*server)->port());
    if (options->web_root.empty()) {
      std::fprintf(stderr,
                   "vigil: no workbench files found (build them: cmake --build BUILD --target "
                   "web, or pass --web-root DIR); serving the API only\n");
    } else {
      std::fprintf(stderr, "vigil: workbench from %s at %s://%s:%d/\n", options->web_root.c_str(),
                   options->tls_cert.empty() ? "http" : "https", options->host.c_str(),
                   (*server)->port());
    }
    if (options->share_identity_path.empty()) {
      std::fprintf(stderr, "vigil: no partner identity at %s: partner exchange is off\n",
                   identity.c_str());
    } else {
      std::fprintf(stderr,
                   "vigil: partner inbox at /v1/share/inbox, outbox delivered every %d ms\n",
                   options->share_poll_ms);
    }
    (*server)->Wait();
  });
}

}  // namespace vigil::cli
