// Behaviour of the SQLite store (include/vigil/store.h) through its public
// interface, plus a few internal checks (query plans, comm postings).
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/postings.h"
#include "store/sqlite/schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "store/store_test_util.h"
#include "vigil/store.h"

namespace vigil {
namespace {

using testing_util::MakeComm;
using testing_util::MakePerson;
using testing_util::MakeSource;
using testing_util::ScratchDir;

constexpr char kAlice[] = "msisdn:+441000000001";
constexpr char kBob[] = "msisdn:+441000000002";
constexpr char kCarol[] = "msisdn:+441000000003";
constexpr char kHandset[] = "imei:490154203237518";

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    Result<std::unique_ptr<Store>> opened = OpenSqliteStore(path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  std::unique_ptr<StoreWriter> Begin(const std::string& hash, InputKind kind) {
    Result<std::unique_ptr<StoreWriter>> writer = store_->BeginIngest(MakeSource(hash, kind));
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    return writer.ok() ? std::move(writer).value() : nullptr;
  }

  // Commits persons p1..pN in one file.
  void PutPersons(const std::string& hash, int count) {
    auto writer = Begin(hash, InputKind::kPersons);
    for (int index = 1; index <= count; ++index) {
      const std::string id = "p" + std::to_string(index);
      ASSERT_TRUE(writer->Put(MakePerson(id, "Person " + id)).ok());
    }
    ASSERT_TRUE(writer->Commit(count).ok());
  }

  StoreCounts Counts() {
    Result<StoreCounts> counts = store_->Counts();
    EXPECT_TRUE(counts.ok()) << counts.status().ToString();
    return counts.ok() ? *counts : StoreCounts{};
  }

  std::vector<Communication> Comms(const CommQuery& query) {
    std::vector<Communication> found;
    Status status = store_->ScanComms(query, [&](const Communication& comm) {
      found.push_back(comm);
      return true;
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
    return found;
  }

  ScratchDir dir_;
  std::string path_ = dir_.File("vigil.db");
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, FreshStoreIsEmptyAndIntact) {
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.persons, 0);
  EXPECT_EQ(counts.comms, 0);
  EXPECT_EQ(counts.files, 0);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, PersonRoundTripsEveryField) {
  Person person = MakePerson("p1", "Ахмед Аль-Фулани");
  person.aliases = {"Ahmed al-Fulani", "أحمد"};
  person.birth_date = "1984-03";
  person.nationality = "DZ";
  person.status = PersonStatus::kAssociate;
  person.compartment = "op-north";
  person.legal_basis = "warrant-17";
  person.review_by = "2030-01-01";
  person.attributes = {{"x_zeta", "1"}, {"x_alpha", "two"}};
  auto writer = Begin("h1", InputKind::kPersons);
  ASSERT_TRUE(writer->Put(person).ok());
  ASSERT_TRUE(writer->Commit(1).ok());

  Result<Person> got = store_->GetPerson("p1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, person.name);
  EXPECT_EQ(got->aliases, person.aliases);
  EXPECT_EQ(got->birth_date, "1984-03");
  EXPECT_EQ(got->nationality, "DZ");
  EXPECT_EQ(got->status, PersonStatus::kAssociate);
  EXPECT_EQ(got->compartment, "op-north");
  EXPECT_EQ(got->legal_basis, "warrant-17");
  EXPECT_EQ(got->review_by, "2030-01-01");
  EXPECT_EQ(got->attributes, person.attributes);  // order kept
  EXPECT_TRUE(store_->GetPerson("nobody").status().IsNotFound());
}

TEST_F(SqliteStoreTest, PutOfExistingPersonReplacesIt) {
  PutPersons("h1", 2);
  Person changed = MakePerson("p1", "New Name");
  changed.aliases = {"Alias"};
  auto writer = Begin("h2", InputKind::kPersons);
  ASSERT_TRUE(writer->Put(changed).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  EXPECT_EQ(store_->GetPerson("p1")->name, "New Name");
  EXPECT_EQ(store_->GetPerson("p1")->aliases, std::vector<std::string>{"Alias"});
  EXPECT_EQ(Counts().persons, 2);
  int scanned = 0;
  ASSERT_TRUE(store_->ScanPersons([&](const Person&) { return ++scanned < 100; }).ok());
  EXPECT_EQ(scanned, 2);
}

TEST_F(SqliteStoreTest, SelectorRecordWithOwnerBecomesSourceAttribution) {
  PutPersons("h1", 1);
  SelectorRecord record;
  record.selector = kAlice;
  record.person_id = "p1";
  record.first_seen = 1000;
  record.source = "operator-x";
  record.attributes = {{"x_note", "prepaid"}};
  auto writer = Begin("h2", InputKind::kSelectors);
  ASSERT_TRUE(writer->Put(record).ok());
  ASSERT_TRUE(writer->Commit(1).ok());

  Result<SelectorRecord> got = store_->GetSelectorRecord(kAlice);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->person_id, "p1");
  EXPECT_EQ(got->first_seen, 1000);
  EXPECT_FALSE(got->last_seen.has_value());
  EXPECT_EQ(got->source, "operator-x");
  EXPECT_EQ(got->attributes, record.attributes);

  Result<std::vector<Attribution>> owners = store_->AttributionsOfSelector(kAlice);
  ASSERT_TRUE(owners.ok());
  ASSERT_EQ(owners->size(), 1u);
  EXPECT_EQ((*owners)[0].person_id, "p1");
  EXPECT_EQ((*owners)[0].state, AttributionState::kSource);
  EXPECT_DOUBLE_EQ((*owners)[0].confidence, 1.0);
  EXPECT_NE((*owners)[0].evidence.find("operator-x"), std::string::npos);
  EXPECT_NE((*owners)[0].evidence.find("h2.csv"), std::string::npos);
  EXPECT_EQ(store_->AttributionsOfPerson("p1")->size(), 1u);
}

TEST_F(SqliteStoreTest, SelectorSeenOnlyInCommsHasNoRecord) {
  auto writer = Begin("h1", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(10, kAlice, kBob)).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  EXPECT_TRUE(store_->GetSelectorRecord(kAlice).status().IsNotFound());
  EXPECT_EQ(Counts().selectors, 2);
}

TEST_F(SqliteStoreTest, UnknownPersonReferencesAreRefusedAndWriteNothing) {
  PutPersons("h1", 1);
  auto writer = Begin("h2", InputKind::kCustody);
  CustodyRecord custody{"ghost", "HMP Example", "2010-01-01", "", {}};
  Status status = writer->Put(custody);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("ghost"), std::string::npos) << status.message();

  Report report;
  report.report_id = "r1";
  report.person_id = "ghost2";
  report.source = "prison";
  status = writer->Put(report);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("ghost2"), std::string::npos) << status.message();

  SelectorRecord selector;
  selector.selector = kAlice;
  selector.person_id = "ghost3";
  status = writer->Put(selector);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("ghost3"), std::string::npos) << status.message();

  // The writer stays usable after a refused row (quarantine mode relies on it).
  ASSERT_TRUE(writer->Put(CustodyRecord{"p1", "HMP Example", "2010-01-01", "", {}}).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.custody, 1);
  EXPECT_EQ(counts.reports, 0);
  EXPECT_EQ(counts.selectors, 0);
  EXPECT_TRUE(store_->GetSelectorRecord(kAlice).status().IsNotFound());

  Attribution attribution;
  attribution.selector = kAlice;
  attribution.person_id = "ghost4";
  status = store_->PutAttribution(attribution);
  EXPECT_TRUE(status.IsInvalidArgument());
  EXPECT_NE(status.message().find("ghost4"), std::string::npos);
  EXPECT_EQ(Counts().attributions, 0);
}

TEST_F(SqliteStoreTest, CustodyKeyedByPersonFacilityStart) {
  PutPersons("h1", 2);
  auto writer = Begin("h2", InputKind::kCustody);
  ASSERT_TRUE(writer->Put(CustodyRecord{"p1", "HMP A", "2010-01-01", "", {}}).ok());
  ASSERT_TRUE(writer->Put(CustodyRecord{"p1", "HMP B", "2009-01-01", "2009-12-31", {}}).ok());
  ASSERT_TRUE(writer->Put(CustodyRecord{"p2", "HMP A", "2010-02-01", "", {}}).ok());
  // Same key: replaces (the stay ended).
  ASSERT_TRUE(
      writer->Put(CustodyRecord{"p1", "HMP A", "2010-01-01", "2012-06-30", {{"x_wing", "C"}}})
          .ok());
  ASSERT_TRUE(writer->Commit(4).ok());
  Result<std::vector<CustodyRecord>> stays = store_->CustodyOf("p1");
  ASSERT_TRUE(stays.ok());
  ASSERT_EQ(stays->size(), 2u);
  EXPECT_EQ((*stays)[0].facility, "HMP B");  // ordered by start
  EXPECT_EQ((*stays)[1].end, "2012-06-30");
  EXPECT_EQ((*stays)[1].attributes, (Attributes{{"x_wing", "C"}}));
  EXPECT_EQ(Counts().custody, 3);
}

TEST_F(SqliteStoreTest, ReportsAboutPersonInTimeOrderAndByNameOnly) {
  PutPersons("h1", 1);
  auto writer = Begin("h2", InputKind::kReports);
  Report later{"r1", 200, "p1", "", "prison", ReportCategory::kBehaviourChange, "withdrawn", {}};
  Report earlier{"r2", 100, "p1", "", "police", ReportCategory::kContact, "met X", {}};
  Report by_name{"r3", 150, "", "John Doe", "partner", ReportCategory::kTravel, "", {}};
  ASSERT_TRUE(writer->Put(later).ok());
  ASSERT_TRUE(writer->Put(earlier).ok());
  ASSERT_TRUE(writer->Put(by_name).ok());
  later.text = "replaced";
  ASSERT_TRUE(writer->Put(later).ok());
  ASSERT_TRUE(writer->Commit(4).ok());
  Result<std::vector<Report>> reports = store_->ReportsAbout("p1");
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 2u);
  EXPECT_EQ((*reports)[0].report_id, "r2");
  EXPECT_EQ((*reports)[1].text, "replaced");
  EXPECT_EQ((*reports)[1].category, ReportCategory::kBehaviourChange);
  std::vector<std::string> names;
  ASSERT_TRUE(store_
                  ->ScanReports([&](const Report& report) {
                    if (report.person_id.empty()) names.push_back(report.name);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(names, std::vector<std::string>{"John Doe"});
}

TEST_F(SqliteStoreTest, TravelByDocumentsInTimeOrder) {
  auto writer = Begin("h1", InputKind::kTravel);
  TravelRecord first{"t1", 300,   "Maria Lopez", "1990-01-02", "passport:ES:X123",
                     "ES", "MAD", "IST",         "XX",         {}};
  TravelRecord second{"t2", 100, "María López", "", "passport:ES:X123", "", "BCN", "TR", "", {}};
  TravelRecord other{"t3", 200, "Someone", "", "idcard:FR:99", "", "", "DE", "", {}};
  TravelRecord undocumented{"t4", 50, "Anon", "", "", "", "", "DE", "", {}};
  for (const TravelRecord* record : {&first, &second, &other, &undocumented}) {
    ASSERT_TRUE(writer->Put(*record).ok());
  }
  first.carrier = "YY";  // replace
  ASSERT_TRUE(writer->Put(first).ok());
  ASSERT_TRUE(writer->Commit(5).ok());
  Result<std::vector<TravelRecord>> found =
      store_->TravelByDocuments({"passport:ES:X123", "passport:ZZ:none"});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].record_id, "t2");
  EXPECT_EQ((*found)[0].name, "María López");
  EXPECT_EQ((*found)[1].carrier, "YY");
  EXPECT_EQ((*found)[1].document, "passport:ES:X123");
  EXPECT_TRUE(store_->TravelByDocuments({})->empty());
  EXPECT_EQ(Counts().travel, 4);
  int scanned = 0;
  ASSERT_TRUE(store_->ScanTravel([&](const TravelRecord&) { return ++scanned > 0; }).ok());
  EXPECT_EQ(scanned, 4);
}

TEST_F(SqliteStoreTest, WatchlistRoundTripAndReplace) {
  WatchlistEntry entry;
  entry.entry_id = "w1";
  entry.list = "national";
  entry.name = "Maria Lopez";
  entry.aliases = {"M. Lopez"};
  entry.handling = Handling::kAmber;
  entry.valid_until = "2031-01-01";
  auto writer = Begin("h1", InputKind::kWatchlist);
  ASSERT_TRUE(writer->Put(entry).ok());
  entry.reason = "partner of wanted person";
  ASSERT_TRUE(writer->Put(entry).ok());
  ASSERT_TRUE(writer->Commit(2).ok());
  Result<WatchlistEntry> got = store_->GetWatchlistEntry("w1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->reason, "partner of wanted person");
  EXPECT_EQ(got->aliases, entry.aliases);
  EXPECT_EQ(got->handling, Handling::kAmber);
  EXPECT_TRUE(store_->GetWatchlistEntry("w2").status().IsNotFound());
  EXPECT_EQ(Counts().watchlist, 1);
}

TEST_F(SqliteStoreTest, CommsRoundTripEveryField) {
  Communication comm = MakeComm(1'400'000'000, kAlice, kBob);
  comm.kind = CommKind::kSms;
  comm.duration_s = 42;
  comm.device = kHandset;
  comm.cell = "cell-7";
  comm.attributes = {{"x_operator", "op1"}};
  auto writer = Begin("h1", InputKind::kComms);
  ASSERT_TRUE(writer->Put(comm).ok());
  ASSERT_TRUE(writer->Put(MakeComm(5, kBob, kCarol)).ok());
  ASSERT_TRUE(writer->Commit(2).ok());
  std::vector<Communication> all = Comms({});
  ASSERT_EQ(all.size(), 2u);
  const Communication& got = all[0];
  EXPECT_EQ(got.time, comm.time);
  EXPECT_EQ(got.src, kAlice);
  EXPECT_EQ(got.dst, kBob);
  EXPECT_EQ(got.kind, CommKind::kSms);
  EXPECT_EQ(got.duration_s, 42);
  EXPECT_EQ(got.device, kHandset);
  EXPECT_EQ(got.cell, "cell-7");
  EXPECT_EQ(got.attributes, comm.attributes);
  EXPECT_FALSE(all[1].duration_s.has_value());
  EXPECT_TRUE(all[1].device.empty());
  EXPECT_EQ(Counts().selectors, 4);  // the handset is a selector too
}

TEST_F(SqliteStoreTest, CommQueryFiltersBySelectorAndWindowInTimeOrder) {
  auto writer = Begin("h1", InputKind::kComms);
  // Inserted out of time order on purpose.
  ASSERT_TRUE(writer->Put(MakeComm(50, kBob, kAlice)).ok());
  ASSERT_TRUE(writer->Put(MakeComm(10, kAlice, kBob)).ok());
  ASSERT_TRUE(writer->Put(MakeComm(30, kCarol, kBob)).ok());
  ASSERT_TRUE(writer->Put(MakeComm(20, kAlice, kCarol)).ok());
  ASSERT_TRUE(writer->Put(MakeComm(40, kAlice, kAlice)).ok());  // both ends wanted
  ASSERT_TRUE(writer->Commit(5).ok());

  auto times = [](const std::vector<Communication>& comms) {
    std::vector<UnixTime> out;
    for (const Communication& comm : comms) out.push_back(comm.time);
    return out;
  };
  CommQuery alice;
  alice.selectors = {kAlice};
  EXPECT_EQ(times(Comms(alice)), (std::vector<UnixTime>{10, 20, 40, 50}));
  alice.from = 20;
  alice.to = 50;  // exclusive
  EXPECT_EQ(times(Comms(alice)), (std::vector<UnixTime>{20, 40}));

  CommQuery two;
  two.selectors = {kCarol, kBob};
  EXPECT_EQ(times(Comms(two)), (std::vector<UnixTime>{10, 20, 30, 50}));

  CommQuery unknown;
  unknown.selectors = {"msisdn:+999"};
  EXPECT_TRUE(Comms(unknown).empty());

  CommQuery window;
  window.from = 30;
  EXPECT_EQ(Comms(window).size(), 3u);

  int seen = 0;
  ASSERT_TRUE(store_->ScanComms({}, [&](const Communication&) { return ++seen < 2; }).ok());
  EXPECT_EQ(seen, 2);  // stopped early
}

TEST_F(SqliteStoreTest, SelectorsHaveDenseIdsThatCommEdgesUse) {
  auto writer = Begin("h1", InputKind::kComms);
  Communication comm = MakeComm(10, kAlice, kBob);
  comm.device = kHandset;
  comm.duration_s = 7;
  ASSERT_TRUE(writer->Put(comm).ok());
  ASSERT_TRUE(writer->Put(MakeComm(20, kBob, kCarol)).ok());
  ASSERT_TRUE(writer->Commit(2).ok());

  std::vector<std::string> by_id(1);  // index 0 unused
  ASSERT_TRUE(store_
                  ->ScanSelectors([&](int64_t id, std::string_view selector) {
                    EXPECT_EQ(id, static_cast<int64_t>(by_id.size()));
                    by_id.emplace_back(selector);
                    return true;
                  })
                  .ok());
  ASSERT_EQ(by_id.size(), 5u);

  std::vector<CommEdge> edges;
  ASSERT_TRUE(store_
                  ->ScanCommEdges([&](const CommEdge& edge) {
                    edges.push_back(edge);
                    return true;
                  })
                  .ok());
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(by_id[edges[0].src], kAlice);
  EXPECT_EQ(by_id[edges[0].dst], kBob);
  EXPECT_EQ(by_id[edges[0].device], kHandset);
  EXPECT_EQ(edges[0].duration_s, 7);
  EXPECT_EQ(edges[0].kind, CommKind::kCall);
  EXPECT_EQ(edges[1].device, 0);
  EXPECT_EQ(edges[1].duration_s, -1);
}

TEST_F(SqliteStoreTest, SecondIngestOfSameHashIsAlreadyExists) {
  PutPersons("same-hash", 1);
  Result<std::unique_ptr<StoreWriter>> again =
      store_->BeginIngest(MakeSource("same-hash", InputKind::kPersons));
  EXPECT_TRUE(again.status().IsAlreadyExists()) << again.status().ToString();
  // The store is still writable afterwards.
  PutPersons("other-hash", 2);
  EXPECT_EQ(Counts().files, 2);
}

TEST_F(SqliteStoreTest, OnlyOneWriterAtATime) {
  auto writer = Begin("h1", InputKind::kPersons);
  Result<std::unique_ptr<StoreWriter>> second =
      store_->BeginIngest(MakeSource("h2", InputKind::kPersons));
  EXPECT_FALSE(second.ok());
  EXPECT_FALSE(store_->PutAttribution(Attribution{kAlice, "p1"}).ok());
  writer.reset();
  EXPECT_TRUE(store_->BeginIngest(MakeSource("h2", InputKind::kPersons)).ok());
}

TEST_F(SqliteStoreTest, WriterDestroyedWithoutCommitLeavesStoreUnchanged) {
  PutPersons("h1", 1);
  auto writer = Begin("h2", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(10, kAlice, kBob)).ok());
  ASSERT_TRUE(writer->Put(MakePerson("p9", "Nine")).ok());
  writer.reset();
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.comms, 0);
  EXPECT_EQ(counts.selectors, 0);
  EXPECT_EQ(counts.persons, 1);
  EXPECT_EQ(counts.files, 1);

  // The same file can be ingested afterwards, and interning restarts at id 1.
  writer = Begin("h2", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(10, kCarol, kBob)).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  std::vector<std::string> selectors;
  ASSERT_TRUE(store_
                  ->ScanSelectors([&](int64_t id, std::string_view selector) {
                    EXPECT_EQ(id, static_cast<int64_t>(selectors.size()) + 1);
                    selectors.emplace_back(selector);
                    return true;
                  })
                  .ok());
  EXPECT_EQ(selectors, (std::vector<std::string>{kCarol, kBob}));
}

TEST_F(SqliteStoreTest, SpentWriterRefusesMorePuts) {
  auto writer = Begin("h1", InputKind::kPersons);
  ASSERT_TRUE(writer->Commit(0).ok());
  EXPECT_FALSE(writer->Put(MakePerson("p1", "One")).ok());
  EXPECT_FALSE(writer->Commit(0).ok());
  EXPECT_EQ(Counts().files, 1);
}

TEST_F(SqliteStoreTest, ReopenKeepsDataAndFileLog) {
  PutPersons("h1", 3);
  auto writer = Begin("h2", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(10, kAlice, kBob)).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  Reopen();
  StoreCounts counts = Counts();
  EXPECT_EQ(counts.persons, 3);
  EXPECT_EQ(counts.comms, 1);
  Result<std::vector<IngestedFile>> files = store_->IngestedFiles();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[0].file.content_hash, "h1");
  EXPECT_EQ((*files)[0].rows, 3);
  EXPECT_EQ((*files)[1].file.kind, InputKind::kComms);
  EXPECT_EQ((*files)[1].file.size_bytes, 1234);
  EXPECT_GT((*files)[1].committed_at, 0);
  // Interning continues from the stored ids after a reopen.
  writer = Begin("h3", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(20, kCarol, kAlice)).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  EXPECT_EQ(Counts().selectors, 3);
  CommQuery alice;
  alice.selectors = {kAlice};
  EXPECT_EQ(Comms(alice).size(), 2u);
}

TEST_F(SqliteStoreTest, WritesOfAnotherConnectionAreSeenByInterning) {
  Result<std::unique_ptr<Store>> other = OpenSqliteStore(path_);
  ASSERT_TRUE(other.ok());
  auto writer = Begin("h1", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(10, kAlice, kBob)).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  {
    auto other_writer = (*other)->BeginIngest(MakeSource("h2", InputKind::kComms));
    ASSERT_TRUE(other_writer.ok());
    ASSERT_TRUE((*other_writer)->Put(MakeComm(20, kCarol, kHandset)).ok());
    ASSERT_TRUE((*other_writer)->Commit(1).ok());
  }
  writer = Begin("h3", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(30, kHandset, kAlice)).ok());
  ASSERT_TRUE(writer->Commit(1).ok());
  EXPECT_EQ(Counts().selectors, 4);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteStoreTest, AttributionDecisionsReplaceAndSurviveSourceReload) {
  PutPersons("h1", 2);
  Attribution proposal;
  proposal.selector = kBob;
  proposal.person_id = "p2";
  proposal.confidence = 0.6;
  proposal.evidence = "same handset";
  proposal.state = AttributionState::kProposed;
  ASSERT_TRUE(store_->PutAttribution(proposal).ok());

  Attribution decision = proposal;
  decision.state = AttributionState::kConfirmed;
  decision.confidence = 0.9;
  decision.decided_by = "analyst7";
  decision.decided_at = 1'700'000'000;
  ASSERT_TRUE(store_->PutAttribution(decision).ok());
  Result<std::vector<Attribution>> of_person = store_->AttributionsOfPerson("p2");
  ASSERT_TRUE(of_person.ok());
  ASSERT_EQ(of_person->size(), 1u);
  EXPECT_EQ((*of_person)[0].state, AttributionState::kConfirmed);
  EXPECT_DOUBLE_EQ((*of_person)[0].confidence, 0.9);
  EXPECT_EQ((*of_person)[0].decided_by, "analyst7");
  EXPECT_EQ((*of_person)[0].decided_at, 1'700'000'000);

  // A later selectors.csv naming the same pair does not undo the decision.
  SelectorRecord record;
  record.selector = kBob;
  record.person_id = "p2";
  record.source = "operator";
  auto writer = Begin("h2", InputKind::kSelectors);
  ASSERT_TRUE(writer->Put(record).ok());
  record.person_id = "p1";  // a second owner claim
  ASSERT_TRUE(writer->Put(record).ok());
  ASSERT_TRUE(writer->Commit(2).ok());
  Result<std::vector<Attribution>> of_selector = store_->AttributionsOfSelector(kBob);
  ASSERT_TRUE(of_selector.ok());
  ASSERT_EQ(of_selector->size(), 2u);
  EXPECT_EQ((*of_selector)[0].person_id, "p1");
  EXPECT_EQ((*of_selector)[0].state, AttributionState::kSource);
  EXPECT_EQ((*of_selector)[1].state, AttributionState::kConfirmed);
  int scanned = 0;
  ASSERT_TRUE(store_->ScanAttributions([&](const Attribution&) { return ++scanned > 0; }).ok());
  EXPECT_EQ(scanned, 2);
  EXPECT_EQ(Counts().attributions, 2);
}

TEST_F(SqliteStoreTest, ScanCustodyAndWatchlistVisitEveryRow) {
  PutPersons("h1", 1);
  auto writer = Begin("h2", InputKind::kCustody);
  ASSERT_TRUE(writer->Put(CustodyRecord{"p1", "A", "2001-01-01", "", {}}).ok());
  ASSERT_TRUE(writer->Put(CustodyRecord{"p1", "B", "2002-01-01", "", {}}).ok());
  WatchlistEntry entry;
  entry.entry_id = "w1";
  entry.list = "l";
  entry.name = "n";
  ASSERT_TRUE(writer->Put(entry).ok());
  ASSERT_TRUE(writer->Commit(3).ok());
  int custody = 0;
  ASSERT_TRUE(store_->ScanCustody([&](const CustodyRecord&) { return ++custody > 0; }).ok());
  int watchlist = 0;
  ASSERT_TRUE(store_->ScanWatchlist([&](const WatchlistEntry&) { return ++watchlist > 0; }).ok());
  EXPECT_EQ(custody, 2);
  EXPECT_EQ(watchlist, 1);
}

// ---- Opening files that are not (this build's) Vigil stores ----

int ExecOn(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

TEST_F(SqliteStoreTest, NewerSchemaVersionIsRefused) {
  store_.reset();
  const std::string newer = "PRAGMA user_version = " + std::to_string(CurrentSchemaVersion() + 1);
  ASSERT_EQ(ExecOn(path_, newer.c_str()), SQLITE_OK);
  Result<std::unique_ptr<Store>> opened = OpenSqliteStore(path_);
  ASSERT_EQ(opened.status().code(), Status::Code::kCorruption);
  EXPECT_NE(opened.status().message().find("newer"), std::string::npos)
      << opened.status().message();
}

TEST_F(SqliteStoreTest, ForeignSqliteDatabaseIsRefused) {
  const std::string foreign = dir_.File("foreign.db");
  ASSERT_EQ(ExecOn(foreign, "CREATE TABLE t(x)"), SQLITE_OK);
  Result<std::unique_ptr<Store>> opened = OpenSqliteStore(foreign);
  ASSERT_EQ(opened.status().code(), Status::Code::kCorruption);
  EXPECT_NE(opened.status().message().find("not a Vigil store"), std::string::npos);
}

TEST_F(SqliteStoreTest, NonDatabaseFileIsRefused) {
  const std::string text = dir_.File("notes.txt");
  std::ofstream(text) << std::string(8192, 'x');
  Result<std::unique_ptr<Store>> opened = OpenSqliteStore(text);
  ASSERT_EQ(opened.status().code(), Status::Code::kCorruption) << opened.status().ToString();
  EXPECT_NE(opened.status().message().find("not a Vigil store"), std::string::npos);
}

TEST_F(SqliteStoreTest, MissingFileWithoutCreateIsIOError) {
  StoreOptions options;
  options.create_if_missing = false;
  Result<std::unique_ptr<Store>> opened = OpenSqliteStore(dir_.File("absent.db"), options);
  EXPECT_EQ(opened.status().code(), Status::Code::kIOError);
}

TEST_F(SqliteStoreTest, OpenedFileUsesWalFullSyncAndForeignKeys) {
  auto* sqlite_store = dynamic_cast<sqlite::SqliteStore*>(store_.get());
  ASSERT_NE(sqlite_store, nullptr);
  EXPECT_EQ(*sqlite::QueryText(sqlite_store->db(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*sqlite::QueryInt(sqlite_store->db(), "PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*sqlite::QueryInt(sqlite_store->db(), "PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*sqlite::QueryInt(sqlite_store->db(), "PRAGMA user_version"), CurrentSchemaVersion());
}

// ---- Internals: query plans and comm postings ----

std::string QueryPlan(sqlite3* db, const char* sql) {
  Result<sqlite::Stmt> stmt = sqlite::Prepare(db, std::string("EXPLAIN QUERY PLAN ") + sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  std::string plan;
  while (stmt.ok() && *stmt->Step()) plan += std::string(stmt->ColumnText(3)) + "\n";
  return plan;
}

TEST_F(SqliteStoreTest, CommQueryBySelectorSearchesPostingsThenRowsByKey) {
  auto* sqlite_store = dynamic_cast<sqlite::SqliteStore*>(store_.get());
  ASSERT_NE(sqlite_store, nullptr);
  const std::string blocks = QueryPlan(sqlite_store->db(), sqlite::PostingBlocksSql());
  EXPECT_NE(blocks.find("SEARCH comm_postings USING PRIMARY KEY (selector_id=? AND last_time>?)"),
            std::string::npos)
      << blocks;
  const std::string row =
      QueryPlan(sqlite_store->db(), sqlite::SqliteStore::CommsQuerySql(/*by_selector=*/true));
  EXPECT_NE(row.find("SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"), std::string::npos) << row;
  EXPECT_EQ(row.find("SCAN"), std::string::npos) << row;
}

TEST(PostingsCodecTest, RoundTripsTimeOrderWithRowidsGoingBack) {
  const std::vector<sqlite::Posting> postings = {
      {-5, 900}, {0, 7}, {0, 8}, {1'700'000'000, 3}, {1'700'000'000, 1LL << 40}};
  std::string data;
  sqlite::EncodePostings(postings, &data);
  std::vector<sqlite::Posting> decoded;
  ASSERT_TRUE(sqlite::DecodePostings(data, -5, 900, 5, &decoded).ok());
  EXPECT_EQ(decoded, postings);
}

TEST(PostingsCodecTest, TruncatedOrOverlongBlockIsCorruption) {
  const std::vector<sqlite::Posting> postings = {{10, 1}, {20, 2}, {30, 3}};
  std::string data;
  sqlite::EncodePostings(postings, &data);
  std::vector<sqlite::Posting> decoded;
  EXPECT_EQ(sqlite::DecodePostings(data.substr(0, data.size() - 1), 10, 1, 3, &decoded).code(),
            Status::Code::kCorruption);
  EXPECT_EQ(sqlite::DecodePostings(data, 10, 1, 2, &decoded).code(), Status::Code::kCorruption);
  EXPECT_EQ(sqlite::DecodePostings(std::string(12, '\xff'), 10, 1, 1, &decoded).code(),
            Status::Code::kCorruption);
}

// A block whose deltas run a time or a rowid past int64 (a damaged or forged
// store file) is Corruption, not signed overflow (undefined behaviour that
// UBSan aborts on; fuzz/corpus/postings/overflow).
TEST(PostingsCodecTest, DeltasPastTheInt64RangeAreCorruption) {
  std::vector<sqlite::Posting> decoded;
  // time delta 5 from INT64_MAX - 1.
  EXPECT_EQ(
      sqlite::DecodePostings(std::string("\x00\x00\x05\x00", 4), INT64_MAX - 1, 0, 2, &decoded)
          .code(),
      Status::Code::kCorruption);
  // A time delta above INT64_MAX (ten-byte varint of 2^63).
  decoded.clear();
  EXPECT_EQ(sqlite::DecodePostings(std::string("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01\x00", 11),
                                   0, 0, 1, &decoded)
                .code(),
            Status::Code::kCorruption);
  // rowid delta +1 (zigzag 2) from INT64_MAX.
  decoded.clear();
  EXPECT_EQ(sqlite::DecodePostings(std::string("\x00\x02", 2), 0, INT64_MAX, 1, &decoded).code(),
            Status::Code::kCorruption);
}

class PostingsTest : public SqliteStoreTest {
 protected:
  sqlite::SqliteStore& Sqlite() { return *dynamic_cast<sqlite::SqliteStore*>(store_.get()); }

  int64_t QueryInt(const std::string& sql) { return *sqlite::QueryInt(Sqlite().db(), sql); }

  // Commits `count` comms of Alice with Bob, Carol or herself, times going
  // back and forth, as file `hash`.
  void PutMixedComms(const std::string& hash, int count, UnixTime base) {
    auto writer = Begin(hash, InputKind::kComms);
    const char* const peers[] = {kBob, kCarol, kAlice};
    for (int index = 0; index < count; ++index) {
      const UnixTime time = base + (index % 2 == 0 ? index : count - index);
      ASSERT_TRUE(writer->Put(MakeComm(time, kAlice, peers[index % 3])).ok());
    }
    ASSERT_TRUE(writer->Commit(count).ok());
  }

  // Every comm by brute force: those naming one of `selectors` in [from, to),
  // in (time, storage) order.
  std::vector<std::pair<UnixTime, std::string>> Expected(const std::vector<std::string>& selectors,
                                                         UnixTime from, UnixTime to) {
    std::vector<std::pair<UnixTime, std::string>> expected;
    CommQuery all;
    EXPECT_TRUE(store_
                    ->ScanComms(all,
                                [&](const Communication& comm) {
                                  const bool named = std::find(selectors.begin(), selectors.end(),
                                                               comm.src) != selectors.end() ||
                                                     std::find(selectors.begin(), selectors.end(),
                                                               comm.dst) != selectors.end();
                                  if (named && comm.time >= from && comm.time < to) {
                                    expected.emplace_back(comm.time, comm.dst);
                                  }
                                  return true;
                                })
                    .ok());
    std::stable_sort(expected.begin(), expected.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return expected;
  }

  std::vector<std::pair<UnixTime, std::string>> Found(const std::vector<std::string>& selectors,
                                                      UnixTime from, UnixTime to) {
    CommQuery query;
    query.selectors = selectors;
    query.from = from;
    query.to = to;
    std::vector<std::pair<UnixTime, std::string>> found;
    for (const Communication& comm : Comms(query)) found.emplace_back(comm.time, comm.dst);
    return found;
  }
};

TEST_F(PostingsTest, ScanBySelectorMatchesBruteForceAcrossFilesAndBlocks) {
  PutMixedComms("h1", 3 * static_cast<int>(sqlite::kMaxBlockPostings) + 17, 1000);
  PutMixedComms("h2", 500, 1200);  // overlaps the first file in time
  EXPECT_GT(QueryInt("SELECT count(*) FROM comm_postings WHERE selector_id = "
                     "(SELECT id FROM selectors WHERE selector = '" +
                     std::string(kAlice) + "')"),
            4);
  for (const auto& selectors : std::vector<std::vector<std::string>>{
           {kAlice}, {kBob}, {kCarol}, {kBob, kCarol}, {kAlice, kBob}, {kBob, kBob}}) {
    for (const auto& [from, to] : std::vector<std::pair<UnixTime, UnixTime>>{
             {0, 100'000}, {1100, 1300}, {1500, 1501}, {5000, 6000}}) {
      EXPECT_EQ(Found(selectors, from, to), Expected(selectors, from, to))
          << selectors.size() << " selectors, window " << from << ".." << to;
    }
  }
  EXPECT_TRUE(Found({"msisdn:+449999"}, 0, 100'000).empty());
}

TEST_F(PostingsTest, SmallChunksWriteSeveralBlocksPerSelector) {
  PutMixedComms("h1", 40, 0);
  const int64_t before = QueryInt("SELECT count(*) FROM comm_postings");
  ASSERT_TRUE(sqlite::Exec(Sqlite().db(), "BEGIN; DELETE FROM comm_postings").ok());
  sqlite::PostingsBuilder builder(Sqlite().db(), /*chunk_rows=*/7);
  Result<sqlite::Stmt> prepared =
      sqlite::Prepare(Sqlite().db(), "SELECT rowid, time, src, dst FROM comms ORDER BY rowid");
  ASSERT_TRUE(prepared.ok());
  sqlite::Stmt rows = std::move(prepared).value();
  while (*rows.Step()) {
    ASSERT_TRUE(
        builder.Add(rows.ColumnInt(0), rows.ColumnInt(1), rows.ColumnInt(2), rows.ColumnInt(3))
            .ok());
  }
  ASSERT_TRUE(builder.Flush().ok());
  ASSERT_TRUE(sqlite::Exec(Sqlite().db(), "COMMIT").ok());
  EXPECT_GT(QueryInt("SELECT count(*) FROM comm_postings"), before);
  EXPECT_EQ(Found({kAlice}, 0, 1000), Expected({kAlice}, 0, 1000));
  EXPECT_EQ(Found({kBob}, 0, 1000), Expected({kBob}, 0, 1000));
}

TEST_F(PostingsTest, PutCommsInParallelEqualsPutOneByOne) {
  // Rows with new and repeated selectors, devices and cells, and one row
  // without dst in the middle: PutComms stops there like Put would.
  std::vector<Communication> comms;
  for (int index = 0; index < 3000; ++index) {
    Communication comm = MakeComm(index, "msisdn:+4420000" + std::to_string(index % 701),
                                  "msisdn:+4420000" + std::to_string((index * 7) % 1009));
    if (index % 3 == 0) comm.device = "imei:35" + std::to_string(100000 + index % 97);
    if (index % 2 == 0) comm.cell = "C" + std::to_string(index % 13);
    comms.push_back(comm);
  }
  comms[2000].dst.clear();
  std::vector<const Communication*> pointers;
  for (const Communication& comm : comms) pointers.push_back(&comm);

  auto writer = Begin("h1", InputKind::kComms);
  size_t put = 0;
  const Status stopped = writer->PutComms(pointers, &put);
  EXPECT_TRUE(stopped.IsInvalidArgument()) << stopped.ToString();
  EXPECT_EQ(put, 2000u);
  size_t rest = 0;
  ASSERT_TRUE(writer->PutComms(std::span(pointers).subspan(2001), &rest).ok());
  EXPECT_EQ(rest, 999u);
  ASSERT_TRUE(writer->Commit(2999).ok());

  ScratchDir other_dir;
  Result<std::unique_ptr<Store>> other = OpenSqliteStore(other_dir.File("one_by_one.db"));
  ASSERT_TRUE(other.ok());
  auto one_by_one = std::move((*other)->BeginIngest(MakeSource("h1", InputKind::kComms))).value();
  for (const Communication& comm : comms) {
    if (!comm.dst.empty()) {
      ASSERT_TRUE(one_by_one->Put(comm).ok());
    }
  }
  ASSERT_TRUE(one_by_one->Commit(2999).ok());

  auto edges_of = [](Store& store) {
    std::vector<std::tuple<UnixTime, int64_t, int64_t, int64_t>> edges;
    EXPECT_TRUE(store
                    .ScanCommEdges([&](const CommEdge& edge) {
                      edges.emplace_back(edge.time, edge.src, edge.dst, edge.device);
                      return true;
                    })
                    .ok());
    return edges;
  };
  auto selectors_of = [](Store& store) {
    std::vector<std::pair<int64_t, std::string>> selectors;
    EXPECT_TRUE(store
                    .ScanSelectors([&](int64_t id, std::string_view selector) {
                      selectors.emplace_back(id, selector);
                      return true;
                    })
                    .ok());
    return selectors;
  };
  EXPECT_EQ(edges_of(*store_), edges_of(**other));
  EXPECT_EQ(selectors_of(*store_), selectors_of(**other));
  CommQuery all;
  std::vector<std::string> cells;
  ASSERT_TRUE(store_
                  ->ScanComms(all,
                              [&](const Communication& comm) {
                                cells.push_back(comm.cell);
                                return true;
                              })
                  .ok());
  ASSERT_EQ(cells.size(), 2999u);
  EXPECT_EQ(cells[4], comms[4].cell);
  EXPECT_EQ(Found({"msisdn:+44200005"}, 0, 10'000), Expected({"msisdn:+44200005"}, 0, 10'000));
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(PostingsTest, RolledBackFileLeavesNoPostings) {
  auto writer = Begin("h1", InputKind::kComms);
  ASSERT_TRUE(writer->Put(MakeComm(10, kAlice, kBob)).ok());
  writer.reset();
  EXPECT_EQ(QueryInt("SELECT count(*) FROM comm_postings"), 0);
  EXPECT_TRUE(Found({kAlice}, 0, 100).empty());
}

TEST_F(PostingsTest, StoreMarkedByMigrationRebuildsPostingsOnOpen) {
  PutMixedComms("h1", 300, 0);
  const auto expected = Expected({kBob}, 0, 1000);
  ASSERT_TRUE(sqlite::Exec(Sqlite().db(),
                           std::string("DELETE FROM comm_postings; INSERT INTO meta VALUES ('") +
                               sqlite::kPostingsRebuildKey + "', 'rebuild')")
                  .ok());
  EXPECT_TRUE(Found({kBob}, 0, 1000).empty());
  Reopen();
  EXPECT_EQ(Found({kBob}, 0, 1000), expected);
  EXPECT_EQ(QueryInt(std::string("SELECT count(*) FROM meta WHERE key = '") +
                     sqlite::kPostingsRebuildKey + "'"),
            0);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

}  // namespace
}  // namespace vigil
