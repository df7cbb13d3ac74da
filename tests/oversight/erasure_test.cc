// Erasure leaves nothing behind: every identifier of an erased person (id,
// name, alias, birth date, selectors, passport number, the ids of the
// records about them) is looked for in the bytes of every file Vigil wrote
// (the store, its -wal and -shm, the audit key and witness, and the
// quarantine file ingest wrote their bad row to) while the store's
// connections are still open, after proving that each of them WAS there
// before the erasure (so that the search can fail). The audit chain still
// verifies, and the person's pseudonym leads to no one. A canvas the
// erasure cannot read stops it whole.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "access/oversight_world.h"
#include "support/erased_person.h"
#include "vigil/ingest.h"

namespace vigil::testing {
namespace {

const Principal kAnalyst = MakePrincipal("ana", Role::kAnalyst, {"CT-A"});
const Principal kAdmin = MakePrincipal("adm", Role::kAdmin, {});
const Principal kAuditor = MakePrincipal("aud", Role::kAuditor, {});
const Principal kSupervisor = MakePrincipal("sue", Role::kSupervisor, {"CT-A"});

const ErasedPerson kPerson = {"ERASE-ME-7731", "Zebulon Quartermaine", "Zeb Quartermayne",
                              "1971-03-14",    "msisdn:+447700999123", "passport:GB:ZQ991234",
                              "TRIP-ZQ-0001",  "REPORT-ZQ-0001"};
const std::string kId = kPerson.id;
const std::string kName = kPerson.name;
const std::string kPhone = kPerson.phone;
const std::string kPassport = kPerson.passport;
const std::string kReport = kPerson.report;
constexpr char kOtherName[] = "Philippa Outlasting";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(Erasure, LeavesNoIdentifierInAnyFileVigilWrote) {
  OversightWorld world("erasure", {"CT-A"}, 2);
  Oversight& o = world.oversight();
  world.ActAs(kAnalyst, "op lantern");
  // The person's files, ingested as the analyst; a travel file with a bad
  // row of theirs and one of another traveller goes to the quarantine file
  // beside the store (recorded as the CLI records it).
  const std::string quarantine = world.dir() + "/quarantine.csv";
  {
    const std::string inputs = world.dir() + "/inputs";
    kPerson.WriteInputs(inputs, world.SelectorOf("CT-A-0"));
    std::vector<FileIngestResult> results;
    const Status ingested = IngestPaths(world.store(), {inputs}, IngestOptions{}, &results);
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
    std::filesystem::create_directories(inputs + "/bad");
    std::ofstream(inputs + "/bad/travel.csv") << kPerson.BadTravelRows(kOtherName);
    ASSERT_TRUE(RecordWrittenFile(world.store(), WrittenFileKind::kQuarantine, quarantine).ok());
    IngestOptions options;
    options.quarantine_path = quarantine;
    auto bad = IngestFile(world.store(), inputs + "/bad/travel.csv", options);
    ASSERT_TRUE(bad.ok()) << bad.status().ToString();
    ASSERT_EQ(bad->rows_quarantined, 2);
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
  // Reads by record id and alert key: the audit objects name the trip, the
  // report and the other subject's alert key (which holds the person's id).
  ASSERT_TRUE(world.store().GetTravel(kPerson.trip).ok());
  ASSERT_TRUE(world.store().GetReport(kReport).ok());
  ASSERT_TRUE(world.store().GetAlert(std::string("new_contact:CT-A-0:") + kId).ok());
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

  const std::string quarantined = ReadAll(quarantine);
  ASSERT_NE(quarantined.find(kName), std::string::npos) << quarantined;
  ASSERT_NE(quarantined.find(kOtherName), std::string::npos) << quarantined;
  const std::vector<std::string> before = FoundIn(BytesOfFilesIn(world.dir()), kPerson);
  EXPECT_EQ(before, kPerson.Identifiers())
      << "every identifier must be there before, or the search "
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

  const std::string after = BytesOfFilesIn(world.dir());
  EXPECT_EQ(FoundIn(after, kPerson), std::vector<std::string>{})
      << "identifiers left after erasure";
  // The quarantine file lost the person's row and kept the other one
  // (and its private mode).
  EXPECT_EQ(erased->front().quarantine_rows, 1);
  EXPECT_EQ(erased->front().files_holding_person, std::vector<std::string>{});
  const std::string requarantined = ReadAll(quarantine);
  EXPECT_EQ(requarantined.rfind("file,line,column,rule,raw\n", 0), 0u) << requarantined;
  EXPECT_NE(requarantined.find(kOtherName), std::string::npos) << requarantined;
  EXPECT_EQ(std::count(requarantined.begin(), requarantined.end(), '\n'), 2) << requarantined;
  EXPECT_EQ(std::filesystem::status(quarantine).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
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
    EXPECT_NE(r.params.find("quarantine_rows=1"), std::string::npos) << r.params;
  }
  EXPECT_EQ(erase_records, 1);
}

// A stored canvas document the erasure cannot read (written past the
// access layer) might show the person: the erasure stops with an error that
// names it, and nothing of it is applied (the person, their records, the
// quarantine file and the audit log are as they were).
TEST(Erasure, FailsWholeOnACanvasItCannotRead) {
  OversightWorld world("erasure-canvas", {"CT-A"}, 2);
  Oversight& o = world.oversight();
  world.ActAs(kAnalyst, "op lantern");
  const std::string quarantine = world.dir() + "/quarantine.csv";
  {
    const std::string inputs = world.dir() + "/inputs";
    kPerson.WriteInputs(inputs, world.SelectorOf("CT-A-0"));
    ASSERT_TRUE(IngestPaths(world.store(), {inputs}, IngestOptions{}, nullptr).ok());
    std::filesystem::create_directories(inputs + "/bad");
    std::ofstream(inputs + "/bad/travel.csv") << kPerson.BadTravelRows(kOtherName);
    ASSERT_TRUE(RecordWrittenFile(world.store(), WrittenFileKind::kQuarantine, quarantine).ok());
    IngestOptions options;
    options.quarantine_path = quarantine;
    ASSERT_TRUE(IngestFile(world.store(), inputs + "/bad/travel.csv", options).ok());
  }
  ASSERT_TRUE(o.AddCase(world.Context(kSupervisor), "CASE-ZQ", "CT-A").ok());
  ASSERT_TRUE(sqlite::Exec(world.SqliteDb(),
                           "INSERT INTO canvases(compartment, case_id, name, version, document, "
                           "created_by, created_at, updated_by, updated_at) VALUES ('CT-A', "
                           "'CASE-ZQ', 'broken', 1, '{\"nodes\": [{\"id\": \"" +
                               kId + "\"', 'ana', 0, 'ana', 0)")
                  .ok());
  const std::string quarantined = ReadAll(quarantine);
  const RequestContext admin = world.Context(kAdmin);
  ASSERT_TRUE(o.SetRetentionLimit(admin, "none", 1).ok());
  ASSERT_TRUE(o.ApplyRetention(admin, false).ok());  // starts the clocks
  world.clock().Advance(2 * 86'400);

  auto erased = o.ApplyRetention(admin, false);
  ASSERT_FALSE(erased.ok());
  EXPECT_EQ(erased.status().code(), Status::Code::kCorruption);
  EXPECT_NE(erased.status().message().find("canvas 'broken' of case 'CASE-ZQ'"), std::string::npos)
      << erased.status().ToString();
  EXPECT_NE(erased.status().message().find("nothing was erased"), std::string::npos);
  // Nothing half-applied.
  world.ActAs(kAnalyst, "op lantern");
  auto person = world.store().GetPerson(kId);
  ASSERT_TRUE(person.ok()) << person.status().ToString();
  EXPECT_EQ(person->name, kName);
  auto trip = world.store().GetTravel(kPerson.trip);
  EXPECT_TRUE(trip.ok()) << trip.status().ToString();
  auto owners = world.store().AttributionsOfSelector(kPhone);
  ASSERT_TRUE(owners.ok());
  EXPECT_EQ(owners->size(), 1u);
  EXPECT_EQ(*sqlite::QueryInt(world.SqliteDb(), "SELECT count(*) FROM erasures"), 0);
  EXPECT_EQ(
      *sqlite::QueryInt(world.SqliteDb(), "SELECT count(*) FROM audit_log WHERE action = 'erase'"),
      0);
  EXPECT_GT(
      *sqlite::QueryInt(world.SqliteDb(),
                        "SELECT count(*) FROM audit_pseudonyms WHERE ident = 'person:" + kId + "'"),
      0);
  EXPECT_EQ(ReadAll(quarantine), quarantined);
  for (const auto& entry : std::filesystem::directory_iterator(world.dir())) {
    EXPECT_EQ(entry.path().filename().string().find(".erase-"), std::string::npos)
        << "temporary file left: " << entry.path();
  }

  // Once the canvas is repaired (here: removed), the same erasure goes through.
  ASSERT_TRUE(sqlite::Exec(world.SqliteDb(), "DELETE FROM canvases WHERE name = 'broken'").ok());
  erased = o.ApplyRetention(admin, false);
  ASSERT_TRUE(erased.ok()) << erased.status().ToString();
  ASSERT_EQ(erased->size(), 1u);
  EXPECT_EQ(erased->front().quarantine_rows, 1);
  EXPECT_EQ(FoundIn(BytesOfFilesIn(world.dir()), kPerson), std::vector<std::string>{});
}

}  // namespace
}  // namespace vigil::testing
