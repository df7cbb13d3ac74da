// The server under attack by a client with, or without, an account: rights
// that change while a session lives, bodies sent to exhaust memory, JSON
// that means two things, and a login allowance spent by someone else.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "server/sessions.h"
#include "server_world.h"

namespace vigil::testing {
namespace {

constexpr char kPurpose[] = "hardening test";

std::string SubjectIn(const ServerWorld& world, const std::string& compartment) {
  for (const Person& p : world.persons()) {
    if (p.status == PersonStatus::kSubject && p.compartment == compartment) return p.person_id;
  }
  ADD_FAILURE() << "no subject in " << compartment;
  return "";
}

// Peak resident memory of this process (the server runs in it), in KiB,
// since the last ResetPeak().
int64_t PeakKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}
// Makes VmHWM start again from the current resident size.
bool ResetPeak() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  return static_cast<bool>(clear);
}

// A TCP connection to the server on 127.0.0.1:`port`, or -1.
int ConnectLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// How much the process's peak resident memory grows (KiB) while `attack`
// runs; -1 when the peak cannot be reset.
template <typename Fn>
int64_t PeakGrowthKiB(Fn attack) {
  if (!ResetPeak()) return -1;
  const int64_t before = PeakKiB();
  attack();
  return PeakKiB() - before;
}

// A server of one compartment with its analyst logged in: the set-up of the
// attacks below.
struct AttackedServer {
  explicit AttackedServer(const std::string& name)
      : world(name, UsersFor({{"CT-A"}}), ManyLogins()),
        client(world.Client()),
        token(world.Login(*client, "analyst-0")) {}
  ServerWorld world;
  std::unique_ptr<httplib::Client> client;
  std::string token;
};

// A raw HTTP/1.1 exchange: `head` (request line and headers, without the
// blank line), then a chunked body of `body_bytes` bytes of 'A' sent 64 KiB
// at a time (never held whole), then the status code of the reply (-1 when
// none came). Sending stops early if the server closes the connection.
int ChunkedPost(int port, const std::string& head, size_t body_bytes,
                std::string* reply = nullptr) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return -1;
  auto send_all = [fd](const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  };
  bool open = send_all(head + "\r\nTransfer-Encoding: chunked\r\n\r\n");
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'A') + "\r\n";
  for (size_t sent = 0; open && sent < body_bytes; sent += 0x10000) open = send_all(chunk);
  if (open) send_all("0\r\n\r\n");
  std::string answer;
  char buffer[4096];
  while (answer.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  if (reply != nullptr) *reply = answer;
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return -1;
  return std::atoi(answer.c_str() + 9);
}

HttpResult Call(httplib::Client& client, const std::string& method, const std::string& target,
                const std::string& token, const std::string& body = "") {
  return ServerWorld::Call(client, method, target, token, body, kPurpose);
}

TEST(ServerHardening, A150MiBChunkedBodyIsRefusedWithoutBeingHeld) {
  AttackedServer server("chunked");
  const std::string& token = server.token;
  ASSERT_FALSE(token.empty());
  constexpr size_t kBody = size_t{150} << 20;
  struct Attack {
    std::string head;
    int status;
  };
  const std::vector<Attack> attacks = {
      // Before any account: the login route's small form.
      {"POST /v1/login HTTP/1.1\r\nHost: vigil\r\nContent-Type: application/json", 413},
      // No session: not read at all.
      {"POST /v1/persons HTTP/1.1\r\nHost: vigil\r\nContent-Type: application/json", 401},
      // A session, past --max-body.
      {"POST /v1/persons HTTP/1.1\r\nHost: vigil\r\nAuthorization: Bearer " + token +
           "\r\nX-Vigil-Purpose: x\r\nContent-Type: application/json",
       413},
  };
  for (const Attack& attack : attacks) {
    std::string reply;
    const int64_t grown = PeakGrowthKiB([&] {
      EXPECT_EQ(ChunkedPost(server.world.port(), attack.head, kBody, &reply), attack.status)
          << reply;
    });
    ASSERT_GE(grown, 0) << "cannot reset the peak RSS";
    // Holding the body would take 150 MiB; the server keeps at most 1 MiB.
    EXPECT_LT(grown, 32 * 1024) << attack.head << ": peak RSS grew by " << grown << " KiB";
  }
  // The server still answers.
  EXPECT_EQ(Call(*server.client, "GET", "/v1/status", token).status, 200);
}

// Sends `prefix`, then `unit` again and again up to `total` bytes, 64 KiB
// at a time, without ever ending the headers; stops when the server closes
// the connection. Returns the bytes sent; *reply gets what came back.
size_t Flood(int port, const std::string& prefix, const std::string& unit, size_t total,
             std::string* reply) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return 0;
  std::string block;
  while (block.size() < 0x10000) block += unit;
  size_t sent = 0;
  bool open =
      ::send(fd, prefix.data(), prefix.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(prefix.size());
  while (open && sent < total) {
    const ssize_t n = ::send(fd, block.data(), block.size(), MSG_NOSIGNAL);
    open = n > 0;
    if (open) sent += static_cast<size_t>(n);
  }
  char buffer[4096];
  ssize_t n = 0;
  while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
    reply->append(buffer, static_cast<size_t>(n));
  ::close(fd);
  return sent;
}

// A request line or header that never ends, and an endless stream of
// headers, are cut at the server's header budget (64 KiB): the connection
// is closed long before 64 MiB are sent, the server's peak RSS stays flat
// (reading them whole would take more than 64 MiB), and it answers others.
TEST(ServerHardening, A64MiBHeaderLineIsCutAtTheHeaderBudget) {
  AttackedServer server("headers");
  httplib::Client& client = *server.client;
  const std::string& token = server.token;
  ASSERT_FALSE(token.empty());
  constexpr size_t kFlood = size_t{64} << 20;
  struct Attack {
    std::string name;
    std::string prefix;
    std::string unit;
  };
  const std::vector<Attack> attacks = {
      {"one 64 MiB header line", "GET /v1/status HTTP/1.1\r\nHost: vigil\r\nX-Flood: ", "A"},
      {"a 64 MiB request line", "GET /", "A"},
      {"64 MiB of 8-byte headers", "GET /v1/status HTTP/1.1\r\n", "X-a: b\r\n"},
  };
  for (const Attack& attack : attacks) {
    std::string reply;
    size_t sent = 0;
    const int64_t grown = PeakGrowthKiB(
        [&] { sent = Flood(server.world.port(), attack.prefix, attack.unit, kFlood, &reply); });
    ASSERT_GE(grown, 0) << "cannot reset the peak RSS";
    EXPECT_LT(sent, kFlood / 4) << attack.name << ": the server read on (" << sent << " bytes)";
    EXPECT_LT(grown, 16 * 1024) << attack.name << ": peak RSS grew by " << grown << " KiB";
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << attack.name << reply;
    }
    // The server answers the others at once.
    EXPECT_EQ(Call(client, "GET", "/v1/status", token).status, 200) << attack.name;
  }
  // A request just under the budget is served as before (httplib itself
  // refuses a header line over 8 KiB).
  httplib::Headers headers;
  for (int i = 0; i < 8; ++i) {
    headers.emplace("X-Padding-" + std::to_string(i), std::string(7 << 10, 'p'));
  }
  auto padded = client.Get("/v1/status", headers);
  ASSERT_TRUE(padded);
  EXPECT_NE(padded->status, 400);
}

TEST(ServerHardening, DeclaredLengthsAndCompressedBodiesAreRefusedUnread) {
  ServerWorld world("declared", UsersFor({{"CT-A"}}), ManyLogins());
  auto client = world.Client();
  // A login body of 8 KiB (the login route keeps 4 KiB).
  const std::string big =
      "{\"user\":\"analyst-0\",\"password\":\"" + std::string(8192, 'x') + "\"}";
  HttpResult large = Call(*client, "POST", "/v1/login", "", big);
  EXPECT_EQ(large.status, 413) << large.body;
  EXPECT_EQ(large.json["error"]["code"], "payload_too_large") << large.body;
  // A gzip bomb never reaches the inflater.
  httplib::Headers headers = {{"Content-Encoding", "gzip"}};
  auto result = client->Post("/v1/login", headers, std::string(64, '\0'), "application/json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 415) << result->body;
}

TEST(ServerHardening, DuplicateJsonKeysAreRefusedNamingKeyAndPlace) {
  ServerWorld world("dupkeys", UsersFor({{"CT-A"}}), ManyLogins());
  auto client = world.Client();
  // Last-wins parsing would log the analyst's password in as the admin.
  for (const std::string& body :
       {std::string(R"({"user":"admin-0","password":"x","user":"analyst-0"})"),
        std::string("{\"user\":\"analyst-0\",\n \"password\":\"") + kPassword +
            "\",\n \"\\u0075ser\":\"admin-0\"}"}) {
    HttpResult r = Call(*client, "POST", "/v1/login", "", body);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_FALSE(r.json.contains("token")) << r.body;
    const std::string message = r.json["error"]["message"];
    EXPECT_NE(message.find("duplicate key 'user'"), std::string::npos) << message;
    EXPECT_NE(message.find("line "), std::string::npos) << message;
  }
  HttpResult placed = Call(*client, "POST", "/v1/login", "", "{\"user\":\"a\",\n  \"user\":\"b\"}");
  EXPECT_NE(placed.body.find("line 2, column 3"), std::string::npos) << placed.body;
  // Nested objects too, on an authenticated route.
  const std::string token = world.Login(*client, "admin-0");
  ASSERT_FALSE(token.empty());
  HttpResult nested = Call(*client, "POST", "/v1/users", token,
                           R"({"name":"x1","role":"analyst","password":"long enough 1",)"
                           R"("role":"admin"})");
  EXPECT_EQ(nested.status, 400) << nested.body;
  EXPECT_NE(nested.body.find("duplicate key 'role'"), std::string::npos) << nested.body;
}

TEST(ServerHardening, RevokeDemotionDisableAndPasswordResetCountAtTheNextRequest) {
  ServerWorld world("rights", UsersFor({{"CT-A", "CT-B"}}), ManyLogins());
  const std::string b_subject = SubjectIn(world, "CT-B");
  auto admin_client = world.Client();
  const std::string admin = world.Login(*admin_client, "admin-0");
  ASSERT_FALSE(admin.empty());
  // Many connections, so that many pooled store connections have served
  // (and cached) the analyst before the change.
  constexpr int kClients = 6;
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(world.Client());
  const std::string analyst = world.Login(*clients[0], "analyst-0");
  ASSERT_FALSE(analyst.empty());
  auto read_all = [&](const std::string& token) {
    std::vector<int> statuses(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
      threads.emplace_back([&, i] {
        statuses[i] = Call(*clients[i], "GET", "/v1/persons/" + b_subject, token).status;
      });
    }
    for (auto& t : threads) t.join();
    return statuses;
  };
  for (int status : read_all(analyst)) ASSERT_EQ(status, 200);
  ASSERT_EQ(
      Call(*admin_client, "POST", "/v1/users/analyst-0/revoke", admin, R"({"compartment":"CT-B"})")
          .status,
      200);
  for (int status : read_all(analyst)) EXPECT_EQ(status, 404) << "the revoke counts at once";
  HttpResult session = Call(*clients[0], "GET", "/v1/session", analyst);
  EXPECT_EQ(session.json["compartments"], Json::array({"CT-A"})) << session.body;

  // A demotion: a supervisor made auditor may no longer read dossiers.
  const std::string supervisor = world.Login(*clients[1], "supervisor-0");
  const std::string a_subject = SubjectIn(world, "CT-A");
  ASSERT_EQ(Call(*clients[1], "GET", "/v1/persons/" + a_subject, supervisor).status, 200);
  ASSERT_EQ(
      Call(*admin_client, "POST", "/v1/users/supervisor-0/role", admin, R"({"role":"auditor"})")
          .status,
      200);
  // Refused like a missing person (the role may not read dossiers).
  EXPECT_EQ(Call(*clients[1], "GET", "/v1/persons/" + a_subject, supervisor).status, 404);
  EXPECT_EQ(Call(*clients[1], "GET", "/v1/session", supervisor).json["role"], "auditor");

  // A password reset by an admin ends every session of the user.
  const std::string second = world.Login(*clients[2], "analyst-0");
  ASSERT_EQ(Call(*admin_client, "POST", "/v1/users/analyst-0/password", admin,
                 R"({"password":"a reset password"})")
                .status,
            200);
  for (const std::string& token : {analyst, second}) {
    HttpResult ended = Call(*clients[2], "GET", "/v1/status", token);
    EXPECT_EQ(ended.status, 401) << ended.body;
  }

  // Disabling ends the sessions and the logins; enabling allows logins.
  const std::string auditor = world.Login(*clients[3], "auditor-0");
  ASSERT_EQ(Call(*clients[3], "GET", "/v1/status", auditor).status, 200);
  ASSERT_EQ(
      Call(*admin_client, "POST", "/v1/users/auditor-0/disabled", admin, R"({"disabled":true})")
          .status,
      200);
  EXPECT_EQ(Call(*clients[3], "GET", "/v1/status", auditor).status, 401);
  EXPECT_EQ(world.Login(*clients[3], "auditor-0"), "");
  ASSERT_EQ(
      Call(*admin_client, "POST", "/v1/users/auditor-0/disabled", admin, R"({"disabled":false})")
          .status,
      200);
  EXPECT_NE(world.Login(*clients[3], "auditor-0"), "");
}

TEST(ServerHardening, OwnPasswordChangeKeepsThisSessionAndEndsTheOthers) {
  ServerWorld world("ownpw", UsersFor({{"CT-A"}}), ManyLogins());
  auto client = world.Client();
  const std::string here = world.Login(*client, "analyst-0");
  const std::string elsewhere = world.Login(*client, "analyst-0");
  ASSERT_FALSE(here.empty());
  ASSERT_EQ(Call(*client, "POST", "/v1/session/password", here,
                 Json{{"current_password", kPassword}, {"new_password", "a fresh secret"}}.dump())
                .status,
            200);
  EXPECT_EQ(Call(*client, "GET", "/v1/status", here).status, 200);
  EXPECT_EQ(Call(*client, "GET", "/v1/status", elsewhere).status, 401);
}

TEST(ServerHardening, TheCliRevokingBesideTheServerCountsAtTheNextRequest) {
  ServerWorld world("clirevoke", UsersFor({{"CT-A", "CT-B"}}), ManyLogins());
  const std::string b_subject = SubjectIn(world, "CT-B");
  auto client = world.Client();
  const std::string analyst = world.Login(*client, "analyst-0");
  ASSERT_EQ(Call(*client, "GET", "/v1/persons/" + b_subject, analyst).status, 200);
  // Another process writes the store: the vigil binary, as admin-0.
  const std::string command = "VIGIL_USER=admin-0 VIGIL_PASSWORD='" + std::string(kPassword) +
                              "' VIGIL_PURPOSE=test VIGIL_AUDIT_KEY=" + world.dir() +
                              "/audit.key " + std::getenv("VIGIL_BIN") +
                              " user revoke analyst-0 CT-B --db " + world.db() + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  ASSERT_EQ(pclose(pipe), 0) << output;
  EXPECT_EQ(Call(*client, "GET", "/v1/persons/" + b_subject, analyst).status, 404);
}

// The network view after a link decision: rejecting a person's selectors
// takes their calls out of the graph the server answers from.
TEST(ServerHardening, ARejectedLinkLeavesTheNetworkViewAtTheNextRequest) {
  ServerWorld world("netreject", UsersFor({{"*"}}), ManyLogins());
  auto client = world.Client();
  const std::string analyst = world.Login(*client, "analyst-0");
  ASSERT_FALSE(analyst.empty());
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok());
  // A subject with at least one contact through their own selectors.
  std::string seed;
  std::vector<Attribution> links;
  size_t before = 0;
  for (const Person& p : world.persons()) {
    if (p.status != PersonStatus::kSubject) continue;
    HttpResult r = Call(*client, "GET", "/v1/network/expand?hops=1&seeds=" + p.person_id, analyst);
    ASSERT_EQ(r.status, 200) << r.body;
    auto owned = (*store)->AttributionsOfPerson(p.person_id);
    ASSERT_TRUE(owned.ok());
    if (!r.json["hits"].empty() && !owned->empty()) {
      seed = p.person_id;
      links = *owned;
      before = r.json["hits"].size();
      break;
    }
  }
  ASSERT_FALSE(seed.empty());
  for (const Attribution& link : links) {
    HttpResult rejected =
        Call(*client, "POST", "/v1/links/reject", analyst,
             Json{{"selector", link.selector}, {"person_id", seed}, {"reason", "test"}}.dump());
    ASSERT_EQ(rejected.status, 200) << rejected.body;
  }
  HttpResult after = Call(*client, "GET", "/v1/network/expand?hops=1&seeds=" + seed, analyst);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_LT(after.json["hits"].size(), before) << after.body;
}

// Probing for another compartment's case ids by creating cases: an id
// taken elsewhere is free here, and only a collision in the user's own
// compartment is a 409.
TEST(ServerHardening, CaseIdsDoNotLeakAcrossCompartments) {
  ServerWorld world("caseids", UsersFor({{"CT-A"}, {"CT-B"}}), ManyLogins());
  auto client = world.Client();
  const std::string a = world.Login(*client, "supervisor-0");
  const std::string b = world.Login(*client, "supervisor-1");
  ASSERT_EQ(Call(*client, "POST", "/v1/cases", b, R"({"case_id":"OP-NIGHT","compartment":"CT-B"})")
                .status,
            200);
  HttpResult probe =
      Call(*client, "POST", "/v1/cases", a, R"({"case_id":"OP-NIGHT","compartment":"CT-A"})");
  EXPECT_EQ(probe.status, 200) << probe.body;
  HttpResult again =
      Call(*client, "POST", "/v1/cases", a, R"({"case_id":"OP-NIGHT","compartment":"CT-A"})");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.body.find("CT-B"), std::string::npos) << again.body;
  // Each sees one case of that id, their own, and links into it.
  const std::string a_subject = SubjectIn(world, "CT-A");
  ASSERT_EQ(Call(*client, "POST", "/v1/cases/OP-NIGHT/links", a,
                 Json{{"person_id", a_subject}, {"category", "suspect"}}.dump())
                .status,
            200);
  for (const auto& [token, compartment, links] :
       {std::tuple{a, "CT-A", 1u}, std::tuple{b, "CT-B", 0u}}) {
    HttpResult cases = Call(*client, "GET", "/v1/cases", token);
    ASSERT_EQ(cases.status, 200) << cases.body;
    int seen = 0;
    for (const Json& c : cases.json["cases"]) {
      if (c["case_id"] != "OP-NIGHT") continue;
      ++seen;
      EXPECT_EQ(c["compartment"], compartment) << cases.body;
      EXPECT_EQ(c["links"].size(), links) << cases.body;
    }
    EXPECT_EQ(seen, 1) << cases.body;
  }
}

TEST(ServerHardening, NobodyLocksAUserOutFromAnotherAddress) {
  FakeClock clock(1'800'000'000);
  server::LoginLimiter limiter(clock, /*burst=*/5, /*per_minute=*/10);
  // The user logs in from their workstation once.
  ASSERT_EQ(limiter.Take("10.0.0.1", "ana"), 0);
  limiter.Record("10.0.0.1", "ana", true);
  // An attacker spends every allowance from many addresses.
  int refused = 0;
  for (int address = 0; address < 200; ++address) {
    const std::string from = "192.0.2." + std::to_string(address);
    for (int attempt = 0; attempt < 5; ++attempt) {
      if (limiter.Take(from, "ana") > 0) {
        ++refused;
        continue;
      }
      limiter.Record(from, "ana", false);
    }
  }
  // Distributed guessing is slowed to the per-user failure rate...
  EXPECT_GT(refused, 900);
  // ... while the user at their workstation still logs in.
  EXPECT_EQ(limiter.Take("10.0.0.1", "ana"), 0);
  // A user never seen at an address waits like the attacker.
  EXPECT_GT(limiter.Take("198.51.100.7", "ana"), 0);
  // The per-(user, address) allowance still limits one address.
  for (int attempt = 0; attempt < 4; ++attempt) limiter.Take("10.0.0.1", "ana");
  EXPECT_GT(limiter.Take("10.0.0.1", "ana"), 0);
}

}  // namespace
}  // namespace vigil::testing
