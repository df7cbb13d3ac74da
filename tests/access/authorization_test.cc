// Authorisation decisions generated from a table of (operation x role x
// compartment): every operation of Vigil is invoked through the access layer
// by every role with every subset of compartments, on objects in every
// compartment and on objects that do not exist, and the outcome is compared
// with the expectation written below, independently of src/access/policy.cc.
// An operation added to the Operation enum without a row here fails the test.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

constexpr Role kRoles[] = {Role::kAnalyst, Role::kSupervisor, Role::kAuditor, Role::kAdmin};
const std::vector<std::string> kCompartments = {"CT-A", "CT-B", "CT-C", "general"};
constexpr int kPerCompartment = 3;
constexpr char kMissing[] = "NOBODY-0";
constexpr char kUnheldCompartment[] = "CT-X";  // nobody is granted it

enum class Object { kPerson, kNone };  // does the operation take an object?

// The expectation: who may, and whether compartments apply.
struct Expectation {
  std::set<Role> roles;
  bool compartmented;
  Object object;
};

const std::map<Operation, Expectation>& Expectations() {
  using R = Role;
  static const std::map<Operation, Expectation> table = {
      {Operation::kReadStatus,
       {{R::kAnalyst, R::kSupervisor, R::kAuditor, R::kAdmin}, false, Object::kNone}},
      {Operation::kReadPerson, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kReadSelector, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      // Comms and travel records take the compartment of their owners.
      {Operation::kReadComms, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kReadTravel, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kReadCustody, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kReadReports, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kReadWatchlist, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kRevealPersons, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kIngest, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kDecideAttribution, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kProposeWatchlistEntry, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kApproveWatchlistEntry, {{R::kSupervisor}, true, Object::kPerson}},
      {Operation::kConfigureWatchlist, {{R::kSupervisor, R::kAdmin}, false, Object::kNone}},
      {Operation::kManageCases, {{R::kSupervisor}, true, Object::kPerson}},
      {Operation::kLinkCase, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kListReviews, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      {Operation::kDecideReview, {{R::kSupervisor}, true, Object::kPerson}},
      {Operation::kConfigureRetention, {{R::kAdmin}, false, Object::kNone}},
      {Operation::kApplyRetention, {{R::kSupervisor, R::kAdmin}, false, Object::kNone}},
      {Operation::kQueryAudit, {{R::kAuditor}, false, Object::kNone}},
      {Operation::kVerifyAudit, {{R::kAuditor, R::kAdmin}, false, Object::kNone}},
      {Operation::kCheckpointAudit, {{R::kAuditor, R::kAdmin}, false, Object::kNone}},
      {Operation::kManageUsers, {{R::kAdmin}, false, Object::kNone}},
      {Operation::kCheckIntegrity, {{R::kAuditor, R::kAdmin}, false, Object::kNone}},
      // An alert belongs to its person's compartment.
      {Operation::kTriageAlert, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      // Protective-deployment plans hold sites and units, no personal data.
      {Operation::kProposeProtectionPlan, {{R::kAnalyst, R::kSupervisor}, false, Object::kNone}},
      {Operation::kApproveProtectionPlan, {{R::kSupervisor}, false, Object::kNone}},
      // A screening match is in its watch-list entry's compartment (the
      // fixture's entry W-<person> is in the person's).
      {Operation::kDecideMatch, {{R::kAnalyst, R::kSupervisor}, true, Object::kPerson}},
      // Partner exchange: partners and agreements, then what is exchanged.
      {Operation::kManagePartners, {{R::kSupervisor, R::kAdmin}, false, Object::kNone}},
      {Operation::kExchangeShare, {{R::kAnalyst, R::kSupervisor}, false, Object::kNone}},
  };
  return table;
}

// What a call came to.
enum class Outcome { kAllowed, kDeniedRole, kNotVisible };

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kAllowed:
      return "allowed";
    case Outcome::kDeniedRole:
      return "denied (role)";
    case Outcome::kNotVisible:
      return "not visible";
  }
  return "?";
}

class Harness {
 public:
  Harness() : world_("authz", kCompartments, kPerCompartment) {
    // Fixtures the operations act on, made with every right.
    for (const std::string& c : kCompartments) {
      EXPECT_TRUE(world_.oversight().AddCase(world_.store().context(), "CASE-" + c, c).ok());
    }
    EXPECT_TRUE(world_.oversight()
                    .AddCase(world_.store().context(), "CASE-" + std::string(kUnheldCompartment),
                             kUnheldCompartment)
                    .ok());
    // An alert about every person, raised by the engine's own write.
    WatchBatch batch;
    for (const std::string& person : world_.persons()) {
      StoredAlert alert;
      alert.key = "test:" + person;
      alert.time = kStart;
      alert.person_id = person;
      alert.kind = "test";
      alert.score = 0.5;
      alert.evidence = "generated";
      alert.raised_at = kStart;
      batch.alerts.push_back(alert);
    }
    EXPECT_TRUE(world_.store().inner().CommitWatchBatch(batch, nullptr).ok());
    // A screening match of every person's trip T-<person> with their entry
    // W-<person>, as screening stores it.
    std::vector<StoredWatchlistMatch> matches;
    for (const std::string& person : world_.persons()) {
      StoredWatchlistMatch match;
      match.source_kind = InputKind::kTravel;
      match.source_id = "T-" + person;
      match.entry_id = "W-" + person;
      match.score = 0.9;
      match.explanation = "generated";
      match.seen_at = kStart;
      match.screened_at = kStart;
      matches.push_back(match);
    }
    EXPECT_TRUE(world_.store().inner().PutScreeningResults(matches, {}).ok());
  }

  OversightWorld& world() { return world_; }

  // The compartment an object is in; kUnheldCompartment for the missing one
  // (so that operations that create objects are asked for a compartment
  // nobody holds).
  static std::string CompartmentOf(const std::string& person) {
    return person == kMissing ? kUnheldCompartment : OversightWorld::CompartmentOf(person);
  }

  // Runs `op` on `person` as the current principal; returns what happened,
  // checking that every refusal has the right code and leaks nothing.
  Outcome Run(Operation op, const std::string& person, std::string* detail) {
    const int n = ++serial_;
    Status status;
    std::optional<bool> listed;  // for operations that answer by listing
    AccessStore& store = world_.store();
    Oversight& oversight = world_.oversight();
    const RequestContext& context = store.context();
    const std::string compartment = CompartmentOf(person);
    std::string not_visible_kind = "person";
    std::string not_visible_id = person;
    switch (op) {
      case Operation::kReadStatus:
        status = store.Counts().status();
        break;
      case Operation::kReadPerson:
        status = store.GetPerson(person).status();
        break;
      case Operation::kReadSelector:
        status = store.AttributionsOfPerson(person).status();
        break;
      case Operation::kReadComms: {
        // The person's calls, by their phone (a number nobody uses for the
        // missing person: an empty query would mean every call).
        CommQuery query;
        const std::string phone = world_.SelectorOf(person);
        query.selectors = {phone.empty() ? "msisdn:+440000000001" : phone};
        int64_t calls = 0;
        status = store.ScanComms(query, [&](const Communication&) { return ++calls > 0; });
        listed = calls > 0;
        break;
      }
      case Operation::kReadTravel: {
        const std::string passport = world_.DocumentOf(person);
        auto travel = store.TravelByDocuments({passport.empty() ? "passport:GB:NONE" : passport});
        status = travel.status();
        if (travel.ok()) listed = !travel->empty();
        break;
      }
      case Operation::kReadCustody:
        status = store.CustodyOf(person).status();
        break;
      case Operation::kReadReports:
        status = store.ReportsAbout(person).status();
        break;
      case Operation::kReadWatchlist:
        not_visible_kind = "entry";
        not_visible_id = "W-" + person;
        status = store.GetWatchlistEntry("W-" + person).status();
        break;
      case Operation::kRevealPersons: {
        const std::vector<std::string> ids = {person};
        auto shown = store.Reveal(ids, "test");
        status = shown.status();
        if (shown.ok()) listed = !shown->empty();
        break;
      }
      case Operation::kIngest: {
        SourceFile file;
        file.path = "ingest-" + std::to_string(n);
        file.content_hash = "hash-" + std::to_string(n);
        auto writer = store.BeginIngest(file);
        status = writer.status();
        if (writer.ok()) {
          Person p;
          p.person_id = "NEW-" + std::to_string(n);
          p.name = "New";
          p.compartment = compartment;
          status = (*writer)->Put(p);
          if (status.ok()) status = (*writer)->Commit(1);
        }
        break;
      }
      case Operation::kDecideAttribution: {
        Attribution a;
        // The person's own phone: a selector whoever sees the person sees
        // in full (joining another is refused: record_compartments_test).
        a.selector = world_.SelectorOf(person);
        if (a.selector.empty()) a.selector = "msisdn:+447711" + std::to_string(100000 + n);
        a.person_id = person;
        a.state = AttributionState::kConfirmed;
        a.confidence = 0.9;
        status = store.PutAttribution(a);
        break;
      }
      case Operation::kProposeWatchlistEntry: {
        WatchlistEntry e;
        e.entry_id = "P-" + std::to_string(n);
        e.list = "own";
        e.name = "Proposed";
        e.attributes = {{"x_compartment", compartment}};
        not_visible_kind = "entry";
        not_visible_id = e.entry_id;
        status = oversight.ProposeEntry(context, e).status();
        break;
      }
      case Operation::kApproveWatchlistEntry: {
        WatchlistEntry e;
        e.entry_id = "A-" + std::to_string(n);
        e.list = "shared";
        e.name = "To approve";
        e.attributes = {{"x_compartment", compartment}};
        RequestContext other = context;
        other.principal.user = "proposer";
        EXPECT_TRUE(oversight.AddProposal(other, e).ok());
        not_visible_kind = "entry";
        not_visible_id = e.entry_id;
        status = oversight.ApproveEntry(context, e.entry_id, ProposalContentHash(e));
        break;
      }
      case Operation::kConfigureWatchlist:
        status = oversight.ConfigureList(context, "list-" + std::to_string(n % 7), "CT-A", false);
        break;
      case Operation::kManageCases:
        not_visible_kind = "case";
        not_visible_id = "C-" + std::to_string(n);
        status = oversight.AddCase(context, not_visible_id, compartment);
        break;
      case Operation::kLinkCase: {
        const std::string case_id = "CASE-" + compartment;
        if (!context.principal.InCompartment(compartment)) {
          not_visible_kind = "case";
          not_visible_id = case_id;
        }
        status = oversight.LinkCase(context, case_id, person, SubjectCategory::kContact);
        break;
      }
      case Operation::kListReviews: {
        auto due = oversight.DueReviews(context, kStart + 36500 * kDay);
        status = due.status();
        if (due.ok()) {
          listed = false;
          for (const ReviewItem& item : *due) listed = *listed || item.person_id == person;
        }
        break;
      }
      case Operation::kDecideReview:
        status = oversight.DecideReview(context, person, ReviewDecision::kExtend, "still needed",
                                        "2099-01-01");
        break;
      case Operation::kConfigureRetention:
        status = oversight.SetRetentionLimit(context, "other", 365);
        break;
      case Operation::kApplyRetention:
        status = oversight.ApplyRetention(context, /*dry_run=*/true).status();
        break;
      case Operation::kQueryAudit: {
        AuditQuery q;
        q.limit = 1;
        status = oversight.QueryAudit(context, q).status();
        break;
      }
      case Operation::kVerifyAudit:
        status = oversight.VerifyAudit(context, std::nullopt).status();
        break;
      case Operation::kCheckpointAudit:
        status = oversight.Checkpoint(context).status();
        break;
      case Operation::kManageUsers:
        status = oversight.ListUsers(context).status();
        break;
      case Operation::kCheckIntegrity:
        status = store.CheckIntegrity();
        break;
      case Operation::kTriageAlert: {
        AlertTriage triage;
        triage.key = "test:" + person;
        triage.state = AlertState::kAcknowledged;
        not_visible_kind = "alert";
        not_visible_id = triage.key;
        status = store.PutAlertTriage(triage);
        break;
      }
      case Operation::kProposeProtectionPlan: {
        ProtectPlanRecord plan;
        plan.id = "PP-" + std::to_string(n);
        plan.content = "{}";
        plan.content_hash = "h";
        status = store.PutProtectPlan(plan);
        break;
      }
      case Operation::kApproveProtectionPlan: {
        // Proposed by someone else (setup mode), approved by the caller.
        const Principal caller = store.context().principal;
        Principal proposer = MakePrincipal("proposer-" + std::to_string(n), Role::kAnalyst, {});
        proposer.setup = true;
        world_.ActAs(proposer);
        ProtectPlanRecord plan;
        plan.id = "PA-" + std::to_string(n);
        plan.content = "{}";
        plan.content_hash = "h";
        EXPECT_TRUE(store.PutProtectPlan(plan).ok());
        world_.ActAs(caller);
        status = store.ApproveProtectPlan(plan.id, "", 0, "reviewed");
        break;
      }
      case Operation::kDecideMatch: {
        MatchDecision decision;
        decision.source_kind = InputKind::kTravel;
        decision.source_id = "T-" + person;
        decision.entry_id = "W-" + person;
        decision.decision = MatchDecisionKind::kConfirmed;
        decision.reason = "checked against the passport scan";
        not_visible_kind = "match";
        not_visible_id = MatchKey(decision.source_kind, decision.source_id, decision.entry_id);
        status = store.PutMatchDecision(decision);
        // An earlier allowed caller left it confirmed: the opposite decision
        // is the one that can still be taken.
        if (status.code() == Status::Code::kAlreadyExists) {
          decision.decision = MatchDecisionKind::kDismissed;
          status = store.PutMatchDecision(decision);
        }
        break;
      }
      case Operation::kManagePartners: {
        SharePartner partner;
        partner.name = "P-" + std::to_string(n);
        partner.url = "http://127.0.0.1:1";
        partner.public_key = "key-" + std::to_string(n);
        partner.key_id = "id-" + std::to_string(n);
        status = store.PutSharePartner(partner);
        break;
      }
      case Operation::kExchangeShare:
        status = store.ScanShareEvents([](const ShareEvent&) { return true; });
        break;
      case Operation::kCount:
        break;
    }
    *detail = status.ToString();
    if (status.code() == Status::Code::kPermissionDenied && op != Operation::kIngest) {
      return Outcome::kDeniedRole;
    }
    if (status.code() == Status::Code::kPermissionDenied && op == Operation::kIngest) {
      // Ingest refuses the user's own input; a role refusal names the role.
      return status.message().find("may not") != std::string::npos ? Outcome::kDeniedRole
                                                                   : Outcome::kNotVisible;
    }
    if (status.IsNotFound()) {
      // Leak nothing: the message of a refusal is the message of absence.
      if (status.message() != NotVisibleMessage(not_visible_kind, not_visible_id)) {
        *detail += " (message differs from absence: expected '" +
                   NotVisibleMessage(not_visible_kind, not_visible_id) + "')";
        return Outcome::kAllowed;  // counted as a mismatch by the caller
      }
      return Outcome::kNotVisible;
    }
    if (!status.ok()) {
      *detail += " (unexpected failure)";
      return Outcome::kAllowed;
    }
    if (listed.has_value() && !*listed) return Outcome::kNotVisible;
    return Outcome::kAllowed;
  }

 private:
  OversightWorld world_;
  int serial_ = 0;
};

std::vector<std::vector<std::string>> CompartmentSubsets() {
  std::vector<std::vector<std::string>> out;
  for (unsigned mask = 0; mask < (1u << kCompartments.size()); ++mask) {
    std::vector<std::string> subset;
    for (size_t i = 0; i < kCompartments.size(); ++i) {
      if (mask & (1u << i)) subset.push_back(kCompartments[i]);
    }
    out.push_back(subset);
  }
  return out;
}

TEST(Authorization, EveryOperationHasAnExpectation) {
  for (int i = 0; i < kOperationCount; ++i) {
    const auto op = static_cast<Operation>(i);
    EXPECT_EQ(Expectations().count(op), 1u)
        << "operation " << OperationName(op) << " has no row in the expectation table";
  }
}

TEST(Authorization, GeneratedCasesMatchTheTable) {
  Harness harness;
  std::vector<std::string> objects;
  for (const std::string& c : kCompartments) {
    for (int i = 0; i < kPerCompartment; ++i) objects.push_back(c + "-" + std::to_string(i));
  }
  objects.push_back(kMissing);

  int64_t cases = 0;
  int64_t mismatches = 0;
  std::map<Outcome, int64_t> by_outcome;
  const auto subsets = CompartmentSubsets();
  for (int i = 0; i < kOperationCount; ++i) {
    const auto op = static_cast<Operation>(i);
    ASSERT_EQ(Expectations().count(op), 1u) << OperationName(op);
    const Expectation& expect = Expectations().at(op);
    for (const Role role : kRoles) {
      for (const auto& subset : subsets) {
        Principal principal =
            MakePrincipal(std::string(RoleName(role)) + "-" + std::to_string(cases), role, subset);
        harness.world().ActAs(principal);
        const std::vector<std::string> none = {kMissing};
        const auto& targets = expect.object == Object::kPerson ? objects : none;
        for (const std::string& object : targets) {
          Outcome expected = Outcome::kAllowed;
          if (expect.roles.count(role) == 0) {
            expected = Outcome::kDeniedRole;
          } else if (expect.compartmented &&
                     (object == kMissing ||
                      !principal.InCompartment(Harness::CompartmentOf(object)))) {
            expected = Outcome::kNotVisible;
          }
          std::string detail;
          const Outcome got = harness.Run(op, object, &detail);
          ++cases;
          ++by_outcome[got];
          if (got != expected) {
            ++mismatches;
            ADD_FAILURE() << OperationName(op) << " by " << RoleName(role) << " with "
                          << subset.size() << " compartments on " << object << ": expected "
                          << OutcomeName(expected) << ", got " << OutcomeName(got) << " (" << detail
                          << ")";
            if (mismatches > 20) return;
          }
        }
      }
    }
  }
  std::printf(
      "%lld generated cases, %lld mismatches (%lld allowed, %lld role refusals, %lld "
      "not visible)\n",
      static_cast<long long>(cases), static_cast<long long>(mismatches),
      static_cast<long long>(by_outcome[Outcome::kAllowed]),
      static_cast<long long>(by_outcome[Outcome::kDeniedRole]),
      static_cast<long long>(by_outcome[Outcome::kNotVisible]));
  EXPECT_GE(cases, 10'000);
  EXPECT_EQ(mismatches, 0);

  // Every refusal and every read above is in an intact chain.
  harness.world().ActAs(MakePrincipal("auditor", Role::kAuditor, {}));
  auto report =
      harness.world().oversight().VerifyAudit(harness.world().store().context(), std::nullopt);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok()) << report->problems.front();
  EXPECT_GE(report->records, cases);
}

TEST(Authorization, SetupModeMayDoEverything) {
  Principal setup = MakePrincipal("setup:x", Role::kAnalyst, {});
  setup.setup = true;
  for (int i = 0; i < kOperationCount; ++i) {
    EXPECT_EQ(Authorize(setup, static_cast<Operation>(i), "CT-Z"), Decision::kAllow);
  }
}

TEST(Authorization, EmptyCompartmentIsTheDefault) {
  const Principal p = MakePrincipal("a", Role::kAnalyst, {"general"});
  EXPECT_EQ(Authorize(p, Operation::kReadPerson, ""), Decision::kAllow);
  EXPECT_EQ(Authorize(p, Operation::kReadPerson, "CT-A"), Decision::kDenyCompartment);
  const Principal all = MakePrincipal("b", Role::kAnalyst, {"*"});
  EXPECT_EQ(Authorize(all, Operation::kReadPerson, "CT-A"), Decision::kAllow);
}

TEST(Authorization, ScansShowOnlyTheUsersCompartments) {
  OversightWorld world("scan", {"CT-A", "CT-B"}, 4);
  world.ActAs(MakePrincipal("ana", Role::kAnalyst, {"CT-B"}));
  std::set<std::string> seen;
  ASSERT_TRUE(world.store()
                  .ScanPersons([&](const Person& p) {
                    seen.insert(p.compartment);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(seen, (std::set<std::string>{"CT-B"}));
  int reports = 0;
  ASSERT_TRUE(world.store()
                  .ScanReports([&](const Report& r) {
                    EXPECT_EQ(OversightWorld::CompartmentOf(r.person_id), "CT-B");
                    ++reports;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(reports, 4);
  int entries = 0;
  ASSERT_TRUE(world.store()
                  .ScanWatchlist([&](const WatchlistEntry&) {
                    ++entries;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(entries, 4);
}

TEST(Authorization, RevealWithholdsOtherCompartmentsAndLogsWhatItShows) {
  OversightWorld world("reveal", {"CT-A", "CT-B"}, 2);
  world.ActAs(MakePrincipal("ana", Role::kAnalyst, {"CT-A"}), "network expand for op X");
  const std::vector<std::string> ids = {"CT-A-0", "CT-B-0", "CT-A-1", "NOBODY"};
  auto shown = RevealPersons(world.store(), ids, "network expand");
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  EXPECT_EQ(*shown, (std::vector<std::string>{"CT-A-0", "CT-A-1"}));
  ASSERT_TRUE(world.oversight().FlushReads().ok());
  const RequestContext auditor = world.Context(MakePrincipal("aud", Role::kAuditor, {}));
  AuditQuery q;
  q.subject = "CT-A-1";
  auto records = world.oversight().QueryAudit(auditor, q);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].object, "reveal:network expand");
  EXPECT_EQ((*records)[0].user, "ana");
  EXPECT_EQ((*records)[0].purpose, "network expand for op X");
  EXPECT_NE((*records)[0].params.find("withheld=2"), std::string::npos);
  q.subject = "CT-B-0";
  records = world.oversight().QueryAudit(auditor, q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

// A stored decision names the user who made it: a --by naming someone else is
// refused, an empty one becomes the signed-in user; setup mode (no accounts to
// authenticate against) keeps the name given.
TEST(Authorization, DecisionsAreRecordedUnderTheSignedInUser) {
  OversightWorld world("decider", {"CT-A"}, 1);
  world.ActAs(MakePrincipal("sam", Role::kSupervisor, {"CT-A"}));
  Attribution link;
  link.selector = world.SelectorOf("CT-A-0");  // a number sam sees in full
  link.person_id = "CT-A-0";
  link.state = AttributionState::kConfirmed;
  link.confidence = 1.0;
  link.decided_by = "somebody-else";
  EXPECT_TRUE(world.store().PutAttribution(link).IsInvalidArgument());
  link.decided_by = "";
  ASSERT_TRUE(world.store().PutAttribution(link).ok());
  std::string link_by = "(none)";
  ASSERT_TRUE(world.store()
                  .inner()
                  .ScanAttributions([&](const Attribution& a) {
                    if (a.selector == link.selector) link_by = a.decided_by;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(link_by, "sam");

  WatchRecord level;
  level.person_id = "CT-A-0";
  level.state = 1;
  level.set_by = "somebody-else";
  EXPECT_TRUE(world.store().PutWatchRecord(level).IsInvalidArgument());
  Principal setup = MakePrincipal("setup:x", Role::kAdmin, {"*"});
  setup.setup = true;
  world.ActAs(setup);
  ASSERT_TRUE(world.store().PutWatchRecord(level).ok());
  std::string level_by;
  ASSERT_TRUE(world.store()
                  .inner()
                  .ScanWatchRecords([&](const WatchRecord& r) {
                    if (r.person_id == "CT-A-0") level_by = r.set_by;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(level_by, "somebody-else");
}

}  // namespace
}  // namespace vigil::testing
