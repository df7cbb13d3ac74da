// The refusal matrix, generated from the route table: every route that needs
// a right x every user (4 roles x 4 compartment sets) x, for routes about an
// object, persons in every compartment and persons that do not exist. The
// expected decision comes from the role table of src/access/README.md,
// written out here independently of policy.cc; a refusal must be the exact
// 404 body of a missing object (or, for routes about no object, a 403).
// Routes that create their object (person, case, entry) are tried with fresh
// ids in every compartment, routes deciding on proposals with proposals of
// each user's own, and routes replacing every compartment's state with the
// "*" rule; protection plans (no compartment) are read on one approved plan
// and approved on a proposal of each user's own made by another user; a
// route about any other kind of object fails the test until it has a
// generator here.
#include <atomic>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "server/routes.h"
#include "server_world.h"
#include "support/protect_plan.h"

namespace vigil::testing {
namespace {

using server::Gate;
using server::ParamIn;
using server::ParamSpec;
using server::ParamType;
using server::Route;
using server::Routes;

// Which roles may exercise each right a route needs (README's table).
// A route whose right is missing here fails EveryRouteRightHasAnExpectation.
const std::map<Operation, std::set<Role>>& Expected() {
  using R = Role;
  static const std::map<Operation, std::set<Role>> table = {
      {Operation::kReadStatus, {R::kAnalyst, R::kSupervisor, R::kAuditor, R::kAdmin}},
      {Operation::kReadPerson, {R::kAnalyst, R::kSupervisor}},
      {Operation::kReadComms, {R::kAnalyst, R::kSupervisor}},
      {Operation::kReadWatchlist, {R::kAnalyst, R::kSupervisor}},
      {Operation::kRevealPersons, {R::kAnalyst, R::kSupervisor}},
      {Operation::kDecideAttribution, {R::kAnalyst, R::kSupervisor}},
      {Operation::kListReviews, {R::kAnalyst, R::kSupervisor}},
      {Operation::kDecideReview, {R::kSupervisor}},
      {Operation::kQueryAudit, {R::kAuditor}},
      {Operation::kVerifyAudit, {R::kAuditor, R::kAdmin}},
      {Operation::kIngest, {R::kAnalyst, R::kSupervisor}},
      {Operation::kLinkCase, {R::kAnalyst, R::kSupervisor}},
      {Operation::kManageCases, {R::kSupervisor}},
      {Operation::kProposeWatchlistEntry, {R::kAnalyst, R::kSupervisor}},
      {Operation::kApproveWatchlistEntry, {R::kSupervisor}},
      {Operation::kConfigureWatchlist, {R::kSupervisor, R::kAdmin}},
      {Operation::kConfigureRetention, {R::kAdmin}},
      {Operation::kApplyRetention, {R::kSupervisor, R::kAdmin}},
      {Operation::kCheckpointAudit, {R::kAuditor, R::kAdmin}},
      {Operation::kManageUsers, {R::kAdmin}},
      {Operation::kTriageAlert, {R::kAnalyst, R::kSupervisor}},
      {Operation::kProposeProtectionPlan, {R::kAnalyst, R::kSupervisor}},
      {Operation::kApproveProtectionPlan, {R::kSupervisor}},
      {Operation::kDecideMatch, {R::kAnalyst, R::kSupervisor}},
  };
  return table;
}

// Routes whose action replaces state of every compartment (README of
// src/access: resolution's proposals and state, the alert engine's state):
// only a user granted every compartment may run them; anyone else gets 403.
const std::set<std::string>& NeedsEveryCompartment() {
  static const std::set<std::string> routes = {"POST /v1/resolve", "POST /v1/alerts/run"};
  return routes;
}

// Routes whose object is created by the request: each user gets fresh ids in
// each compartment (prefix-user-compartment), and creating one is allowed
// exactly when reading one there would be.
const std::map<std::string, std::string>& CreatedObjects() {
  static const std::map<std::string, std::string> routes = {
      {"POST /v1/persons", "NP"}, {"POST /v1/cases", "NC"}, {"POST /v1/watchlist/entries", "NE"}};
  return routes;
}

// Routes deciding on pending proposals: each decision consumes its
// proposal, so each user gets proposals of their own in each compartment,
// made by another user before the matrix runs, and ids never proposed.
const std::map<std::string, std::string>& ProposalObjects() {
  static const std::map<std::string, std::string> routes = {
      {"POST /v1/watchlist/proposals/{entry_id}/approve", "PA"},
      {"POST /v1/watchlist/proposals/{entry_id}/refuse", "PR"}};
  return routes;
}

const std::vector<std::string>& MatrixCompartments() {
  static const std::vector<std::string> compartments = {"CT-A", "CT-B", "CT-C"};
  return compartments;
}

std::string Key(const Route& route) { return route.method + " " + route.pattern; }

// Protective-deployment plans (no compartment): one approved plan that
// every reading route is tried on, and for each user a proposal of
// matrix-proposer's for the approval route (each approval consumes one).
const ProtectPlanRecord& ApprovedPlan() {
  static const ProtectPlanRecord plan = SmallProtectPlan("approved", "matrix-proposer");
  return plan;
}
ProtectPlanRecord PlanToApprove(const std::string& user) {
  return SmallProtectPlan("approve-" + user, "matrix-proposer");
}

// A checkpoint exported from the matrix's world before it runs.
AuditCheckpoint& MatrixCheckpoint() {
  static AuditCheckpoint checkpoint;
  return checkpoint;
}

// The content hash of each prepared proposal, which an approval names.
std::map<std::string, std::string>& ProposalHashes() {
  static std::map<std::string, std::string> hashes;
  return hashes;
}

// Each user's own number, owned by a subject of their home compartment and
// carrying no call: a selector they see in full, so that confirming it to
// any person they may see is allowed (tests/server/write_matrix_test.cc
// tries other compartments' numbers).
std::string OwnNumber(const std::string& user) {
  return "msisdn:+4477001" + std::to_string(std::hash<std::string>{}(user) % 100000 + 100000);
}

std::string OwnId(const std::string& prefix, const std::string& user,
                  const std::string& compartment) {
  return prefix + "-" + user + "-" + compartment;
}

// The compartment a user works in: the case they link persons to.
std::string HomeCompartment(const TestUser& user) {
  return user.compartments.front() == "*" ? "CT-A" : user.compartments.front();
}

// The key of the alert raised about a person before the matrix runs.
std::string AlertKeyOf(const std::string& person_id) { return "matrix:" + person_id; }

// Each user's own watch-list match in a compartment (a decision cannot be
// repeated, so no two users share one): a report about a subject of the
// compartment matched to an entry of the same compartment.
std::string OwnMatchEntry(const std::string& user, const std::string& compartment) {
  return "MXE-" + user + "-" + compartment;
}
std::string MatchReport(const std::string& compartment) { return "MXR-" + compartment; }

// The canvas every case holds before the matrix runs, and each user's own
// canvas in every case for the delete route.
constexpr char kMatrixCanvas[] = "matrix-target";
std::string OwnCanvas(const std::string& user) { return "del-" + user; }

struct Case {
  const Route* route;
  const TestUser* user;
  std::string object;       // "" for routes about no object
  std::string compartment;  // the object's; "" when it does not exist
};

struct Object {
  std::string id;
  std::string compartment;  // "" when it does not exist
};

// The objects a route is tried on for `user`. A route about a kind of object
// that has no generator here fails the test, so that it cannot be forgotten.
std::vector<Object> ObjectsOf(const Route& route, const TestUser& user,
                              const std::vector<Object>& persons) {
  std::vector<Object> out;
  if (auto created = CreatedObjects().find(Key(route)); created != CreatedObjects().end()) {
    for (const std::string& c : MatrixCompartments())
      out.push_back({OwnId(created->second, user.name, c), c});
    return out;
  }
  if (auto proposal = ProposalObjects().find(Key(route)); proposal != ProposalObjects().end()) {
    for (const std::string& c : MatrixCompartments())
      out.push_back({OwnId(proposal->second, user.name, c), c});
    for (int i = 0; i < 3; ++i) out.push_back({OwnId("PX", user.name, std::to_string(i)), ""});
    return out;
  }
  if (route.object_kind == "person") return persons;
  // An alert about each person (made before the matrix runs), and keys of
  // alerts that do not exist.
  if (route.object_kind == "alert") {
    for (const Object& person : persons) out.push_back({AlertKeyOf(person.id), person.compartment});
    return out;
  }
  // Each user's own match in every compartment, keys naming no match, and a
  // malformed key.
  if (route.object_kind == "match") {
    for (const std::string& c : MatrixCompartments()) {
      out.push_back(
          {MatchKey(InputKind::kReports, MatchReport(c), OwnMatchEntry(user.name, c)), c});
    }
    out.push_back(
        {MatchKey(InputKind::kReports, "MXR-NONE", OwnMatchEntry(user.name, "CT-A")), ""});
    out.push_back(
        {MatchKey(InputKind::kTravel, MatchReport("CT-A"), OwnMatchEntry(user.name, "CT-A")), ""});
    out.push_back({"forged/" + user.name, ""});
    return out;
  }
  if (route.object_kind == "case") {
    for (const std::string& c : MatrixCompartments()) out.push_back({"CASE-" + c, c});
    for (int i = 0; i < 3; ++i) out.push_back({"CASE-NONE-" + std::to_string(i), ""});
    return out;
  }
  ADD_FAILURE() << Key(route) << ": no objects of kind " << route.object_kind;
  return out;
}

bool InCompartments(const TestUser& user, const std::string& compartment) {
  for (const std::string& c : user.compartments) {
    if (c == "*" || c == compartment) return true;
  }
  return false;
}

// A valid value for a parameter: the object for the object parameter (and
// for the second end of a path), fixed values for the rest.
std::optional<Json> Sample(const Route& route, const ParamSpec& spec, const Case& c) {
  const std::string& object = c.object;
  if (spec.name == route.object_param) return Json(object);
  if (spec.name == "b") return Json(object);
  const std::string& user = c.user->name;
  // Values that depend on the case: created objects' compartments, the
  // user's own case, accounts the admin routes act on (each admin its own
  // grant, so that concurrent cases do not undo each other).
  if (spec.name == "compartment") {
    if (route.pattern == "/v1/users/{name}/grant") return Json("G-" + user);
    if (route.pattern == "/v1/users/{name}/revoke") return Json("M-" + user);
    if (route.pattern == "/v1/users/{name}/grant/approve") return Json("P-" + user);
    if (route.pattern == "/v1/users/{name}/grant/refuse") return Json("R-" + user);
    return Json(c.compartment.empty() ? "CT-A" : c.compartment);
  }
  if (spec.name == "case") return Json("CASE-" + HomeCompartment(*c.user));
  if (route.pattern == "/v1/cases/{case}/canvases/{name}" && route.method == "POST") {
    // Each allowed save creates a canvas of its own (version absent: 0).
    static std::atomic<int> serial{0};
    if (spec.name == "name") return Json("mx-" + user + "-" + std::to_string(serial++));
    if (spec.name == "version") return std::nullopt;
  }
  if (route.pattern == "/v1/cases/{case}/canvases/{name}/delete") {
    if (spec.name == "name") return Json(OwnCanvas(user));
    if (spec.name == "version") return Json(1);
  }
  if (spec.name == "name" && spec.in == ParamIn::kPath) return Json(kMatrixCanvas);
  if (spec.name == "assignee") return Json(user);
  if (spec.name == "decision" && route.pattern == "/v1/screening/matches/decide") {
    return Json("dismiss");
  }
  if (spec.name == "document") return Json{{"nodes", Json::array()}};
  if (spec.name == "plan") {
    return Json(route.pattern == "/v1/protect/plans/{plan}/approve" ? PlanToApprove(user).id
                                                                    : ApprovedPlan().id);
  }
  if (spec.name == "inputs") return SmallProtectInputRows("matrix");
  if (spec.name == "days" && route.pattern == "/v1/protect/plans/{plan}/schedule") return Json(2);
  if (spec.name == "format" && route.pattern == "/v1/network/export/record") return Json("png");
  // Views of nodes (ties, export): one id that is in no graph (left out).
  if (spec.name == "nodes") return Json::array({"P9199999"});
  if (spec.name == "selector" && route.pattern == "/v1/links/confirm") {
    return Json(OwnNumber(user));
  }
  if (spec.name == "content_hash") {
    auto found = ProposalHashes().find(object);
    return Json(found == ProposalHashes().end() ? std::string(64, '0') : found->second);
  }
  if (spec.name == "name" && spec.in == ParamIn::kPath) return Json("matrix-target");
  if (spec.name == "name" && route.pattern == "/v1/users") return Json("new-" + user);
  if (spec.name == "list" && spec.in == ParamIn::kPath) return Json("matrix-config");
  if (route.pattern == "/v1/audit/verify") {
    const AuditCheckpoint& checkpoint = MatrixCheckpoint();
    if (spec.name == "seq") return Json(checkpoint.seq);
    if (spec.name == "hash") return Json(checkpoint.hash);
    if (spec.name == "signed_at") return Json(checkpoint.signed_at);
    if (spec.name == "public_key") return Json(checkpoint.public_key);
    if (spec.name == "signature") return Json(checkpoint.signature);
  }
  static const std::map<std::string, Json> fixed = {
      {"name", "Matrix Name"},
      {"current_password", kPassword},
      {"new_password", "another long secret"},
      {"legal_basis", "generated case"},
      {"review_by", "2099-01-01"},
      {"level", "active"},
      {"category", "suspect"},
      {"list", "matrix-list"},
      {"password", "another long secret"},
      {"role", "analyst"},
      {"days", 3650},
      {"q", "brown"},
      {"selector", "msisdn:+447700900123"},
      {"reason", "generated case"},
      {"decision", "extend"},
      {"until", "2099-01-01"},
      {"names", Json::array({Json{{"name", "Jessica Brown"}}})},
      {"limit", 5},
      {"capacity", 5},
      {"disabled", false},
  };
  if (auto found = fixed.find(spec.name); found != fixed.end()) return found->second;
  if (spec.required) ADD_FAILURE() << route.pattern << ": no sample for " << spec.name;
  return std::nullopt;
}

std::string UrlEncoded(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ',') {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

// The request of a case: target with query and path filled, and body.
std::pair<std::string, std::string> RequestOf(const Case& c) {
  const Route& route = *c.route;
  std::string target = route.pattern;
  std::string query;
  Json body = Json::object();
  for (const ParamSpec& spec : route.params) {
    auto value = Sample(route, spec, c);
    if (!value) continue;
    const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
    if (spec.in == ParamIn::kPath) {
      target.replace(target.find("{" + spec.name + "}"), spec.name.size() + 2, text);
    } else if (spec.in == ParamIn::kQuery) {
      query += (query.empty() ? "?" : "&") + spec.name + "=" + UrlEncoded(text);
    } else {
      body[spec.name] = *value;
    }
  }
  return {target + query, route.method == "POST" ? body.dump() : ""};
}

// What the matrix acts on, made before it runs by a second connection in
// setup mode: the case each user links persons to, the account the admin
// routes change (holding each admin's grant to revoke), and proposals on a
// shared list for each user to approve or refuse.
void PrepareMatrixObjects(ServerWorld& world, const std::vector<Object>& persons) {
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  {
    std::map<std::string, std::string> subject_of;  // compartment -> a subject
    for (const Person& p : world.persons()) {
      if (p.status == PersonStatus::kSubject) subject_of.emplace(p.compartment, p.person_id);
    }
    SourceFile file;
    file.path = "matrix-numbers";
    file.content_hash = "matrix-numbers";
    file.kind = InputKind::kSelectors;
    auto writer = (*store)->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const TestUser& user : world.users()) {
      SelectorRecord number;
      number.selector = OwnNumber(user.name);
      number.person_id = subject_of.at(HomeCompartment(user));
      number.source = "matrix";
      ASSERT_TRUE((*writer)->Put(number).ok());
    }
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(world.users().size())).ok());
  }
  OversightOptions options;
  options.signing_key_path = world.dir() + "/audit.key";
  options.synchronous = false;
  auto oversight = Oversight::Open(**store, options);
  ASSERT_TRUE(oversight.ok()) << oversight.status().ToString();
  RequestContext setup;
  setup.principal = {"setup:matrix", Role::kAdmin, {"*"}, /*setup=*/true};
  setup.purpose = "matrix setup";
  Oversight& o = **oversight;
  ASSERT_TRUE(o.AddUser(setup, "matrix-target", Role::kAnalyst, kPassword, {"CT-A"}).ok());
  // Grants waiting for a second admin, proposed by an admin who is none of
  // the users: each admin approves its own P- and refuses its own R-.
  RequestContext proposer = setup;
  proposer.principal = {"matrix-proposer", Role::kAdmin, {"*"}, /*setup=*/false};
  for (const TestUser& user : world.users()) {
    ASSERT_TRUE(o.Grant(setup, "matrix-target", "M-" + user.name).ok());
    ASSERT_TRUE(o.Grant(proposer, "matrix-target", "P-" + user.name).ok());
    ASSERT_TRUE(o.Grant(proposer, "matrix-target", "R-" + user.name).ok());
  }
  for (const std::string& c : MatrixCompartments()) {
    ASSERT_TRUE(o.AddCase(setup, "CASE-" + c, c).ok());
  }
  WatchBatch alerts;
  for (const Object& person : persons) {
    if (person.compartment.empty()) continue;
    StoredAlert alert;
    alert.key = AlertKeyOf(person.id);
    alert.time = 1'700'000'000;
    alert.person_id = person.id;
    alert.kind = "matrix";
    alert.score = 1;
    alert.evidence = "generated";
    alert.raised_at = alert.time;
    alerts.alerts.push_back(alert);
  }
  ASSERT_TRUE((*store)->CommitWatchBatch(alerts, nullptr).ok());
  {
    std::map<std::string, std::string> subject_of;  // compartment -> a subject
    for (const Object& person : persons) {
      if (!person.compartment.empty()) subject_of.emplace(person.compartment, person.id);
    }
    SourceFile reports_file;
    reports_file.path = "matrix-match-reports";
    reports_file.content_hash = "matrix-match-reports";
    reports_file.kind = InputKind::kReports;
    auto reports = (*store)->BeginIngest(reports_file);
    ASSERT_TRUE(reports.ok()) << reports.status().ToString();
    for (const std::string& c : MatrixCompartments()) {
      Report report;
      report.report_id = MatchReport(c);
      report.time = 1'700'000'000;
      report.person_id = subject_of.at(c);
      report.source = "matrix";
      report.text = "a listed name";
      ASSERT_TRUE((*reports)->Put(report).ok());
    }
    ASSERT_TRUE((*reports)->Commit(3).ok());
    SourceFile entries_file;
    entries_file.path = "matrix-match-entries";
    entries_file.content_hash = "matrix-match-entries";
    entries_file.kind = InputKind::kWatchlist;
    auto entries = (*store)->BeginIngest(entries_file);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<StoredWatchlistMatch> matches;
    for (const TestUser& user : world.users()) {
      for (const std::string& c : MatrixCompartments()) {
        WatchlistEntry entry;
        entry.entry_id = OwnMatchEntry(user.name, c);
        entry.list = "matrix-match-list";
        entry.name = "Listed Person";
        entry.attributes.emplace_back("x_compartment", c);
        ASSERT_TRUE((*entries)->Put(entry).ok());
        StoredWatchlistMatch match;
        match.source_kind = InputKind::kReports;
        match.source_id = MatchReport(c);
        match.entry_id = entry.entry_id;
        match.score = 0.9;
        match.explanation = "generated";
        match.seen_at = 1'700'000'000;
        match.screened_at = 1'700'000'000;
        matches.push_back(match);
      }
    }
    ASSERT_TRUE((*entries)->Commit(static_cast<int64_t>(matches.size())).ok());
    ASSERT_TRUE((*store)->PutScreeningResults(matches, {}).ok());
  }
  for (const std::string& c : MatrixCompartments()) {
    Canvas canvas;
    canvas.compartment = c;
    canvas.case_id = "CASE-" + c;
    canvas.name = kMatrixCanvas;
    canvas.document = R"({"nodes":[]})";
    canvas.updated_by = "setup:matrix";
    ASSERT_TRUE((*store)->PutCanvas(canvas, 0).ok());
    for (const TestUser& user : world.users()) {
      canvas.name = OwnCanvas(user.name);
      ASSERT_TRUE((*store)->PutCanvas(canvas, 0).ok());
    }
  }
  ASSERT_TRUE(o.ConfigureList(setup, "matrix-shared", "general", /*shared=*/true).ok());
  ASSERT_TRUE((*store)->PutProtectPlan(ApprovedPlan()).ok());
  ASSERT_TRUE(
      (*store)
          ->ApproveProtectPlan(ApprovedPlan().id, "matrix-approver", 1'700'000'000, "matrix")
          .ok());
  for (const TestUser& user : world.users()) {
    ASSERT_TRUE((*store)->PutProtectPlan(PlanToApprove(user.name)).ok());
  }
  auto checkpoint = o.Checkpoint(setup);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  MatrixCheckpoint() = *checkpoint;
  for (const auto& [route, prefix] : ProposalObjects()) {
    for (const TestUser& user : world.users()) {
      for (const std::string& c : MatrixCompartments()) {
        WatchlistEntry entry;
        entry.entry_id = OwnId(prefix, user.name, c);
        entry.list = "matrix-shared";
        entry.name = "Proposed Person " + prefix;
        entry.attributes.emplace_back("x_compartment", c);
        auto listed = o.ProposeEntry(setup, entry);
        ASSERT_TRUE(listed.ok()) << listed.status().ToString();
        ASSERT_FALSE(*listed) << "a shared list's entry must wait for approval";
        ProposalHashes()[entry.entry_id] = ProposalContentHash(entry);
      }
    }
  }
}

TEST(ServerRefusals, EveryRouteRightHasAnExpectation) {
  for (const Route& route : Routes()) {
    if (route.gate != Gate::kRight) continue;
    EXPECT_TRUE(Expected().count(route.right))
        << route.method << " " << route.pattern << " needs " << OperationName(route.right)
        << ", which has no expectation";
    EXPECT_TRUE(route.handler) << route.pattern << " has no handler";
    if (!route.object_param.empty()) {
      bool declared = false;
      for (const ParamSpec& spec : route.params) declared |= spec.name == route.object_param;
      EXPECT_TRUE(declared) << route.pattern << ": object parameter not declared";
    }
  }
}

TEST(ServerRefusals, GeneratedCasesMatchTheExpectedDecision) {
  ServerOptions options;
  options.login_burst = 100;  // 16 logins from one address
  ServerWorld world("matrix", UsersFor({{"CT-A"}, {"CT-B", "CT-C"}, {"CT-C"}, {"*"}}), options);
  // Objects: up to 24 subjects of each compartment, and ids that do not exist.
  std::vector<Object> persons;
  std::map<std::string, int> taken;
  for (const Person& p : world.persons()) {
    if (p.status == PersonStatus::kSubject && taken[p.compartment]++ < 24) {
      persons.push_back({p.person_id, p.compartment});
    }
  }
  ASSERT_GE(taken.size(), 3u);
  for (int i = 0; i < 18; ++i) persons.push_back({"P9" + std::to_string(100000 + i), ""});
  PrepareMatrixObjects(world, persons);

  std::vector<Case> cases;
  for (const Route& route : Routes()) {
    if (route.gate != Gate::kRight) continue;
    for (const TestUser& user : world.users()) {
      if (route.object_param.empty()) {
        cases.push_back({&route, &user, "", ""});
        continue;
      }
      for (const Object& object : ObjectsOf(route, user, persons))
        cases.push_back({&route, &user, object.id, object.compartment});
    }
  }
  ASSERT_GE(cases.size(), 10'000u);

  std::map<std::string, std::string> tokens;
  {
    auto client = world.Client();
    for (const TestUser& user : world.users()) {
      tokens[user.name] = world.Login(*client, user.name);
      ASSERT_FALSE(tokens[user.name].empty()) << user.name;
    }
  }

  std::atomic<size_t> next{0};
  std::atomic<int> mismatches{0};
  std::atomic<int> allowed{0};
  std::map<const Route*, std::atomic<int>> allowed_of;  // every route is in it before the run
  for (const Case& c : cases) allowed_of[c.route];
  std::mutex report_mu;
  std::vector<std::string> reports;
  auto worker = [&] {
    auto client = world.Client();
    for (size_t i = next++; i < cases.size(); i = next++) {
      const Case& c = cases[i];
      const bool role_ok = Expected().at(c.route->right).count(c.user->role) > 0;
      const bool object_ok =
          (c.object.empty() ||
           (!c.compartment.empty() && InCompartments(*c.user, c.compartment))) &&
          (NeedsEveryCompartment().count(Key(*c.route)) == 0 || InCompartments(*c.user, "*"));
      auto [target, body] = RequestOf(c);
      HttpResult r =
          ServerWorld::Call(*client, c.route->method, target, tokens.at(c.user->name), body);
      std::string why;
      if (role_ok && object_ok) {
        ++allowed;
        ++allowed_of.at(c.route);
        if (r.status != 200 || r.json.contains("error")) why = "expected 200";
      } else if (!c.object.empty()) {
        const Json expected =
            server::ErrorBody("not_found", NotVisibleMessage(c.route->object_kind, c.object));
        if (r.status != 404 || r.body != expected.dump()) why = "expected " + expected.dump();
      } else {
        if (r.status != 403 || !r.json.contains("error")) why = "expected 403";
      }
      if (!why.empty()) {
        ++mismatches;
        std::lock_guard<std::mutex> lock(report_mu);
        if (reports.size() < 20) {
          reports.push_back(c.user->name + " " + c.route->method + " " + target + " -> " +
                            std::to_string(r.status) + " " + r.body.substr(0, 200) + " (" + why +
                            ")");
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (const std::string& report : reports) ADD_FAILURE() << report;
  EXPECT_EQ(mismatches.load(), 0) << "of " << cases.size() << " cases";
  EXPECT_GT(allowed.load(), 1000);  // the matrix exercises successes too
  for (const auto& [route, count] : allowed_of) {
    // Every route succeeds for someone, so its refusals are not mere failures.
    EXPECT_GT(count.load(), 0) << Key(*route) << " never ran as an allowed case";
  }
  std::printf("refusal matrix: %zu cases, %d allowed, %d mismatches\n", cases.size(),
              allowed.load(), mismatches.load());
}

}  // namespace
}  // namespace vigil::testing
