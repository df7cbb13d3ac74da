// Erasure leaves nothing behind: every identifier of an erased person (id,
// name, alias, birth date, selectors, passport number, the ids of the
// records about them) is looked for in the bytes of every file Vigil wrote
// (the store, its -wal and -shm, the audit key and witness) while the
// store's connections are still open, after proving that each of them WAS
// there before the erasure (so that the search can fail). The audit chain
// still verifies, and the person's pseudonym leads to no one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

const Principal kAnalyst = MakePrincipal("ana", Role::kAnalyst, {"CT-A"});
const Principal kAdmin = MakePrincipal("adm", Role::kAdmin, {});
const Principal kAuditor = MakePrincipal("aud", Role::kAuditor, {});
const Principal kSupervisor = MakePrincipal("sue", Role::kSupervisor, {"CT-A"});

constexpr char kId[] = "ERASE-ME-7731";
constexpr char kName[] = "Zebulon Quartermaine";
constexpr char kAlias[] = "Zeb Quartermayne";
constexpr char kBirth[] = "1971-03-14";
constexpr char kPhone[] = "msisdn:+447700999123";
constexpr char kPassport[] = "passport:GB:ZQ991234";
constexpr char kTrip[] = "TRIP-ZQ-0001";
constexpr char kReport[] = "REPORT-ZQ-0001";

// The bytes of every file in `dir` (the store, -wal, -shm, key, witness).
std::string AllBytes(const std::string& dir) {
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return bytes;
}

std::vector<std::string> Identifiers() {
  return {kId,       kName,      kAlias, kBirth, kPhone, "+447700999123",
          kPassport, "ZQ991234", kTrip,  kReport};
}

std::vector<std::string> Found(const std::string& bytes) {
  std::vector<std::string> found;
  for (const std::string& id : Identifiers()) {
    if (bytes.find(id) != std::string::npos) found.push_back(id);
  }
  return found;
}

TEST(Erasure, LeavesNoIdentifierInAnyFileVigilWrote) {
  OversightWorld world("erasure", {"CT-A"}, 2);
  Oversight& o = world.oversight();
  world.ActAs(kAnalyst, "op lantern");
  {
    SourceFile file;
    file.path = "zq.csv";
    file.content_hash = "zq-1";
    auto writer = world.store().BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    Person p;
    p.person_id = kId;
    p.name = kName;
    p.aliases = {kAlias};
    p.birth_date = kBirth;
    p.status = PersonStatus::kAssociate;
    p.compartment = "CT-A";
    ASSERT_TRUE((*writer)->Put(p).ok());
    for (const char* selector : {kPhone, kPassport}) {
      SelectorRecord s;
      s.selector = selector;
      s.person_id = kId;
      ASSERT_TRUE((*writer)->Put(s).ok());
    }
    Communication call;
    call.time = kStart + 50;
    call.src = kPhone;
    call.dst = world.SelectorOf("CT-A-0");
    call.kind = CommKind::kCall;
    ASSERT_TRUE((*writer)->Put(call).ok());
    TravelRecord trip;
    trip.record_id = kTrip;
    trip.time = kStart + 60;
    trip.name = kName;
    trip.birth_date = kBirth;
    trip.document = kPassport;
    trip.destination = "TR";
    ASSERT_TRUE((*writer)->Put(trip).ok());
    Report r;
    r.report_id = kReport;
    r.time = kStart + 70;
    r.person_id = kId;
    r.source = "police";
    r.text = std::string("seen with ") + kName;
    ASSERT_TRUE((*writer)->Put(r).ok());
    ASSERT_TRUE((*writer)->Commit(6).ok());
  }
  // Reads that name the person's identifiers in the audit log.
  ASSERT_TRUE(world.store().GetPerson(kId).ok());
  ASSERT_TRUE(world.store().AttributionsOfSelector(kPhone).ok());
  ASSERT_TRUE(world.store().TravelByDocuments({kPassport}).ok());
  // Derived state: another subject's alert quoting the person, the alert
  // engine's judged records, the resolver's summaries.
  {
    WatchBatch batch;
    batch.alerts.push_back(
        {std::string("new_contact:CT-A-0:") + kId, kStart + 50, "CT-A-0", "new_contact", 0.7,
         std::string("first call with ") + kId + " (" + kName + ") on " + kPhone, kStart + 100});
    batch.state.emplace_back("seen:reports", std::string("R-CT-A-0\n") + kReport + "\n");
    batch.state.emplace_back(std::string("profile:") + kId, std::string("profile of ") + kName);
    ASSERT_TRUE(world.store().inner().CommitWatchBatch(batch, nullptr).ok());
  }
  // The workbench's state: an analyst's dismissal of that alert, whose
  // reason names the person, and a saved canvas showing the person.
  {
    AlertTriage triage;
    triage.key = std::string("new_contact:CT-A-0:") + kId;
    triage.state = AlertState::kDismissed;
    triage.reason = std::string("a call from ") + kName + ", known";
    triage.decided_by = "ana";
    ASSERT_TRUE(world.store().inner().PutAlertTriage(triage).ok());
    ASSERT_TRUE(o.AddCase(world.Context(kSupervisor), "CASE-ZQ", "CT-A").ok());
    Canvas canvas;
    canvas.compartment = "CT-A";
    canvas.case_id = "CASE-ZQ";
    canvas.name = "main";
    canvas.document =
        nlohmann::json{{"nodes",
                        {{{"id", kId}, {"kind", "person"}},
                         {{"id", "CT-A-0"}, {"kind", "person"}},
                         {{"id", kPhone}, {"kind", "selector"}}}},
                       {"edges", {{{"source", kId}, {"target", "CT-A-0"}}}},
                       {"notes",
                        {{{"id", "n1"}, {"node", "CT-A-0"}, {"text", std::string("met ") + kName}},
                         {{"id", "n2"}, {"node", kId}, {"text", "pinned"}}}}}
            .dump();
    canvas.persons = {kId, "CT-A-0"};
    canvas.updated_by = "ana";
    ASSERT_TRUE(world.store().inner().PutCanvas(canvas, 0).ok());
  }
  ASSERT_TRUE(o.FlushReads().ok());

  const std::vector<std::string> before = Found(AllBytes(world.dir()));
  EXPECT_EQ(before, Identifiers()) << "every identifier must be there before, or the search "
                                      "below proves nothing";

  const RequestContext admin = world.Context(kAdmin);
  ASSERT_TRUE(o.SetRetentionLimit(admin, "none", 1).ok());
  ASSERT_TRUE(o.ApplyRetention(admin, false).ok());  // starts the clocks
  world.clock().Advance(2 * 86'400);
  auto erased = o.ApplyRetention(admin, false);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  ASSERT_EQ(erased->size(), 1u);
  EXPECT_EQ(erased->front().person_id, kId);
  // The store keeps working (and logging) with its connections open.
  ASSERT_TRUE(world.store().GetPerson("CT-A-0").ok());
  ASSERT_TRUE(o.FlushReads().ok());

  const std::string after = AllBytes(world.dir());
  EXPECT_EQ(Found(after), std::vector<std::string>{}) << "identifiers left after erasure";
  EXPECT_EQ(std::filesystem::file_size(world.path() + "-wal") < 200'000, true);

  // The other subject's alert stays, without the person in it.
  bool alert_kept = false;
  ASSERT_TRUE(world.store()
                  .inner()
                  .ScanAlerts("",
                              [&](const StoredAlert& a) {
                                if (a.kind == "new_contact") {
                                  alert_kept = true;
                                  EXPECT_NE(a.evidence.find("[erased]"), std::string::npos);
                                }
                                return true;
                              })
                  .ok());
  EXPECT_TRUE(alert_kept);
  // The canvas stays, without the person's nodes and what referred to them.
  auto canvas = world.store().inner().GetCanvas(CaseRef{"CT-A", "CASE-ZQ"}, "main");
  ASSERT_TRUE(canvas.ok()) << canvas.status().ToString();
  EXPECT_EQ(canvas->persons, std::vector<std::string>{"CT-A-0"});
  const auto document = nlohmann::json::parse(canvas->document);
  EXPECT_EQ(document["nodes"].size(), 1u) << canvas->document;
  EXPECT_EQ(document["edges"].size(), 0u) << canvas->document;
  ASSERT_EQ(document["notes"].size(), 1u) << canvas->document;
  EXPECT_EQ(document["notes"][0]["text"], "met [erased]");
  // The chain verifies; the person's records remain, under a pseudonym that
  // nothing links to them any more.
  auto report = o.VerifyAudit(admin, std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
  AuditQuery q;
  q.subject = kId;
  auto records = o.QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
  q = AuditQuery{};
  records = o.QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  int erase_records = 0;
  for (const AuditRecord& r : *records) {
    if (r.action != "erase") continue;
    ++erase_records;
    EXPECT_EQ(r.object.rfind("person:~", 0), 0u) << r.object;
    EXPECT_NE(r.params.find("travel_erased=1"), std::string::npos) << r.params;
    EXPECT_NE(r.params.find("selectors_erased=2"), std::string::npos) << r.params;
    EXPECT_NE(r.params.find("alerts_scrubbed=1"), std::string::npos) << r.params;
  }
  EXPECT_EQ(erase_records, 1);
}

}  // namespace
}  // namespace vigil::testing
