// The workbench API as analysts use it, with two users on the same store: one
// granted every compartment, one limited to CT-A. Alert triage (states,
// reasons kept, filters, refusals alike for hidden and missing alerts),
// saved investigations (versions, 409 on a stale write, withheld nodes kept
// for others and never told), and the network explorer (counts, ties,
// windows, paths and exports with no hidden person in any of them).
#include <algorithm>
#include <set>

#include "server_world.h"

namespace vigil::testing {
namespace {

constexpr char kFull[] = "analyst-1";     // granted "*"
constexpr char kLimited[] = "analyst-0";  // granted CT-A only

std::vector<std::string> PersonsIn(const ServerWorld& world, const std::string& compartment) {
  std::vector<std::string> out;
  for (const Person& p : world.persons()) {
    if (p.compartment == compartment) out.push_back(p.person_id);
  }
  return out;
}

std::map<std::string, std::string> CompartmentOf(const ServerWorld& world) {
  std::map<std::string, std::string> out;
  for (const Person& p : world.persons()) out[p.person_id] = p.compartment;
  return out;
}

// Raises alerts directly in the store (as the engine's write does).
void RaiseAlerts(ServerWorld& world, const std::vector<StoredAlert>& alerts) {
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  WatchBatch batch;
  batch.alerts = alerts;
  ASSERT_TRUE((*store)->CommitWatchBatch(batch, nullptr).ok());
}

StoredAlert AlertAbout(const std::string& person, const std::string& kind, double score) {
  StoredAlert alert;
  alert.key = kind + ":" + person + ":1700000000";
  alert.time = 1'700'000'000;
  alert.person_id = person;
  alert.kind = kind;
  alert.score = score;
  alert.evidence = "generated for " + person;
  alert.raised_at = alert.time;
  return alert;
}

const Json* FindAlert(const HttpResult& r, const std::string& key) {
  for (const Json& alert : r.json["alerts"]) {
    if (alert["key"] == key) return &alert;
  }
  return nullptr;
}

TEST(Workbench, AlertTriageKeepsStatesReasonsAndCompartments) {
  ServerWorld world("triage", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  const std::string a = PersonsIn(world, "CT-A").front();
  const std::string b = PersonsIn(world, "CT-B").front();
  const StoredAlert mine = AlertAbout(a, "reactivation", 0.9);
  const StoredAlert low = AlertAbout(a, "new_contact", 0.2);
  const StoredAlert hidden = AlertAbout(b, "reactivation", 0.95);
  RaiseAlerts(world, {mine, low, hidden});
  Session s = LogIn(world);

  HttpResult all = s.Get(kLimited, "/v1/alerts");
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_NE(FindAlert(all, mine.key), nullptr);
  EXPECT_EQ((*FindAlert(all, mine.key))["state"], "open");
  EXPECT_EQ(FindAlert(all, hidden.key), nullptr);
  EXPECT_EQ(all.body.find(b), std::string::npos) << "a hidden person in the alert queue";

  // Filters by kind and score.
  HttpResult by_kind = s.Get(kLimited, "/v1/alerts?kind=new_contact");
  ASSERT_EQ(by_kind.status, 200);
  EXPECT_NE(FindAlert(by_kind, low.key), nullptr);
  EXPECT_EQ(FindAlert(by_kind, mine.key), nullptr);
  HttpResult by_score = s.Get(kLimited, "/v1/alerts?min_score=0.5&person_id=" + a);
  ASSERT_EQ(by_score.status, 200);
  EXPECT_NE(FindAlert(by_score, mine.key), nullptr);
  EXPECT_EQ(FindAlert(by_score, low.key), nullptr);

  // A dismissal needs a reason, which is kept and shown.
  HttpResult no_reason = s.Post(kLimited, "/v1/alerts/dismiss", {{"key", mine.key}});
  EXPECT_EQ(no_reason.status, 400) << no_reason.body;
  HttpResult dismissed = s.Post(kLimited, "/v1/alerts/dismiss",
                                {{"key", mine.key}, {"reason", "known family call pattern"}});
  ASSERT_EQ(dismissed.status, 200) << dismissed.body;
  EXPECT_EQ(dismissed.json["state"], "dismissed");
  EXPECT_EQ(dismissed.json["decided_by"], kLimited);
  HttpResult dismissed_list = s.Get(kLimited, "/v1/alerts?state=dismissed");
  ASSERT_NE(FindAlert(dismissed_list, mine.key), nullptr);
  EXPECT_EQ((*FindAlert(dismissed_list, mine.key))["reason"], "known family call pattern");
  EXPECT_EQ(FindAlert(s.Get(kLimited, "/v1/alerts?state=open"), mine.key), nullptr);

  // A hidden alert and a missing one get the same 404 body.
  HttpResult on_hidden =
      s.Post(kLimited, "/v1/alerts/acknowledge", {{"key", hidden.key}, {"reason", "x"}});
  const std::string missing_key = "reactivation:P9999999:1700000000";
  HttpResult on_missing =
      s.Post(kLimited, "/v1/alerts/acknowledge", {{"key", missing_key}, {"reason", "x"}});
  EXPECT_EQ(on_hidden.status, 404);
  EXPECT_EQ(on_missing.status, 404);
  EXPECT_EQ(on_hidden.json["error"]["message"], NotVisibleMessage("alert", hidden.key));
  EXPECT_EQ(on_missing.json["error"]["message"], NotVisibleMessage("alert", missing_key));
  // Auditors and admins may not triage at all.
  EXPECT_EQ(s.Post("auditor-1", "/v1/alerts/acknowledge", {{"key", mine.key}}).status, 404);

  // Assignment: to someone who may see the alert, not to an auditor or a
  // stranger (one message for both).
  HttpResult to_full =
      s.Post(kLimited, "/v1/alerts/assign", {{"key", mine.key}, {"assignee", kFull}});
  ASSERT_EQ(to_full.status, 200) << to_full.body;
  EXPECT_EQ(to_full.json["assignee"], kFull);
  HttpResult to_auditor =
      s.Post(kLimited, "/v1/alerts/assign", {{"key", mine.key}, {"assignee", "auditor-1"}});
  HttpResult to_nobody =
      s.Post(kLimited, "/v1/alerts/assign", {{"key", mine.key}, {"assignee", "nobody-here"}});
  EXPECT_EQ(to_auditor.status, 400);
  EXPECT_EQ(to_nobody.status, 400);
  HttpResult hidden_to_limited =
      s.Post(kFull, "/v1/alerts/assign", {{"key", hidden.key}, {"assignee", kLimited}});
  EXPECT_EQ(hidden_to_limited.status, 400) << "assigned to someone who may not see it";
  EXPECT_NE(FindAlert(s.Get(kLimited, "/v1/alerts?assignee=" + std::string(kFull)), mine.key),
            nullptr);

  // Escalation: to a case the user may see only.
  ASSERT_EQ(
      s.Post("supervisor-1", "/v1/cases", {{"case_id", "OP-A"}, {"compartment", "CT-A"}}).status,
      200);
  ASSERT_EQ(
      s.Post("supervisor-1", "/v1/cases", {{"case_id", "OP-B"}, {"compartment", "CT-B"}}).status,
      200);
  HttpResult to_b = s.Post(kLimited, "/v1/alerts/escalate", {{"key", mine.key}, {"case", "OP-B"}});
  EXPECT_EQ(to_b.status, 404);
  EXPECT_EQ(to_b.json["error"]["message"], NotVisibleMessage("case", "OP-B"));
  HttpResult to_a = s.Post(kLimited, "/v1/alerts/escalate", {{"key", mine.key}, {"case", "OP-A"}});
  ASSERT_EQ(to_a.status, 200) << to_a.body;
  EXPECT_EQ(to_a.json["case_id"], "OP-A");
  ASSERT_EQ(s.Post(kLimited, "/v1/alerts/reopen", {{"key", mine.key}}).status, 200);

  // The history keeps every decision in order, the dismissal's reason too.
  HttpResult history = s.Get(kLimited, "/v1/alerts/history?key=" + mine.key);
  ASSERT_EQ(history.status, 200) << history.body;
  std::vector<std::string> states;
  for (const Json& d : history.json["decisions"]) states.push_back(d["state"]);
  EXPECT_EQ(states, (std::vector<std::string>{"dismissed", "assigned", "escalated", "open"}));
  EXPECT_EQ(history.json["decisions"][0]["reason"], "known family call pattern");
  EXPECT_EQ(s.Get(kLimited, "/v1/alerts/history?key=" + hidden.key).status, 404);

  // Each decision is in the audit log, about the alert's person.
  HttpResult audit = s.Get("auditor-0", "/v1/audit?subject=" + a);
  ASSERT_EQ(audit.status, 200) << audit.body;
  int triage_records = 0;
  for (const Json& record : audit.json["records"]) {
    if (record["action"] == "triage_alert" && record["object"] == "alert:" + mine.key &&
        record["outcome"] == "allowed") {
      ++triage_records;
    }
  }
  EXPECT_EQ(triage_records, 4);  // dismissed, assigned, escalated, reopened
}

Json CanvasOf(const std::string& a, const std::string& b) {
  return Json{{"nodes", Json::array({Json{{"id", a}, {"kind", "person"}, {"x", 1}, {"y", 2}},
                                     Json{{"id", b}, {"kind", "person"}, {"x", 3}, {"y", 4}}})},
              {"edges", Json::array({Json{{"source", a}, {"target", b}}})},
              {"groups", Json::array({Json{{"id", "g1"}, {"members", Json::array({a, b})}}})},
              {"notes", Json::array({Json{{"id", "n1"}, {"text", "met in prison"}, {"node", b}},
                                     Json{{"id", "n2"}, {"text", "lead"}}})},
              {"view", Json{{"zoom", 1.5}}}};
}

TEST(Workbench, CanvasesAreVersionedSharedAndWithholdWhatIsHidden) {
  ServerWorld world("canvas", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  const std::string a = PersonsIn(world, "CT-A").front();
  const std::string b = PersonsIn(world, "CT-B").front();
  Session s = LogIn(world);
  ASSERT_EQ(
      s.Post("supervisor-1", "/v1/cases", {{"case_id", "OP-1"}, {"compartment", "CT-A"}}).status,
      200);
  ASSERT_EQ(
      s.Post("supervisor-1", "/v1/cases", {{"case_id", "OP-2"}, {"compartment", "CT-B"}}).status,
      200);
  const std::string url = "/v1/cases/OP-1/canvases/main";
  HttpResult created = s.Post(kFull, url, {{"document", CanvasOf(a, b)}, {"version", 0}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.json["version"], 1);
  EXPECT_EQ(s.Post(kFull, url, {{"document", CanvasOf(a, b)}, {"version", 0}}).status, 409)
      << "a second create";

  HttpResult full = s.Get(kFull, url);
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_FALSE(full.json["withheld"].get<bool>());
  EXPECT_EQ(full.json["document"]["nodes"].size(), 2u);
  EXPECT_EQ(full.json["document"]["view"]["zoom"], 1.5);

  // The limited user sees the canvas without b and all that refers to b,
  // and is told only that something was withheld.
  HttpResult limited = s.Get(kLimited, url);
  ASSERT_EQ(limited.status, 200) << limited.body;
  EXPECT_TRUE(limited.json["withheld"].get<bool>());
  EXPECT_EQ(limited.body.find(b), std::string::npos) << limited.body;
  EXPECT_EQ(limited.body.find("met in prison"), std::string::npos);
  EXPECT_EQ(limited.json["document"]["nodes"].size(), 1u);
  EXPECT_TRUE(limited.json["document"]["edges"].empty());
  EXPECT_EQ(limited.json["document"]["groups"][0]["members"], Json::array({a}));
  EXPECT_EQ(limited.json["document"]["notes"].size(), 1u);

  // Their save (a moved node, a new note) keeps what they were not shown.
  Json moved = limited.json["document"];
  moved["nodes"][0]["x"] = 42;
  moved["notes"].push_back(Json{{"id", "n3"}, {"text", "checked"}, {"node", a}});
  HttpResult saved = s.Post(kLimited, url, {{"document", moved}, {"version", 1}});
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(saved.json["version"], 2);
  HttpResult again = s.Get(kFull, url);
  ASSERT_EQ(again.status, 200);
  EXPECT_FALSE(again.json["withheld"].get<bool>());
  std::set<std::string> ids;
  for (const Json& node : again.json["document"]["nodes"]) ids.insert(node["id"]);
  EXPECT_EQ(ids, (std::set<std::string>{a, b}));
  EXPECT_EQ(again.json["document"]["edges"].size(), 1u);
  EXPECT_EQ(again.json["document"]["notes"].size(), 3u);
  std::set<std::string> members;
  for (const Json& m : again.json["document"]["groups"][0]["members"]) members.insert(m);
  EXPECT_EQ(members, (std::set<std::string>{a, b}));
  for (const Json& node : again.json["document"]["nodes"]) {
    if (node["id"] == a) {
      EXPECT_EQ(node["x"], 42);
    }
  }
  EXPECT_EQ(again.json["updated_by"], kLimited);

  // A stale write is refused (409) and changes nothing.
  HttpResult stale = s.Post(kLimited, url, {{"document", moved}, {"version", 1}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(s.Get(kFull, url).json["version"], 2);

  // Adding a hidden person is refused exactly like adding a missing one.
  Json with_hidden = moved;
  with_hidden["nodes"].push_back(Json{{"id", b}, {"kind", "person"}});
  Json with_missing = moved;
  with_missing["nodes"].push_back(Json{{"id", "P9999999"}, {"kind", "person"}});
  HttpResult add_hidden = s.Post(kLimited, url, {{"document", with_hidden}, {"version", 2}});
  HttpResult add_missing = s.Post(kLimited, url, {{"document", with_missing}, {"version", 2}});
  EXPECT_EQ(add_hidden.status, 404);
  EXPECT_EQ(add_missing.status, 404);
  EXPECT_EQ(add_hidden.json["error"]["message"], NotVisibleMessage("person", b));
  EXPECT_EQ(add_missing.json["error"]["message"], NotVisibleMessage("person", "P9999999"));

  // A case in another compartment: the same 404 as a case that does not exist.
  HttpResult other_case = s.Get(kLimited, "/v1/cases/OP-2/canvases/main");
  HttpResult no_case = s.Get(kLimited, "/v1/cases/OP-404/canvases/main");
  EXPECT_EQ(other_case.status, 404);
  EXPECT_EQ(other_case.json["error"]["message"], NotVisibleMessage("case", "OP-2"));
  EXPECT_EQ(no_case.json["error"]["message"], NotVisibleMessage("case", "OP-404"));

  // Listed for both, withheld for the limited user.
  HttpResult listed = s.Get(kLimited, "/v1/cases/OP-1/canvases");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json["canvases"].size(), 1u);
  EXPECT_TRUE(listed.json["canvases"][0]["withheld"].get<bool>());
  EXPECT_FALSE(s.Get(kFull, "/v1/cases/OP-1/canvases").json["canvases"][0]["withheld"].get<bool>());

  // Delete at the version read; reading it afterwards is a 404.
  EXPECT_EQ(s.Post(kFull, url + "/delete", {{"version", 1}}).status, 409);
  ASSERT_EQ(s.Post(kFull, url + "/delete", {{"version", 2}}).status, 200);
  EXPECT_EQ(s.Get(kFull, url).status, 404);

  // Saves and reads are audited with the persons shown.
  HttpResult audit = s.Get("auditor-0", "/v1/audit?user=" + std::string(kLimited));
  ASSERT_EQ(audit.status, 200);
  int canvas_writes = 0;
  for (const Json& record : audit.json["records"]) {
    if (record["object"] == "canvas:OP-1/main" && record["outcome"] == "allowed" &&
        record["action"] == "link_case") {
      ++canvas_writes;
      for (const Json& subject : record["subjects"]) EXPECT_NE(subject, b);
    }
  }
  EXPECT_GE(canvas_writes, 2);  // a read and a save at least
}

// The neighbourhood in columns (columns=true) is the object reply in
// another shape: the same nodes with the same facts, the same ties with
// the same kinds, contacts, times and days.
TEST(Workbench, NeighbourhoodInColumnsIsTheSameReply) {
  ServerWorld world("columns", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  Session s = LogIn(world);
  std::string centre;
  size_t best = 0;
  for (const std::string& p : PersonsIn(world, "CT-A")) {
    HttpResult r = s.Get(kFull, "/v1/network/neighbourhood?node=" + p);
    ASSERT_EQ(r.status, 200) << r.body;
    if (r.json["ties"].size() > best) {
      best = r.json["ties"].size();
      centre = p;
    }
  }
  ASSERT_GT(best, 3u);
  for (const char* user : {kFull, kLimited}) {
    const std::string target = "/v1/network/neighbourhood?activity=true&node=" + centre;
    HttpResult objects = s.Get(user, target);
    HttpResult columns = s.Get(user, target + "&columns=true");
    ASSERT_EQ(objects.status, 200) << objects.body;
    ASSERT_EQ(columns.status, 200) << columns.body;
    const Json& o = objects.json;
    const Json& c = columns.json;
    EXPECT_EQ(c["columns"], true);
    EXPECT_EQ(c["node"], o["node"]);
    EXPECT_EQ(c["more"], o["more"]);
    // Nodes: field by field.
    ASSERT_EQ(c["nodes"]["id"].size(), o["nodes"].size());
    for (size_t i = 0; i < o["nodes"].size(); ++i) {
      for (const auto& [field, value] : o["nodes"][i].items()) {
        ASSERT_TRUE(c["nodes"].contains(field)) << field;
        EXPECT_EQ(c["nodes"][field][i], value) << field << " of node " << i;
      }
    }
    std::vector<std::string> names = {o["node"]["id"].get<std::string>()};
    for (const Json& id : c["nodes"]["id"]) names.push_back(id.get<std::string>());
    // Ties: ends by index, kinds by set, times in seconds, flat days.
    const Json& t = c["ties"];
    ASSERT_EQ(t["source"].size(), o["ties"].size());
    ASSERT_GT(o["ties"].size(), 0u);
    for (size_t i = 0; i < o["ties"].size(); ++i) {
      const Json& tie = o["ties"][i];
      EXPECT_EQ(names.at(t["source"][i].get<size_t>()), tie["source"]);
      EXPECT_EQ(names.at(t["target"][i].get<size_t>()), tie["target"]);
      EXPECT_EQ(t["kind_sets"][t["kinds"][i].get<size_t>()], tie["kinds"]);
      EXPECT_EQ(t["contacts"][i], tie["contacts"]);
      EXPECT_EQ(t["contacts_total"][i], tie["contacts_total"]);
      EXPECT_EQ(FormatTime(t["first"][i].get<UnixTime>()), tie["first"]);
      EXPECT_EQ(FormatTime(t["last"][i].get<UnixTime>()), tie["last"]);
      const Json& flat = t["days"][i];
      ASSERT_EQ(flat.size(), 2 * tie["days"].size());
      for (size_t d = 0; d < tie["days"].size(); ++d) {
        EXPECT_EQ(FormatDate(flat[2 * d].get<int64_t>() * 86400), tie["days"][d][0]);
        EXPECT_EQ(flat[2 * d + 1], tie["days"][d][1]);
      }
    }
    // Smaller on the wire.
    EXPECT_LT(columns.body.size(), objects.body.size());
  }
}

// Shared-handset ties are a server option: without it no tie is of kind
// "handset"; with it the generated world's shared phones tie their users,
// each tie naming the handset and when each end used it (times of
// communications sent from that handset), in both reply shapes.
TEST(Workbench, SharedHandsetTiesOnlyWithTheServerOptionAndWithTheirEvidence) {
  auto handset_ties = [](ServerWorld& world, Session& s) {
    std::vector<Json> found;
    for (const Person& p : world.persons()) {
      HttpResult r = s.Get(kFull, "/v1/network/neighbourhood?limit=10000&node=" + p.person_id);
      EXPECT_EQ(r.status, 200) << r.body;
      for (const Json& tie : r.json["ties"]) {
        const bool handset =
            std::find(tie["kinds"].begin(), tie["kinds"].end(), "handset") != tie["kinds"].end();
        EXPECT_EQ(handset, tie.contains("handsets")) << tie.dump();
        if (handset) found.push_back(tie);
      }
    }
    return found;
  };
  {
    ServerWorld off("handset-off", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
    Session s = LogIn(off);
    EXPECT_TRUE(handset_ties(off, s).empty());
  }
  ServerOptions options = ManyLogins();
  options.shared_handset_ties = true;
  ServerWorld on("handset-on", UsersFor({{"CT-A"}, {"*"}}), options);
  Session s = LogIn(on);
  const std::vector<Json> ties = handset_ties(on, s);
  ASSERT_FALSE(ties.empty()) << "the generated world's shared phones tie no one";
  // The evidence: every date is the time of a communication sent from the
  // handset named.
  std::map<std::string, std::set<std::string>> sent_from;
  {
    auto store = OpenSqliteStore(on.db());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)
                    ->ScanComms(CommQuery{},
                                [&](const Communication& c) {
                                  if (!c.device.empty())
                                    sent_from[c.device].insert(FormatTime(c.time));
                                  return true;
                                })
                    .ok());
  }
  for (const Json& tie : ties) {
    ASSERT_FALSE(tie["handsets"].empty()) << tie.dump();
    for (const Json& use : tie["handsets"]) {
      const std::string device = use["device"];
      EXPECT_EQ(device.rfind("imei:", 0), 0u) << device;
      for (const char* field : {"source_first", "source_last", "target_first", "target_last"}) {
        EXPECT_EQ(sent_from[device].count(use[field].get<std::string>()), 1u)
            << field << " of " << tie.dump();
      }
      EXPECT_LE(use["source_first"].get<std::string>(), use["source_last"].get<std::string>());
      EXPECT_GE(use["source_count"].get<int64_t>(), 1);
      EXPECT_GE(use["target_count"].get<int64_t>(), 1);
    }
  }
  // The columns reply carries the same evidence, by tie index.
  const std::string centre = ties.front()["source"];
  HttpResult c = s.Get(kFull, "/v1/network/neighbourhood?limit=10000&columns=true&node=" + centre);
  ASSERT_EQ(c.status, 200) << c.body;
  ASSERT_TRUE(c.json["ties"].contains("handsets")) << c.body.substr(0, 400);
  EXPECT_FALSE(c.json["ties"]["handsets"].empty());
}

TEST(Workbench, ExplorerCountsTiesPathsAndExportsHideNoOneAndLeakNothing) {
  ServerWorld world("explorer", UsersFor({{"CT-A"}, {"*"}}), ManyLogins());
  Session s = LogIn(world);
  const auto compartment = CompartmentOf(world);
  // The CT-A person with the most neighbours in the full graph.
  std::string centre;
  int64_t best = -1;
  for (const std::string& p : PersonsIn(world, "CT-A")) {
    HttpResult counts = s.Get(kFull, "/v1/network/neighbours?nodes=" + p);
    ASSERT_EQ(counts.status, 200) << counts.body;
    if (counts.json["nodes"].empty()) continue;
    const int64_t n = counts.json["nodes"][0]["neighbours"];
    if (n > best) {
      best = n;
      centre = p;
    }
  }
  ASSERT_GT(best, 2) << "the generated world should give a CT-A person several neighbours";

  // Counts by kind add up to at least the neighbours (a tie may be of
  // several kinds), and each kind counted is one the explorer names.
  HttpResult counts = s.Get(kFull, "/v1/network/neighbours?nodes=" + centre);
  int64_t by_kind = 0;
  for (const auto& [kind, n] : counts.json["nodes"][0]["by_kind"].items())
    by_kind += n.get<int64_t>();
  EXPECT_GE(by_kind, best);

  // The neighbourhood as each user sees it: the limited user's holds no one
  // outside CT-A, and their counts are no larger.
  auto persons_of = [&](const HttpResult& r) {
    std::set<std::string> out;
    for (const Json& node : r.json["nodes"]) {
      if (node["kind"] == "person") out.insert(node["id"].get<std::string>());
    }
    return out;
  };
  HttpResult full = s.Get(kFull, "/v1/network/neighbourhood?activity=true&node=" + centre);
  HttpResult limited = s.Get(kLimited, "/v1/network/neighbourhood?activity=true&node=" + centre);
  ASSERT_EQ(full.status, 200) << full.body;
  ASSERT_EQ(limited.status, 200) << limited.body;
  for (const std::string& p : persons_of(limited)) EXPECT_EQ(compartment.at(p), "CT-A") << p;
  for (const auto& [id, c] : compartment) {
    if (c != "CT-A") {
      EXPECT_EQ(limited.body.find("\"" + id + "\""), std::string::npos) << id;
    }
  }
  HttpResult limited_counts = s.Get(kLimited, "/v1/network/neighbours?nodes=" + centre);
  ASSERT_EQ(limited_counts.status, 200);
  EXPECT_LE(limited_counts.json["nodes"][0]["neighbours"].get<int64_t>(), best);
  EXPECT_EQ(full.json["nodes"].size() + full.json["more"].get<size_t>(), static_cast<size_t>(best));
  // Every tie carries its kinds, times and days; communication ties are
  // calls or messages.
  bool typed = false;
  for (const Json& tie : full.json["ties"]) {
    ASSERT_FALSE(tie["kinds"].empty());
    ASSERT_FALSE(tie["days"].empty());
    EXPECT_LE(tie["first"].get<std::string>(), tie["last"].get<std::string>());
    for (const Json& kind : tie["kinds"]) typed |= kind == "call" || kind == "message";
  }
  EXPECT_TRUE(typed);
  // Nodes carry their community and broker flag.
  ASSERT_TRUE(full.json["node"].contains("community"));
  ASSERT_TRUE(full.json["node"].contains("broker"));

  // "And N more": with limit 1, one shown and the rest counted.
  HttpResult one = s.Get(kFull, "/v1/network/neighbourhood?limit=1&node=" + centre);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json["nodes"].size(), 1u);
  EXPECT_EQ(one.json["more"].get<int64_t>(), best - 1);

  // A window keeps only ties with contacts in it, counted in it.
  const std::string first_day = full.json["ties"][0]["days"][0][0];
  HttpResult window = s.Get(kFull, "/v1/network/neighbourhood?activity=true&node=" + centre +
                                       "&from=" + first_day + "&to=" + first_day + "T23:59:59Z");
  ASSERT_EQ(window.status, 200) << window.body;
  EXPECT_GE(window.json["ties"].size(), 1u);
  for (const Json& tie : window.json["ties"]) {
    for (const Json& day : tie["days"]) EXPECT_EQ(day[0], first_day);
  }
  EXPECT_LE(window.json["nodes"].size(), full.json["nodes"].size());

  // Ties among a view's nodes: a hidden person sent by the limited user is
  // left out exactly like a missing one.
  std::vector<std::string> view = {centre};
  for (const Json& node : full.json["nodes"]) view.push_back(node["id"]);
  view.push_back("P9999999");
  HttpResult ties_full = s.Post(kFull, "/v1/network/ties", {{"nodes", view}});
  HttpResult ties_limited = s.Post(kLimited, "/v1/network/ties", {{"nodes", view}});
  ASSERT_EQ(ties_full.status, 200) << ties_full.body;
  ASSERT_EQ(ties_limited.status, 200) << ties_limited.body;
  EXPECT_GE(ties_full.json["ties"].size(), full.json["ties"].size());
  for (const Json& tie : ties_limited.json["ties"]) {
    for (const char* end : {"source", "target"}) {
      auto found = compartment.find(tie[end].get<std::string>());
      if (found != compartment.end()) {
        EXPECT_EQ(found->second, "CT-A");
      }
    }
  }

  // The view's export: GraphML of what the user may see, audited.
  HttpResult exported = s.Post(kLimited, "/v1/network/export/view", {{"nodes", view}});
  ASSERT_EQ(exported.status, 200) << exported.body;
  const std::string graphml = exported.json["files"][0]["content"];
  EXPECT_NE(graphml.find("<graphml"), std::string::npos);
  EXPECT_NE(graphml.find(centre), std::string::npos);
  for (const auto& [id, c] : compartment) {
    if (c != "CT-A") {
      EXPECT_EQ(graphml.find(">" + id + "<"), std::string::npos) << id;
    }
  }
  HttpResult audit = s.Get("auditor-0", "/v1/audit?user=" + std::string(kLimited));
  bool logged = false;
  for (const Json& record : audit.json["records"]) {
    logged |= record["object"] == "reveal:network export view";
  }
  EXPECT_TRUE(logged);

  // A picture of the view made in the browser: logged first, like the
  // export, naming as subjects only the persons the limited user may see.
  HttpResult picture =
      s.Post(kLimited, "/v1/network/export/record", {{"nodes", view}, {"format", "png"}});
  ASSERT_EQ(picture.status, 200) << picture.body;
  EXPECT_EQ(picture.json["nodes"], exported.json["nodes"]);
  EXPECT_EQ(
      s.Post(kLimited, "/v1/network/export/record", {{"nodes", view}, {"format", "gif"}}).status,
      400);
  HttpResult after = s.Get("auditor-0", "/v1/audit?user=" + std::string(kLimited));
  int pictures = 0;
  for (const Json& record : after.json["records"]) {
    if (record["object"] != "reveal:network export view png") continue;
    ++pictures;
    EXPECT_EQ(record["outcome"], "allowed");
    EXPECT_FALSE(record["subjects"].empty());
    for (const Json& subject : record["subjects"]) {
      auto found = compartment.find(subject.get<std::string>());
      ASSERT_NE(found, compartment.end()) << subject;
      EXPECT_EQ(found->second, "CT-A") << subject;
    }
  }
  EXPECT_EQ(pictures, 1);

  // Paths for the limited user never pass through a hidden person.
  for (const Json& node : limited.json["nodes"]) {
    for (const char* temporal : {"false", "true"}) {
      HttpResult path =
          s.Get(kLimited, "/v1/network/path?a=" + centre + "&b=" + node["id"].get<std::string>() +
                              "&temporal=" + temporal);
      ASSERT_EQ(path.status, 200) << path.body;
      for (const Json& step : path.json["steps"]) {
        auto found = compartment.find(step["id"].get<std::string>());
        if (found != compartment.end()) {
          EXPECT_EQ(found->second, "CT-A");
        }
      }
    }
  }
}

}  // namespace
}  // namespace vigil::testing
