// The server's robustness: a request past its processing deadline answers
// 503 with a JSON error body, and what is ingested while the server runs
// reaches the network routes (new ties, through the graph update) and the
// dossier (new watch-list entries, through the name index's generation).
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "server/admission.h"
#include "server_world.h"
#include "vigil/graph.h"

namespace vigil::testing {
namespace {

std::vector<TestUser> Analyst() { return {{"ana", Role::kAnalyst, {"*"}}}; }

void ExpectJsonError(const HttpResult& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  ASSERT_TRUE(r.json.contains("error")) << r.body;
  EXPECT_EQ(r.json["error"]["code"], code) << r.body;
  EXPECT_FALSE(r.json["error"]["message"].get<std::string>().empty());
}

// The ids of the hits of a 1-hop expansion around `seed`.
std::set<std::string> Neighbours(httplib::Client& client, const std::string& token,
                                 const std::string& seed) {
  HttpResult r = ServerWorld::Call(
      client, "GET", "/v1/network/expand?seeds=" + seed + "&hops=1&limit=10000", token);
  EXPECT_EQ(r.status, 200) << r.body;
  std::set<std::string> ids;
  if (r.status != 200) return ids;
  for (const Json& hit : r.json["hits"]) ids.insert(hit["id"].get<std::string>());
  return ids;
}

// Persons with a phone number of their own (a source attribution).
std::vector<std::pair<std::string, std::string>> PhonesOfPersons(const std::string& db) {
  std::vector<std::pair<std::string, std::string>> phones;
  auto store = OpenSqliteStore(db);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return phones;
  std::set<std::string> seen;
  Status scanned = (*store)->ScanAttributions([&](const Attribution& a) {
    if (a.state == AttributionState::kSource && a.selector.starts_with("msisdn:") &&
        seen.insert(a.person_id).second) {
      phones.emplace_back(a.person_id, a.selector);
    }
    return true;
  });
  EXPECT_TRUE(scanned.ok()) << scanned.ToString();
  return phones;
}

// Writes `file` (under a folder of its own in the world's directory) and
// ingests it into the server's store through a connection of its own, as
// `vigil ingest` would while the server runs.
void IngestWhileServing(ServerWorld& world, const std::string& folder, const std::string& file,
                        const std::string& text) {
  const std::string dir = world.dir() + "/" + folder;
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/" + file) << text;
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  std::vector<FileIngestResult> results;
  Status ingested = IngestPaths(**store, {dir}, IngestOptions{}, &results);
  ASSERT_TRUE(ingested.ok()) << ingested.ToString();
}

TEST(ServerRobustness, RequestPastItsDeadlineAnswers503WithAJsonBody) {
  ServerOptions options;
  options.request_deadline_s = 1e-6;  // every handler runs past it
  ServerWorld world("deadline", Analyst(), options);
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  ASSERT_FALSE(token.empty());
  ExpectJsonError(ServerWorld::Call(*client, "GET", "/v1/network/communities", token), 503,
                  "deadline_exceeded");
  ExpectJsonError(
      ServerWorld::Call(*client, "GET", "/v1/network/centrality?measure=betweenness", token), 503,
      "deadline_exceeded");
  // The server itself stays healthy, and the refusal is in the request log.
  EXPECT_EQ(ServerWorld::Call(*client, "GET", "/healthz", "").status, 200);
  bool logged = false;
  for (const std::string& line : world.LogLines()) {
    Json parsed = Json::parse(line, nullptr, false);
    logged |=
        parsed.is_object() && parsed["status"] == 503 && parsed["error"] == "deadline_exceeded";
  }
  EXPECT_TRUE(logged);
}

TEST(ServerRobustness, DefaultDeadlineLetsOrdinaryQuestionsThrough) {
  ServerWorld world("no-deadline", Analyst());
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  HttpResult r = ServerWorld::Call(*client, "GET", "/v1/network/communities", token);
  EXPECT_EQ(r.status, 200) << r.body;
}

// GET /v1/network/communities and `vigil network communities` (which runs
// Communities with DefaultCommunityOptions on the store's graph) give the
// same partition of the same store, and the broker flags the workbench shows
// rest on it too.
TEST(ServerRobustness, CommunitiesMatchTheCliDefault) {
  ServerWorld world("communities", Analyst());
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  ASSERT_FALSE(token.empty());
  HttpResult r = ServerWorld::Call(*client, "GET", "/v1/network/communities", token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto graph = BuildGraphFromStore(**store);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  Communities cli(*graph, DefaultCommunityOptions(*graph));
  ASSERT_TRUE(cli.run().ok());
  Communities unweighted(*graph);
  ASSERT_TRUE(unweighted.run().ok());
  ASSERT_EQ(r.json["members"].size(), graph->node_count());
  // Same partition: the API's community ids map one to one onto the CLI's.
  std::map<uint64_t, uint32_t> api_to_cli;
  std::map<uint32_t, uint64_t> cli_to_api;
  size_t differs_from_unweighted = 0;
  for (const Json& member : r.json["members"]) {
    const std::string id = member["id"].get<std::string>();
    auto node = graph->Find(id);
    ASSERT_TRUE(node.ok()) << id;
    const uint64_t api = member["community"].get<uint64_t>();
    const uint32_t mine = cli.membership()[*node];
    EXPECT_EQ(api_to_cli.emplace(api, mine).first->second, mine) << id;
    EXPECT_EQ(cli_to_api.emplace(mine, api).first->second, api) << id;
    differs_from_unweighted += api != unweighted.membership()[*node];
  }
  EXPECT_EQ(r.json["communities"].get<size_t>(), cli.community_count());
  // The old unweighted default is a different partition on this world, so
  // the comparison above can tell the two apart.
  EXPECT_NE(cli.community_count() == unweighted.community_count() && differs_from_unweighted == 0,
            true);
  // Asking for the old partition explicitly still works.
  HttpResult none =
      ServerWorld::Call(*client, "GET", "/v1/network/communities?weights=none", token);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json["communities"].get<size_t>(), unweighted.community_count());
}

TEST(ServerRobustness, NetworkRoutesSeeCommsIngestedWhileServing) {
  ServerWorld world("fresh-graph", Analyst());
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  ASSERT_FALSE(token.empty());
  const auto phones = PhonesOfPersons(world.db());
  ASSERT_GE(phones.size(), 3u);
  const auto& [a, a_phone] = phones[0];
  const std::set<std::string> before = Neighbours(*client, token, a);  // builds the graph
  std::string b, b_phone;
  for (const auto& [person, phone] : phones) {
    if (person != a && before.count(person) == 0) {
      b = person;
      b_phone = phone;
      break;
    }
  }
  ASSERT_FALSE(b.empty()) << "every person is already a neighbour of " << a;
  IngestWhileServing(world, "late-comms", "comms.csv",
                     "time,src,dst,kind\n"
                     "2022-01-20T10:00:00Z," +
                         a_phone + "," + b_phone +
                         ",call\n"
                         "2022-01-21T10:00:00Z," +
                         b_phone + "," + a_phone + ",sms\n");
  const std::set<std::string> after = Neighbours(*client, token, a);
  EXPECT_EQ(after.count(b), 1u) << "the new tie " << a << " - " << b << " is not served";
  for (const std::string& id : before) EXPECT_EQ(after.count(id), 1u) << id;
  // And again: the updated graph is kept, not rebuilt or updated twice.
  EXPECT_EQ(Neighbours(*client, token, a), after);
}

TEST(ServerRobustness, DossierSeesWatchlistEntriesIngestedWhileServing) {
  ServerWorld world("fresh-watchlist", Analyst());
  auto client = world.Client();
  const std::string token = world.Login(*client, "ana");
  ASSERT_FALSE(token.empty());
  const Person& person = world.persons().front();
  auto entries = [&] {
    HttpResult r = ServerWorld::Call(*client, "GET", "/v1/persons/" + person.person_id, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> ids;
    for (const Json& entry : r.json["watchlist"]) ids.insert(entry["entry_id"].get<std::string>());
    return ids;
  };
  EXPECT_EQ(entries().count("LATE-1"), 0u);  // builds the index
  IngestWhileServing(world, "late-list", "watchlist.csv",
                     "entry_id,list,name,handling\nLATE-1,TEST,\"" + person.name + "\",amber\n");
  EXPECT_EQ(entries().count("LATE-1"), 1u);
}

// Spins (yielding) until `gate` has `n` requests waiting.
void WaitForWaiting(server::AdmissionGate& gate, int n) {
  while (gate.waiting() < n) std::this_thread::yield();
}

TEST(AdmissionGate, AdmitsAtMostItsLimitInArrivalOrder) {
  server::AdmissionGate gate(2);
  std::optional<server::AdmissionGate::Pass> first(gate.Enter());
  std::optional<server::AdmissionGate::Pass> second(gate.Enter());
  std::atomic<int> admitted{0};
  int third_at = -1, fourth_at = -1;
  std::thread third([&] {
    const auto pass = gate.Enter();
    third_at = admitted++;
  });
  WaitForWaiting(gate, 1);
  std::thread fourth([&] {
    const auto pass = gate.Enter();
    fourth_at = admitted++;
  });
  WaitForWaiting(gate, 2);
  EXPECT_EQ(admitted.load(), 0);  // two passes are held: both wait
  first.reset();                  // admits the third, whose exit admits the fourth
  third.join();
  fourth.join();
  EXPECT_EQ(third_at, 0);
  EXPECT_EQ(fourth_at, 1);
  EXPECT_EQ(gate.waiting(), 0);
  second.reset();
  // No limit: never waits.
  server::AdmissionGate open(0);
  std::vector<server::AdmissionGate::Pass> passes;
  for (int i = 0; i < 100; ++i) passes.push_back(open.Enter());
  EXPECT_EQ(open.waiting(), 0);
}

}  // namespace
}  // namespace vigil::testing
