// Hand-made timelines for the watch and rank tests: a scratch store and a
// builder that writes persons, attributions and records in batches (one
// batch = one ingested "file", as a daily delivery would be).
#ifndef VIGIL_TESTS_WATCH_TIMELINE_BUILDER_H_
#define VIGIL_TESTS_WATCH_TIMELINE_BUILDER_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "vigil/model.h"
#include "vigil/store.h"

namespace vigil::testing_util {

inline constexpr int64_t kDay = 86400;
// 2022-01-03T00:00:00Z, a Monday: day 0 of every hand-made timeline.
inline constexpr UnixTime kDayZero = 1641168000;
inline UnixTime At(int day, int hour = 12, int minute = 0) {
  return kDayZero + day * kDay + hour * 3600 + minute * 60;
}

class TimelineStore {
 public:
  TimelineStore() {
    std::string pattern = ::testing::TempDir() + "vigil_watch_XXXXXX";
    dir_ = mkdtemp(pattern.data());
    auto store = OpenSqliteStore((dir_ / "t.db").string());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  ~TimelineStore() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TimelineStore(const TimelineStore&) = delete;
  TimelineStore& operator=(const TimelineStore&) = delete;

  Store& store() { return *store_; }

  // Adds a person with one attributed phone number "msisdn:+3360000NNNN".
  void AddPerson(const std::string& id, const std::string& name,
                 PersonStatus status = PersonStatus::kSubject,
                 const std::string& review_by = "2030-01-01",
                 const std::string& legal_basis = "warrant 1/2022") {
    Person person;
    person.person_id = id;
    person.name = name;
    person.status = status;
    person.review_by = review_by;
    person.legal_basis = legal_basis;
    persons_.push_back(person);
  }
  void Attribute(const std::string& selector, const std::string& person_id) {
    SelectorRecord record;
    record.selector = selector;
    record.person_id = person_id;
    record.source = "test";
    selectors_.push_back(record);
  }
  void Call(UnixTime time, const std::string& src, const std::string& dst) {
    Communication comm;
    comm.time = time;
    comm.src = src;
    comm.dst = dst;
    comm.kind = CommKind::kCall;
    comm.duration_s = 60;
    comms_.push_back(comm);
  }
  void AddCustody(const std::string& person_id, const std::string& facility,
                  const std::string& start, const std::string& end) {
    custody_.push_back({person_id, facility, start, end, {}});
  }
  void AddReport(const std::string& id, UnixTime time, const std::string& person_id,
                 const std::string& name, ReportCategory category, const std::string& text) {
    Report report;
    report.report_id = id;
    report.time = time;
    report.person_id = person_id;
    report.name = name;
    report.source = "prison service";
    report.category = category;
    report.text = text;
    reports_.push_back(report);
  }
  void AddTravel(const std::string& id, UnixTime time, const std::string& name,
                 const std::string& document, const std::string& origin,
                 const std::string& destination) {
    TravelRecord travel;
    travel.record_id = id;
    travel.time = time;
    travel.name = name;
    travel.document = document;
    travel.origin = origin;
    travel.destination = destination;
    travel_.push_back(travel);
  }
  void AddWatchlist(const std::string& id, const std::string& name) {
    WatchlistEntry entry;
    entry.entry_id = id;
    entry.list = "test-list";
    entry.name = name;
    entry.handling = Handling::kAmber;
    watchlist_.push_back(entry);
  }

  // Writes everything added since the last Flush, one file per kind.
  void Flush() {
    Write(InputKind::kPersons, persons_);
    Write(InputKind::kSelectors, selectors_);
    Write(InputKind::kComms, comms_);
    Write(InputKind::kCustody, custody_);
    Write(InputKind::kReports, reports_);
    Write(InputKind::kTravel, travel_);
    Write(InputKind::kWatchlist, watchlist_);
  }

 private:
  template <typename T>
  void Write(InputKind kind, std::vector<T>& records) {
    if (records.empty()) return;
    SourceFile file;
    file.kind = kind;
    file.path = "/timeline/" + std::to_string(++files_);
    file.content_hash = "hash" + std::to_string(files_);
    file.size_bytes = 1;
    auto writer = store_->BeginIngest(file);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    for (const T& record : records) {
      Status status = (*writer)->Put(record);
      ASSERT_TRUE(status.ok()) << status.ToString();
    }
    ASSERT_TRUE((*writer)->Commit(static_cast<int64_t>(records.size())).ok());
    records.clear();
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  int files_ = 0;
  std::vector<Person> persons_;
  std::vector<SelectorRecord> selectors_;
  std::vector<Communication> comms_;
  std::vector<CustodyRecord> custody_;
  std::vector<Report> reports_;
  std::vector<TravelRecord> travel_;
  std::vector<WatchlistEntry> watchlist_;
};

}  // namespace vigil::testing_util

#endif  // VIGIL_TESTS_WATCH_TIMELINE_BUILDER_H_
