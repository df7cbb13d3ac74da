// The exchange over real SQLite stores wrapped in the access layer, two
// installations in one process linked by files (the offline path): what a
// partner may send, what the receiver refuses and why, receipts, reports,
// the ledger, escalation and the audit records of each step.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "vigil/access.h"
#include "vigil/oversight.h"
#include "vigil/share.h"
#include "vigil/store.h"

namespace vigil::share {
namespace {

constexpr UnixTime kStart = 1'800'000'000;
constexpr UnixTime kDay = 86'400;

// One installation: its store, audit, identity and exchange.
struct Installation {
  std::string name;
  std::string dir;
  Identity identity;
  std::unique_ptr<AccessStore> store;
  std::unique_ptr<Exchange> exchange;
};

class ShareExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("vigil-share-exchange-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    Open(a_, "A");
    Open(b_, "B");
    Open(c_, "C");
    ASSERT_TRUE(
        a_.exchange->AddPartner("B", "http://127.0.0.1:1", b_.identity.PublicKeyText()).ok());
    ASSERT_TRUE(
        b_.exchange->AddPartner("A", "http://127.0.0.1:1", a_.identity.PublicKeyText()).ok());
    ASSERT_TRUE(
        b_.exchange->AddPartner("C", "http://127.0.0.1:1", c_.identity.PublicKeyText()).ok());
    ASSERT_TRUE(
        c_.exchange->AddPartner("B", "http://127.0.0.1:1", b_.identity.PublicKeyText()).ok());
    ASSERT_TRUE(a_.exchange
                    ->AddAgreement("B", {"request", "watchlist_entry"},
                                   {"names", "identifiers", "birth_date"}, "Treaty art. 4")
                    .ok());
    ASSERT_TRUE(b_.exchange
                    ->AddAgreement("C", {"request", "watchlist_entry"},
                                   {"names", "identifiers", "birth_date"}, "Treaty art. 9")
                    .ok());
  }

  void Open(Installation& inst, const std::string& name) {
    inst.name = name;
    inst.dir = dir_ + "/" + name;
    std::filesystem::create_directories(inst.dir);
    std::filesystem::permissions(inst.dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
    Result<Identity> identity = CreateIdentity(inst.dir + "/share.key");
    ASSERT_TRUE(identity.ok());
    inst.identity = *identity;
    auto store = OpenSqliteStore(inst.dir + "/v.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    OversightOptions options;
    options.clock = &clock_;
    options.signing_key_path = inst.dir + "/audit.key";
    options.synchronous = false;
    auto oversight = Oversight::Open(**store, options);
    ASSERT_TRUE(oversight.ok()) << oversight.status().ToString();
    RequestContext context;
    context.principal.user = "officer-" + name;
    context.principal.role = Role::kSupervisor;
    context.principal.compartments = {"*"};
    context.principal.setup = true;
    context.purpose = "partner exchange test";
    inst.store = std::make_unique<AccessStore>(std::move(*store), std::move(*oversight), context);
    inst.exchange =
        std::make_unique<Exchange>(*inst.store, inst.identity, clock_, "officer-" + name);
  }

  std::string RequestText(UnixTime deadline) {
    Request r;
    r.type = "deny_entry";
    r.names = {"Ana Perez", "Anna Peres"};
    r.identifiers = {{"passport", "X1234567"}};
    r.birth_date = "1990-02-03";
    r.legal_basis = "Art. 5 CT Act";
    r.action = "deny entry; detain for questioning";
    r.deadline = deadline;
    r.contact = "duty desk";
    Result<std::string> payload = RequestPayload(r);
    EXPECT_TRUE(payload.ok());
    return *payload;
  }

  // The ledger row of `id` as `inst` sees it in `direction`.
  LedgerRow Row(Installation& inst, int direction, const std::string& id) {
    Result<std::vector<LedgerRow>> rows = inst.exchange->Ledger();
    EXPECT_TRUE(rows.ok());
    for (const LedgerRow& row : *rows) {
      if (row.direction == direction && row.message_id == id) return row;
    }
    ADD_FAILURE() << inst.name << " has no ledger row for " << id;
    return {};
  }

  // The refused audit records of `inst` whose object starts with `prefix`.
  int RefusedRecords(Installation& inst, const std::string& prefix) {
    AuditQuery query;
    RequestContext auditor = inst.store->context();
    auditor.principal.role = Role::kAuditor;
    auto records = inst.store->oversight().QueryAudit(auditor, query);
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    int count = 0;
    for (const AuditRecord& record : *records) {
      if (record.refused && record.object.rfind(prefix, 0) == 0) ++count;
    }
    return count;
  }

  std::string File(const std::string& name) { return dir_ + "/" + name; }

  FakeClock clock_{kStart};
  std::string dir_;
  Installation a_, b_, c_;
};

TEST_F(ShareExchangeTest, RequestGoesOutIsReceiptedReadAndAnsweredOffline) {
  Result<std::string> id = a_.exchange->Send("B", kKindRequest, RequestText(kStart + kDay),
                                             Marking::kAmber, false, kStart + kDay);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_EQ(*a_.exchange->Export("B", File("a-to-b.jsonl")), 1);
  // Nothing is exported twice.
  ASSERT_EQ(*a_.exchange->Export("B", File("a-to-b-again.jsonl")), 0);
  clock_.Set(kStart + 60);
  Result<ImportReport> at_b = b_.exchange->Import(File("a-to-b.jsonl"));
  ASSERT_TRUE(at_b.ok());
  EXPECT_EQ(at_b->accepted, 1);
  EXPECT_EQ(at_b->refused, 0);
  // The receipt, then the read and the answer, travel back by file.
  clock_.Set(kStart + 120);
  ASSERT_TRUE(b_.exchange->MarkRead("A", *id).ok());
  clock_.Set(kStart + 180);
  ASSERT_TRUE(b_.exchange->Answer("A", *id, "entry denied at Madrid-Barajas").ok());
  ASSERT_EQ(*b_.exchange->Export("A", File("b-to-a.jsonl")), 3);  // receipt, read, answered
  clock_.Set(kStart + 240);
  Result<ImportReport> at_a = a_.exchange->Import(File("b-to-a.jsonl"));
  ASSERT_TRUE(at_a.ok());
  EXPECT_EQ(at_a->accepted, 3) << ::testing::PrintToString(at_a->messages);
  const LedgerRow row = Row(a_, 0, *id);
  EXPECT_EQ(row.type, "deny_entry");
  EXPECT_EQ(row.queued, kStart);
  EXPECT_EQ(row.sent, kStart);
  EXPECT_EQ(row.receipt, kStart + 60);  // B's time of receipt, signed by B
  EXPECT_EQ(row.read, kStart + 120);
  EXPECT_EQ(row.answered, kStart + 180);
  EXPECT_EQ(row.answer, "entry denied at Madrid-Barajas");
  EXPECT_FALSE(row.overdue);
  // B's side: received, read, answered.
  const LedgerRow received = Row(b_, 1, *id);
  EXPECT_EQ(received.delivered, kStart + 60);
  EXPECT_EQ(received.read, kStart + 120);
  EXPECT_EQ(received.answered, kStart + 180);
  // Past the deadline an answered request is not overdue and raises nothing.
  clock_.Set(kStart + 2 * kDay);
  EXPECT_EQ(*a_.exchange->Escalate(), 0);
}

TEST_F(ShareExchangeTest, ImportRefusesTamperingReplayUnknownSenderAndWrongRecipient) {
  Result<std::string> id = a_.exchange->Send("B", kKindRequest, RequestText(kStart + kDay),
                                             Marking::kAmber, false, kStart + kDay);
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(*a_.exchange->Export("B", File("good.jsonl")), 1);
  std::string line;
  {
    std::ifstream in(File("good.jsonl"));
    std::getline(in, line);
  }
  // Tampered in transit: the passport number changed, signature kept.
  nlohmann::json tampered = nlohmann::json::parse(line);
  std::string payload = tampered["payload"];
  payload.replace(payload.find("X1234567"), 8, "Y7654321");
  tampered["payload"] = payload;
  // Signed by a key B does not know.
  Result<Identity> stranger = CreateIdentity(File("stranger.key"));
  ASSERT_TRUE(stranger.ok());
  Envelope unknown = *ParseEnvelope(line);
  unknown.sender = stranger->key_id;
  unknown.message_id = NewMessageId();
  Sign(&unknown, *stranger);
  // Signed by A but addressed to C.
  Envelope elsewhere = *ParseEnvelope(line);
  elsewhere.recipient = c_.identity.key_id;
  elsewhere.message_id = NewMessageId();
  Sign(&elsewhere, a_.identity);
  // Marked RED by a careless sender.
  Envelope red = *ParseEnvelope(line);
  red.marking = Marking::kRed;
  red.message_id = NewMessageId();
  Sign(&red, a_.identity);
  {
    std::ofstream out(File("mixed.jsonl"));
    out << tampered.dump() << "\n"
        << SerializeEnvelope(unknown) << "\n"
        << SerializeEnvelope(elsewhere) << "\n"
        << SerializeEnvelope(red) << "\n"
        << "{\"not\": \"an envelope\"}\n"
        << line << "\n"
        << line << "\n";
  }
  Result<ImportReport> report = b_.exchange->Import(File("mixed.jsonl"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->accepted, 1);    // the genuine line, once
  EXPECT_EQ(report->duplicates, 1);  // its repeat
  EXPECT_EQ(report->refused, 5);
  const std::string all = ::testing::PrintToString(report->messages);
  EXPECT_NE(report->messages[0].find("bad signature"), std::string::npos) << all;
  EXPECT_NE(report->messages[1].find("unknown key " + stranger->key_id), std::string::npos) << all;
  EXPECT_NE(report->messages[2].find("addressed to key " + c_.identity.key_id), std::string::npos)
      << all;
  EXPECT_NE(report->messages[3].find("TLP:RED"), std::string::npos) << all;
  EXPECT_NE(report->messages[4].find("envelope field"), std::string::npos) << all;
  EXPECT_NE(report->messages[6].find("replay"), std::string::npos) << all;
  // The file again, whole: nothing new is stored.
  Result<ImportReport> again = b_.exchange->Import(File("good.jsonl"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted, 0);
  EXPECT_EQ(again->duplicates, 1);
  int stored = 0;
  ASSERT_TRUE(b_.store
                  ->ScanShareMessages([&](const ShareMessage& m) {
                    stored += m.direction == 1 ? 1 : 0;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(stored, 1);
  // Every refusal and repeat is in B's audit log as a refused action.
  EXPECT_EQ(RefusedRecords(b_, "share:in:"), 7);
  // The tampered payload never reached B's store.
  ASSERT_TRUE(b_.store
                  ->ScanShareMessages([&](const ShareMessage& m) {
                    EXPECT_EQ(m.envelope.find("Y7654321"), std::string::npos);
                    return true;
                  })
                  .ok());
}

TEST_F(ShareExchangeTest, MarkingsAndAgreementsDecideWhatLeaves) {
  // RED never leaves; refused and audited.
  Result<std::string> red = a_.exchange->Send("B", kKindRequest, RequestText(kStart + kDay),
                                              Marking::kRed, false, kStart + kDay);
  EXPECT_EQ(red.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(red.status().message().find("TLP:RED"), std::string::npos);
  // No agreement between A and C (and none with fields beyond the agreed).
  ASSERT_TRUE(a_.exchange->AddPartner("C", "http://127.0.0.1:1", c_.identity.PublicKeyText()).ok());
  Result<std::string> no_agreement = a_.exchange->Send(
      "C", kKindRequest, RequestText(kStart + kDay), Marking::kGreen, false, kStart + kDay);
  EXPECT_EQ(no_agreement.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(no_agreement.status().message().find("no sharing agreement"), std::string::npos);
  ASSERT_TRUE(a_.exchange->AddAgreement("C", {"request"}, {"names"}, "MoU 2024").ok());
  Result<std::string> too_much = a_.exchange->Send("C", kKindRequest, RequestText(kStart + kDay),
                                                   Marking::kGreen, false, kStart + kDay);
  EXPECT_EQ(too_much.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(too_much.status().message().find("identifiers"), std::string::npos);
  int out = 0;
  ASSERT_TRUE(a_.store
                  ->ScanShareMessages([&](const ShareMessage&) {
                    ++out;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(out, 0);
  EXPECT_EQ(RefusedRecords(a_, "share:out:"), 3);

  // B receives AMBER+STRICT, AMBER, GREEN with originator control, GREEN.
  std::vector<std::pair<Marking, bool>> sent = {{Marking::kAmberStrict, false},
                                                {Marking::kAmber, false},
                                                {Marking::kGreen, true},
                                                {Marking::kGreen, false}};
  std::vector<std::string> ids;
  for (const auto& [marking, controlled] : sent) {
    Result<std::string> id = a_.exchange->Send("B", kKindRequest, RequestText(kStart + kDay),
                                               marking, controlled, kStart + kDay);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  ASSERT_EQ(*a_.exchange->Export("B", File("four.jsonl")), 4);
  ASSERT_EQ(b_.exchange->Import(File("four.jsonl"))->accepted, 4);
  Result<std::string> strict = b_.exchange->Forward("A", ids[0], "C");
  EXPECT_EQ(strict.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(strict.status().message().find("AMBER+STRICT"), std::string::npos);
  EXPECT_EQ(b_.exchange->Forward("A", ids[1], "C").status().code(),
            Status::Code::kPermissionDenied);
  Result<std::string> controlled = b_.exchange->Forward("A", ids[2], "C");
  EXPECT_EQ(controlled.status().code(), Status::Code::kPermissionDenied);
  EXPECT_NE(controlled.status().message().find("originator control"), std::string::npos);
  Result<std::string> green = b_.exchange->Forward("A", ids[3], "C");
  ASSERT_TRUE(green.ok()) << green.status().ToString();
  // Only the GREEN one reaches C, still GREEN.
  ASSERT_EQ(*b_.exchange->Export("C", File("b-to-c.jsonl")), 1);
  Result<ImportReport> at_c = c_.exchange->Import(File("b-to-c.jsonl"));
  ASSERT_EQ(at_c->accepted, 1);
  Result<ShareMessage> at_c_message = c_.store->GetShareMessage(1, "B", *green);
  ASSERT_TRUE(at_c_message.ok());
  EXPECT_EQ(at_c_message->marking, "GREEN");
  EXPECT_EQ(RefusedRecords(b_, "share:in:A:"), 3);
}

TEST_F(ShareExchangeTest, UnansweredRequestPastDeadlineRaisesOneAlertAtSender) {
  Result<std::string> id = a_.exchange->Send("B", kKindRequest, RequestText(kStart + 3600),
                                             Marking::kAmber, false, kStart + 3600);
  ASSERT_TRUE(id.ok());
  ASSERT_EQ(*a_.exchange->Export("B", File("x.jsonl")), 1);
  ASSERT_EQ(b_.exchange->Import(File("x.jsonl"))->accepted, 1);
  ASSERT_EQ(*b_.exchange->Export("A", File("receipt.jsonl")), 1);
  ASSERT_EQ(a_.exchange->Import(File("receipt.jsonl"))->accepted, 1);
  EXPECT_EQ(*a_.exchange->Escalate(), 0);  // not yet due
  clock_.Set(kStart + 3601);
  EXPECT_TRUE(Row(a_, 0, *id).overdue);
  EXPECT_EQ(*a_.exchange->Escalate(), 1);
  EXPECT_EQ(*a_.exchange->Escalate(), 0);  // once
  std::vector<StoredAlert> alerts;
  ASSERT_TRUE(a_.store
                  ->ScanAlerts("",
                               [&](const StoredAlert& alert) {
                                 alerts.push_back(alert);
                                 return true;
                               })
                  .ok());
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, "share_overdue");
  EXPECT_NE(alerts[0].evidence.find(*id), std::string::npos);
  EXPECT_NE(alerts[0].evidence.find("receipt " + FormatTime(kStart)), std::string::npos)
      << alerts[0].evidence;
  EXPECT_NE(Row(a_, 0, *id).escalated, 0);
}

TEST_F(ShareExchangeTest, ReceiptForAnotherEnvelopeIsRefused) {
  Result<std::string> id = a_.exchange->Send("B", kKindRequest, RequestText(kStart + kDay),
                                             Marking::kAmber, false, kStart + kDay);
  ASSERT_TRUE(id.ok());
  // B signs a receipt whose digest is not that of A's envelope.
  Envelope receipt;
  receipt.sender = b_.identity.key_id;
  receipt.recipient = a_.identity.key_id;
  receipt.message_id = NewMessageId();
  receipt.created_at = kStart;
  receipt.kind = kKindReceipt;
  receipt.marking = Marking::kAmber;
  receipt.payload = nlohmann::json{{"message_id", *id}, {"digest", std::string(64, '0')}}.dump();
  Sign(&receipt, b_.identity);
  Result<Received> got = a_.exchange->Receive(SerializeEnvelope(receipt), "test", false);
  EXPECT_EQ(got.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(Row(a_, 0, *id).receipt, 0);
}

}  // namespace
}  // namespace vigil::share
