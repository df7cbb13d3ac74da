// Three installations as users run them: `vigil identity`, `vigil partner`,
// `vigil share` and `vigil serve` (real binaries, their own stores and keys,
// random loopback ports). A sends a deny-entry request to B over HTTP, B's
// inbox answers with a signed receipt, B reads and answers it; an
// AMBER+STRICT request B tries to forward to C is refused; a RED request
// never leaves A; a tampered, a replayed, an unknown sender's and a
// misaddressed envelope are refused by B's inbox; A's outbox survives a
// kill -9 of A while B is down and delivers once B is back; an unanswered
// request past its deadline raises an alert at A; the ledger shows every
// state.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "vigil/share.h"

namespace vigil::share {
namespace {

using Json = nlohmann::json;

std::pair<int, std::string> RunVigil(const std::string& args) {
  const std::string command = std::string(std::getenv("VIGIL_BIN")) + " " + args + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {status, output};
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Polls `done` every 100 ms for at most `seconds`.
template <typename Done>
bool WaitFor(Done done, int seconds) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

// One installation: a store, an identity and, while it runs, `vigil serve`.
class Installation {
 public:
  Installation(std::string name, const std::string& dir)
      : name_(std::move(name)),
        db_(dir + "/" + name_ + ".db"),
        log_(dir + "/" + name_ + ".log"),
        port_(FreePort()) {}
  ~Installation() { Kill(SIGKILL); }

  const std::string& name() const { return name_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string key_path() const { return db_ + ".share-key"; }

  std::pair<int, std::string> Vigil(const std::string& args) const {
    return RunVigil("--db " + db_ + " " + args);
  }

  // Starts `vigil serve` and waits until it answers.
  void Start() {
    ASSERT_EQ(pid_, -1);
    pid_ = ::fork();
    ASSERT_GE(pid_, 0);
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      const std::string port = std::to_string(port_);
      const char* bin = std::getenv("VIGIL_BIN");
      ::execl(bin, bin, "--db", db_.c_str(), "serve", "--port", port.c_str(), "--web-root", "none",
              "--threads", "4", "--share-poll-ms", "200", "--share-retry-base", "1",
              "--share-retry-max", "2", "--share-escalate", "1", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ASSERT_TRUE(WaitFor(
        [&] {
          httplib::Client client(url());
          client.set_connection_timeout(1, 0);
          auto reply = client.Get("/healthz");
          return reply && reply->status == 200;
        },
        30))
        << name_ << " did not start; log:\n"
        << Log();
  }

  void Kill(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // The ledger rows (`vigil share status --all`), keyed by direction and id.
  std::map<std::string, Json> Ledger() const {
    auto [rc, out] = Vigil("--format jsonl share status --all");
    std::map<std::string, Json> rows;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      Json row = Json::parse(line, nullptr, false);
      if (row.is_object() && row.contains("message_id")) {
        rows[row["direction"].get<std::string>() + ":" + row["message_id"].get<std::string>()] =
            row;
      }
    }
    return rows;
  }

  Json Row(const std::string& direction, const std::string& id) const {
    auto rows = Ledger();
    auto found = rows.find(direction + ":" + id);
    return found == rows.end() ? Json() : found->second;
  }

 private:
  std::string name_;
  std::string db_;
  std::string log_;
  int port_;
  pid_t pid_ = -1;
};

std::string QueuedId(const std::string& out) {
  std::smatch match;
  if (std::regex_search(out, match, std::regex("queued [a-z_]+ ([0-9a-f]{32})"))) return match[1];
  return "";
}

bool Has(const Json& row, const char* field) {
  return row.is_object() && row.contains(field) && row[field].is_string() &&
         !row[field].get<std::string>().empty();
}

class ShareInstallationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(std::getenv("VIGIL_BIN"), nullptr);
    dir_ = (std::filesystem::temp_directory_path() /
            ("vigil-share-inst-" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    a_ = std::make_unique<Installation>("A", dir_);
    b_ = std::make_unique<Installation>("B", dir_);
    c_ = std::make_unique<Installation>("C", dir_);
    for (Installation* inst : {a_.get(), b_.get(), c_.get()}) {
      auto [rc, out] = inst->Vigil("identity init");
      ASSERT_EQ(rc, 0) << out;
      std::smatch match;
      ASSERT_TRUE(std::regex_search(out, match, std::regex("public key (\\S+)"))) << out;
      keys_[inst->name()] = match[1];
    }
    auto link = [&](Installation& from, Installation& to) {
      auto [rc, out] = from.Vigil("partner add " + to.name() + " --url " + to.url() + " --key " +
                                  keys_[to.name()]);
      ASSERT_EQ(rc, 0) << out;
    };
    link(*a_, *b_);
    link(*a_, *c_);
    link(*b_, *a_);
    link(*b_, *c_);
    link(*c_, *b_);
    for (auto [from, to] : {std::pair{a_.get(), "B"}, std::pair{b_.get(), "C"}}) {
      auto [rc, out] = from->Vigil(std::string("partner agree ") + to +
                                   " --kinds request,watchlist_entry"
                                   " --fields names,identifiers,birth_date"
                                   " --legal-basis 'Treaty on CT cooperation, art. 4'");
      ASSERT_EQ(rc, 0) << out;
    }
  }

  std::string Request(Installation& from, const std::string& to, const std::string& type,
                      const std::string& marking, const std::string& deadline, int* rc_out,
                      std::string* out_text) {
    auto [rc, out] = from.Vigil("share request --to " + to + " --type " + type +
                                " --name 'Ana Perez' --name 'Anna Peres'"
                                " --identifier passport:X1234567 --birth-date 1990-02-03"
                                " --legal-basis 'Art. 5 CT Act' --action 'deny entry and call'"
                                " --deadline " +
                                deadline + " --contact 'duty desk' --marking '" + marking + "'");
    if (rc_out != nullptr) *rc_out = rc;
    if (out_text != nullptr) *out_text = out;
    return QueuedId(out);
  }

  std::string dir_;
  std::map<std::string, std::string> keys_;
  std::unique_ptr<Installation> a_, b_, c_;
};

TEST_F(ShareInstallationsTest, RequestsReceiptsMarkingsFaultsAndLedgerAcrossThreeServers) {
  // A RED request never leaves A: refused before it is queued.
  int rc = 0;
  std::string out;
  EXPECT_EQ(Request(*a_, "B", "deny_entry", "RED", "2099-01-01T00:00:00Z", &rc, &out), "");
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("TLP:RED never leaves"), std::string::npos) << out;
  // No agreement with C: refused.
  Request(*a_, "C", "deny_entry", "GREEN", "2099-01-01T00:00:00Z", &rc, &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("no sharing agreement"), std::string::npos) << out;

  b_->Start();
  c_->Start();
  const std::string deny =
      Request(*a_, "B", "deny_entry", "AMBER", "2099-01-01T00:00:00Z", nullptr, &out);
  ASSERT_FALSE(deny.empty()) << out;
  const std::string strict =
      Request(*a_, "B", "discreet_check", "AMBER+STRICT", "2099-01-01T00:00:00Z", nullptr, &out);
  ASSERT_FALSE(strict.empty()) << out;
  // Due in three seconds: nobody will answer it.
  const std::string soon_deadline = [] {
    const std::time_t t = std::time(nullptr) + 3;
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return std::string(text);
  }();
  const std::string ignored =
      Request(*a_, "B", "inquiry_check", "AMBER", soon_deadline, nullptr, &out);
  ASSERT_FALSE(ignored.empty()) << out;

  a_->Start();
  ASSERT_TRUE(WaitFor(
      [&] {
        return Has(a_->Row("out", deny), "receipt") && Has(a_->Row("out", strict), "receipt") &&
               Has(a_->Row("out", ignored), "receipt");
      },
      60))
      << a_->Log() << b_->Log();
  // B holds each once, with the marking it was sent under.
  EXPECT_EQ(b_->Row("in", strict)["marking"], "AMBER+STRICT");
  EXPECT_EQ(b_->Row("in", deny)["type"], "deny_entry");

  // B's analyst reads and answers the deny-entry request; A learns both.
  auto [read_rc, read_out] = b_->Vigil("share read " + deny + " --from A");
  ASSERT_EQ(read_rc, 0) << read_out;
  EXPECT_NE(read_out.find("X1234567"), std::string::npos) << read_out;
  auto [answer_rc, answer_out] =
      b_->Vigil("share answer " + deny + " --from A --text 'entry denied at MAD T4'");
  ASSERT_EQ(answer_rc, 0) << answer_out;
  ASSERT_TRUE(WaitFor([&] { return Has(a_->Row("out", deny), "answered"); }, 60)) << b_->Log();
  const Json row = a_->Row("out", deny);
  for (const char* state : {"queued", "sent", "delivered", "receipt", "read", "answered"}) {
    EXPECT_TRUE(Has(row, state)) << state << " missing: " << row.dump();
  }
  EXPECT_EQ(row["answer"], "entry denied at MAD T4");

  // B may not re-share A's AMBER+STRICT request with C; nothing reaches C.
  auto [forward_rc, forward_out] = b_->Vigil("share forward " + strict + " --from A --to C");
  EXPECT_NE(forward_rc, 0);
  EXPECT_NE(forward_out.find("AMBER+STRICT"), std::string::npos) << forward_out;
  EXPECT_TRUE(c_->Ledger().empty());

  // A stored watch-list entry shared GREEN with B may go on to C.
  auto [listed_rc, listed_out] = a_->Vigil("watchlist add E9 --list national --name 'Omar Haddad'");
  ASSERT_EQ(listed_rc, 0) << listed_out;
  auto [entry_rc, entry_out] =
      a_->Vigil("share watchlist --to B --entry-id E9 --legal-basis 'Art. 5' --marking GREEN");
  ASSERT_EQ(entry_rc, 0) << entry_out;
  const std::string entry = QueuedId(entry_out);
  ASSERT_TRUE(WaitFor([&] { return Has(b_->Row("in", entry), "delivered"); }, 60)) << a_->Log();
  auto [green_rc, green_out] = b_->Vigil("share forward " + entry + " --from A --to C");
  ASSERT_EQ(green_rc, 0) << green_out;
  const std::string forwarded = QueuedId(green_out);
  ASSERT_TRUE(WaitFor([&] { return Has(c_->Row("in", forwarded), "delivered"); }, 60))
      << b_->Log() << c_->Log();
  EXPECT_EQ(c_->Row("in", forwarded)["marking"], "GREEN");
  int at_c = 0;
  for (const auto& [key, ledger_row] : c_->Ledger()) at_c += ledger_row["direction"] == "in";
  EXPECT_EQ(at_c, 1) << "C holds the GREEN entry only";

  // The unanswered request past its deadline: overdue, escalated, alerted.
  ASSERT_TRUE(WaitFor([&] { return Has(a_->Row("out", ignored), "escalated"); }, 60)) << a_->Log();
  EXPECT_EQ(a_->Row("out", ignored)["overdue"], "yes");
  auto [status_rc, status_out] = a_->Vigil("share status");
  EXPECT_EQ(status_rc, 0);
  EXPECT_NE(status_out.find(ignored), std::string::npos) << status_out;
  EXPECT_EQ(status_out.find(deny), std::string::npos) << "an answered request is not listed";
  auto [alerts_rc, alerts_out] = a_->Vigil("--format csv alerts --all");
  EXPECT_NE(alerts_out.find("share_overdue"), std::string::npos) << alerts_out;

  // An attacker on the wire, speaking to B's inbox directly.
  Result<Identity> a_identity = LoadIdentity(a_->key_path());
  ASSERT_TRUE(a_identity.ok());
  Result<std::array<unsigned char, kPublicKeyBytes>> b_key = ParsePublicKey(keys_["B"]);
  Result<std::array<unsigned char, kPublicKeyBytes>> c_key = ParsePublicKey(keys_["C"]);
  Envelope fresh;
  fresh.sender = a_identity->key_id;
  fresh.recipient = KeyIdOf(*b_key);
  fresh.message_id = NewMessageId();
  fresh.created_at = std::time(nullptr);
  fresh.kind = kKindWatchlistEntry;
  fresh.marking = Marking::kGreen;
  fresh.payload = R"({"entry_id":"E9","legal_basis":"Art. 5","names":["Omar Haddad"]})";
  Sign(&fresh, *a_identity);
  const std::string genuine = SerializeEnvelope(fresh);
  httplib::Client b_client(b_->url());
  auto post = [&](const std::string& body) {
    auto reply = b_client.Post("/v1/share/inbox", body, "application/json");
    return reply ? std::make_pair(reply->status, reply->body) : std::make_pair(0, std::string());
  };
  // Genuine: accepted, with a receipt signed by B.
  auto [ok_status, ok_body] = post(genuine);
  ASSERT_EQ(ok_status, 200) << ok_body;
  Result<Envelope> receipt = ParseEnvelope(Json::parse(ok_body)["receipt"].get<std::string>());
  ASSERT_TRUE(receipt.ok());
  EXPECT_TRUE(Verify(*receipt, *b_key).ok());
  EXPECT_EQ(receipt->kind, kKindReceipt);
  // Replayed: refused (409), nothing stored again, the original receipt back.
  auto [replay_status, replay_body] = post(genuine);
  EXPECT_EQ(replay_status, 409) << replay_body;
  EXPECT_NE(replay_body.find("replay"), std::string::npos);
  EXPECT_EQ(Json::parse(replay_body)["receipt"], Json::parse(ok_body)["receipt"]);
  // Tampered: the name changed in transit.
  Json tampered = Json::parse(genuine);
  tampered["message_id"] = NewMessageId();
  auto [tamper_status, tamper_body] = post(tampered.dump());
  EXPECT_EQ(tamper_status, 403) << tamper_body;
  EXPECT_NE(tamper_body.find("bad signature"), std::string::npos) << tamper_body;
  // Unknown sender.
  Result<Identity> stranger = CreateIdentity(dir_ + "/stranger.key");
  Envelope unknown = fresh;
  unknown.sender = stranger->key_id;
  unknown.message_id = NewMessageId();
  Sign(&unknown, *stranger);
  auto [unknown_status, unknown_body] = post(SerializeEnvelope(unknown));
  EXPECT_EQ(unknown_status, 403);
  EXPECT_NE(unknown_body.find("unknown key"), std::string::npos) << unknown_body;
  // Addressed to C, sent to B.
  Envelope misaddressed = fresh;
  misaddressed.recipient = KeyIdOf(*c_key);
  misaddressed.message_id = NewMessageId();
  Sign(&misaddressed, *a_identity);
  auto [wrong_status, wrong_body] = post(SerializeEnvelope(misaddressed));
  EXPECT_EQ(wrong_status, 403);
  EXPECT_NE(wrong_body.find("addressed to key"), std::string::npos) << wrong_body;
  // Garbage.
  auto [bad_status, bad_body] = post("{\"v\":1}");
  EXPECT_EQ(bad_status, 400) << bad_body;
  // A stranger posting garbage is cut off (429) before it can fill B's
  // audit log; every refusal it did cause is audited.
  int limited = 0;
  for (int i = 0; i < 40; ++i)
    limited += post("{\"garbage\": " + std::to_string(i) + "}").first == 429;
  EXPECT_GE(limited, 5);
  EXPECT_EQ(b_->Ledger().count("in:" + fresh.message_id), 1u);
  EXPECT_EQ(b_->Ledger().count("in:" + tampered["message_id"].get<std::string>()), 0u);

  // B goes down; A queues a request, fails to deliver it, and is killed.
  b_->Kill(SIGTERM);
  const std::string later =
      Request(*a_, "B", "arrest", "AMBER", "2099-01-01T00:00:00Z", nullptr, &out);
  ASSERT_FALSE(later.empty()) << out;
  ASSERT_TRUE(WaitFor([&] { return Has(a_->Row("out", later), "last_error"); }, 30)) << a_->Log();
  a_->Kill(SIGKILL);
  EXPECT_FALSE(Has(a_->Row("out", later), "delivered"));
  // Both come back; the stored outbox is delivered once.
  b_->Start();
  a_->Start();
  ASSERT_TRUE(WaitFor([&] { return Has(a_->Row("out", later), "receipt"); }, 60))
      << a_->Log() << b_->Log();
  const Json resumed = a_->Row("out", later);
  EXPECT_GE(std::stoi(resumed["attempts"].get<std::string>()), 2) << resumed.dump();
  EXPECT_EQ(b_->Row("in", later)["type"], "arrest");
  // B keeps exactly one copy of each message A sent it.
  int from_a = 0;
  for (const auto& [key, ledger_row] : b_->Ledger()) {
    if (ledger_row["direction"] == "in" && ledger_row["partner"] == "A") ++from_a;
  }
  EXPECT_EQ(from_a, 6);  // deny, strict, ignored, E9, the attacker's genuine one, later

  // The audit logs: A's transfers and B's refusals are there.
  for (Installation* inst : {a_.get(), b_.get()}) {
    inst->Kill(SIGTERM);
    auto [verify_rc, verify_out] = inst->Vigil("audit verify");
    EXPECT_EQ(verify_rc, 0) << inst->name() << ": " << verify_out;
  }
  auto [audit_rc, audit_out] = b_->Vigil("--format csv audit query");
  ASSERT_EQ(audit_rc, 0) << audit_out;
  int refused_in = 0;
  std::istringstream audit_lines(audit_out);
  std::string audit_line;
  while (std::getline(audit_lines, audit_line)) {
    if (audit_line.find("share:in:") != std::string::npos &&
        audit_line.find("exchange_share") != std::string::npos &&
        audit_line.find(",refused,") != std::string::npos) {
      ++refused_in;
    }
  }
  EXPECT_GE(refused_in, 5) << audit_out.substr(0, 4000);
}

}  // namespace
}  // namespace vigil::share
