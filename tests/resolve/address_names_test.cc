// The address-name evidence (src/resolve/address_names.h) on hand-made
// records: an e-mail address that spells a known person's name is proposed
// for that person with its evidence; a name two known people share, a
// stranger's address and a lone given name are not proposed with
// confidence.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "resolve/address_names.h"
#include "store/store_test_util.h"
#include "vigil/resolve.h"

namespace vigil {
namespace {

using testing_util::MakeComm;
using testing_util::MakePerson;
using testing_util::MakeSource;
using testing_util::ScratchDir;

constexpr UnixTime kStart = 1640995200;  // 2022-01-01
constexpr UnixTime kDay = 86400;

TEST(AddressNameTest, SpelledNameDropsDigitsAndSeparators) {
  EXPECT_EQ(resolve::AddressName("email:karim.benali77@example.org"), "karim benali");
  EXPECT_EQ(resolve::AddressName("email:karim_ben-ali@example.org"), "karim ben ali");
  EXPECT_EQ(resolve::AddressName("handle:telegram:omar_1234567"), "omar");
  EXPECT_EQ(resolve::AddressName("handle:signal:x.99"), "");  // too short to name anyone
  EXPECT_EQ(resolve::AddressName("msisdn:+33600000001"), "");
}

class AddressNameResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(dir_.File("vigil.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  void AddPerson(const std::string& id, const std::string& name, const std::string& phone) {
    persons_.push_back(MakePerson(id, name));
    SelectorRecord record;
    record.selector = phone;
    record.person_id = id;
    record.source = "warrant";
    selectors_.push_back(record);
    for (int day = 0; day < 60; day += 3) {
      comms_.push_back(MakeComm(kStart + day * kDay + 3600, phone, "msisdn:+339000000001"));
    }
  }

  // One e-mail between two addresses nobody is known to own.
  void Email(int day, const std::string& from, const std::string& to) {
    Communication comm = MakeComm(kStart + day * kDay + 7200, from, to);
    comm.kind = CommKind::kEmail;
    comms_.push_back(comm);
  }

  std::map<std::string, LinkProposal> Resolve() {
    Write(InputKind::kPersons, persons_);
    Write(InputKind::kSelectors, selectors_);
    Write(InputKind::kComms, comms_);
    auto report = ResolveIdentifiers(*store_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    std::map<std::string, LinkProposal> by_selector;
    if (report.ok()) {
      for (const auto& proposal : report->proposals) by_selector[proposal.selector] = proposal;
    }
    return by_selector;
  }

  template <typename T>
  void Write(InputKind kind, const std::vector<T>& records) {
    auto writer = store_->BeginIngest(MakeSource("f" + std::to_string(++files_), kind));
    ASSERT_TRUE(writer.ok());
    for (const T& record : records) ASSERT_TRUE((*writer)->Put(record).ok());
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
  std::vector<Person> persons_;
  std::vector<SelectorRecord> selectors_;
  std::vector<Communication> comms_;
  int files_ = 0;
};

TEST_F(AddressNameResolveTest, AddressSpellingAKnownNameIsProposedWithItsEvidence) {
  AddPerson("P1", "Hüsnü Karagöz", "msisdn:+33600000001");
  AddPerson("P2", "Amina Belkacem", "msisdn:+33600000002");
  // Transliterated, with digits: still the first person's name.
  Email(10, "email:husnu.karagoz4411@example.org", "email:someone.else@example.net");
  Email(20, "email:husnu.karagoz4411@example.org", "email:someone.else@example.net");
  auto proposals = Resolve();
  ASSERT_EQ(proposals.count("email:husnu.karagoz4411@example.org"), 1u);
  const LinkProposal& proposal = proposals["email:husnu.karagoz4411@example.org"];
  EXPECT_EQ(proposal.owner, "P1");
  EXPECT_TRUE(proposal.owner_is_person);
  EXPECT_GE(proposal.confidence, 0.8);
  EXPECT_LT(proposal.confidence, 1.0);  // a name is never proof
  EXPECT_NE(proposal.evidence.find("address name"), std::string::npos) << proposal.evidence;
  EXPECT_NE(proposal.evidence.find("P1"), std::string::npos) << proposal.evidence;
  // The counterpart spells no known person's name.
  EXPECT_EQ(proposals.count("email:someone.else@example.net"), 0u);
}

TEST_F(AddressNameResolveTest, SharedNameAndLoneGivenNameAreNotConfident) {
  AddPerson("P1", "Omar Haddad", "msisdn:+33600000001");
  AddPerson("P2", "Omar Haddad", "msisdn:+33600000002");  // a homonym
  AddPerson("P3", "Karim Benali", "msisdn:+33600000003");
  Email(10, "email:omar.haddad31@example.org", "email:x.y.z@example.net");
  Email(11, "handle:telegram:karim_8812", "handle:telegram:zzz_0001");
  auto proposals = Resolve();
  for (const char* selector : {"email:omar.haddad31@example.org", "handle:telegram:karim_8812"}) {
    auto found = proposals.find(selector);
    if (found != proposals.end()) {
      EXPECT_LT(found->second.confidence, 0.5) << selector << ": " << found->second.evidence;
    }
  }
}

// Two addresses that both spell one known person's name are more likely a
// homonym's and his: each is less sure than a lone one, and the evidence
// says why.
TEST_F(AddressNameResolveTest, AddressesSharingOneNameAreLessSure) {
  AddPerson("P1", "Layla Mansouri", "msisdn:+33600000001");
  AddPerson("P2", "Karim Benali", "msisdn:+33600000002");
  Email(10, "email:layla.mansouri7@example.org", "email:x.y.z@example.net");
  Email(11, "email:layla.mansouri.88@example.com", "email:x.y.z@example.net");
  Email(12, "email:karim.benali31@example.org", "email:x.y.z@example.net");
  auto proposals = Resolve();
  ASSERT_EQ(proposals.count("email:karim.benali31@example.org"), 1u);
  const double alone = proposals["email:karim.benali31@example.org"].confidence;
  for (const char* shared :
       {"email:layla.mansouri7@example.org", "email:layla.mansouri.88@example.com"}) {
    auto found = proposals.find(shared);
    if (found == proposals.end()) continue;  // too unsure to propose
    EXPECT_LT(found->second.confidence, alone - 0.1) << found->second.evidence;
    EXPECT_NE(found->second.evidence.find("other address(es) spell the same name"),
              std::string::npos)
        << found->second.evidence;
  }
}

}  // namespace
}  // namespace vigil
