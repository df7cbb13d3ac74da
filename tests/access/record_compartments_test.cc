// Compartments of records that are not persons (src/access/record_visibility.h):
// communications and travel records follow their owners, records owned by
// nobody belong to their x_compartment or the default compartment, and every
// read path built on them (timeline, dossier, network, alerts, screening
// results) shows only what the user may see. Also the writes that replace
// data of every compartment, and ingest refusals that leak no ids.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "access/oversight_world.h"
#include "vigil/graph.h"
#include "vigil/lookup.h"

namespace vigil::testing {
namespace {

const Principal kAnaA = MakePrincipal("ana", Role::kAnalyst, {"CT-A"});
const Principal kAnaAGeneral = MakePrincipal("ana", Role::kAnalyst, {"CT-A", "general"});
const Principal kAuditor = MakePrincipal("aud", Role::kAuditor, {});

// Ingests `fill`'s records through the access layer as the world's current
// principal (setup mode unless changed).
template <typename Fill>
Status IngestThroughAccess(OversightWorld& world, const std::string& hash, Fill fill) {
  SourceFile file;
  file.path = hash;
  file.content_hash = hash;
  VIGIL_ASSIGN_OR_RETURN(auto writer, world.store().BeginIngest(file));
  VIGIL_ASSIGN_OR_RETURN(int64_t rows, fill(*writer));
  return writer->Commit(rows);
}

// A world in CT-A, CT-B and general with two calls across compartments:
// CT-A-0 -> CT-B-0 and CT-B-0 -> CT-B-1, phone to phone.
class RecordCompartments : public ::testing::Test {
 protected:
  RecordCompartments() : world_("records", {"CT-A", "CT-B", "general"}, 2) {
    Status status =
        IngestThroughAccess(world_, "cross-calls", [&](StoreWriter& w) -> Result<int64_t> {
          Communication a_to_b;
          a_to_b.time = kStart + kDay;
          a_to_b.src = world_.SelectorOf("CT-A-0");
          a_to_b.dst = world_.SelectorOf("CT-B-0");
          a_to_b.kind = CommKind::kCall;
          VIGIL_RETURN_IF_ERROR(w.Put(a_to_b));
          Communication b_to_b = a_to_b;
          b_to_b.time = kStart + 2 * kDay;
          b_to_b.src = world_.SelectorOf("CT-B-0");
          b_to_b.dst = world_.SelectorOf("CT-B-1");
          VIGIL_RETURN_IF_ERROR(w.Put(b_to_b));
          return 2;
        });
    EXPECT_TRUE(status.ok()) << status.ToString();
  }

  std::multiset<std::pair<std::string, std::string>> Calls(const CommQuery& query) {
    std::multiset<std::pair<std::string, std::string>> calls;
    Status status = world_.store().ScanComms(query, [&](const Communication& c) {
      calls.emplace(c.src, c.dst);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return calls;
  }
  std::set<std::string> TravelIds() {
    std::set<std::string> ids;
    Status status = world_.store().ScanTravel([&](const TravelRecord& t) {
      ids.insert(t.record_id);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return ids;
  }
  int64_t Edges() {
    int64_t edges = 0;
    EXPECT_TRUE(world_.store().ScanCommEdges([&](const CommEdge&) { return ++edges > 0; }).ok());
    return edges;
  }

  OversightWorld world_;
};

TEST_F(RecordCompartments, CommsFollowTheOwnersOfTheirEnds) {
  const std::string a0 = world_.SelectorOf("CT-A-0");
  const std::string b0 = world_.SelectorOf("CT-B-0");
  // Setup mode sees all: 6 calls to unowned numbers, 1 unowned call, 2 cross calls.
  EXPECT_EQ(Edges(), 9);
  world_.ActAs(kAnaA);
  // Own persons' calls, including the one to CT-B-0's phone (it is CT-A-0's
  // traffic); not CT-B's own call, not general's, not the unowned call.
  EXPECT_EQ(Edges(), 3);
  CommQuery by_b0;
  by_b0.selectors = {b0};
  EXPECT_EQ(Calls(by_b0), (std::multiset<std::pair<std::string, std::string>>{{a0, b0}}));
  EXPECT_TRUE(Calls({}).count({std::string(kUnownedA), std::string(kUnownedB)}) == 0);
  // The owner of the other end stays hidden.
  auto owners = world_.store().AttributionsOfSelector(b0);
  ASSERT_TRUE(owners.ok());
  EXPECT_TRUE(owners->empty());
  // The default compartment holds the calls of nobody known.
  world_.ActAs(kAnaAGeneral);
  EXPECT_EQ(Edges(), 6);
  EXPECT_EQ(Calls({}).count({std::string(kUnownedA), std::string(kUnownedB)}), 1u);
}

TEST_F(RecordCompartments, TravelFollowsItsDocumentElseItsColumnElseGeneral) {
  world_.ActAs(kAnaA);
  EXPECT_EQ(TravelIds(), (std::set<std::string>{"T-CT-A-0", "T-CT-A-1", "T-held-CT-A"}));
  auto by_document =
      world_.store().TravelByDocuments({world_.DocumentOf("CT-A-0"), world_.DocumentOf("CT-B-0")});
  ASSERT_TRUE(by_document.ok());
  ASSERT_EQ(by_document->size(), 1u);
  EXPECT_EQ((*by_document)[0].record_id, "T-CT-A-0");
  world_.ActAs(kAnaAGeneral);
  EXPECT_EQ(TravelIds(),
            (std::set<std::string>{"T-CT-A-0", "T-CT-A-1", "T-held-CT-A", "T-general-0",
                                   "T-general-1", "T-held-general", "T-unowned"}));
}

TEST_F(RecordCompartments, TimelineAndDossierShowOnlyVisibleRecords) {
  world_.ActAs(kAnaA);
  auto timeline = LoadTimeline(world_.store(), "CT-A-0", TimelineWindow{});
  ASSERT_TRUE(timeline.ok()) << timeline.status().ToString();
  int calls = 0;
  int trips = 0;
  for (const TimelineEvent& e : *timeline) {
    calls += e.kind == "call" ? 1 : 0;
    trips += e.kind == "travel" ? 1 : 0;
  }
  EXPECT_EQ(calls, 2);  // to the unowned number and to CT-B-0's phone
  EXPECT_EQ(trips, 1);
  EXPECT_TRUE(LoadTimeline(world_.store(), "CT-B-0", TimelineWindow{}).status().IsNotFound());
  auto dossier = LoadDossier(world_.store(), "CT-A-1");
  ASSERT_TRUE(dossier.ok()) << dossier.status().ToString();
  ASSERT_EQ(dossier->travel.size(), 1u);
  EXPECT_EQ(dossier->travel[0].record_id, "T-CT-A-1");
  EXPECT_TRUE(LoadDossier(world_.store(), "CT-B-1").status().IsNotFound());
}

TEST_F(RecordCompartments, NetworkBuiltThroughTheAccessLayerHoldsOnlyVisibleData) {
  world_.ActAs(kAnaA);
  auto graph = BuildGraphFromStore(world_.store());
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  EXPECT_TRUE(graph->Find("CT-A-0").ok());
  // The other end of CT-A-0's call is shown as a number, not as its owner.
  EXPECT_TRUE(graph->Find(world_.SelectorOf("CT-B-0")).ok());
  for (const std::string& hidden : {std::string("CT-B-0"), std::string("CT-B-1"),
                                    world_.SelectorOf("CT-B-1"), std::string(kUnownedA)}) {
    EXPECT_FALSE(graph->Find(hidden).ok()) << hidden;
  }
}

TEST_F(RecordCompartments, AlertsAndScreeningResultsFollowTheirPersonsAndRecords) {
  // Stored with every right.
  WatchBatch batch;
  for (const std::string& person : {std::string("CT-A-0"), std::string("CT-B-0"), std::string()}) {
    StoredAlert alert;
    alert.key = "test:" + person;
    alert.time = kStart;
    alert.person_id = person;
    alert.kind = "test";
    alert.evidence = "in HMP Test with CT-B-1 (watched) and CT-A-1.";
    batch.alerts.push_back(alert);
  }
  ASSERT_TRUE(world_.store().CommitWatchBatch(batch, nullptr).ok());
  std::vector<StoredWatchlistMatch> matches;
  for (const char* record : {"T-CT-A-0", "T-CT-B-0", "T-unowned"}) {
    StoredWatchlistMatch m;
    m.source_id = record;
    m.entry_id = "W-CT-A-0";
    m.score = 0.9;
    m.explanation = "test";
    matches.push_back(m);
  }
  ASSERT_TRUE(world_.store().PutScreeningResults(matches, {}).ok());

  world_.ActAs(kAnaA);
  auto alert_persons = [&] {
    std::multiset<std::string> persons;
    EXPECT_TRUE(world_.store()
                    .ScanAlerts("",
                                [&](const StoredAlert& a) {
                                  persons.insert(a.person_id);
                                  return true;
                                })
                    .ok());
    return persons;
  };
  auto matched_records = [&] {
    std::set<std::string> records;
    EXPECT_TRUE(world_.store()
                    .ScanWatchlistMatches([&](const StoredWatchlistMatch& m) {
                      records.insert(m.source_id);
                      return true;
                    })
                    .ok());
    return records;
  };
  EXPECT_EQ(alert_persons(), (std::multiset<std::string>{"CT-A-0"}));
  EXPECT_EQ(matched_records(), (std::set<std::string>{"T-CT-A-0"}));
  // Evidence naming a person the user may not see withholds them; the
  // visible person it names is logged as shown.
  std::string evidence;
  ASSERT_TRUE(world_.store()
                  .ScanAlerts("CT-A-0",
                              [&](const StoredAlert& a) {
                                evidence = a.evidence;
                                return true;
                              })
                  .ok());
  EXPECT_EQ(evidence, "in HMP Test with [withheld] (watched) and CT-A-1.");
  ASSERT_TRUE(world_.oversight().FlushReads().ok());
  AuditQuery by_a1;
  by_a1.subject = "CT-A-1";
  by_a1.user = "ana";
  auto a1_records = world_.oversight().QueryAudit(world_.Context(kAuditor), by_a1);
  ASSERT_TRUE(a1_records.ok());
  EXPECT_TRUE(std::any_of(a1_records->begin(), a1_records->end(),
                          [](const AuditRecord& r) { return r.object == "scan:alerts"; }));
  world_.ActAs(kAnaAGeneral);
  EXPECT_EQ(alert_persons(), (std::multiset<std::string>{"", "CT-A-0"}));
  EXPECT_EQ(matched_records(), (std::set<std::string>{"T-CT-A-0", "T-unowned"}));

  // The alert engine's state covers every compartment: a partial user may
  // not write it, and the refusal is audited.
  Status refused = world_.store().CommitWatchBatch(batch, nullptr);
  EXPECT_EQ(refused.code(), Status::Code::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("every compartment"), std::string::npos);

  // The screening write names the persons its matches concern.
  ASSERT_TRUE(world_.oversight().FlushReads().ok());
  AuditQuery q;
  q.subject = "CT-B-0";
  auto records = world_.oversight().QueryAudit(world_.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(std::any_of(records->begin(), records->end(),
                          [](const AuditRecord& r) { return r.object == "screening:results"; }));
}

TEST_F(RecordCompartments, ReportsNamingNobodyFollowTheirColumnElseGeneral) {
  Status status = IngestThroughAccess(world_, "name-only", [](StoreWriter& w) -> Result<int64_t> {
    Report held;
    held.report_id = "R-name-held";
    held.time = kStart;
    held.name = "Someone Unknown";
    held.source = "police";
    held.attributes = {{"x_compartment", "CT-A"}};
    VIGIL_RETURN_IF_ERROR(w.Put(held));
    Report general = held;
    general.report_id = "R-name-general";
    general.attributes.clear();
    VIGIL_RETURN_IF_ERROR(w.Put(general));
    return 2;
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto name_only = [&] {
    std::set<std::string> ids;
    EXPECT_TRUE(world_.store()
                    .ScanReports([&](const Report& r) {
                      if (r.person_id.empty()) ids.insert(r.report_id);
                      return true;
                    })
                    .ok());
    return ids;
  };
  world_.ActAs(kAnaA);
  EXPECT_EQ(name_only(), (std::set<std::string>{"R-name-held"}));
  world_.ActAs(MakePrincipal("gen", Role::kAnalyst, {"general"}));
  EXPECT_EQ(name_only(), (std::set<std::string>{"R-name-general"}));
}

int64_t ProposedCount(OversightWorld& world) {
  int64_t proposed = 0;
  EXPECT_TRUE(world.store()
                  .inner()
                  .ScanAttributions([&](const Attribution& a) {
                    proposed += a.state == AttributionState::kProposed ? 1 : 0;
                    return true;
                  })
                  .ok());
  return proposed;
}

TEST_F(RecordCompartments, ReplacingProposalsNeedsEveryCompartment) {
  Attribution b;
  b.selector = kUnownedA;
  b.person_id = "CT-B-0";
  b.confidence = 0.7;
  b.state = AttributionState::kProposed;
  ASSERT_TRUE(world_.store().ReplaceProposedAttributions({b}).ok());
  ASSERT_EQ(ProposedCount(world_), 1);

  // A user of CT-A only would delete CT-B's proposal: refused, nothing changes.
  world_.ActAs(kAnaA);
  Attribution a = b;
  a.selector = kUnownedB;
  a.person_id = "CT-A-0";
  Status refused = world_.store().ReplaceProposedAttributions({a}).status();
  EXPECT_EQ(refused.code(), Status::Code::kPermissionDenied) << refused.ToString();
  EXPECT_NE(refused.message().find("every compartment (*)"), std::string::npos);
  EXPECT_EQ(ProposedCount(world_), 1);
  // A user granted every compartment may.
  world_.ActAs(MakePrincipal("res", Role::kAnalyst, {"*"}));
  auto stored = world_.store().ReplaceProposedAttributions({a});
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, 1);
  EXPECT_EQ(ProposedCount(world_), 1);
  // Refusals are in the log.
  ASSERT_TRUE(world_.oversight().FlushReads().ok());
  AuditQuery q;
  q.user = "ana";
  auto records = world_.oversight().QueryAudit(world_.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(std::any_of(records->begin(), records->end(), [](const AuditRecord& r) {
    return r.object == "attributions:proposed" && r.refused;
  }));
}

TEST_F(RecordCompartments, IngestNamingAHiddenPersonFailsLikeAMissingOne) {
  world_.ActAs(kAnaA);
  auto put_custody = [&](const std::string& person, const std::string& hash) {
    return IngestThroughAccess(world_, hash, [&](StoreWriter& w) -> Result<int64_t> {
      CustodyRecord c;
      c.person_id = person;
      c.facility = "HMP Elsewhere";
      c.start = "2021-01-01";
      VIGIL_RETURN_IF_ERROR(w.Put(c));
      return 1;
    });
  };
  const Status hidden = put_custody("CT-B-0", "custody-hidden");
  const Status missing = put_custody("NOBODY-9", "custody-missing");
  EXPECT_TRUE(hidden.IsInvalidArgument()) << hidden.ToString();
  EXPECT_EQ(hidden.code(), missing.code());
  std::string hidden_text = hidden.message();
  std::string missing_text = missing.message();
  hidden_text.replace(hidden_text.find("CT-B-0"), 6, "X");
  missing_text.replace(missing_text.find("NOBODY-9"), 8, "X");
  EXPECT_EQ(hidden_text, missing_text);
  // The auditor sees the attempt on the hidden person.
  AuditQuery q;
  q.user = "ana";
  auto records = world_.oversight().QueryAudit(world_.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(std::any_of(records->begin(), records->end(), [](const AuditRecord& r) {
    return r.object == "person:CT-B-0" && r.refused && r.action == "ingest";
  }));
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

// A server keeps one AccessStore per thread and changes its context's
// principal per request: what one user could see must not carry over.
TEST(RecordCompartmentsPerRequest, ChangingThePrincipalRebuildsVisibility) {
  OversightWorld world("per-request", {"CT-A", "CT-B", "general"}, 2);
  auto edges = [&] {
    int64_t n = 0;
    EXPECT_TRUE(world.store().ScanCommEdges([&](const CommEdge&) { return ++n > 0; }).ok());
    return n;
  };
  world.store().mutable_context().principal = MakePrincipal("a", Role::kAnalyst, {"CT-A"});
  EXPECT_EQ(edges(), 2);
  world.store().mutable_context().principal =
      MakePrincipal("b", Role::kAnalyst, {"CT-B", "general"});
  EXPECT_EQ(edges(), 5);
  world.store().mutable_context().principal = MakePrincipal("c", Role::kAnalyst, {"*"});
  EXPECT_EQ(edges(), 7);
  world.store().mutable_context().principal = MakePrincipal("a", Role::kAnalyst, {"CT-A"});
  EXPECT_EQ(edges(), 2);
}

}  // namespace
}  // namespace vigil::testing
