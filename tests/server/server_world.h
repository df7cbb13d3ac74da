// A generated world served by the real server in-process on a loopback port
// chosen by the system, with user accounts in several roles and
// compartments, and an HTTP client helper (httplib::Client, keep-alive).
#ifndef VIGIL_TESTS_SERVER_SERVER_WORLD_H_
#define VIGIL_TESTS_SERVER_SERVER_WORLD_H_

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vigil/access.h"
#include "vigil/ingest.h"
#include "vigil/oversight.h"
#include "vigil/server.h"
#include "vigil/sim.h"
#include "vigil/store.h"

namespace vigil::testing {

using Json = nlohmann::ordered_json;

inline constexpr char kPassword[] = "correct horse battery";

struct TestUser {
  std::string name;
  Role role = Role::kAnalyst;
  std::vector<std::string> compartments;
};

// Every role in each of the given compartment sets: "analyst-0", ...
inline std::vector<TestUser> UsersFor(const std::vector<std::vector<std::string>>& sets) {
  std::vector<TestUser> users;
  for (int r = 0; r < kRoleCount; ++r) {
    for (size_t s = 0; s < sets.size(); ++s) {
      const Role role = static_cast<Role>(r);
      users.push_back({std::string(RoleName(role)) + "-" + std::to_string(s), role, sets[s]});
    }
  }
  return users;
}

struct HttpResult {
  int status = 0;
  std::string body;
  Json json;
  std::string retry_after;
};

class ServerWorld {
 public:
  // Simulates and ingests a small world (200 people, 60 days, compartments
  // CT-A, CT-B, CT-C), creates `users`, and starts the server.
  ServerWorld(const std::string& name, std::vector<TestUser> users, ServerOptions options = {})
      : users_(std::move(users)) {
    dir_ = (std::filesystem::temp_directory_path() /
            ("vigil-server-" + name + "-" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    SimulateOptions sim;
    sim.out_dir = dir_ + "/world";
    sim.seed = 3;
    sim.people = 200;
    sim.days = 60;
    auto simulated = Simulate(sim);
    EXPECT_TRUE(simulated.ok()) << simulated.status().ToString();
    db_ = dir_ + "/vigil.db";
    Populate();
    options.db_path = db_;
    options.port = 0;
    options.signing_key_path = dir_ + "/audit.key";
    options.synchronous = false;
    options.read_log = ReadLogMode::kBuffered;
    if (!options.log) {
      options.log = [this](std::string_view line) {
        std::lock_guard<std::mutex> lock(log_mu_);
        log_.emplace_back(line);
      };
    }
    auto server = Server::Open(options);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
  }
  ~ServerWorld() {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  int port() const { return server_->port(); }
  const std::string& db() const { return db_; }
  const std::string& dir() const { return dir_; }
  const std::vector<TestUser>& users() const { return users_; }
  const std::vector<Person>& persons() const { return persons_; }
  std::vector<std::string> LogLines() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port());
    client->set_keep_alive(true);
    client->set_tcp_nodelay(true);
    client->set_read_timeout(30, 0);
    return client;
  }

  static HttpResult Call(httplib::Client& client, const std::string& method,
                         const std::string& target, const std::string& token,
                         const std::string& body = "", const std::string& purpose = "test") {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    if (!purpose.empty()) headers.emplace("X-Vigil-Purpose", purpose);
    httplib::Result result = method == "GET"
                                 ? client.Get(target.c_str(), headers)
                                 : client.Post(target.c_str(), headers, body, "application/json");
    HttpResult out;
    if (!result) {
      out.status = -1;
      return out;
    }
    out.status = result->status;
    out.body = result->body;
    out.retry_after = result->get_header_value("Retry-After");
    out.json = Json::parse(out.body, nullptr, /*allow_exceptions=*/false);
    return out;
  }

  // Logs `user` in; "" on failure.
  std::string Login(httplib::Client& client, const std::string& user,
                    const std::string& password = kPassword) const {
    HttpResult r = Call(client, "POST", "/v1/login", "",
                        Json{{"user", user}, {"password", password}}.dump(), "");
    if (r.status != 200 || !r.json.contains("token")) return "";
    return r.json["token"].get<std::string>();
  }

 private:
  void Populate() {
    auto store = OpenSqliteStore(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<FileIngestResult> results;
    Status ingested = IngestPaths(**store, {dir_ + "/world"}, IngestOptions{}, &results);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
    ASSERT_TRUE((*store)
                    ->ScanPersons([this](const Person& p) {
                      persons_.push_back(p);
                      return true;
                    })
                    .ok());
    OversightOptions options;
    options.signing_key_path = dir_ + "/audit.key";
    options.synchronous = false;
    auto oversight = Oversight::Open(**store, options);
    ASSERT_TRUE(oversight.ok()) << oversight.status().ToString();
    RequestContext setup;
    setup.principal.user = "setup:test";
    setup.principal.role = Role::kAdmin;
    setup.principal.compartments = {"*"};
    setup.principal.setup = true;
    setup.purpose = "setup";
    for (const TestUser& user : users_) {
      Status added =
          (*oversight)->AddUser(setup, user.name, user.role, kPassword, user.compartments);
      ASSERT_TRUE(added.ok()) << added.ToString();
      // The test is the installer: its setup principal grants compartments
      // at once (an admin's grant would wait for a second admin).
    }
  }

  std::vector<TestUser> users_;
  std::string dir_;
  std::string db_;
  std::vector<Person> persons_;
  std::unique_ptr<Server> server_;
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// Server options that let every user of a test log in from one address.
inline ServerOptions ManyLogins() {
  ServerOptions options;
  options.login_burst = 100;
  return options;
}

// One client and a session token for each user of a world, for tests that
// act as several users in turn.
struct Session {
  std::unique_ptr<httplib::Client> client;
  std::map<std::string, std::string> tokens;
  HttpResult Get(const std::string& user, const std::string& target) {
    return ServerWorld::Call(*client, "GET", target, tokens.at(user));
  }
  HttpResult Post(const std::string& user, const std::string& target, const Json& body) {
    return ServerWorld::Call(*client, "POST", target, tokens.at(user), body.dump());
  }
};

// Logs every user of `world` in (a failed login fails the test).
inline Session LogIn(ServerWorld& world) {
  Session session{world.Client(), {}};
  for (const TestUser& user : world.users()) {
    session.tokens[user.name] = world.Login(*session.client, user.name);
    EXPECT_FALSE(session.tokens[user.name].empty()) << user.name;
  }
  return session;
}

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_SERVER_SERVER_WORLD_H_
