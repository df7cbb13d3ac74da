// Decisions on watch-list matches found by screening
// (POST /v1/screening/matches/decide), tried as an attacker would: a match in
// another compartment (its entry or its record), a user without the right, a
// forged or malformed key, a replayed decision (with the session and after
// it ended), and a decision without a reason. Each refusal must be the same
// 404 as a missing match and leave no decision in the store; each accepted
// decision is durable and in the audit log.
#include <set>

#include "server_world.h"

namespace vigil::testing {
namespace {

constexpr char kLimited[] = "analyst-0";  // granted CT-A only
constexpr char kFull[] = "analyst-1";     // granted "*"

std::string FirstIn(const ServerWorld& world, const std::string& compartment) {
  for (const Person& p : world.persons()) {
    if (p.compartment == compartment) return p.person_id;
  }
  ADD_FAILURE() << "no person in " << compartment;
  return "";
}

// Two entries (CT-A, CT-B), a report about a person of each compartment, and
// the four matches between them, written with every right.
void PlantMatches(ServerWorld& world, const std::string& a, const std::string& b) {
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    SourceFile file;
    file.path = "match-reports";
    file.content_hash = "match-reports";
    file.kind = InputKind::kReports;
    auto writer = (*store)->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const auto& [id, person] : {std::pair{"RM-A", a}, std::pair{"RM-B", b}}) {
      Report report;
      report.report_id = id;
      report.time = 1'700'000'000;
      report.person_id = person;
      report.source = "test";
      report.text = "sighting of a listed name";
      ASSERT_TRUE((*writer)->Put(report).ok());
    }
    ASSERT_TRUE((*writer)->Commit(2).ok());
  }
  {
    SourceFile file;
    file.path = "match-entries";
    file.content_hash = "match-entries";
    file.kind = InputKind::kWatchlist;
    auto writer = (*store)->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const std::string c : {"CT-A", "CT-B"}) {
      WatchlistEntry entry;
      entry.entry_id = "ME-" + c;
      entry.list = "match-list";
      entry.name = "Listed Person";
      entry.attributes.emplace_back("x_compartment", c);
      ASSERT_TRUE((*writer)->Put(entry).ok());
    }
    ASSERT_TRUE((*writer)->Commit(2).ok());
  }
  std::vector<StoredWatchlistMatch> matches;
  for (const std::string report : {"RM-A", "RM-B"}) {
    for (const std::string entry : {"ME-CT-A", "ME-CT-B"}) {
      StoredWatchlistMatch m;
      m.source_kind = InputKind::kReports;
      m.source_id = report;
      m.entry_id = entry;
      m.score = 0.9;
      m.explanation = "name matched";
      m.seen_at = 1'700'000'000;
      m.screened_at = 1'700'000'100;
      matches.push_back(m);
    }
  }
  ASSERT_TRUE((*store)->PutScreeningResults(matches, {}).ok());
}

// Every stored decision, read through a second connection.
std::vector<MatchDecision> StoredDecisions(const ServerWorld& world) {
  std::vector<MatchDecision> out;
  auto store = OpenSqliteStore(world.db());
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return out;
  EXPECT_TRUE((*store)
                  ->ScanMatchDecisions([&](const MatchDecision& d) {
                    out.push_back(d);
                    return true;
                  })
                  .ok());
  return out;
}

Json Decide(const std::string& key, const std::string& decision, const std::string& reason) {
  Json body = {{"key", key}, {"decision", decision}};
  if (!reason.empty()) body["reason"] = reason;
  return body;
}

TEST(MatchDecisions, RefusedAlikeForHiddenForgedAndMissingMatchesAndKeptWhenAllowed) {
  ServerOptions options;
  options.login_burst = 100;
  ServerWorld world("matches", UsersFor({{"CT-A"}, {"*"}}), options);
  const std::string a = FirstIn(world, "CT-A");
  const std::string b = FirstIn(world, "CT-B");
  PlantMatches(world, a, b);
  Session s{world.Client(), {}};
  for (const TestUser& user : world.users()) {
    s.tokens[user.name] = world.Login(*s.client, user.name);
    ASSERT_FALSE(s.tokens[user.name].empty()) << user.name;
  }
  const std::string mine = MatchKey(InputKind::kReports, "RM-A", "ME-CT-A");

  // The queue shows the limited analyst only the match wholly in CT-A.
  HttpResult queue = s.Get(kLimited, "/v1/screening/matches");
  ASSERT_EQ(queue.status, 200) << queue.body;
  std::set<std::string> keys;
  for (const Json& m : queue.json["matches"]) keys.insert(m["key"].get<std::string>());
  EXPECT_EQ(keys, (std::set<std::string>{mine}));
  EXPECT_EQ(queue.body.find("RM-B"), std::string::npos);
  EXPECT_EQ(queue.json["matches"][0]["state"], "open");

  // A decision needs a reason and a known decision.
  EXPECT_EQ(s.Post(kLimited, "/v1/screening/matches/decide", Decide(mine, "confirm", "")).status,
            400);
  EXPECT_EQ(s.Post(kLimited, "/v1/screening/matches/decide", Decide(mine, "approve", "why")).status,
            400);

  // Hidden (entry, record or both), missing, forged and malformed keys, and
  // users without the right: one 404, the message of absence, nothing kept.
  const std::vector<std::pair<std::string, std::string>> refused = {
      {kLimited, MatchKey(InputKind::kReports, "RM-B", "ME-CT-B")},
      {kLimited, MatchKey(InputKind::kReports, "RM-B", "ME-CT-A")},
      {kLimited, MatchKey(InputKind::kReports, "RM-A", "ME-CT-B")},
      {kLimited, MatchKey(InputKind::kReports, "RM-NONE", "ME-CT-A")},
      {kLimited, MatchKey(InputKind::kTravel, "RM-A", "ME-CT-A")},
      {kLimited, "report/RM-A/x/ME-CT-A"},
      {kLimited, "report/RM-A%2FME-CT-A"},
      {kLimited, "report/RM-A/ME-CT-A%41"},
      {kLimited, "person/" + a + "/ME-CT-A"},
      {kLimited, "report//ME-CT-A"},
      {"auditor-1", mine},
      {"admin-1", mine},
  };
  for (const auto& [user, key] : refused) {
    HttpResult r = s.Post(user, "/v1/screening/matches/decide", Decide(key, "dismiss", "not them"));
    EXPECT_EQ(r.status, 404) << user << " " << key << ": " << r.body;
    EXPECT_EQ(r.json["error"]["message"], NotVisibleMessage("match", key)) << r.body;
  }
  EXPECT_TRUE(StoredDecisions(world).empty()) << "a refused decision was stored";

  // Allowed: kept with its reason, decider and state.
  HttpResult confirmed = s.Post(kLimited, "/v1/screening/matches/decide",
                                Decide(mine, "confirm", "same passport as the listed person"));
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json["state"], "confirmed");
  EXPECT_EQ(confirmed.json["decided_by"], kLimited);
  // A replay of the same decision changes nothing (409), with the session.
  HttpResult replay = s.Post(kLimited, "/v1/screening/matches/decide",
                             Decide(mine, "confirm", "same passport as the listed person"));
  EXPECT_EQ(replay.status, 409) << replay.body;
  // Another decision is a new entry of the history.
  HttpResult dismissed = s.Post(kFull, "/v1/screening/matches/decide",
                                Decide(mine, "dismiss", "the passport was a forgery"));
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(dismissed.json["state"], "dismissed");

  // A replay after the session ended is refused before anything is read.
  const std::string token = s.tokens.at(kFull);
  ASSERT_EQ(ServerWorld::Call(*s.client, "POST", "/v1/logout", token).status, 200);
  HttpResult late = ServerWorld::Call(*s.client, "POST", "/v1/screening/matches/decide", token,
                                      Decide(mine, "confirm", "replayed after logout").dump());
  EXPECT_EQ(late.status, 401) << late.body;

  // Durable: a second connection reads the two decisions, in order.
  std::vector<MatchDecision> stored = StoredDecisions(world);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].decision, MatchDecisionKind::kConfirmed);
  EXPECT_EQ(stored[0].decided_by, kLimited);
  EXPECT_EQ(stored[0].reason, "same passport as the listed person");
  EXPECT_EQ(stored[1].decision, MatchDecisionKind::kDismissed);
  EXPECT_EQ(stored[1].decided_by, kFull);
  EXPECT_EQ(stored[1].source_id, "RM-A");
  EXPECT_EQ(stored[1].entry_id, "ME-CT-A");

  // The queue shows the state and the history.
  HttpResult after = s.Get(kLimited, "/v1/screening/matches");
  ASSERT_EQ(after.status, 200) << after.body;
  ASSERT_EQ(after.json["matches"].size(), 1u);
  EXPECT_EQ(after.json["matches"][0]["state"], "dismissed");
  EXPECT_EQ(after.json["matches"][0]["decisions"].size(), 2u);

  // The audit log: both decisions about the report's person, with reasons,
  // and the refusals of the limited analyst.
  HttpResult audit = s.Get("auditor-0", "/v1/audit?subject=" + a);
  ASSERT_EQ(audit.status, 200) << audit.body;
  int decisions = 0;
  for (const Json& record : audit.json["records"]) {
    if (record["action"] == "decide_match" && record["object"] == "match:" + mine &&
        record["outcome"] == "allowed") {
      ++decisions;
    }
  }
  EXPECT_EQ(decisions, 2);
  HttpResult refusals = s.Get("auditor-0", std::string("/v1/audit?user=") + kLimited);
  ASSERT_EQ(refusals.status, 200);
  int refused_records = 0;
  for (const Json& record : refusals.json["records"]) {
    if (record["object"] == "match:" + MatchKey(InputKind::kReports, "RM-B", "ME-CT-B") &&
        record["outcome"] == "refused") {
      ++refused_records;
    }
  }
  EXPECT_EQ(refused_records, 1);

  // Newest first: the last records of the same question, latest at the top.
  HttpResult oldest = s.Get("auditor-0", std::string("/v1/audit?limit=100000&user=") + kLimited);
  HttpResult newest =
      s.Get("auditor-0", std::string("/v1/audit?newest=true&limit=2&user=") + kLimited);
  ASSERT_EQ(newest.status, 200) << newest.body;
  ASSERT_EQ(newest.json["records"].size(), 2u);
  ASSERT_GE(oldest.json["records"].size(), 2u);
  EXPECT_EQ(newest.json["records"][0]["seq"], oldest.json["records"].back()["seq"]);
  EXPECT_GT(newest.json["records"][0]["seq"].get<int64_t>(),
            newest.json["records"][1]["seq"].get<int64_t>());
}

TEST(MatchDecisions, KeysRoundTripAndRefuseAmbiguity) {
  const std::string key = MatchKey(InputKind::kTravel, "T/1%", "E/2");
  EXPECT_EQ(key, "travel/T%2F1%25/E%2F2");
  auto parsed = ParseMatchKey(key);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->source_kind, InputKind::kTravel);
  EXPECT_EQ(parsed->source_id, "T/1%");
  EXPECT_EQ(parsed->entry_id, "E/2");
  for (const char* bad : {"travel/a/b/c", "travel/a", "travel//b", "travel/a/", "custody/a/b",
                          "travel/a%2/b", "travel/a%41/b", ""}) {
    EXPECT_FALSE(ParseMatchKey(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace vigil::testing
