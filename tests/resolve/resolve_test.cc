// Identifier resolution on hand-made records (one test per signal, the honest
// phone change, analysts' decisions, re-runs) and calibration on a small
// generated world.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/store_test_util.h"
#include "vigil/ingest.h"
#include "vigil/resolve.h"
#include "vigil/sim.h"

namespace vigil {
namespace {

using testing_util::MakeComm;
using testing_util::MakePerson;
using testing_util::MakeSource;
using testing_util::ScratchDir;

constexpr UnixTime kStart = 1640995200;  // 2022-01-01
constexpr UnixTime kDay = 86400;
constexpr int kDays = 200;

// Hand-made records: persons, owned selectors and communications, written
// as three source files.
struct Records {
  std::vector<Person> persons;
  std::vector<SelectorRecord> selectors;
  std::vector<Communication> comms;

  void Own(const std::string& selector, const std::string& person) {
    SelectorRecord record;
    record.selector = selector;
    record.person_id = person;
    record.source = "warrant";
    selectors.push_back(record);
  }

  // `per_day` calls a day from `src` (handset `device`, cells `home` at
  // night / `work` by day) to `contacts` in turn, over days [from, to).
  void Calls(const std::string& src, const std::string& device,
             const std::vector<std::string>& contacts, int from, int to, const std::string& home,
             const std::string& work, int per_day = 2) {
    int next = 0;
    for (int day = from; day < to; ++day) {
      for (int call = 0; call < per_day; ++call) {
        const bool daytime = call % 2 == 0;
        Communication comm = MakeComm(kStart + day * kDay + (daytime ? 11 : 20) * 3600 + call * 60,
                                      src, contacts[next++ % contacts.size()]);
        comm.device = device;
        comm.cell = daytime ? work : home;
        comm.kind = src.rfind("handle:", 0) == 0 ? CommKind::kMsg : CommKind::kCall;
        comms.push_back(comm);
      }
    }
  }

  // Activity of the world's other people, so that the records span the whole
  // period (a SIM is "new" or "silent" only relative to the records).
  void Background() {
    Calls("msisdn:+339000000001", "imei:990000000000001", {"msisdn:+339000000002"}, 0, kDays, "B1",
          "B2", 1);
  }

  void Write(Store& store, const std::string& tag) const {
    auto persons_writer = store.BeginIngest(MakeSource(tag + "-p", InputKind::kPersons));
    ASSERT_TRUE(persons_writer.ok());
    for (const Person& person : persons) ASSERT_TRUE((*persons_writer)->Put(person).ok());
    ASSERT_TRUE((*persons_writer)->Commit(static_cast<int64_t>(persons.size())).ok());
    auto selectors_writer = store.BeginIngest(MakeSource(tag + "-s", InputKind::kSelectors));
    ASSERT_TRUE(selectors_writer.ok());
    for (const auto& record : selectors) ASSERT_TRUE((*selectors_writer)->Put(record).ok());
    ASSERT_TRUE((*selectors_writer)->Commit(static_cast<int64_t>(selectors.size())).ok());
    auto comms_writer = store.BeginIngest(MakeSource(tag + "-c", InputKind::kComms));
    ASSERT_TRUE(comms_writer.ok());
    for (const auto& comm : comms) ASSERT_TRUE((*comms_writer)->Put(comm).ok());
    ASSERT_TRUE((*comms_writer)->Commit(static_cast<int64_t>(comms.size())).ok());
  }
};

std::vector<std::string> Contacts(const std::string& prefix, int count) {
  std::vector<std::string> contacts;
  for (int index = 0; index < count; ++index) {
    contacts.push_back("msisdn:+33" + prefix + std::to_string(1000000 + index));
  }
  return contacts;
}

class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  std::map<std::string, LinkProposal> Resolve() {
    auto report = ResolveIdentifiers(*store_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    std::map<std::string, LinkProposal> by_selector;
    if (report.ok()) {
      for (const auto& proposal : report->proposals) by_selector[proposal.selector] = proposal;
    }
    return by_selector;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ResolveTest, SameHandsetLinksNewSimToOwner) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  const auto contacts = Contacts("61", 6);
  records.Calls("msisdn:+33600000001", "imei:350000000000011", contacts, 0, 60, "H1", "W1");
  records.Calls("msisdn:+33600000002", "imei:350000000000011", Contacts("62", 6), 70, kDays, "H9",
                "W9");
  records.Write(*store_, "handset");
  auto proposals = Resolve();
  ASSERT_EQ(proposals.count("msisdn:+33600000002"), 1u);
  const LinkProposal& proposal = proposals["msisdn:+33600000002"];
  EXPECT_EQ(proposal.owner, "P1");
  EXPECT_TRUE(proposal.owner_is_person);
  EXPECT_GE(proposal.confidence, 0.5);
  EXPECT_NE(proposal.evidence.find("imei:350000000000011"), std::string::npos) << proposal.evidence;
  ASSERT_EQ(proposals.count("imei:350000000000011"), 1u);
  EXPECT_EQ(proposals["imei:350000000000011"].owner, "P1");
  // The proposal is stored for other modules, in the proposed state.
  auto stored = store_->AttributionsOfSelector("msisdn:+33600000002");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].state, AttributionState::kProposed);
  EXPECT_EQ((*stored)[0].person_id, "P1");
}

TEST_F(ResolveTest, HandoverLinksSimKeepingContactsAndPlaces) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  const auto contacts = Contacts("61", 8);
  records.Calls("msisdn:+33600000001", "imei:350000000000011", contacts, 0, 90, "H1", "W1");
  records.Calls("msisdn:+33600000002", "imei:350000000000022", contacts, 92, kDays, "H1", "W1");
  records.Write(*store_, "handover");
  auto proposals = Resolve();
  ASSERT_EQ(proposals.count("msisdn:+33600000002"), 1u);
  const LinkProposal& proposal = proposals["msisdn:+33600000002"];
  EXPECT_EQ(proposal.owner, "P1");
  EXPECT_NE(proposal.evidence.find("hand-over"), std::string::npos) << proposal.evidence;
  EXPECT_NE(proposal.evidence.find("8 shared contacts"), std::string::npos) << proposal.evidence;
  EXPECT_NE(proposal.evidence.find("silent after 2022-03-31"), std::string::npos)
      << proposal.evidence;
  EXPECT_NE(proposal.evidence.find("active from 2022-04-03"), std::string::npos)
      << proposal.evidence;
}

TEST_F(ResolveTest, SharedMessengerHandleLinksHandsets) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  records.Calls("msisdn:+33600000001", "imei:350000000000011", Contacts("61", 5), 0, 60, "H1",
                "W1");
  records.Calls("handle:telegram:karim_1", "imei:350000000000011", {"handle:telegram:x_1"}, 0, 60,
                "H1", "W1", 1);
  records.Calls("handle:telegram:karim_1", "imei:350000000000022", {"handle:telegram:x_1"}, 100,
                kDays, "H5", "W5", 1);
  records.Calls("msisdn:+33600000009", "imei:350000000000022", Contacts("69", 5), 100, kDays, "H5",
                "W5");
  records.Write(*store_, "messenger");
  auto proposals = Resolve();
  ASSERT_EQ(proposals.count("handle:telegram:karim_1"), 1u);
  EXPECT_EQ(proposals["handle:telegram:karim_1"].owner, "P1");
  ASSERT_EQ(proposals.count("msisdn:+33600000009"), 1u);
  EXPECT_EQ(proposals["msisdn:+33600000009"].owner, "P1");
  EXPECT_NE(proposals["msisdn:+33600000009"].evidence.find("handle:telegram:karim_1"),
            std::string::npos)
      << proposals["msisdn:+33600000009"].evidence;
}

TEST_F(ResolveTest, CopresenceLinksHandleSeenInNoHandset) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  records.Calls("msisdn:+33600000001", "imei:350000000000011", Contacts("61", 5), 0, kDays, "H1",
                "W1");
  records.Calls("handle:signal:k.1", "", {"handle:signal:y.1"}, 0, kDays, "H1", "W1", 2);
  records.Write(*store_, "copresence");
  auto proposals = Resolve();
  ASSERT_EQ(proposals.count("handle:signal:k.1"), 1u);
  EXPECT_EQ(proposals["handle:signal:k.1"].owner, "P1");
  EXPECT_NE(proposals["handle:signal:k.1"].evidence.find("co-presence"), std::string::npos);
}

// An ordinary person changes phone when a watched person's SIM falls silent;
// the new SIM shares two contacts with the watched person but keeps the
// ordinary person's contacts and places. It must not be linked to the
// watched person.
TEST_F(ResolveTest, HonestPhoneChangeIsNotLinkedToWatchedPerson) {
  Records records;
  records.persons.push_back(MakePerson("W1", "Watched Person"));
  records.Own("msisdn:+33600000001", "W1");
  records.Background();
  auto watched_contacts = Contacts("61", 6);
  auto ordinary_contacts = Contacts("71", 6);
  ordinary_contacts.push_back(watched_contacts[0]);
  ordinary_contacts.push_back(watched_contacts[1]);
  records.Calls("msisdn:+33600000001", "imei:350000000000011", watched_contacts, 0, 90, "H1", "W1");
  records.Calls("msisdn:+33700000001", "imei:350000000000033", ordinary_contacts, 0, 90, "H7",
                "W7");
  records.Calls("msisdn:+33700000002", "imei:350000000000044", ordinary_contacts, 91, kDays, "H7",
                "W7");
  records.Write(*store_, "honest");
  auto proposals = Resolve();
  // The new SIM joins the ordinary person's old SIM, whose owner is unknown.
  ASSERT_EQ(proposals.count("msisdn:+33700000002"), 1u);
  const LinkProposal& proposal = proposals["msisdn:+33700000002"];
  EXPECT_FALSE(proposal.owner_is_person) << proposal.owner;
  EXPECT_TRUE(ValidateId(proposal.owner).ok()) << proposal.owner;  // a formats.md identifier
  EXPECT_NE(proposal.owner, "W1");
  ASSERT_EQ(proposals.count("msisdn:+33700000001"), 1u);
  EXPECT_EQ(proposals["msisdn:+33700000001"].owner, proposal.owner);
  auto stored = store_->AttributionsOfPerson("W1");
  ASSERT_TRUE(stored.ok());
  for (const Attribution& attribution : *stored) {
    EXPECT_NE(attribution.selector, "msisdn:+33700000002");
  }
}

// A handset that two people use on the same days (a family phone; a device
// passed back and forth): the second SIM is in use on the same days as the
// owner's SIM, so the shared handset is not ownership and no link joins
// them; with the veto turned off the same records join them. A proposal that
// holds says what would have contradicted it.
TEST_F(ResolveTest, ConcurrentSimsInOneHandsetAreNotJoined) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  records.Calls("msisdn:+33600000001", "imei:350000000000011", Contacts("61", 6), 0, 100, "H1",
                "W1");
  // Someone else's SIM in the same handset on the same days.
  records.Calls("msisdn:+33600000002", "imei:350000000000011", Contacts("62", 6), 50, 100, "H2",
                "W2", 1);
  // P1's next SIM in the handset, after the first stopped.
  records.Calls("msisdn:+33600000003", "imei:350000000000011", Contacts("63", 6), 102, kDays, "H1",
                "W1");
  records.Write(*store_, "concurrent");
  auto proposals = Resolve();
  EXPECT_EQ(proposals.count("msisdn:+33600000002"), 0u)
      << proposals["msisdn:+33600000002"].owner << ": "
      << proposals["msisdn:+33600000002"].evidence;
  ASSERT_EQ(proposals.count("msisdn:+33600000003"), 1u);
  const LinkProposal& kept = proposals["msisdn:+33600000003"];
  EXPECT_EQ(kept.owner, "P1");
  EXPECT_EQ(kept.kind, "handset");
  EXPECT_NE(kept.evidence.find("contradictions checked: no concurrent use"), std::string::npos)
      << kept.evidence;
  // Each veto alone keeps them apart (the concurrent days; the other SIM's
  // use inside the owner's span of the handset); without both the shared
  // handset joins them.
  auto joined = [&](bool concurrent, bool interleaved) {
    ResolveOptions options;
    options.store_proposals = false;
    options.min_concurrent_days = concurrent ? 5 : 0;
    options.veto_interleaved_handsets = interleaved;
    auto report = ResolveIdentifiers(*store_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    bool found = false;
    if (!report.ok()) return found;
    for (const LinkProposal& proposal : report->proposals) {
      found |= proposal.selector == "msisdn:+33600000002" && proposal.owner == "P1";
    }
    return found;
  };
  EXPECT_FALSE(joined(true, false));
  EXPECT_FALSE(joined(false, true));
  EXPECT_TRUE(joined(false, false)) << "without the vetoes the shared handset joins the two SIMs";
}

TEST_F(ResolveTest, RejectedPairIsNeverProposedAndConfirmedIsKnown) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.persons.push_back(MakePerson("P2", "Omar Said"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  records.Calls("msisdn:+33600000001", "imei:350000000000011", Contacts("61", 5), 0, 60, "H1",
                "W1");
  records.Calls("msisdn:+33600000002", "imei:350000000000011", Contacts("62", 5), 70, kDays, "H1",
                "W1");
  records.Calls("msisdn:+33800000001", "imei:350000000000055", Contacts("81", 5), 0, kDays, "H8",
                "W8");
  records.Write(*store_, "decisions");
  ASSERT_EQ(Resolve()["msisdn:+33600000002"].owner, "P1");

  LinkDecision reject{"msisdn:+33600000002", "P1", false, "analyst1", "different voice", 1};
  ASSERT_TRUE(RecordLinkDecision(*store_, reject).ok());
  LinkDecision confirm{"msisdn:+33800000001", "P2", true, "analyst1", "surveillance", 2};
  ASSERT_TRUE(RecordLinkDecision(*store_, confirm).ok());

  auto proposals = Resolve();
  if (proposals.count("msisdn:+33600000002") > 0) {
    EXPECT_NE(proposals["msisdn:+33600000002"].owner, "P1");
  }
  // The handset of the confirmed SIM now hangs from P2.
  ASSERT_EQ(proposals.count("imei:350000000000055"), 1u);
  EXPECT_EQ(proposals["imei:350000000000055"].owner, "P2");
  // The decisions survive the re-run unchanged.
  auto rejected = store_->AttributionsOfSelector("msisdn:+33600000002");
  ASSERT_TRUE(rejected.ok());
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_EQ((*rejected)[0].state, AttributionState::kRejected);
  EXPECT_EQ((*rejected)[0].decided_by, "analyst1");
  EXPECT_NE((*rejected)[0].evidence.find("different voice"), std::string::npos);
  // An unknown person is refused.
  LinkDecision unknown{"msisdn:+33600000002", "P404", true, "analyst1", "", 3};
  EXPECT_FALSE(RecordLinkDecision(*store_, unknown).ok());
}

TEST_F(ResolveTest, RerunReplacesProposalsIdempotently) {
  Records records;
  records.persons.push_back(MakePerson("P1", "Karim Haddad"));
  records.Own("msisdn:+33600000001", "P1");
  records.Background();
  records.Calls("msisdn:+33600000001", "imei:350000000000011", Contacts("61", 5), 0, 60, "H1",
                "W1");
  records.Calls("msisdn:+33600000002", "imei:350000000000011", Contacts("62", 5), 70, kDays, "H1",
                "W1");
  records.Write(*store_, "rerun");
  auto first = ResolveIdentifiers(*store_);
  ASSERT_TRUE(first.ok());
  auto counts_first = store_->Counts();
  auto second = ResolveIdentifiers(*store_);
  ASSERT_TRUE(second.ok());
  auto counts_second = store_->Counts();
  ASSERT_TRUE(counts_first.ok() && counts_second.ok());
  EXPECT_EQ(counts_first->attributions, counts_second->attributions);
  EXPECT_EQ(first->stored, second->stored);
  ASSERT_EQ(first->proposals.size(), second->proposals.size());
  for (size_t index = 0; index < first->proposals.size(); ++index) {
    EXPECT_EQ(first->proposals[index].selector, second->proposals[index].selector);
    EXPECT_EQ(first->proposals[index].owner, second->proposals[index].owner);
    EXPECT_DOUBLE_EQ(first->proposals[index].confidence, second->proposals[index].confidence);
  }
}

// On a small generated world (a seed the shipped models were not fitted on),
// proposals are calibrated: in every confidence bin with at least 100
// proposals, the share that is right is within 0.15 of the mean confidence.
TEST(ResolveCalibrationTest, SmallGeneratedWorldIsCalibrated) {
  ScratchDir dir;
  SimulateOptions simulate;
  simulate.out_dir = dir.File("world");
  simulate.seed = 101;
  simulate.people = 2000;
  simulate.days = 240;
  ASSERT_TRUE(Simulate(simulate).ok());
  auto store = OpenSqliteStore(dir.File("vigil.db"));
  ASSERT_TRUE(store.ok());
  std::vector<FileIngestResult> results;
  ASSERT_TRUE(IngestPaths(**store, {simulate.out_dir}, IngestOptions{}, &results).ok());
  auto report = ResolveIdentifiers(**store);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto metrics = EvaluateProposals(**store, simulate.out_dir, report->proposals);
  ASSERT_TRUE(metrics.ok()) << metrics.status().ToString();
  int64_t checked = 0;
  for (const ReliabilityBin& bin : metrics->reliability) {
    if (bin.proposals < 100) continue;
    checked += bin.proposals;
    EXPECT_NEAR(bin.accuracy, bin.mean_confidence, 0.15)
        << "bin [" << bin.low << "," << bin.high << ") n=" << bin.proposals;
  }
  EXPECT_GT(checked, 500);
  EXPECT_GT(metrics->cell_members.f1, 0.8);
  EXPECT_GT(metrics->all.precision, 0.9);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// The commands end to end: resolve writes the identifier-link columns of
// formats.md, link reject/confirm record decisions that a re-run respects.
TEST(ResolveCliTest, ResolveAndLinkDecisions) {
  const char* bin = std::getenv("VIGIL_BIN");
  ASSERT_NE(bin, nullptr);
  ScratchDir dir;
  const std::string world = dir.File("world");
  const std::string db = dir.File("vigil.db");
  const std::string out = dir.File("links.csv");
  auto run = [](const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str());
  };
  ASSERT_EQ(run(std::string(bin) + " simulate --out " + world + " --seed 5 --people 500 --days 90"),
            0);
  ASSERT_EQ(run(std::string(bin) + " ingest " + world + " --db " + db), 0);
  ASSERT_EQ(run(std::string(bin) + " resolve --db " + db + " --out " + out), 0);
  std::ifstream links(out);
  std::string header, row;
  ASSERT_TRUE(std::getline(links, header));
  EXPECT_EQ(header, "selector,person_id,confidence,evidence");
  // Reject the first proposal naming a person; it must not come back.
  std::string selector, person;
  while (std::getline(links, row)) {
    const size_t first = row.find(',');
    const size_t second = row.find(',', first + 1);
    person = row.substr(first + 1, second - first - 1);
    if (person.rfind("cluster-", 0) != 0) {
      selector = row.substr(0, first);
      break;
    }
  }
  ASSERT_FALSE(selector.empty());
  ASSERT_EQ(run(std::string(bin) + " link reject " + selector + " " + person + " --db " + db +
                " --by tester --reason test"),
            0);
  EXPECT_NE(run(std::string(bin) + " link confirm " + selector + " NO_SUCH_PERSON --db " + db +
                " --by tester"),
            0);
  ASSERT_EQ(run(std::string(bin) + " resolve --db " + db + " --out " + out), 0);
  std::ifstream again(out);
  while (std::getline(again, row)) {
    EXPECT_NE(row.rfind(selector + "," + person + ",", 0), 0u) << row;
  }
  auto store = OpenSqliteStore(db);
  ASSERT_TRUE(store.ok());
  auto decided = (*store)->AttributionsOfSelector(selector);
  ASSERT_TRUE(decided.ok());
  bool rejected = false;
  for (const Attribution& attribution : *decided) {
    if (attribution.person_id == person) {
      rejected =
          attribution.state == AttributionState::kRejected && attribution.decided_by == "tester";
    }
  }
  EXPECT_TRUE(rejected);
}

}  // namespace
}  // namespace vigil
