// A small store with persons in several compartments, and the access layer on
// top of it, for the access, audit and oversight tests.
#ifndef VIGIL_TESTS_ACCESS_OVERSIGHT_WORLD_H_
#define VIGIL_TESTS_ACCESS_OVERSIGHT_WORLD_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_handle.h"
#include "store/sqlite/sqlite_store.h"
#include "vigil/access.h"
#include "vigil/oversight.h"
#include "vigil/store.h"

namespace vigil::testing {

inline constexpr UnixTime kStart = 1'767'225'600;  // 2026-01-01T00:00:00Z
inline constexpr int64_t kDay = 86'400;
inline constexpr char kUnownedA[] = "msisdn:+448800100001";
inline constexpr char kUnownedB[] = "msisdn:+448800100002";

inline std::string TempDir(const std::string& name) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("vigil-" + name + "-" + std::to_string(::getpid())))
                              .string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline Principal MakePrincipal(const std::string& user, Role role,
                               std::vector<std::string> compartments) {
  Principal p;
  p.user = user;
  p.role = role;
  p.compartments = std::move(compartments);
  return p;
}

// Persons "<compartment>-<i>" (subjects with a legal basis, review due on
// day 30) in each compartment, each with a phone (SelectorOf) and a passport
// (DocumentOf) attributed to them, a call from the phone to an unowned
// number, a travel record "T-<person>" on the passport, a custody stay, a
// report and a watch-list entry "W-<person>". Records owned by nobody: a
// call between two unowned numbers (kUnownedA -> kUnownedB), a travel record
// "T-unowned" without a document and "T-held-<compartment>" (no document,
// x_compartment set) per compartment.
class OversightWorld {
 public:
  OversightWorld(const std::string& name, std::vector<std::string> compartments,
                 int per_compartment, ReadLogMode mode = ReadLogMode::kBuffered)
      : dir_(TempDir(name)), clock_(kStart), compartments_(std::move(compartments)) {
    path_ = dir_ + "/vigil.db";
    auto raw = OpenSqliteStore(path_);
    EXPECT_TRUE(raw.ok()) << raw.status().ToString();
    raw_ = std::move(raw).value();
    // Tests need no durability; the chain is the same.
    EXPECT_TRUE(sqlite::Exec(SqliteDb(), "PRAGMA synchronous = OFF").ok());
    Populate(per_compartment);
    OversightOptions options;
    options.clock = &clock_;
    options.signing_key_path = key_path();
    options.read_log = mode;
    options.checkpoint_every = 500;
    options.synchronous = false;
    auto oversight = Oversight::Open(*raw_, options);
    EXPECT_TRUE(oversight.ok()) << oversight.status().ToString();
    RequestContext context;
    context.principal = MakePrincipal("setup:test", Role::kAdmin, {"*"});
    context.principal.setup = true;
    context.purpose = "test";
    context.client = "test";
    store_ = std::make_unique<AccessStore>(std::move(raw_), std::move(oversight).value(),
                                           std::move(context));
  }
  ~OversightWorld() {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  AccessStore& store() { return *store_; }
  Oversight& oversight() { return store_->oversight(); }
  FakeClock& clock() { return clock_; }
  const std::string& path() const { return path_; }
  const std::string& dir() const { return dir_; }
  std::string key_path() const { return dir_ + "/audit.key"; }
  const std::vector<std::string>& compartments() const { return compartments_; }
  const std::vector<std::string>& persons() const { return persons_; }
  sqlite3* SqliteDb() {
    Store& s = raw_ ? *raw_ : store_->inner();
    return static_cast<sqlite::SqliteStore&>(s).db();
  }
  // Acts as `principal` from now on.
  void ActAs(const Principal& principal, const std::string& purpose = "test") {
    store_->mutable_context().principal = principal;
    store_->mutable_context().purpose = purpose;
    store_->InvalidatePersonCache();
  }
  RequestContext Context(const Principal& principal) const {
    RequestContext c;
    c.principal = principal;
    c.purpose = "test";
    c.client = "test";
    return c;
  }
  static std::string CompartmentOf(const std::string& person_id) {
    return person_id.substr(0, person_id.rfind('-'));
  }
  // The phone and passport attributed to a person; "" for unknown persons.
  std::string SelectorOf(const std::string& person_id) const {
    auto found = phones_.find(person_id);
    return found == phones_.end() ? "" : found->second;
  }
  std::string DocumentOf(const std::string& person_id) const {
    auto found = passports_.find(person_id);
    return found == passports_.end() ? "" : found->second;
  }

 private:
  void Populate(int per_compartment) {
    SourceFile file;
    file.path = "world";
    file.content_hash = "world-" + std::to_string(per_compartment);
    auto writer = raw_->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    int64_t rows = 0;
    int serial = 0;
    for (const std::string& compartment : compartments_) {
      for (int i = 0; i < per_compartment; ++i) {
        Person p;
        p.person_id = compartment + "-" + std::to_string(i);
        p.name = "Person " + p.person_id;
        p.status = PersonStatus::kSubject;
        p.compartment = compartment;
        p.legal_basis = "warrant-" + p.person_id;
        p.review_by = "2026-01-31";
        ASSERT_TRUE((*writer)->Put(p).ok());
        SelectorRecord s;
        s.selector = "msisdn:+447700" + std::to_string(100000 + serial);
        s.person_id = p.person_id;
        ASSERT_TRUE((*writer)->Put(s).ok());
        phones_[p.person_id] = s.selector;
        SelectorRecord passport;
        passport.selector = "passport:GB:P" + std::to_string(100000 + serial);
        passport.person_id = p.person_id;
        ASSERT_TRUE((*writer)->Put(passport).ok());
        passports_[p.person_id] = passport.selector;
        Communication call;
        call.time = kStart + serial;
        call.src = s.selector;
        call.dst = "msisdn:+449900" + std::to_string(100000 + serial);
        call.kind = CommKind::kCall;
        ASSERT_TRUE((*writer)->Put(call).ok());
        TravelRecord trip;
        trip.record_id = "T-" + p.person_id;
        trip.time = kStart + serial;
        trip.name = p.name;
        trip.document = passport.selector;
        trip.destination = "TR";
        ASSERT_TRUE((*writer)->Put(trip).ok());
        ++serial;
        CustodyRecord c;
        c.person_id = p.person_id;
        c.facility = "HMP Test";
        c.start = "2020-01-01";
        ASSERT_TRUE((*writer)->Put(c).ok());
        Report r;
        r.report_id = "R-" + p.person_id;
        r.time = kStart;
        r.person_id = p.person_id;
        r.source = "prison";
        ASSERT_TRUE((*writer)->Put(r).ok());
        WatchlistEntry w;
        w.entry_id = "W-" + p.person_id;
        w.list = "own";
        w.name = p.name;
        w.attributes = {{"x_compartment", compartment}};
        ASSERT_TRUE((*writer)->Put(w).ok());
        rows += 8;
        persons_.push_back(p.person_id);
      }
      TravelRecord held;
      held.record_id = "T-held-" + compartment;
      held.time = kStart;
      held.name = "Held " + compartment;
      held.destination = "TR";
      held.attributes = {{"x_compartment", compartment}};
      ASSERT_TRUE((*writer)->Put(held).ok());
      ++rows;
    }
    Communication unowned;
    unowned.time = kStart;
    unowned.src = kUnownedA;
    unowned.dst = kUnownedB;
    ASSERT_TRUE((*writer)->Put(unowned).ok());
    TravelRecord nobody;
    nobody.record_id = "T-unowned";
    nobody.time = kStart;
    nobody.name = "Nobody Known";
    nobody.destination = "TR";
    ASSERT_TRUE((*writer)->Put(nobody).ok());
    rows += 2;
    ASSERT_TRUE((*writer)->Commit(rows).ok());
  }

  std::string dir_;
  std::string path_;
  FakeClock clock_;
  std::vector<std::string> compartments_;
  std::vector<std::string> persons_;
  std::map<std::string, std::string> phones_;
  std::map<std::string, std::string> passports_;
  std::unique_ptr<Store> raw_;
  std::unique_ptr<AccessStore> store_;
};

}  // namespace vigil::testing

#endif  // VIGIL_TESTS_ACCESS_OVERSIGHT_WORLD_H_
