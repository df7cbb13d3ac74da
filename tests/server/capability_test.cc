// The capabilities the server gained in issue 5 (subject creation, watch
// levels, changes, cases, watch lists with four eyes, resolution, export,
// engine runs, accounts, retention, checkpoints): what they do through the
// API, the 400s their bodies give, and two oversight gaps closed with them
// (screening marks of partial users; alerts and profiles left by erasure).
#include <set>

#include "server/routes.h"
#include "server_world.h"

namespace vigil::testing {
namespace {

struct Tokens {
  std::unique_ptr<httplib::Client> client;
  std::map<std::string, std::string> of;  // user -> token
};

Tokens LogInAll(ServerWorld& world) {
  Tokens tokens{world.Client(), {}};
  for (const TestUser& user : world.users()) {
    tokens.of[user.name] = world.Login(*tokens.client, user.name);
    EXPECT_FALSE(tokens.of[user.name].empty()) << user.name;
  }
  return tokens;
}

// A subject of `compartment` in the world.
std::string SubjectIn(const ServerWorld& world, const std::string& compartment) {
  for (const Person& p : world.persons()) {
    if (p.status == PersonStatus::kSubject && p.compartment == compartment) return p.person_id;
  }
  ADD_FAILURE() << "no subject in " << compartment;
  return "";
}

std::string Message(const HttpResult& r) {
  if (!r.json.is_object() || !r.json.contains("error")) return "";
  return r.json["error"].value("message", "");
}

TEST(ServerCapabilities, BadBodiesAreClear400sNamingTheField) {
  ServerWorld world("capbad", UsersFor({{"*"}}), ManyLogins());
  Tokens t = LogInAll(world);
  const std::string analyst = t.of["analyst-0"];
  const std::string supervisor = t.of["supervisor-0"];
  const std::string admin = t.of["admin-0"];
  const std::string person = SubjectIn(world, "CT-A");
  struct BadCase {
    std::string token, target, body, field;
  };
  const std::vector<BadCase> cases = {
      {analyst, "/v1/persons", R"({"name":"X"})", "person_id"},
      {analyst, "/v1/persons", R"({"person_id":5,"name":"X"})", "person_id"},
      {analyst, "/v1/persons", R"({"person_id":"N1","name":"X"})", "legal_basis"},
      {analyst, "/v1/persons", R"({"person_id":"N1","name":"X","legal_basis":"L"})", "review_by"},
      {analyst, "/v1/persons",
       R"({"person_id":"N1","name":"X","legal_basis":"L","review_by":"2099-13-45"})", "review_by"},
      {analyst, "/v1/persons", R"({"person_id":"N1","name":"X","status":"suspect"})", "status"},
      {analyst, "/v1/persons", R"({"person_id":"N1","name":"X","colour":"red"})", "colour"},
      {analyst, "/v1/persons", R"({"person_id":"N1","name":"X","birth_date":"1990-02-31"})",
       "birth_date"},
      {analyst, "/v1/persons", R"({"person_id":"N1","name":"X","nationality":"Spain"})",
       "nationality"},
      {analyst, "/v1/persons", "{\"person_id\":\"N1\",\"name\":\"\xff\xfe\"}", "UTF-8"},
      {analyst, "/v1/persons", R"({"person_id": )", "JSON"},
      {analyst, "/v1/persons", R"(["person_id"])", "object"},
      {supervisor, "/v1/persons/" + person + "/watch", R"({"level":"sleepy","reason":"r"})",
       "level"},
      {supervisor, "/v1/persons/" + person + "/watch", R"({"level":"dormant"})", "reason"},
      {supervisor, "/v1/cases", R"({"case_id":"C1"})", "compartment"},
      {supervisor, "/v1/cases", R"({"case_id":"bad id!","compartment":"CT-A"})", "case_id"},
      {analyst, "/v1/cases/C1/links", R"({"person_id":"P1","category":3})", "category"},
      {analyst, "/v1/watchlist/entries", R"({"entry_id":"E1","list":"l"})", "name"},
      {analyst, "/v1/watchlist/entries",
       R"({"entry_id":"E1","list":"l","name":"N",)"
       R"("handling":"purple"})",
       "handling"},
      {supervisor, "/v1/watchlist/proposals/E1/refuse", R"({})", "reason"},
      {supervisor, "/v1/watchlist/lists/l", R"({"compartment":"CT-A","shared":"yes"})", "shared"},
      {analyst, "/v1/resolve", R"({"dry_run":"yes"})", "dry_run"},
      {analyst, "/v1/resolve", R"({"min_confidence":2})", "min_confidence"},
      {admin, "/v1/users", R"({"name":"u","role":"king","password":"a long secret"})", "role"},
      {admin, "/v1/users", R"({"name":"u","role":"analyst"})", "password"},
      {admin, "/v1/users/u/grant", R"({"compartment":["CT-A"]})", "compartment"},
      {admin, "/v1/retention/limits", R"({"category":"suspect","days":"many"})", "days"},
      {admin, "/v1/retention/limits", R"({"category":"suspect","days":0})", "days"},
      {admin, "/v1/retention/limits", R"({"category":"weather","days":10})", "category"},
  };
  for (const BadCase& c : cases) {
    HttpResult r = ServerWorld::Call(*t.client, "POST", c.target, c.token, c.body);
    EXPECT_EQ(r.status, 400) << c.target << " " << c.body << " -> " << r.body;
    EXPECT_NE(Message(r).find(c.field), std::string::npos)
        << c.target << " " << c.body << ": message should name " << c.field << ": " << r.body;
  }
  // Nothing was created by any of them.
  EXPECT_EQ(ServerWorld::Call(*t.client, "GET", "/v1/persons/N1", analyst).status, 404);
  // The server still answers.
  EXPECT_EQ(ServerWorld::Call(*t.client, "GET", "/healthz", "").status, 200);
}

TEST(ServerCapabilities, SubjectCreationWatchLevelAndChanges) {
  ServerWorld world("capsubject", UsersFor({{"CT-A"}}), ManyLogins());
  Tokens t = LogInAll(world);
  const std::string analyst = t.of["analyst-0"];
  const std::string supervisor = t.of["supervisor-0"];
  const std::string body =
      R"({"person_id":"NEW-1","name":"Nadia Example","aliases":"N. Ex|Nadia E",)"
      R"("compartment":"CT-A","legal_basis":"warrant 42",)"
      R"("review_by":"2099-06-30"})";
  HttpResult created = ServerWorld::Call(*t.client, "POST", "/v1/persons", analyst, body);
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json["status"], "subject");
  HttpResult again = ServerWorld::Call(*t.client, "POST", "/v1/persons", analyst, body);
  EXPECT_EQ(again.status, 409) << again.body;

  HttpResult dossier = ServerWorld::Call(*t.client, "GET", "/v1/persons/NEW-1", analyst);
  ASSERT_EQ(dossier.status, 200) << dossier.body;
  EXPECT_EQ(dossier.json["person"]["legal_basis"], "warrant 42");
  EXPECT_EQ(dossier.json["person"]["review_by"], "2099-06-30");
  EXPECT_EQ(dossier.json["person"]["aliases"].size(), 2u);

  // Creating into a compartment the analyst does not hold: the 404 of a
  // missing person.
  HttpResult elsewhere = ServerWorld::Call(
      *t.client, "POST", "/v1/persons", analyst,
      R"({"person_id":"NEW-2","name":"Y","status":"associate","compartment":"CT-B"})");
  EXPECT_EQ(elsewhere.status, 404) << elsewhere.body;
  EXPECT_EQ(Message(elsewhere), NotVisibleMessage("person", "NEW-2"));

  // Watch level: supervisors only; shows in the reviews list.
  HttpResult by_analyst = ServerWorld::Call(*t.client, "POST", "/v1/persons/NEW-1/watch", analyst,
                                            R"({"level":"dormant","reason":"quiet"})");
  EXPECT_EQ(by_analyst.status, 404) << by_analyst.body;
  HttpResult dormant = ServerWorld::Call(*t.client, "POST", "/v1/persons/NEW-1/watch", supervisor,
                                         R"({"level":"dormant","reason":"quiet"})");
  ASSERT_EQ(dormant.status, 200) << dormant.body;
  HttpResult reviews =
      ServerWorld::Call(*t.client, "GET", "/v1/reviews?due_by=2100-01-01", supervisor);
  ASSERT_EQ(reviews.status, 200) << reviews.body;
  bool listed = false;
  for (const Json& item : reviews.json["due"]) {
    if (item["person_id"] == "NEW-1") listed = item["state"] == "dormant";
  }
  EXPECT_TRUE(listed) << reviews.body;

  const std::string subject = SubjectIn(world, "CT-A");
  HttpResult changes = ServerWorld::Call(
      *t.client, "GET", "/v1/persons/" + subject + "/changes?since=2000-01-01", analyst);
  ASSERT_EQ(changes.status, 200) << changes.body;
  EXPECT_FALSE(changes.json["changes"].empty()) << "a subject of a 60-day world has history";
}

TEST(ServerCapabilities, CasesAreOpenedLinkedAndListedByCompartment) {
  ServerWorld world("capcases", UsersFor({{"CT-A"}, {"CT-B"}}), ManyLogins());
  Tokens t = LogInAll(world);
  const std::string person = SubjectIn(world, "CT-A");
  HttpResult opened = ServerWorld::Call(*t.client, "POST", "/v1/cases", t.of["supervisor-0"],
                                        R"({"case_id":"OP-LANTERN","compartment":"CT-A"})");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(ServerWorld::Call(*t.client, "POST", "/v1/cases", t.of["supervisor-0"],
                              R"({"case_id":"OP-LANTERN","compartment":"CT-A"})")
                .status,
            409);
  HttpResult linked =
      ServerWorld::Call(*t.client, "POST", "/v1/cases/OP-LANTERN/links", t.of["analyst-0"],
                        Json{{"person_id", person}, {"category", "witness"}}.dump());
  ASSERT_EQ(linked.status, 200) << linked.body;
  HttpResult listed = ServerWorld::Call(*t.client, "GET", "/v1/cases", t.of["analyst-0"]);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json["cases"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json["cases"][0]["links"][0]["person_id"], person);
  EXPECT_EQ(listed.json["cases"][0]["links"][0]["category"], "witness");
  // Another compartment sees no case, and cannot link to it.
  HttpResult other = ServerWorld::Call(*t.client, "GET", "/v1/cases", t.of["analyst-1"]);
  ASSERT_EQ(other.status, 200);
  EXPECT_TRUE(other.json["cases"].empty()) << other.body;
  HttpResult refused = ServerWorld::Call(
      *t.client, "POST", "/v1/cases/OP-LANTERN/links", t.of["analyst-1"],
      Json{{"person_id", SubjectIn(world, "CT-B")}, {"category", "contact"}}.dump());
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(Message(refused), NotVisibleMessage("case", "OP-LANTERN"));
}

TEST(ServerCapabilities, FourEyesOnListsSharedWithPartners) {
  ServerWorld world("capfoureyes", UsersFor({{"*"}, {"*"}}), ManyLogins());
  Tokens t = LogInAll(world);
  auto call = [&](const std::string& user, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return ServerWorld::Call(*t.client, method, target, t.of[user], body);
  };
  ASSERT_EQ(call("supervisor-0", "POST", "/v1/watchlist/lists/partners",
                 R"({"compartment":"CT-A","shared":true})")
                .status,
            200);
  HttpResult proposed = call("analyst-0", "POST", "/v1/watchlist/entries",
                             R"({"entry_id":"EP-1","list":"partners","name":"Jessica Brown",)"
                             R"("handling":"amber","reason":"partner request"})");
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  EXPECT_EQ(proposed.json["state"], "pending_approval");
  HttpResult pending = call("analyst-0", "GET", "/v1/watchlist/proposals");
  ASSERT_EQ(pending.status, 200);
  ASSERT_EQ(pending.json["proposals"].size(), 1u) << pending.body;
  EXPECT_TRUE(call("analyst-0", "GET", "/v1/watchlist?q=EP-1").json["entries"].empty());

  const std::string reviewed = pending.json["proposals"][0]["content_hash"].get<std::string>();
  EXPECT_EQ(pending.json["proposals"][0]["name"], "Jessica Brown");
  EXPECT_EQ(call("supervisor-0", "POST", "/v1/watchlist/proposals/EP-1/approve").status, 400)
      << "an approval names the content it approves";
  HttpResult approved = call("supervisor-0", "POST", "/v1/watchlist/proposals/EP-1/approve",
                             Json{{"content_hash", reviewed}}.dump());
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json["rescreen"]["done"], true) << approved.body;
  HttpResult listed = call("analyst-0", "GET", "/v1/watchlist?q=EP-1");
  ASSERT_EQ(listed.json["entries"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json["entries"][0]["handling"], "amber");

  // A supervisor's own proposal needs another supervisor: approving it
  // themselves is a clear 400; the other refuses it, and it is gone.
  ASSERT_EQ(call("supervisor-0", "POST", "/v1/watchlist/entries",
                 R"({"entry_id":"EP-2","list":"partners","name":"Somebody Else"})")
                .status,
            200);
  const std::string any_hash = Json{{"content_hash", std::string(64, '0')}}.dump();
  HttpResult own = call("supervisor-0", "POST", "/v1/watchlist/proposals/EP-2/approve", any_hash);
  EXPECT_EQ(own.status, 400) << own.body;
  EXPECT_NE(Message(own).find("four eyes"), std::string::npos) << own.body;
  HttpResult refused = call("supervisor-1", "POST", "/v1/watchlist/proposals/EP-2/refuse",
                            R"({"reason":"not enough to list"})");
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_TRUE(call("analyst-0", "GET", "/v1/watchlist/proposals").json["proposals"].empty());
  EXPECT_TRUE(call("analyst-0", "GET", "/v1/watchlist?q=EP-2").json["entries"].empty());
  EXPECT_EQ(call("supervisor-1", "POST", "/v1/watchlist/proposals/EP-2/approve", any_hash).status,
            404);
}

TEST(ServerCapabilities, ResolveExportAndEngineRuns) {
  ServerWorld world("capresolve", UsersFor({{"*"}, {"CT-A"}}), ManyLogins());
  Tokens t = LogInAll(world);
  auto call = [&](const std::string& user, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return ServerWorld::Call(*t.client, method, target, t.of[user], body);
  };
  HttpResult dry = call("analyst-0", "POST", "/v1/resolve", R"({"dry_run":true})");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json["stored"], 0);
  for (const Json& p : dry.json["proposals"]) {
    EXPECT_GE(p["confidence"].get<double>(), 0.0);
    EXPECT_LE(p["confidence"].get<double>(), 1.0);
    EXPECT_FALSE(p["evidence"].get<std::string>().empty()) << p.dump();
  }
  HttpResult stored = call("analyst-0", "POST", "/v1/resolve", "{}");
  ASSERT_EQ(stored.status, 200) << stored.body;
  // A user of one compartment may not replace everyone's proposals.
  HttpResult partial = call("analyst-1", "POST", "/v1/resolve", "{}");
  EXPECT_EQ(partial.status, 403) << partial.body;
  EXPECT_NE(Message(partial).find("every compartment"), std::string::npos) << partial.body;
  // Nor read the comm summaries the full run saved: their dry run starts
  // from the comms they see.
  HttpResult partial_dry = call("analyst-1", "POST", "/v1/resolve", R"({"dry_run":true})");
  ASSERT_EQ(partial_dry.status, 200) << partial_dry.body;
  EXPECT_LT(partial_dry.json["comms"].get<int64_t>(), stored.json["comms"].get<int64_t>());

  HttpResult gexf = call("analyst-0", "GET", "/v1/network/export?format=gexf");
  ASSERT_EQ(gexf.status, 200);
  ASSERT_EQ(gexf.json["files"].size(), 1u);
  EXPECT_NE(gexf.json["files"][0]["content"].get<std::string>().find("<gexf"), std::string::npos);
  HttpResult csv = call("analyst-1", "GET", "/v1/network/export?format=csv");
  ASSERT_EQ(csv.status, 200);
  ASSERT_EQ(csv.json["files"].size(), 2u);
  EXPECT_LT(csv.json["persons"].get<int64_t>(),
            gexf.json["persons"].get<int64_t>())  // one compartment of three
      << csv.json["persons"] << " vs " << gexf.json["persons"];

  EXPECT_EQ(call("analyst-0", "POST", "/v1/alerts/run").status, 200);
  EXPECT_EQ(call("analyst-1", "POST", "/v1/alerts/run").status, 403);
  HttpResult checkpoint = call("auditor-0", "POST", "/v1/audit/checkpoint");
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  Json fields = checkpoint.json;
  fields.erase("file");
  HttpResult verified = call("auditor-0", "POST", "/v1/audit/verify", fields.dump());
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json["intact"], true) << verified.body;
  EXPECT_EQ(verified.json["checkpoint_seq"], checkpoint.json["seq"]);
  // A checkpoint whose hash is not the log's: the log is reported broken.
  fields["hash"] = std::string(64, '0');
  HttpResult forged = call("auditor-0", "POST", "/v1/audit/verify", fields.dump());
  ASSERT_EQ(forged.status, 200) << forged.body;
  EXPECT_EQ(forged.json["intact"], false) << forged.body;
  fields.erase("signature");
  HttpResult missing = call("auditor-0", "POST", "/v1/audit/verify", fields.dump());
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_NE(Message(missing).find("signature"), std::string::npos) << missing.body;
}

TEST(ServerCapabilities, AccountsAndRetentionByAdmins) {
  ServerWorld world("capadmin", UsersFor({{"*"}, {"*"}}), ManyLogins());
  Tokens t = LogInAll(world);
  auto call = [&](const std::string& user, const std::string& method, const std::string& target,
                  const std::string& body = "") {
    return ServerWorld::Call(*t.client, method, target, t.of[user], body);
  };
  const std::string secret = "a brand new secret";
  ASSERT_EQ(call("admin-0", "POST", "/v1/users",
                 Json{{"name", "newbie"},
                      {"role", "analyst"},
                      {"password", secret},
                      {"compartments", "CT-A"}}
                     .dump())
                .status,
            200);
  EXPECT_FALSE(world.Login(*t.client, "newbie", secret).empty());
  ASSERT_EQ(call("admin-0", "POST", "/v1/users/newbie/grant", R"({"compartment":"CT-B"})").status,
            200);
  // Both grants wait for a second admin: the proposer cannot approve them.
  HttpResult pending = call("admin-1", "GET", "/v1/grants/pending");
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(pending.json["pending"].size(), 2u) << pending.body;
  EXPECT_EQ(
      call("admin-0", "POST", "/v1/users/newbie/grant/approve", R"({"compartment":"CT-A"})").status,
      403);
  for (const char* c : {"CT-A", "CT-B"}) {
    ASSERT_EQ(
        call("admin-1", "POST", "/v1/users/newbie/grant/approve", Json{{"compartment", c}}.dump())
            .status,
        200);
  }
  ASSERT_EQ(call("admin-0", "POST", "/v1/users/newbie/revoke", R"({"compartment":"CT-A"})").status,
            200);
  ASSERT_EQ(call("admin-0", "POST", "/v1/users/newbie/role", R"({"role":"supervisor"})").status,
            200);
  HttpResult users = call("admin-0", "GET", "/v1/users");
  ASSERT_EQ(users.status, 200);
  bool found = false;
  for (const Json& u : users.json["users"]) {
    if (u["name"] != "newbie") continue;
    found = true;
    EXPECT_EQ(u["role"], "supervisor");
    EXPECT_EQ(u["compartments"], Json::array({"CT-B"}));
  }
  EXPECT_TRUE(found) << users.body;
  const std::string newer = "an even newer secret";
  ASSERT_EQ(
      call("admin-0", "POST", "/v1/users/newbie/password", Json{{"password", newer}}.dump()).status,
      200);
  EXPECT_TRUE(world.Login(*t.client, "newbie", secret).empty());
  EXPECT_FALSE(world.Login(*t.client, "newbie", newer).empty());
  // An analyst may not manage accounts, but changes their own password
  // when they give the current one.
  EXPECT_EQ(call("analyst-0", "GET", "/v1/users").status, 403);
  HttpResult wrong =
      call("analyst-0", "POST", "/v1/session/password",
           Json{{"current_password", "not it at all"}, {"new_password", newer}}.dump());
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_NE(Message(wrong).find("current_password"), std::string::npos) << wrong.body;
  ASSERT_EQ(call("analyst-0", "POST", "/v1/session/password",
                 Json{{"current_password", kPassword}, {"new_password", newer}}.dump())
                .status,
            200);
  EXPECT_FALSE(world.Login(*t.client, "analyst-0", newer).empty());

  EXPECT_EQ(call("analyst-0", "GET", "/v1/retention").status, 200);
  EXPECT_EQ(
      call("admin-0", "POST", "/v1/retention/limits", R"({"category":"other","days":400})").status,
      200);
  EXPECT_EQ(call("supervisor-0", "GET", "/v1/retention/due").status, 200);
  EXPECT_EQ(call("analyst-0", "GET", "/v1/retention/due").status, 403);
  EXPECT_EQ(call("admin-0", "POST", "/v1/retention/apply").status, 200);

  // Passwords never enter the audit log, not even hashed.
  HttpResult log = call("auditor-0", "GET", "/v1/audit?limit=100000");
  ASSERT_EQ(log.status, 200);
  for (const Json& r : log.json["records"]) {
    EXPECT_EQ(r["params"].get<std::string>().find("password"), std::string::npos) << r.dump();
  }
}

int64_t CountMarks(const std::string& db) {
  auto store = OpenSqliteStore(db);
  EXPECT_TRUE(store.ok());
  int64_t marks = 0;
  EXPECT_TRUE((*store)
                  ->ScanScreeningMarks([&](const ScreeningMark&) {
                    ++marks;
                    return true;
                  })
                  .ok());
  return marks;
}

// Gap (b): screening by a user of some compartments screens part of the
// records against part of the list; it must not mark them as screened.
TEST(OversightGaps, ScreeningByAPartialUserMarksNothing) {
  ServerWorld world("capmarks", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  Tokens t = LogInAll(world);
  const int64_t before = CountMarks(world.db());
  HttpResult partial =
      ServerWorld::Call(*t.client, "POST", "/v1/screening/run", t.of["analyst-0"], "{}");
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_GT(partial.json["records_screened"].get<int64_t>(), 0) << partial.body;
  EXPECT_EQ(CountMarks(world.db()), before) << "a partial run left marks";
  HttpResult full =
      ServerWorld::Call(*t.client, "POST", "/v1/screening/run", t.of["analyst-1"], "{}");
  ASSERT_EQ(full.status, 200) << full.body;
  // Everything the partial run saw is screened again, against every entry.
  EXPECT_GE(full.json["records_screened"].get<int64_t>(),
            partial.json["records_screened"].get<int64_t>());
  EXPECT_GT(CountMarks(world.db()), before);
  // Once fully screened, nothing is due.
  HttpResult again =
      ServerWorld::Call(*t.client, "POST", "/v1/screening/run", t.of["analyst-1"], "{}");
  EXPECT_EQ(again.json["records_screened"], 0) << again.body;
}

// Gap (a): erasure by retention removes the person's alerts and alert-engine
// profile too, and says how many alerts in the person's erase record.
TEST(OversightGaps, RetentionErasesAlertsAndProfiles) {
  ServerWorld world("caperase", UsersFor({{"*"}}), ManyLogins());
  std::string person;
  for (const Person& p : world.persons()) {
    if (p.status == PersonStatus::kAssociate) person = p.person_id;
  }
  ASSERT_FALSE(person.empty());
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok());
  WatchBatch batch;
  batch.alerts.push_back({"test:" + person, 1'000, person, "reactivation", 0.9, "evidence", 2'000});
  batch.alerts.push_back({"test:other", 1'000, "", "watchlist_match", 0.8, "evidence", 2'000});
  batch.state.emplace_back("profile:" + person, "blob");
  ASSERT_TRUE((*store)->CommitWatchBatch(batch, nullptr).ok());

  FakeClock clock(1'800'000'000);
  OversightOptions options;
  options.clock = &clock;
  options.synchronous = false;
  auto oversight = Oversight::Open(**store, options);
  ASSERT_TRUE(oversight.ok()) << oversight.status().ToString();
  RequestContext setup;
  setup.principal = {"setup:test", Role::kAdmin, {"*"}, /*setup=*/true};
  setup.purpose = "retention test";
  ASSERT_TRUE((*oversight)->ApplyRetention(setup, false).ok());  // starts the clocks
  clock.Advance(800 * 86'400);                                   // past "none" (730 days)
  auto erased = (*oversight)->ApplyRetention(setup, false);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  bool erased_person = false;
  for (const Erasure& e : *erased) erased_person |= e.person_id == person;
  ASSERT_TRUE(erased_person);

  int alerts_left = 0;
  ASSERT_TRUE((*store)
                  ->ScanAlerts("",
                               [&](const StoredAlert& a) {
                                 alerts_left += a.person_id == person;
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(alerts_left, 0);
  auto profile = (*store)->GetWatchState("profile:" + person);
  ASSERT_TRUE(profile.ok());
  EXPECT_FALSE(profile->has_value()) << "the erased person's profile is still stored";

  AuditQuery query;  // the erased person's pseudonym links to no one now
  query.user = "setup:test";
  auto records = (*oversight)->QueryAudit(setup, query);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  bool logged = false;
  for (const AuditRecord& r : *records) {
    if (r.action == "erase") logged = r.params.find("alerts=1") != std::string::npos;
  }
  EXPECT_TRUE(logged) << "the erase record should count the erased alerts";
}

// ---- Writes across compartments, as an analyst of CT-A against CT-B ----------

// A number of a CT-B subject that calls another CT-B subject's number.
std::pair<std::string, std::string> BNumberCallingB(ServerWorld& world) {
  auto raw = OpenSqliteStore(world.db());
  EXPECT_TRUE(raw.ok());
  std::map<std::string, std::string> owner_compartment;
  EXPECT_TRUE((*raw)
                  ->ScanAttributions([&](const Attribution& a) {
                    for (const Person& p : world.persons()) {
                      if (p.person_id == a.person_id) owner_compartment[a.selector] = p.compartment;
                    }
                    return true;
                  })
                  .ok());
  std::pair<std::string, std::string> found;
  EXPECT_TRUE((*raw)
                  ->ScanComms({},
                              [&](const Communication& c) {
                                if (owner_compartment[c.src] == "CT-B" &&
                                    owner_compartment[c.dst] == "CT-B") {
                                  found = {c.src, c.dst};
                                  return false;
                                }
                                return true;
                              })
                  .ok());
  return found;
}

TEST(ServerCompartmentWrites, LinkConfirmOfAnotherCompartmentsNumberIs404LikeAMissingOne) {
  ServerWorld world("capwrites-link", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  Tokens t = LogInAll(world);
  const auto [b_number, b_other] = BNumberCallingB(world);
  ASSERT_FALSE(b_number.empty()) << "the world has no call between two CT-B numbers";
  const std::string a_person = SubjectIn(world, "CT-A");
  const std::string timeline = "/v1/persons/" + a_person + "/timeline";
  HttpResult before = ServerWorld::Call(*t.client, "GET", timeline, t.of["analyst-0"]);
  ASSERT_EQ(before.status, 200) << before.body;
  auto confirm = [&](const std::string& user, const std::string& selector) {
    return ServerWorld::Call(*t.client, "POST", "/v1/links/confirm", t.of[user],
                             Json{{"selector", selector}, {"person_id", a_person}}.dump());
  };
  HttpResult stolen = confirm("analyst-0", b_number);
  EXPECT_EQ(stolen.status, 404) << stolen.body;
  EXPECT_EQ(stolen.body,
            server::ErrorBody("not_found", NotVisibleMessage("selector", b_number)).dump());
  const std::string never_seen = "msisdn:+447700900777";
  HttpResult missing = confirm("analyst-0", never_seen);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body,
            server::ErrorBody("not_found", NotVisibleMessage("selector", never_seen)).dump());
  // The timeline is what it was: none of the B number's calls joined it.
  HttpResult after = ServerWorld::Call(*t.client, "GET", timeline, t.of["analyst-0"]);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.json["total"], before.json["total"]);
  EXPECT_EQ(after.body.find(b_other), std::string::npos);
  // Control: the same attribution by a user granted every compartment does
  // join the B number's calls to the A person's timeline, so the check above
  // could fail.
  ASSERT_EQ(confirm("analyst-1", b_number).status, 200);
  HttpResult joined = ServerWorld::Call(*t.client, "GET", timeline, t.of["analyst-1"]);
  ASSERT_EQ(joined.status, 200);
  EXPECT_NE(joined.body.find(b_other), std::string::npos) << joined.body.substr(0, 400);
}

TEST(ServerCompartmentWrites, CreatingWithAnIdTakenInAnotherCompartmentAnswersLikeAVisibleOne) {
  ServerWorld world("capwrites-ids", UsersFor({{"CT-A"}}), ManyLogins());
  Tokens t = LogInAll(world);
  const std::string hidden = SubjectIn(world, "CT-B");
  const std::string visible = SubjectIn(world, "CT-A");
  auto create = [&](const std::string& id) {
    return ServerWorld::Call(*t.client, "POST", "/v1/persons", t.of["analyst-0"],
                             Json{{"person_id", id},
                                  {"name", "Overwritten"},
                                  {"compartment", "CT-A"},
                                  {"legal_basis", "x"},
                                  {"review_by", "2099-01-01"}}
                                 .dump());
  };
  HttpResult a = create(visible);
  HttpResult b = create(hidden);
  EXPECT_EQ(a.status, 409) << a.body;
  EXPECT_EQ(b.status, 409) << b.body;
  EXPECT_EQ(a.body, server::ErrorBody("conflict", IdTakenMessage("person", visible)).dump());
  EXPECT_EQ(b.body, server::ErrorBody("conflict", IdTakenMessage("person", hidden)).dump());
  auto raw = OpenSqliteStore(world.db());
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)->GetPerson(hidden)->compartment, "CT-B");
  EXPECT_NE((*raw)->GetPerson(hidden)->name, "Overwritten");
}

TEST(ServerCompartmentWrites, ApprovalOfAProposalChangedAfterReviewIsRefused) {
  ServerWorld world("capwrites-hash", UsersFor({{"CT-A"}}), ManyLogins());
  Tokens t = LogInAll(world);
  // A GET without a body, a POST with one.
  auto call = [&](const std::string& user, const std::string& target, const Json& body) {
    return ServerWorld::Call(*t.client, body.is_null() ? "GET" : "POST", target, t.of[user],
                             body.is_null() ? "" : body.dump());
  };
  ASSERT_EQ(call("admin-0", "/v1/watchlist/lists/partners",
                 Json{{"compartment", "CT-A"}, {"shared", true}})
                .status,
            200);
  Json entry = {{"entry_id", "EP-9"}, {"list", "partners"}, {"name", "Reviewed Name"}};
  ASSERT_EQ(call("analyst-0", "/v1/watchlist/entries", entry).status, 200);
  HttpResult pending = call("supervisor-0", "/v1/watchlist/proposals", nullptr);
  ASSERT_EQ(pending.json["proposals"].size(), 1u) << pending.body;
  const std::string reviewed = pending.json["proposals"][0]["content_hash"];
  entry["name"] = "Swapped Name";
  ASSERT_EQ(call("analyst-0", "/v1/watchlist/entries", entry).status, 200) << "re-submitted";
  HttpResult stale = call("supervisor-0", "/v1/watchlist/proposals/EP-9/approve",
                          Json{{"content_hash", reviewed}});
  EXPECT_EQ(stale.status, 400) << stale.body;
  HttpResult listed = call("analyst-0", "/v1/watchlist?q=EP-9", nullptr);
  EXPECT_TRUE(listed.json["entries"].empty()) << "approved as content nobody reviewed";
  // Another analyst may not put their content under the same id.
  HttpResult other = call("supervisor-0", "/v1/watchlist/entries", entry);
  EXPECT_EQ(other.status, 409) << other.body;
}

}  // namespace
}  // namespace vigil::testing
