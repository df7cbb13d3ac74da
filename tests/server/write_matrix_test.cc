// The write matrix, generated from the route table: every mutating route x
// every user (4 roles x 4 compartment sets) x objects in every compartment,
// the user's own and ones that do not exist. The expected answer is written
// out here, independently of src/access: the role table of
// src/access/README.md, the compartments of each person, and for a
// selector the compartments it touches (its owners', and those of every end
// of every call it carries, computed from the raw store). Each refused case
// must also leave the store as it was: the rows it aimed at (read through a
// second connection before and after) and, over the whole refused phase, a
// digest of every table but the audit log's.
//
// Cases that change what others may see run in phases, so that expectations
// computed up front stay true: (1) every refusal, (2) allowed writes that
// change no compartment, (3) attributions adding a compartment to a
// selector by users not granted "*" (they stay inside the user's own
// compartments), (4) the same by users granted "*", (5) routes about no
// object (engine runs, accounts, retention), (6) password changes.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "server/routes.h"
#include "server_world.h"
#include "support/protect_plan.h"
#include "util/hash.h"

namespace vigil::testing {
namespace {

using server::Gate;
using server::ParamIn;
using server::ParamSpec;
using server::Route;
using server::Routes;

const std::vector<std::string> kCompartments = {"CT-A", "CT-B", "CT-C"};
constexpr int kPersonsPerCompartment = 40;
constexpr int kMissingPersons = 20;
constexpr int kEntriesPerCompartment = 10;
constexpr int kSelectorsPerCompartment = 8;

// Which roles may exercise each right (README's table).
const std::map<Operation, std::set<Role>>& RolesOf() {
  using R = Role;
  static const std::map<Operation, std::set<Role>> table = {
      {Operation::kReadStatus, {R::kAnalyst, R::kSupervisor, R::kAuditor, R::kAdmin}},
      {Operation::kDecideAttribution, {R::kAnalyst, R::kSupervisor}},
      {Operation::kDecideReview, {R::kSupervisor}},
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
      {Operation::kProposeProtectionPlan, {R::kAnalyst, R::kSupervisor}},
      {Operation::kApproveProtectionPlan, {R::kSupervisor}},
  };
  return table;
}

// POST routes that change nothing (they answer a question).
const std::set<std::string>& ReadOnlyPosts() {
  static const std::set<std::string> routes = {
      "POST /v1/screen", "POST /v1/audit/verify", "POST /v1/network/ties",
      "POST /v1/network/export/view", "POST /v1/network/export/record"};
  return routes;
}

// Mutating routes this matrix has no generator for yet: alert triage, whose
// object (an alert key) is in the body, saved canvases, and decisions on
// screening matches (whose object needs a screening result, and whose
// visibility is that of the entry's compartment and of the matched record
// together). Their refusals (hidden and missing objects alike, roles,
// compartments) are tested by
// Workbench.AlertTriageKeepsStatesReasonsAndCompartments,
// Workbench.CanvasesAreVersionedSharedAndWithholdWhatIsHidden,
// MatchDecisions.RefusedAlikeForHiddenForgedAndMissingMatchesAndKeptWhenAllowed
// (which also checks that nothing refused is stored) and the refusal matrix
// (ServerRefusals.GeneratedCasesMatchTheExpectedDecision).
const std::set<std::string>& NotInThisMatrix() {
  static const std::set<std::string> routes = {"POST /v1/alerts/acknowledge",
                                               "POST /v1/alerts/assign",
                                               "POST /v1/alerts/dismiss",
                                               "POST /v1/alerts/escalate",
                                               "POST /v1/alerts/reopen",
                                               "POST /v1/cases/{case}/canvases/{name}",
                                               "POST /v1/cases/{case}/canvases/{name}/delete",
                                               "POST /v1/screening/matches/decide"};
  return routes;
}

const std::set<std::string>& NeedsEveryCompartment() {
  static const std::set<std::string> routes = {"POST /v1/resolve", "POST /v1/alerts/run"};
  return routes;
}

std::string Key(const Route& route) { return route.method + " " + route.pattern; }

// Each user's own proposed protection plan (proposed by matrix-proposer),
// for the approval route.
ProtectPlanRecord PlanToApprove(const std::string& user) {
  return SmallProtectPlan("approve-" + user, "matrix-proposer");
}

bool Holds(const TestUser& user, const std::string& compartment) {
  for (const std::string& c : user.compartments) {
    if (c == "*" || c == compartment) return true;
  }
  return false;
}
bool HoldsAll(const TestUser& user) { return Holds(user, "\x01 no such compartment"); }
std::string Home(const TestUser& user) { return HoldsAll(user) ? "CT-A" : user.compartments[0]; }

struct Expected {
  int status = 200;
  std::string body;  // "" for a success (any 200 without an error)
};

struct Case {
  const Route* route = nullptr;
  const TestUser* user = nullptr;
  std::string object;       // "" for routes about no object
  std::string selector;     // links: the selector
  std::string compartment;  // created objects: the compartment asked for
  Expected expected;
  int phase = 1;
};

Expected NotVisible(const std::string& kind, const std::string& id) {
  return {404, server::ErrorBody("not_found", NotVisibleMessage(kind, id)).dump()};
}
Expected Taken(const std::string& kind, const std::string& id) {
  return {409, server::ErrorBody("conflict", IdTakenMessage(kind, id)).dump()};
}

// What the matrix's world holds, read with every right before it runs.
struct WorldFacts {
  std::vector<std::pair<std::string, std::string>> persons;  // id, compartment
  std::map<std::string, std::string> compartment_of;         // person -> compartment
  std::vector<std::string> entries;                          // existing entry ids
  std::map<std::string, std::string> entry_compartment;
  std::map<std::string, std::vector<std::string>> selectors;  // compartment -> phones
  // A selector's current owners' compartments, and every compartment it
  // touches (owners, and every owned end of every call it carries; a call
  // with no owned end counts as "general").
  std::map<std::string, std::set<std::string>> owner_compartments;
  std::map<std::string, std::set<std::string>> touches;
  std::map<std::string, std::string> proposal_hash;  // entry id -> content hash
};

std::set<std::string> CurrentOwners(Store& raw, const WorldFacts& facts,
                                    const std::string& selector) {
  auto owners = raw.AttributionsOfSelector(selector);
  EXPECT_TRUE(owners.ok());
  std::set<std::string> decided, proposed;
  for (const Attribution& a : *owners) {
    if (a.state == AttributionState::kRejected) continue;
    auto found = facts.compartment_of.find(a.person_id);
    const std::string c = found == facts.compartment_of.end() ? "?" : found->second;
    (a.state == AttributionState::kProposed ? proposed : decided).insert(c);
  }
  return decided.empty() ? proposed : decided;
}

// Everything but the audit log, as one hash: persons, attributions, travel,
// reports, custody, the watch list, watch levels, pending proposals,
// protection plans, cases and their links, and accounts.
std::string StoreDigest(Store& raw, Oversight& oversight, const RequestContext& setup) {
  std::string text;
  auto add = [&](const std::string& row) { text += row + "\n"; };
  EXPECT_TRUE(raw.ScanPersons([&](const Person& p) {
                   add("P|" + p.person_id + "|" + p.name + "|" + p.compartment + "|" +
                       p.legal_basis + "|" + p.review_by + "|" +
                       std::to_string(static_cast<int>(p.status)));
                   return true;
                 })
                  .ok());
  EXPECT_TRUE(raw.ScanAttributions([&](const Attribution& a) {
                   add("A|" + a.selector + "|" + a.person_id + "|" +
                       std::to_string(static_cast<int>(a.state)) + "|" + a.decided_by);
                   return true;
                 })
                  .ok());
  EXPECT_TRUE(raw.ScanTravel([&](const TravelRecord& t) {
                   add("T|" + t.record_id + "|" + t.name + "|" + t.document);
                   return true;
                 })
                  .ok());
  EXPECT_TRUE(raw.ScanReports([&](const Report& r) {
                   add("R|" + r.report_id + "|" + r.person_id + "|" + r.text);
                   return true;
                 })
                  .ok());
  EXPECT_TRUE(raw.ScanCustody([&](const CustodyRecord& c) {
                   add("C|" + c.person_id + "|" + c.facility + "|" + c.start + "|" + c.end);
                   return true;
                 })
                  .ok());
  EXPECT_TRUE(raw.ScanWatchlist([&](const WatchlistEntry& e) {
                   add("W|" + e.entry_id + "|" + e.list + "|" + e.name + "|" + e.reason);
                   return true;
                 })
                  .ok());
  EXPECT_TRUE(raw.ScanWatchRecords([&](const WatchRecord& w) {
                   add("L|" + w.person_id + "|" + std::to_string(w.state) + "|" + w.set_by + "|" +
                       w.reason);
                   return true;
                 })
                  .ok());
  auto proposals = oversight.PendingProposals(setup);
  EXPECT_TRUE(proposals.ok());
  for (const WatchlistProposal& p : *proposals) {
    add("Q|" + p.entry_id + "|" + p.proposed_by + "|" + p.content_hash);
  }
  auto cases = oversight.ListCases(setup);
  EXPECT_TRUE(cases.ok());
  for (const CaseInfo& c : *cases) {
    add("K|" + c.case_id + "|" + c.compartment);
    for (const CaseLinkInfo& l : c.links) {
      add("KL|" + c.case_id + "|" + l.person_id + "|" +
          std::to_string(static_cast<int>(l.category)) + "|" + l.linked_by);
    }
  }
  EXPECT_TRUE(raw.ScanProtectPlans([&](const ProtectPlanRecord& p) {
                   add("PP|" + p.id + "|" + p.content_hash + "|" + p.proposed_by + "|" +
                       p.approved_by + "|" + p.approval_reason);
                   return true;
                 })
                  .ok());
  auto users = oversight.ListUsers(setup);
  EXPECT_TRUE(users.ok());
  for (const UserInfo& u : *users) {
    std::string row = "U|" + u.name + "|" + std::string(RoleName(u.role));
    for (const std::string& c : u.compartments) row += "|" + c;
    add(row);
  }
  return HashBytes(text);
}

// The rows a case aims at, read through a second connection.
std::string TargetDigest(Store& raw, const Case& c) {
  std::string text;
  const std::string& kind = c.route->object_kind;
  if (kind == "person" && !c.object.empty()) {
    auto person = raw.GetPerson(c.object);
    text += person.ok() ? person->name + "|" + person->compartment + "|" + person->review_by
                        : "missing";
    if (auto attributions = raw.AttributionsOfPerson(c.object); attributions.ok()) {
      for (const Attribution& a : *attributions) {
        text += "|" + a.selector + "/" + std::to_string(static_cast<int>(a.state));
      }
    }
  }
  if (kind == "entry" && !c.object.empty()) {
    auto entry = raw.GetWatchlistEntry(c.object);
    text += entry.ok() ? entry->list + "|" + entry->name : "missing";
  }
  if (!c.selector.empty()) {
    if (auto owners = raw.AttributionsOfSelector(c.selector); owners.ok()) {
      for (const Attribution& a : *owners) {
        text += "|" + a.person_id + "/" + std::to_string(static_cast<int>(a.state));
      }
    }
  }
  return HashBytes(text);
}

// Objects made before the matrix runs, with every right (setup mode through
// a second connection): cases in each compartment, an account the admin
// routes act on, entries in each compartment, and proposals on a shared list
// for each user to approve or refuse.
void Prepare(ServerWorld& world, WorldFacts& facts) {
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
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
  for (const TestUser& user : world.users()) {
    ASSERT_TRUE(o.Grant(setup, "matrix-target", "M-" + user.name).ok());
  }
  for (const std::string& c : kCompartments) ASSERT_TRUE(o.AddCase(setup, "CASE-" + c, c).ok());
  ASSERT_TRUE(o.ConfigureList(setup, "matrix-shared", "general", /*shared=*/true).ok());
  for (const std::string& c : kCompartments) {
    for (int i = 0; i < kEntriesPerCompartment; ++i) {
      WatchlistEntry entry;
      entry.entry_id = "WE-" + c + "-" + std::to_string(i);
      entry.list = "matrix-list";
      entry.name = "Listed Person " + std::to_string(i);
      entry.attributes.emplace_back("x_compartment", c);
      auto listed = o.ProposeEntry(setup, entry);
      ASSERT_TRUE(listed.ok() && *listed) << listed.status().ToString();
      facts.entries.push_back(entry.entry_id);
      facts.entry_compartment[entry.entry_id] = c;
    }
  }
  for (const std::string prefix : {"PA", "PR"}) {
    for (const TestUser& user : world.users()) {
      for (const std::string& c : kCompartments) {
        WatchlistEntry entry;
        entry.entry_id = prefix + "-" + user.name + "-" + c;
        entry.list = "matrix-shared";
        entry.name = "Proposed Person " + prefix;
        entry.attributes.emplace_back("x_compartment", c);
        auto listed = o.ProposeEntry(setup, entry);
        ASSERT_TRUE(listed.ok() && !*listed) << listed.status().ToString();
        facts.proposal_hash[entry.entry_id] = ProposalContentHash(entry);
      }
    }
  }
  for (const TestUser& user : world.users()) {
    ASSERT_TRUE((*store)->PutProtectPlan(PlanToApprove(user.name)).ok());
  }
}

void LearnWorld(ServerWorld& world, WorldFacts& facts) {
  auto store = OpenSqliteStore(world.db());
  ASSERT_TRUE(store.ok());
  Store& raw = **store;
  std::map<std::string, int> taken;
  for (const Person& p : world.persons()) {
    facts.compartment_of[p.person_id] = p.compartment.empty() ? "general" : p.compartment;
    if (p.status != PersonStatus::kSubject) continue;
    if (std::find(kCompartments.begin(), kCompartments.end(), p.compartment) ==
        kCompartments.end()) {
      continue;
    }
    if (taken[p.compartment]++ >= kPersonsPerCompartment) continue;
    facts.persons.emplace_back(p.person_id, p.compartment);
    if (static_cast<int>(facts.selectors[p.compartment].size()) >= kSelectorsPerCompartment) {
      continue;
    }
    auto attributions = raw.AttributionsOfPerson(p.person_id);
    ASSERT_TRUE(attributions.ok());
    for (const Attribution& a : *attributions) {
      if (a.selector.rfind("msisdn:", 0) == 0 && a.state == AttributionState::kSource) {
        facts.selectors[p.compartment].push_back(a.selector);
        break;
      }
    }
  }
  for (int i = 0; i < kMissingPersons; ++i) {
    facts.persons.emplace_back("P9" + std::to_string(200000 + i), "");
  }
  for (const auto& [compartment, selectors] : facts.selectors) {
    for (const std::string& selector : selectors) {
      std::set<std::string> owners = CurrentOwners(raw, facts, selector);
      std::set<std::string> touches = owners;
      CommQuery query;
      query.selectors = {selector};
      ASSERT_TRUE(
          raw.ScanComms(query,
                        [&](const Communication& comm) {
                          bool owned = false;
                          for (const std::string* end : {&comm.src, &comm.dst, &comm.device}) {
                            if (end->empty()) continue;
                            std::set<std::string> of_end = CurrentOwners(raw, facts, *end);
                            owned = owned || !of_end.empty();
                            touches.insert(of_end.begin(), of_end.end());
                          }
                          if (!owned) touches.insert("general");
                          return true;
                        })
              .ok());
      facts.owner_compartments[selector] = owners;
      facts.touches[selector] = touches;
    }
  }
}

bool SeesInFull(const TestUser& user, const WorldFacts& facts, const std::string& selector) {
  if (HoldsAll(user)) return true;
  auto found = facts.touches.find(selector);
  if (found == facts.touches.end()) return false;  // never seen
  for (const std::string& c : found->second) {
    if (!Holds(user, c)) return false;
  }
  return true;
}

// A valid value for each parameter of a case.
std::optional<Json> Sample(const Route& route, const ParamSpec& spec, const Case& c,
                           const WorldFacts& facts) {
  const std::string& user = c.user->name;
  if (spec.name == route.object_param) return Json(c.object);
  if (spec.name == "selector") return Json(c.selector);
  if (spec.name == "compartment") {
    if (route.pattern == "/v1/users/{name}/grant") return Json("G-" + user);
    if (route.pattern == "/v1/users/{name}/revoke") return Json("M-" + user);
    return Json(c.compartment.empty() ? Home(*c.user) : c.compartment);
  }
  if (spec.name == "content_hash") {
    auto found = facts.proposal_hash.find(c.object);
    return Json(found == facts.proposal_hash.end() ? std::string(64, '0') : found->second);
  }
  if (spec.name == "case") return Json("CASE-" + Home(*c.user));
  if (spec.name == "plan") return Json(PlanToApprove(user).id);
  if (spec.name == "inputs") return SmallProtectInputRows("write-matrix");
  if (spec.name == "name" && spec.in == ParamIn::kPath) return Json("matrix-target");
  if (spec.name == "name" && route.pattern == "/v1/users") return Json("new-" + user);
  if (spec.name == "list" && spec.in == ParamIn::kPath) return Json("matrix-config");
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
      {"reason", "generated case"},
      {"decision", "extend"},
      {"until", "2099-01-01"},
      {"disabled", true},
  };
  if (auto found = fixed.find(spec.name); found != fixed.end()) return found->second;
  if (spec.required) ADD_FAILURE() << route.pattern << ": no sample for " << spec.name;
  return std::nullopt;
}

std::pair<std::string, std::string> RequestOf(const Case& c, const WorldFacts& facts) {
  const Route& route = *c.route;
  std::string target = route.pattern;
  Json body = Json::object();
  for (const ParamSpec& spec : route.params) {
    auto value = Sample(route, spec, c, facts);
    if (!value) continue;
    const std::string text = value->is_string() ? value->get<std::string>() : value->dump();
    if (spec.in == ParamIn::kPath) {
      target.replace(target.find("{" + spec.name + "}"), spec.name.size() + 2, text);
    } else if (spec.in == ParamIn::kBody) {
      body[spec.name] = *value;
    }
  }
  return {target, body.dump()};
}

// The cases of one route for one user, with their expected answers.
void CasesOf(const Route& route, const TestUser& user, const WorldFacts& facts,
             std::vector<Case>& out) {
  const bool role_ok = RolesOf().at(route.right).count(user.role) > 0;
  const std::string key = Key(route);
  auto add = [&](Case c) {
    c.route = &route;
    c.user = &user;
    if (!role_ok) {
      c.expected = c.object.empty() ? Expected{403, ""} : NotVisible(route.object_kind, c.object);
      c.phase = 1;
    }
    out.push_back(std::move(c));
  };
  auto person_case = [&](const std::string& id, const std::string& compartment) {
    Case c;
    c.object = id;
    const bool visible = !compartment.empty() && Holds(user, compartment);
    c.expected = visible ? Expected{} : NotVisible("person", id);
    c.phase = visible ? 2 : 1;
    return c;
  };
  if (key == "POST /v1/persons") {
    for (const auto& [id, compartment] : facts.persons) {
      if (compartment.empty()) continue;
      Case c;
      c.object = id;  // an id taken, in the user's compartments or not
      c.expected = Taken("person", id);
      add(c);
    }
    for (const std::string& compartment : kCompartments) {
      Case c;
      c.object = "NP-" + user.name + "-" + compartment;
      c.compartment = compartment;
      const bool held = Holds(user, compartment);
      c.expected = held ? Expected{} : NotVisible("person", c.object);
      c.phase = held ? 2 : 1;
      add(c);
    }
  } else if (key == "POST /v1/persons/{id}/watch" || key == "POST /v1/reviews/{id}" ||
             key == "POST /v1/cases/{case}/links" || key == "POST /v1/links/reject") {
    for (const auto& [id, compartment] : facts.persons) {
      Case c = person_case(id, compartment);
      if (key == "POST /v1/links/reject")
        c.selector = "msisdn:+4479" + std::to_string(10000000 + out.size());
      add(c);
    }
  } else if (key == "POST /v1/links/confirm") {
    size_t serial = 0;
    for (const auto& [id, compartment] : facts.persons) {
      std::vector<std::string> selectors;
      for (const std::string& c : kCompartments) {
        const auto& of = facts.selectors.at(c);
        for (size_t k = 0; k < 3; ++k) selectors.push_back(of[(serial + k) % of.size()]);
      }
      selectors.push_back("msisdn:+4478" + std::to_string(10000000 + serial) + "0");
      ++serial;
      for (const std::string& selector : selectors) {
        Case c = person_case(id, compartment);
        c.selector = selector;
        if (c.phase == 2) {
          if (!SeesInFull(user, facts, selector)) {
            c.expected = NotVisible("selector", selector);
            c.phase = 1;
          } else {
            auto owners = facts.owner_compartments.find(selector);
            const bool same =
                owners != facts.owner_compartments.end() && owners->second.count(compartment) != 0;
            c.phase = same ? 2 : (HoldsAll(user) ? 4 : 3);
          }
        }
        add(c);
      }
    }
  } else if (key == "POST /v1/cases") {
    for (const std::string& compartment : kCompartments) {
      // Case ids are unique per compartment: the id of another
      // compartment's case is free in the user's own (a new case, created
      // last so that the other phases see one case per id), the id of a
      // case in it is a 409 that names only that compartment.
      Case probe;
      probe.object = "CASE-" + compartment;
      const bool own = Home(user) == compartment;
      probe.expected =
          own ? Expected{409, server::ErrorBody("conflict", "case '" + probe.object +
                                                                "' exists in compartment '" +
                                                                compartment + "'")
                                  .dump()}
              : Expected{};
      probe.phase = own ? 1 : 6;
      // A user who holds every compartment has nothing hidden to probe for.
      if (own || !HoldsAll(user)) add(probe);
      Case fresh;
      fresh.object = "NC-" + user.name + "-" + compartment;
      fresh.compartment = compartment;
      const bool held = Holds(user, compartment);
      fresh.expected = held ? Expected{} : NotVisible("case", fresh.object);
      fresh.phase = held ? 2 : 1;
      add(fresh);
    }
  } else if (key == "POST /v1/watchlist/entries") {
    for (const std::string& id : facts.entries) {
      Case c;
      c.object = id;
      c.expected = Taken("entry", id);
      add(c);
    }
    for (const std::string& compartment : kCompartments) {
      Case c;
      c.object = "NE-" + user.name + "-" + compartment;
      c.compartment = compartment;
      const bool held = Holds(user, compartment);
      c.expected = held ? Expected{} : NotVisible("entry", c.object);
      c.phase = held ? 2 : 1;
      add(c);
    }
  } else if (key == "POST /v1/watchlist/proposals/{entry_id}/approve" ||
             key == "POST /v1/watchlist/proposals/{entry_id}/refuse") {
    const std::string prefix = key.find("approve") != std::string::npos ? "PA" : "PR";
    for (const std::string& compartment : kCompartments) {
      Case c;
      c.object = prefix + "-" + user.name + "-" + compartment;
      const bool held = Holds(user, compartment);
      c.expected = held ? Expected{} : NotVisible("entry", c.object);
      c.phase = held ? 2 : 1;
      add(c);
    }
    for (int i = 0; i < 3; ++i) {
      Case c;
      c.object = prefix + "X-" + user.name + "-" + std::to_string(i);
      c.expected = NotVisible("entry", c.object);
      add(c);
    }
  } else if (key == "POST /v1/users/{name}/grant/approve" ||
             key == "POST /v1/users/{name}/grant/refuse") {
    // No grant waits for a second admin here (the four-eyes rules are
    // tested in ServerHardening): an admin passes authorisation and gets
    // the store's answer.
    Case c;
    c.expected = {404, server::ErrorBody("not_found", "no grant of '" + Home(user) +
                                                          "' to 'matrix-target' waits for "
                                                          "approval")
                           .dump()};
    c.phase = 5;
    add(c);
  } else if (route.object_param.empty()) {
    Case c;
    const bool every = NeedsEveryCompartment().count(key) == 0 || HoldsAll(user);
    c.expected = every ? Expected{} : Expected{403, ""};
    c.phase = every ? (key == "POST /v1/session/password" ? 6 : 5) : 1;
    add(c);
  } else {
    ADD_FAILURE() << key << ": a mutating route with no generator in the write matrix";
  }
}

TEST(ServerWriteMatrix, EveryMutatingRouteHasAGenerator) {
  for (const Route& route : Routes()) {
    if (route.gate != Gate::kRight || route.method != "POST") continue;
    if (ReadOnlyPosts().count(Key(route)) != 0) continue;
    if (NotInThisMatrix().count(Key(route)) != 0) continue;
    EXPECT_TRUE(RolesOf().count(route.right)) << Key(route) << ": no role expectation";
  }
}

TEST(ServerWriteMatrix, RefusedWritesChangeNothingAndAllowedOnesSucceed) {
  ServerOptions options;
  options.login_burst = 100;  // 16 logins from one address
  ServerWorld world("write-matrix", UsersFor({{"CT-A"}, {"CT-B", "CT-C"}, {"CT-C"}, {"*"}}),
                    options);
  WorldFacts facts;
  LearnWorld(world, facts);
  Prepare(world, facts);
  for (const std::string& c : kCompartments) {
    ASSERT_FALSE(facts.selectors[c].empty()) << "no phone of a " << c << " subject";
  }

  std::vector<Case> cases;
  for (const Route& route : Routes()) {
    if (route.gate != Gate::kRight || route.method != "POST") continue;
    if (ReadOnlyPosts().count(Key(route)) != 0) continue;
    if (NotInThisMatrix().count(Key(route)) != 0) continue;
    for (const TestUser& user : world.users()) CasesOf(route, user, facts, cases);
  }
  ASSERT_GE(cases.size(), 20'000u);

  std::map<std::string, std::string> tokens;
  {
    auto client = world.Client();
    for (const TestUser& user : world.users()) {
      tokens[user.name] = world.Login(*client, user.name);
      ASSERT_FALSE(tokens[user.name].empty()) << user.name;
    }
  }
  auto digest_store = OpenSqliteStore(world.db());
  ASSERT_TRUE(digest_store.ok());
  OversightOptions oversight_options;
  oversight_options.synchronous = false;
  auto digest_oversight = Oversight::Open(**digest_store, oversight_options);
  ASSERT_TRUE(digest_oversight.ok());
  RequestContext setup;
  setup.principal = {"setup:matrix", Role::kAdmin, {"*"}, /*setup=*/true};
  setup.purpose = "matrix digest";

  std::atomic<int> mismatches{0};
  std::atomic<int> changed{0};
  std::map<int, int> per_phase;
  std::mutex report_mu;
  std::vector<std::string> reports;
  auto report = [&](const Case& c, const std::string& target, const std::string& what) {
    std::lock_guard<std::mutex> lock(report_mu);
    if (reports.size() < 20) {
      reports.push_back(c.user->name + " " + c.route->method + " " + target + " [" + c.selector +
                        "] phase " + std::to_string(c.phase) + ": " + what);
    }
  };
  auto run_phase = [&](int phase) {
    std::vector<const Case*> mine;
    for (const Case& c : cases) {
      if (c.phase == phase) mine.push_back(&c);
    }
    per_phase[phase] = static_cast<int>(mine.size());
    std::atomic<size_t> next{0};
    auto worker = [&] {
      auto client = world.Client();
      auto raw = OpenSqliteStore(world.db());
      ASSERT_TRUE(raw.ok());
      for (size_t i = next++; i < mine.size(); i = next++) {
        const Case& c = *mine[i];
        auto [target, body] = RequestOf(c, facts);
        const bool refusal = c.expected.status != 200;
        const std::string before = refusal ? TargetDigest(**raw, c) : "";
        HttpResult r = ServerWorld::Call(*client, "POST", target, tokens.at(c.user->name), body);
        if (c.expected.status == 200) {
          if (r.status != 200 || r.json.contains("error")) {
            ++mismatches;
            report(c, target,
                   "expected 200, got " + std::to_string(r.status) + " " + r.body.substr(0, 200));
          }
          continue;
        }
        const bool body_ok =
            c.expected.body.empty() ? r.json.contains("error") : r.body == c.expected.body;
        if (r.status != c.expected.status || !body_ok) {
          ++mismatches;
          report(c, target,
                 "expected " + std::to_string(c.expected.status) + " " + c.expected.body +
                     ", got " + std::to_string(r.status) + " " + r.body.substr(0, 200));
        }
        if (TargetDigest(**raw, c) != before) {
          ++changed;
          report(c, target, "a refused write changed its target");
        }
      }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
  };

  const std::string digest_before = StoreDigest(**digest_store, **digest_oversight, setup);
  run_phase(1);
  const std::string digest_after = StoreDigest(**digest_store, **digest_oversight, setup);
  EXPECT_EQ(digest_before, digest_after) << "the refused writes changed the store";
  for (int phase = 2; phase <= 6; ++phase) run_phase(phase);
  // The allowed attributions took effect: every phase-2..4 confirm is stored.
  int confirmed = 0;
  for (const Case& c : cases) {
    if (c.route->pattern != "/v1/links/confirm" || c.expected.status != 200) continue;
    auto owners = (*digest_store)->AttributionsOfSelector(c.selector);
    ASSERT_TRUE(owners.ok());
    for (const Attribution& a : *owners) {
      confirmed += a.person_id == c.object && a.state == AttributionState::kConfirmed ? 1 : 0;
    }
  }
  EXPECT_GT(confirmed, 0);

  for (const std::string& line : reports) ADD_FAILURE() << line;
  EXPECT_EQ(mismatches.load(), 0) << "of " << cases.size() << " cases";
  EXPECT_EQ(changed.load(), 0);
  std::printf(
      "write matrix: %zu cases (refused %d, allowed %d/%d/%d/%d/%d by phase), %d mismatches, "
      "%d refused writes changed their target, store digest %s\n",
      cases.size(), per_phase[1], per_phase[2], per_phase[3], per_phase[4], per_phase[5],
      per_phase[6], mismatches.load(), changed.load(),
      digest_before == digest_after ? "unchanged by refusals" : "CHANGED by refusals");
}

}  // namespace
}  // namespace vigil::testing
