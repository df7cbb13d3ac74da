// Legal basis, reviews, retention (with a fake clock), four-eyes approval,
// users, and the audit records each of them leaves.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <tuple>

#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

const Principal kAnalyst = MakePrincipal("ana", Role::kAnalyst, {"CT-A"});
const Principal kSupervisor = MakePrincipal("sup", Role::kSupervisor, {"CT-A"});
const Principal kSupervisor2 = MakePrincipal("sue", Role::kSupervisor, {"CT-A"});
const Principal kAdmin = MakePrincipal("adm", Role::kAdmin, {});
const Principal kAuditor = MakePrincipal("aud", Role::kAuditor, {});

std::vector<std::string> Ids(const std::vector<ReviewItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.person_id);
  return out;
}

// Ingests persons through the access layer as `principal`.
Status IngestPersons(OversightWorld& world, const std::vector<Person>& persons,
                     const std::string& hash) {
  SourceFile file;
  file.path = "persons.csv";
  file.content_hash = hash;
  VIGIL_ASSIGN_OR_RETURN(auto writer, world.store().BeginIngest(file));
  for (const Person& p : persons) VIGIL_RETURN_IF_ERROR(writer->Put(p));
  return writer->Commit(static_cast<int64_t>(persons.size()));
}

Person Associate(const std::string& id) {
  Person p;
  p.person_id = id;
  p.name = "Associate " + id;
  p.status = PersonStatus::kAssociate;
  p.compartment = "CT-A";
  return p;
}

TEST(LegalBasis, SubjectWithoutLegalBasisOrReviewDateIsRefused) {
  OversightWorld world("legal", {"CT-A"}, 1);
  world.ActAs(kAnalyst);
  Person p = Associate("S1");
  p.status = PersonStatus::kSubject;
  Status status = IngestPersons(world, {p}, "h1");
  EXPECT_TRUE(status.IsInvalidArgument()) << status.ToString();
  EXPECT_NE(status.message().find("legal_basis"), std::string::npos);
  p.legal_basis = "warrant-9";
  EXPECT_TRUE(IngestPersons(world, {p}, "h2").IsInvalidArgument());
  p.review_by = "2026-06-30";
  EXPECT_TRUE(IngestPersons(world, {p}, "h3").ok());
}

TEST(LegalBasis, IngestNamesFileLineAndColumn) {
  const char* bin = std::getenv("VIGIL_BIN");
  ASSERT_NE(bin, nullptr);
  const std::string dir = TempDir("legal-cli");
  {
    std::ofstream out(dir + "/persons.csv");
    out << "person_id,name,status,legal_basis,review_by\n"
        << "P1,Ali,associate,,\n"
        << "P2,Omar,subject,,2030-01-01\n";
  }
  const std::string command =
      std::string(bin) + " ingest " + dir + "/persons.csv --db " + dir + "/v.db 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  EXPECT_NE(pclose(pipe), 0);
  EXPECT_NE(output.find("persons.csv:3:4"), std::string::npos) << output;
  EXPECT_NE(output.find("a subject needs a legal basis"), std::string::npos) << output;
  std::filesystem::remove_all(dir);
}

TEST(Reviews, DueDecidedExtendedDormantEnded) {
  OversightWorld world("reviews", {"CT-A", "CT-B"}, 3);  // review_by 2026-01-31
  const RequestContext analyst = world.Context(kAnalyst);
  const RequestContext supervisor = world.Context(kSupervisor);
  Oversight& o = world.oversight();

  auto due = o.DueReviews(analyst, world.clock().Now());
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->empty()) << "nothing is due on 2026-01-01";
  world.clock().Advance(31 * kDay);  // 2026-02-01
  due = o.DueReviews(analyst, world.clock().Now());
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Ids(*due), (std::vector<std::string>{"CT-A-0", "CT-A-1", "CT-A-2"}))
      << "only the analyst's compartment";

  // Analysts may not decide; a decision needs a reason and a later date.
  EXPECT_EQ(o.DecideReview(analyst, "CT-A-0", ReviewDecision::kExtend, "x", "2026-08-01").code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(o.DecideReview(supervisor, "CT-A-0", ReviewDecision::kExtend, "", "2026-08-01")
                  .IsInvalidArgument());
  EXPECT_TRUE(o.DecideReview(supervisor, "CT-A-0", ReviewDecision::kExtend, "why", "2026-01-15")
                  .IsInvalidArgument());
  EXPECT_TRUE(o.DecideReview(supervisor, "CT-B-0", ReviewDecision::kEnd, "why", "").IsNotFound());

  ASSERT_TRUE(o.DecideReview(supervisor, "CT-A-0", ReviewDecision::kExtend,
                             "new contacts with cell", "2026-08-01")
                  .ok());
  ASSERT_TRUE(o.DecideReview(supervisor, "CT-A-1", ReviewDecision::kDormant,
                             "quiet for a year; keep low-cost watch", "2026-12-01")
                  .ok());
  ASSERT_TRUE(
      o.DecideReview(supervisor, "CT-A-2", ReviewDecision::kEnd, "no longer of interest", "").ok());
  due = o.DueReviews(analyst, world.clock().Now());
  ASSERT_TRUE(due.ok());
  EXPECT_TRUE(due->empty());
  EXPECT_EQ(*o.WatchStateOf("CT-A-1"), WatchState::kDormant);
  EXPECT_EQ(*o.WatchStateOf("CT-A-2"), WatchState::kEnded);
  EXPECT_EQ(world.store().inner().GetPerson("CT-A-0")->review_by, "2026-08-01");

  world.clock().Set(kStart + 365 * kDay);  // 2027-01-01: extended and dormant are due again
  due = o.DueReviews(analyst, world.clock().Now());
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(Ids(*due), (std::vector<std::string>{"CT-A-0", "CT-A-1"}));
  EXPECT_EQ((*due)[1].state, WatchState::kDormant);

  // Each decision is in the log, with the reason hashed, not written out.
  AuditQuery q;
  q.subject = "CT-A-2";
  auto records = o.QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  bool found = false;
  for (const auto& r : *records) {
    if (r.action != "decide_review") continue;
    found = true;
    EXPECT_EQ(r.user, "sup");
    EXPECT_NE(r.params.find("decision=end"), std::string::npos);
    EXPECT_EQ(r.params.find("no longer of interest"), std::string::npos);
  }
  EXPECT_TRUE(found);
}

TEST(Retention, ErasesPastTheLimitPerCategoryAndLogsIt) {
  OversightWorld world("retention", {"CT-A"}, 2);  // two subjects CT-A-0, CT-A-1
  Oversight& o = world.oversight();
  const RequestContext admin = world.Context(kAdmin);
  const RequestContext supervisor = world.Context(kSupervisor);
  ASSERT_TRUE(o.SetRetentionLimit(admin, "contact", 100).ok());
  ASSERT_TRUE(o.SetRetentionLimit(admin, "victim", 300).ok());
  ASSERT_TRUE(o.SetRetentionLimit(admin, "none", 50).ok());
  EXPECT_EQ(o.SetRetentionLimit(supervisor, "none", 5).code(), Status::Code::kPermissionDenied);
  EXPECT_TRUE(o.SetRetentionLimit(admin, "friend", 5).IsInvalidArgument());

  world.ActAs(kSupervisor);
  ASSERT_TRUE(IngestPersons(world, {Associate("X1"), Associate("X2"), Associate("X3")}, "h").ok());
  ASSERT_TRUE(o.AddCase(supervisor, "CASE-1", "CT-A").ok());
  ASSERT_TRUE(o.LinkCase(supervisor, "CASE-1", "X1", SubjectCategory::kContact).ok());
  ASSERT_TRUE(o.LinkCase(supervisor, "CASE-1", "X2", SubjectCategory::kVictim).ok());
  // X3 has no link ("none", 50 days). Subject CT-A-1's watch ends today.
  ASSERT_TRUE(o.DecideReview(supervisor, "CT-A-1", ReviewDecision::kEnd, "done", "").ok());
  // The subjects stored without the access layer get their clock started.
  ASSERT_TRUE(o.ApplyRetention(admin, false).ok());

  auto erased_ids = [&](int64_t day) {
    world.clock().Set(kStart + day * kDay);
    auto erased = o.ApplyRetention(admin, false);
    EXPECT_TRUE(erased.ok()) << erased.status().ToString();
    std::vector<std::string> ids;
    for (const Erasure& e : *erased) ids.push_back(e.person_id + "/" + e.category);
    return ids;
  };
  EXPECT_TRUE(erased_ids(49).empty());
  auto dry = o.ApplyRetention(admin, /*dry_run=*/true);
  ASSERT_TRUE(dry.ok());
  EXPECT_TRUE(dry->empty());
  EXPECT_EQ(erased_ids(50), (std::vector<std::string>{"CT-A-1/none", "X3/none"}));
  EXPECT_TRUE(erased_ids(99).empty());
  EXPECT_EQ(erased_ids(100), (std::vector<std::string>{"X1/contact"}));
  EXPECT_EQ(erased_ids(300), (std::vector<std::string>{"X2/victim"}));
  EXPECT_TRUE(erased_ids(5000).empty()) << "an active subject is for review, not retention";
  EXPECT_TRUE(world.store().inner().GetPerson("X1").status().IsNotFound());
  EXPECT_TRUE(world.store().inner().GetPerson("CT-A-0").ok());
  EXPECT_TRUE(world.store().inner().ReportsAbout("CT-A-1")->empty());

  // The erasure is logged, and the log was not rewritten by it; the erased
  // person's records keep a pseudonym that no longer leads to X1.
  AuditQuery q;
  q.subject = "X2";
  auto records = o.QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty()) << "an erased person is found in the log no more";
  q = AuditQuery{};
  records = o.QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  std::vector<std::string> erase_objects;
  for (const auto& r : *records) {
    if (r.action == "erase") erase_objects.push_back(r.object);
    EXPECT_EQ(r.object.find("X1"), std::string::npos) << r.object;
    for (const auto& subject : r.subjects) EXPECT_NE(subject, "X1");
  }
  ASSERT_EQ(erase_objects.size(), 4u);
  for (const std::string& object : erase_objects) {
    EXPECT_EQ(object.substr(0, 8), "person:~") << object;
    EXPECT_EQ(object.size(), 8u + 32u) << object;
  }
  auto report = o.VerifyAudit(admin, std::nullopt);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problems.front();
}

TEST(FourEyes, SharedListEntryNeedsASecondPerson) {
  OversightWorld world("four-eyes", {"CT-A"}, 1);
  Oversight& o = world.oversight();
  ASSERT_TRUE(o.ConfigureList(world.Context(kAdmin), "partners", "CT-A", true).ok());
  WatchlistEntry e;
  e.entry_id = "E1";
  e.list = "partners";
  e.name = "Leila Haddad";
  auto listed = o.ProposeEntry(world.Context(kAnalyst), e);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_FALSE(*listed);
  EXPECT_TRUE(world.store().inner().GetWatchlistEntry("E1").status().IsNotFound());
  const WatchlistEntry e1 = e;
  // The proposer cannot approve (an analyst may not approve at all), nor can a
  // supervisor approve their own proposal.
  EXPECT_EQ(o.ApproveEntry(world.Context(kAnalyst), "E1", "").code(),
            Status::Code::kPermissionDenied);
  e.entry_id = "E2";
  ASSERT_FALSE(*o.ProposeEntry(world.Context(kSupervisor), e));
  Status own = o.ApproveEntry(world.Context(kSupervisor), "E2", ProposalContentHash(e));
  EXPECT_EQ(own.code(), Status::Code::kPermissionDenied);
  EXPECT_NE(own.message().find("four eyes"), std::string::npos);
  // A second supervisor approves both.
  ASSERT_TRUE(o.ApproveEntry(world.Context(kSupervisor2), "E1", ProposalContentHash(e1)).ok());
  ASSERT_TRUE(o.ApproveEntry(world.Context(kSupervisor), "E1", "").IsNotFound()) << "already done";
  ASSERT_TRUE(o.ApproveEntry(world.Context(kSupervisor2), "E2", ProposalContentHash(e)).ok());
  EXPECT_EQ(world.store().inner().GetWatchlistEntry("E1")->name, "Leila Haddad");
  EXPECT_TRUE(o.PendingProposals(world.Context(kAnalyst))->empty());
  // An unshared list takes entries at once.
  e.entry_id = "E3";
  e.list = "own";
  e.attributes = {{"x_compartment", "CT-A"}};
  EXPECT_TRUE(*o.ProposeEntry(world.Context(kAnalyst), e));
}

TEST(FourEyes, IngestedEntriesOfSharedListsWaitForApproval) {
  OversightWorld world("four-eyes-ingest", {"CT-A"}, 1);
  ASSERT_TRUE(
      world.oversight().ConfigureList(world.Context(kAdmin), "partners", "CT-A", true).ok());
  world.ActAs(kAnalyst);
  SourceFile file;
  file.path = "watchlist.csv";
  file.content_hash = "wl";
  file.kind = InputKind::kWatchlist;
  auto writer = world.store().BeginIngest(file);
  ASSERT_TRUE(writer.ok());
  WatchlistEntry shared;
  shared.entry_id = "S1";
  shared.list = "partners";
  shared.name = "A";
  WatchlistEntry own = shared;
  own.entry_id = "O1";
  own.list = "own";
  own.attributes = {{"x_compartment", "CT-A"}};
  ASSERT_TRUE((*writer)->Put(shared).ok());
  ASSERT_TRUE((*writer)->Put(own).ok());
  ASSERT_TRUE((*writer)->Commit(2).ok());
  EXPECT_TRUE(world.store().inner().GetWatchlistEntry("S1").status().IsNotFound());
  EXPECT_TRUE(world.store().inner().GetWatchlistEntry("O1").ok());
  auto pending = world.oversight().PendingProposals(world.Context(kSupervisor));
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].proposed_by, "ana");
}

TEST(Users, Argon2idAccountsRolesAndCompartments) {
  OversightWorld world("users", {"CT-A"}, 1);
  Oversight& o = world.oversight();
  auto setup = o.SetupPrincipal("root");
  ASSERT_TRUE(setup.ok());
  RequestContext ctx = world.Context(*setup);
  ASSERT_TRUE(o.AddUser(ctx, "alice", Role::kAdmin, "correct horse", {}).ok());
  EXPECT_FALSE(o.SetupPrincipal("root").ok()) << "the first account ends setup mode";
  EXPECT_TRUE(o.AddUser(ctx, "bob", Role::kAnalyst, "short", {"CT-A"}).IsInvalidArgument());

  auto alice = o.Authenticate("alice", "correct horse");
  ASSERT_TRUE(alice.ok()) << alice.status().ToString();
  EXPECT_EQ(alice->role, Role::kAdmin);
  EXPECT_EQ(o.Authenticate("alice", "wrong horse!").status().code(),
            Status::Code::kPermissionDenied);
  EXPECT_EQ(o.Authenticate("mallory", "whatever1").status().message(), "authentication failed");

  const RequestContext admin = world.Context(*alice);
  ASSERT_TRUE(o.AddUser(ctx, "carol", Role::kAdmin, "carol's password", {}).ok());
  auto carol = o.Authenticate("carol", "carol's password");
  ASSERT_TRUE(carol.ok());
  const RequestContext second = world.Context(*carol);
  // An admin's grants wait for a second admin (four eyes).
  ASSERT_TRUE(o.AddUser(admin, "bob", Role::kAnalyst, "bob's password", {"CT-A"}).ok());
  auto granted = o.Grant(admin, "bob", "CT-B");
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_FALSE(*granted);
  EXPECT_TRUE(o.Authenticate("bob", "bob's password")->compartments.empty());
  EXPECT_EQ(o.ApproveGrant(admin, "bob", "CT-A").code(), Status::Code::kPermissionDenied);
  ASSERT_TRUE(o.ApproveGrant(second, "bob", "CT-A").ok());
  ASSERT_TRUE(o.ApproveGrant(second, "bob", "CT-B").ok());
  EXPECT_TRUE(o.ApproveGrant(second, "bob", "CT-B").IsNotFound()) << "approved once";
  ASSERT_TRUE(o.Revoke(admin, "bob", "CT-A").ok());
  auto bob = o.Authenticate("bob", "bob's password");
  ASSERT_TRUE(bob.ok());
  EXPECT_EQ(bob->compartments, (std::vector<std::string>{"CT-B"}));
  const RequestContext as_bob = world.Context(*bob);
  EXPECT_EQ(o.AddUser(as_bob, "eve", Role::kAdmin, "eve's password", {}).code(),
            Status::Code::kPermissionDenied);
  ASSERT_TRUE(o.SetPassword(as_bob, "bob", "a new password").ok()) << "own password";
  EXPECT_EQ(o.SetPassword(as_bob, "alice", "a new password").code(),
            Status::Code::kPermissionDenied);
  EXPECT_TRUE(o.Authenticate("bob", "a new password").ok());
  // The stored hash is Argon2id, never the password.
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(world.SqliteDb(), "SELECT password_hash FROM users WHERE name = 'bob'", -1,
                     &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  const std::string hash = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
}

TEST(AuditTransactions, FailedWriteLeavesNoAllowedRecord) {
  OversightWorld world("txn", {"CT-A"}, 1);
  world.ActAs(kAnalyst);
  Attribution a;
  a.selector = world.SelectorOf("CT-A-0");  // a number the analyst sees in full
  a.person_id = "CT-A-0";
  a.confidence = 2.0;  // violates the store's CHECK: the write fails
  EXPECT_FALSE(world.store().PutAttribution(a).ok());
  a.confidence = 0.8;
  ASSERT_TRUE(world.store().PutAttribution(a).ok());
  AuditQuery q;
  q.subject = "CT-A-0";
  auto records = world.oversight().QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  int decisions = 0;
  for (const auto& r : *records) decisions += r.action == "decide_attribution" ? 1 : 0;
  EXPECT_EQ(decisions, 1) << "the failed write's record was rolled back with it";
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

TEST(AuditQuery, WhoLookedAtThisPersonIncludesRefusedAttempts) {
  OversightWorld world("query", {"CT-A", "CT-B"}, 1);
  world.ActAs(kAnalyst, "op lantern");
  EXPECT_TRUE(world.store().GetPerson("CT-A-0").ok());
  EXPECT_TRUE(world.store().GetPerson("CT-B-0").status().IsNotFound());
  world.clock().Advance(kDay);
  world.ActAs(MakePrincipal("bea", Role::kAnalyst, {"CT-B"}), "op harbour");
  EXPECT_TRUE(world.store().GetPerson("CT-B-0").ok());
  AuditQuery q;
  q.subject = "CT-B-0";
  auto records = world.oversight().QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].user, "ana");
  EXPECT_TRUE((*records)[0].refused);
  EXPECT_EQ((*records)[0].purpose, "op lantern");
  EXPECT_EQ((*records)[1].user, "bea");
  EXPECT_FALSE((*records)[1].refused);
  // By user and time window.
  q = AuditQuery{};
  q.user = "bea";
  q.from = kStart + kDay;
  q.to = kStart + 2 * kDay;
  records = world.oversight().QueryAudit(world.Context(kAuditor), q);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].object, "person:CT-B-0");
  q.from = kStart + 2 * kDay;
  q.to.reset();
  EXPECT_TRUE(world.oversight().QueryAudit(world.Context(kAuditor), q)->empty());
}

// Runs the vigil binary with `env` prepended; returns exit status and output.
std::pair<int, std::string> RunVigil(const std::string& env, const std::string& args) {
  const std::string command = env + " " + std::getenv("VIGIL_BIN") + " " + args + " 2>&1";
  std::FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[512];
  while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = pipe != nullptr ? pclose(pipe) : -1;
  return {status, output};
}

TEST(Cli, SetupModeAccountsPurposeAndAuditCommands) {
  ASSERT_NE(std::getenv("VIGIL_BIN"), nullptr);
  const std::string dir = TempDir("cli");
  {
    std::ofstream out(dir + "/persons.csv");
    out << "person_id,name,status,compartment,legal_basis,review_by\n"
        << "P1,Ali,subject,CT-A,warrant-1,2020-01-31\n"
        << "P2,Omar,subject,CT-B,warrant-2,2020-01-31\n";
  }
  const std::string db = " --db " + dir + "/v.db";
  // Setup mode: no accounts yet.
  auto [rc, out] = RunVigil("", "ingest " + dir + "/persons.csv" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) =
      RunVigil("VIGIL_NEW_PASSWORD='admin secret'", "user add boss --role admin" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil("", "subject show P1" + db);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("set VIGIL_USER and VIGIL_PASSWORD"), std::string::npos) << out;
  const std::string boss = "VIGIL_USER=boss VIGIL_PASSWORD='admin secret' VIGIL_PURPOSE=admin";
  std::tie(rc, out) = RunVigil(boss + " VIGIL_NEW_PASSWORD='analyst secret'",
                               "user add ana --role analyst --compartment CT-A" + db);
  ASSERT_EQ(rc, 0) << out;
  // The grant waits for a second admin.
  std::tie(rc, out) =
      RunVigil(boss + " VIGIL_NEW_PASSWORD='admin2 secret'", "user add boss2 --role admin" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil(boss, "user approve-grant ana CT-A" + db);
  EXPECT_NE(rc, 0) << "the proposer cannot approve: " << out;
  std::tie(rc, out) =
      RunVigil("VIGIL_USER=boss2 VIGIL_PASSWORD='admin2 secret' VIGIL_PURPOSE=admin",
               "user approve-grant ana CT-A" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) =
      RunVigil(boss + " VIGIL_NEW_PASSWORD='auditor secret'", "user add aud --role auditor" + db);
  ASSERT_EQ(rc, 0) << out;
  const std::string ana = "VIGIL_USER=ana VIGIL_PASSWORD='analyst secret'";
  std::tie(rc, out) = RunVigil(ana, "subject show P1" + db);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("give a purpose"), std::string::npos) << out;
  std::tie(rc, out) = RunVigil(ana, "--purpose 'op lantern' subject show P1" + db);
  EXPECT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil(ana, "--purpose 'op lantern' subject show P2" + db);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("no person 'P2' in your compartments"), std::string::npos) << out;
  std::tie(rc, out) = RunVigil(ana, "--purpose 'op lantern' reviews" + db);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("P1"), std::string::npos);
  EXPECT_EQ(out.find("P2"), std::string::npos);
  std::tie(rc, out) = RunVigil("VIGIL_USER=ana VIGIL_PASSWORD=wrong", "--purpose x status" + db);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("authentication failed"), std::string::npos) << out;

  const std::string aud = "VIGIL_USER=aud VIGIL_PASSWORD='auditor secret' VIGIL_PURPOSE=audit";
  std::tie(rc, out) = RunVigil(aud, "audit checkpoint --out " + dir + "/cp.txt" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil(aud, "audit verify --checkpoint " + dir + "/cp.txt" + db);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("audit log intact"), std::string::npos) << out;
  std::tie(rc, out) = RunVigil(aud, "--format csv audit query --subject P2" + db);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(",ana,read_person,person:P2,refused,op lantern,"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::testing

namespace vigil::testing {
namespace {

TEST(Cli, NetworkExpansionLogsEveryPersonItShows) {
  ASSERT_NE(std::getenv("VIGIL_BIN"), nullptr);
  const std::string dir = TempDir("cli-network");
  const std::string db = " --db " + dir + "/v.db";
  auto [rc, out] = RunVigil("", "simulate --out " + dir + "/w --seed 3 --people 500 --days 30");
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil("", "ingest " + dir + "/w" + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil("", "--format csv reviews --due-by 2100-01-01" + db);
  ASSERT_EQ(rc, 0) << out;
  const size_t line = out.find('\n');
  ASSERT_NE(line, std::string::npos);
  const std::string seed = out.substr(line + 1, out.find(',', line) - line - 1);
  std::tie(rc, out) =
      RunVigil("VIGIL_PURPOSE='after the attack'",
               "--format csv network expand --hops 2 --limit 10 --seeds " + seed + db);
  ASSERT_EQ(rc, 0) << out;
  std::tie(rc, out) = RunVigil("", "--format csv audit query" + db);
  ASSERT_EQ(rc, 0) << out;
  const size_t reveal = out.find("reveal:network expand");
  ASSERT_NE(reveal, std::string::npos) << out;
  const std::string record = out.substr(reveal, out.find('\n', reveal) - reveal);
  EXPECT_NE(record.find("after the attack"), std::string::npos) << record;
  EXPECT_NE(record.find(seed), std::string::npos) << record;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::testing
