// Writes that join, replace or extend records of another compartment, tried
// as an attacker would: an analyst limited to CT-A against CT-B's objects.
// An attribution may only join a selector the analyst sees in full (else
// the answer of a selector that does not exist); an id taken by a record of
// another compartment is refused with the answer of a collision the analyst
// may see, and nothing changes; four-eyes approval binds the reviewed
// content.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

const Principal kAnaA = MakePrincipal("ana", Role::kAnalyst, {"CT-A"});
const Principal kBenA = MakePrincipal("ben", Role::kAnalyst, {"CT-A"});
const Principal kAnaAGeneral = MakePrincipal("ana", Role::kAnalyst, {"CT-A", "general"});
const Principal kSupA = MakePrincipal("sue", Role::kSupervisor, {"CT-A"});
const Principal kAuditor = MakePrincipal("aud", Role::kAuditor, {});

constexpr char kCallsOnlyB[] = "msisdn:+448800200001";  // unowned, calls CT-B-0 only
constexpr char kCallsOnlyA[] = "msisdn:+448800300001";  // unowned, calls CT-A-0 only
constexpr char kImeiOfB[] = "imei:356938035643809";     // unowned handset of a B-B call
constexpr char kNeverSeen[] = "msisdn:+448800999999";

template <typename Fill>
Status Ingest(OversightWorld& world, const std::string& hash, InputKind kind, Fill fill) {
  SourceFile file;
  file.path = hash;
  file.content_hash = hash;
  file.kind = kind;
  VIGIL_ASSIGN_OR_RETURN(auto writer, world.store().BeginIngest(file));
  VIGIL_RETURN_IF_ERROR(fill(*writer));
  return writer->Commit(1);
}

// CT-A, CT-B and general with: a call CT-B-0 -> CT-B-1 on an unowned
// handset, an unowned number that calls only CT-B-0, and one that calls only
// CT-A-0.
class CompartmentWrites : public ::testing::Test {
 protected:
  CompartmentWrites() : world_("writes", {"CT-A", "CT-B", "general"}, 2) {
    Status status = Ingest(world_, "calls", InputKind::kComms, [&](StoreWriter& w) -> Status {
      Communication b_to_b;
      b_to_b.time = kStart + kDay;
      b_to_b.src = world_.SelectorOf("CT-B-0");
      b_to_b.dst = world_.SelectorOf("CT-B-1");
      b_to_b.device = kImeiOfB;
      b_to_b.kind = CommKind::kCall;
      VIGIL_RETURN_IF_ERROR(w.Put(b_to_b));
      Communication to_b = b_to_b;
      to_b.time += 1;
      to_b.src = kCallsOnlyB;
      to_b.dst = world_.SelectorOf("CT-B-0");
      to_b.device.clear();
      VIGIL_RETURN_IF_ERROR(w.Put(to_b));
      Communication to_a = to_b;
      to_a.src = kCallsOnlyA;
      to_a.dst = world_.SelectorOf("CT-A-0");
      return w.Put(to_a);
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
  }

  Status Confirm(const std::string& selector, const std::string& person) {
    Attribution a;
    a.selector = selector;
    a.person_id = person;
    a.state = AttributionState::kConfirmed;
    a.confidence = 1.0;
    return world_.store().PutAttribution(a);
  }
  // The owners of a selector as the raw store has them: what must not change.
  std::set<std::pair<std::string, int>> Owners(const std::string& selector) {
    std::set<std::pair<std::string, int>> owners;
    auto found = world_.store().inner().AttributionsOfSelector(selector);
    EXPECT_TRUE(found.ok());
    for (const Attribution& a : *found) owners.emplace(a.person_id, static_cast<int>(a.state));
    return owners;
  }
  // Calls the current principal sees, as (src, dst).
  std::set<std::pair<std::string, std::string>> VisibleCalls() {
    std::set<std::pair<std::string, std::string>> calls;
    EXPECT_TRUE(world_.store()
                    .ScanComms({},
                               [&](const Communication& c) {
                                 calls.emplace(c.src, c.dst);
                                 return true;
                               })
                    .ok());
    return calls;
  }
  bool AuditedRefusal(const std::string& object) {
    auto records = world_.oversight().QueryAudit(world_.Context(kAuditor), AuditQuery{});
    EXPECT_TRUE(records.ok());
    return std::any_of(records->begin(), records->end(),
                       [&](const AuditRecord& r) { return r.refused && r.object == object; });
  }

  OversightWorld world_;
};

TEST_F(CompartmentWrites, AttributingAnotherCompartmentsNumberIsRefusedLikeAMissingOne) {
  world_.ActAs(kAnaA);
  const std::pair<std::string, std::string> b_to_b = {world_.SelectorOf("CT-B-0"),
                                                      world_.SelectorOf("CT-B-1")};
  ASSERT_EQ(VisibleCalls().count(b_to_b), 0u);
  const std::string b_phone = world_.SelectorOf("CT-B-0");
  const auto owners_before = Owners(b_phone);
  // B's own number, a number that only calls B, the handset of a B-B call,
  // and a number Vigil never saw: one answer, NotFound of the selector.
  for (const std::string& selector :
       {b_phone, std::string(kCallsOnlyB), std::string(kImeiOfB), std::string(kNeverSeen)}) {
    const Status status = Confirm(selector, "CT-A-0");
    EXPECT_TRUE(status.IsNotFound()) << selector << ": " << status.ToString();
    EXPECT_EQ(status.message(), NotVisibleMessage("selector", selector)) << selector;
  }
  EXPECT_EQ(Owners(b_phone), owners_before);
  EXPECT_TRUE(Owners(kCallsOnlyB).empty());
  EXPECT_TRUE(Owners(kImeiOfB).empty());
  // Joining widened nothing: the call between B numbers stays hidden.
  world_.ActAs(kAnaA);
  EXPECT_EQ(VisibleCalls().count(b_to_b), 0u);
  EXPECT_TRUE(AuditedRefusal("selector:" + b_phone));
  // A number the analyst sees in full is attributed as before.
  world_.ActAs(kAnaA);
  ASSERT_TRUE(Confirm(kCallsOnlyA, "CT-A-0").ok());
  EXPECT_EQ(Owners(kCallsOnlyA).count({"CT-A-0", static_cast<int>(AttributionState::kConfirmed)}),
            1u);
  // A call between unowned numbers belongs to general: only with general.
  EXPECT_TRUE(Confirm(kUnownedA, "CT-A-0").IsNotFound());
  world_.ActAs(kAnaAGeneral);
  EXPECT_TRUE(Confirm(kUnownedA, "CT-A-0").ok());
}

TEST_F(CompartmentWrites, SelectorsFileNamingAnotherCompartmentsNumberIsRefused) {
  world_.ActAs(kAnaA);
  const std::string b_phone = world_.SelectorOf("CT-B-0");
  const auto owners_before = Owners(b_phone);
  auto put_selector = [&](const std::string& selector, const std::string& hash) {
    return Ingest(world_, hash, InputKind::kSelectors, [&](StoreWriter& w) {
      SelectorRecord record;
      record.selector = selector;
      record.person_id = "CT-A-0";
      record.source = "handset seizure";
      return w.Put(record);
    });
  };
  for (const std::string& selector : {b_phone, std::string(kCallsOnlyB), std::string(kImeiOfB)}) {
    const Status status = put_selector(selector, "sel-" + selector);
    EXPECT_EQ(status.code(), Status::Code::kAlreadyExists) << selector << ": " << status.ToString();
    EXPECT_EQ(status.message(), IdTakenMessage("selector", selector));
  }
  EXPECT_EQ(Owners(b_phone), owners_before);
  EXPECT_TRUE(Owners(kCallsOnlyB).empty());
  EXPECT_TRUE(AuditedRefusal("selector:" + b_phone));
  world_.ActAs(kAnaA);
  const std::pair<std::string, std::string> b_to_b = {world_.SelectorOf("CT-B-0"),
                                                      world_.SelectorOf("CT-B-1")};
  EXPECT_EQ(VisibleCalls().count(b_to_b), 0u);
  // A new number, and one only the analyst's subject calls, are taken.
  EXPECT_TRUE(put_selector(kNeverSeen, "sel-new").ok());
  EXPECT_TRUE(put_selector(kCallsOnlyA, "sel-a").ok());
}

TEST_F(CompartmentWrites, ReusingAnotherCompartmentsIdsReplacesNothing) {
  Store& raw = world_.store().inner();
  const Report report_before = *raw.GetReport("R-CT-B-0");
  const TravelRecord trip_before = *raw.GetTravel("T-CT-B-0");
  const TravelRecord held_before = *raw.GetTravel("T-held-CT-B");
  const Person person_before = *raw.GetPerson("CT-B-0");
  const WatchlistEntry entry_before = *raw.GetWatchlistEntry("W-CT-B-0");
  world_.ActAs(kAnaA);
  auto expect_taken = [&](const Status& status, std::string_view kind, const std::string& id) {
    EXPECT_EQ(status.code(), Status::Code::kAlreadyExists) << id << ": " << status.ToString();
    EXPECT_EQ(status.message(), IdTakenMessage(kind, id));
  };
  expect_taken(Ingest(world_, "r", InputKind::kReports,
                      [](StoreWriter& w) {
                        Report r;
                        r.report_id = "R-CT-B-0";
                        r.person_id = "CT-A-0";
                        r.text = "overwritten";
                        return w.Put(r);
                      }),
               "report", "R-CT-B-0");
  for (const std::string id : {"T-CT-B-0", "T-held-CT-B"}) {
    expect_taken(Ingest(world_, "t" + id, InputKind::kTravel,
                        [&](StoreWriter& w) {
                          TravelRecord t;
                          t.record_id = id;
                          t.name = "Overwritten";
                          t.attributes = {{"x_compartment", "CT-A"}};
                          return w.Put(t);
                        }),
                 "travel record", id);
  }
  expect_taken(Ingest(world_, "p", InputKind::kPersons,
                      [](StoreWriter& w) {
                        Person p;
                        p.person_id = "CT-B-0";
                        p.name = "Overwritten";
                        p.compartment = "CT-A";
                        return w.Put(p);
                      }),
               "person", "CT-B-0");
  expect_taken(Ingest(world_, "w", InputKind::kWatchlist,
                      [](StoreWriter& w) {
                        WatchlistEntry e;
                        e.entry_id = "W-CT-B-0";
                        e.list = "own";
                        e.name = "Overwritten";
                        e.attributes = {{"x_compartment", "CT-A"}};
                        return w.Put(e);
                      }),
               "entry", "W-CT-B-0");
  EXPECT_EQ(raw.GetReport("R-CT-B-0")->person_id, report_before.person_id);
  EXPECT_EQ(raw.GetReport("R-CT-B-0")->text, report_before.text);
  EXPECT_EQ(raw.GetTravel("T-CT-B-0")->name, trip_before.name);
  EXPECT_EQ(raw.GetTravel("T-CT-B-0")->document, trip_before.document);
  EXPECT_EQ(raw.GetTravel("T-held-CT-B")->name, held_before.name);
  EXPECT_EQ(raw.GetPerson("CT-B-0")->compartment, person_before.compartment);
  EXPECT_EQ(raw.GetWatchlistEntry("W-CT-B-0")->name, entry_before.name);
  EXPECT_TRUE(AuditedRefusal("report:R-CT-B-0"));
  // The analyst's own ids are updated as before.
  world_.ActAs(kAnaA);
  ASSERT_TRUE(Ingest(world_, "own", InputKind::kReports, [](StoreWriter& w) {
                Report r;
                r.report_id = "R-CT-A-0";
                r.person_id = "CT-A-0";
                r.text = "updated";
                return w.Put(r);
              }).ok());
  EXPECT_EQ(raw.GetReport("R-CT-A-0")->text, "updated");
}

TEST_F(CompartmentWrites, ProposingAnEntryWithATakenIdAnswersAlikeWhoeverHoldsIt) {
  Oversight& o = world_.oversight();
  WatchlistEntry e;
  e.list = "own";
  e.name = "Overwritten";
  e.attributes = {{"x_compartment", "CT-A"}};
  e.entry_id = "W-CT-B-0";
  const Status hidden = o.ProposeEntry(world_.Context(kAnaA), e).status();
  e.entry_id = "W-CT-A-0";
  const Status visible = o.ProposeEntry(world_.Context(kAnaA), e).status();
  EXPECT_EQ(hidden.code(), Status::Code::kAlreadyExists) << hidden.ToString();
  EXPECT_EQ(visible.code(), hidden.code());
  EXPECT_EQ(hidden.message(), IdTakenMessage("entry", "W-CT-B-0"));
  EXPECT_EQ(visible.message(), IdTakenMessage("entry", "W-CT-A-0"));
  EXPECT_NE(world_.store().inner().GetWatchlistEntry("W-CT-B-0")->name, "Overwritten");
  EXPECT_NE(world_.store().inner().GetWatchlistEntry("W-CT-A-0")->name, "Overwritten");
}

TEST_F(CompartmentWrites, MovingAnEntryOffASharedListNeedsApproval) {
  Oversight& o = world_.oversight();
  ASSERT_TRUE(o.ConfigureList(world_.store().context(), "partners", "CT-A", true).ok());
  WatchlistEntry e;
  e.entry_id = "S1";
  e.list = "partners";
  e.name = "Shared Person";
  ASSERT_FALSE(*o.ProposeEntry(world_.Context(kAnaA), e));
  ASSERT_TRUE(o.ApproveEntry(world_.Context(kSupA), "S1", ProposalContentHash(e)).ok());
  ASSERT_EQ(world_.store().inner().GetWatchlistEntry("S1")->list, "partners");
  world_.ActAs(kAnaA);
  ASSERT_TRUE(Ingest(world_, "move", InputKind::kWatchlist, [](StoreWriter& w) {
                WatchlistEntry moved;
                moved.entry_id = "S1";
                moved.list = "own";
                moved.name = "Shared Person";
                moved.attributes = {{"x_compartment", "CT-A"}};
                return w.Put(moved);
              }).ok());
  EXPECT_EQ(world_.store().inner().GetWatchlistEntry("S1")->list, "partners")
      << "moved off a shared list without a second person";
  auto pending = o.PendingProposals(world_.Context(kSupA));
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].entry.list, "own");
}

TEST_F(CompartmentWrites, AProposalIsNotReplacedByAnotherAnalyst) {
  Oversight& o = world_.oversight();
  ASSERT_TRUE(o.ConfigureList(world_.store().context(), "partners", "CT-A", true).ok());
  WatchlistEntry e;
  e.entry_id = "E1";
  e.list = "partners";
  e.name = "First Content";
  ASSERT_FALSE(*o.ProposeEntry(world_.Context(kAnaA), e));
  WatchlistEntry other = e;
  other.name = "Other Content";
  const Status direct = o.ProposeEntry(world_.Context(kBenA), other).status();
  EXPECT_EQ(direct.code(), Status::Code::kAlreadyExists) << direct.ToString();
  EXPECT_EQ(direct.message(), IdTakenMessage("entry", "E1"));
  world_.ActAs(kBenA);
  const Status ingested =
      Ingest(world_, "ben-wl", InputKind::kWatchlist, [&](StoreWriter& w) { return w.Put(other); });
  EXPECT_EQ(ingested.code(), Status::Code::kAlreadyExists) << ingested.ToString();
  auto pending = o.PendingProposals(world_.Context(kSupA));
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].proposed_by, "ana");
  EXPECT_EQ((*pending)[0].entry.name, "First Content");
}

TEST_F(CompartmentWrites, ApprovalBindsTheReviewedContent) {
  Oversight& o = world_.oversight();
  ASSERT_TRUE(o.ConfigureList(world_.store().context(), "partners", "CT-A", true).ok());
  WatchlistEntry e;
  e.entry_id = "E2";
  e.list = "partners";
  e.name = "Reviewed Content";
  ASSERT_FALSE(*o.ProposeEntry(world_.Context(kAnaA), e));
  auto pending = o.PendingProposals(world_.Context(kSupA));
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  const std::string reviewed = (*pending)[0].content_hash;
  EXPECT_EQ(reviewed, ProposalContentHash(e));
  // The proposer re-submits other content after the review.
  WatchlistEntry changed = e;
  changed.name = "Swapped Content";
  changed.reason = "added later";
  ASSERT_FALSE(*o.ProposeEntry(world_.Context(kAnaA), changed));
  const Status stale = o.ApproveEntry(world_.Context(kSupA), "E2", reviewed);
  EXPECT_TRUE(stale.IsInvalidArgument()) << stale.ToString();
  EXPECT_TRUE(world_.store().inner().GetWatchlistEntry("E2").status().IsNotFound())
      << "approved as content nobody reviewed";
  EXPECT_EQ(o.PendingProposals(world_.Context(kSupA))->size(), 1u) << "still pending";
  // Approving what is now proposed, by its hash, lists exactly that.
  ASSERT_TRUE(o.ApproveEntry(world_.Context(kSupA), "E2", ProposalContentHash(changed)).ok());
  EXPECT_EQ(world_.store().inner().GetWatchlistEntry("E2")->name, "Swapped Content");
}

}  // namespace
}  // namespace vigil::testing
