// The SQLite implementation of Store and StoreWriter (include/vigil/store.h).
// Internal: code outside src/store uses OpenSqliteStore() only; tests may use
// these classes directly.
#ifndef VIGIL_STORE_SQLITE_SQLITE_STORE_H_
#define VIGIL_STORE_SQLITE_SQLITE_STORE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/sqlite/intern_map.h"
#include "store/sqlite/postings.h"
#include "store/sqlite/sqlite_handle.h"
#include "vigil/store.h"

namespace vigil::sqlite {

// Tuning of the SQLite store. Named here so tests and benchmarks can see them.
inline constexpr int kBusyTimeoutMs = 10'000;
// Page size of a new file: SQLite's default. Other sizes are not yet measured.
inline constexpr int kPageSizeBytes = 4096;
inline constexpr int64_t kKibPerMib = 1024;
// Helper threads SQLite's sorter may use (CREATE INDEX, ORDER BY).
inline constexpr int kSorterThreads = 2;

class SqliteStore final : public Store {
  struct PassKey {};  // only Open() constructs a store

 public:
  // See OpenSqliteStore() in store.h.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const StoreOptions& options);

  Result<std::unique_ptr<StoreWriter>> BeginIngest(const SourceFile& file) override;
  Status PutAttribution(const Attribution& attribution) override;
  Result<int64_t> ReplaceProposedAttributions(const std::vector<Attribution>& proposals) override;

  Result<StoreCounts> Counts() override;
  Result<std::vector<IngestedFile>> IngestedFiles() override;
  Result<Person> GetPerson(std::string_view person_id) override;
  Result<std::vector<Attribution>> AttributionsOfPerson(std::string_view person_id) override;
  Result<std::vector<Attribution>> AttributionsOfSelector(std::string_view selector) override;
  Result<SelectorRecord> GetSelectorRecord(std::string_view selector) override;
  Result<std::vector<CustodyRecord>> CustodyOf(std::string_view person_id) override;
  Result<std::vector<Report>> ReportsAbout(std::string_view person_id) override;
  Result<std::vector<TravelRecord>> TravelByDocuments(
      const std::vector<std::string>& documents) override;
  Result<WatchlistEntry> GetWatchlistEntry(std::string_view entry_id) override;
  Result<TravelRecord> GetTravel(std::string_view record_id) override;
  Result<Report> GetReport(std::string_view report_id) override;

  Status ScanPersons(const std::function<bool(const Person&)>& fn) override;
  Status ScanWatchlist(const std::function<bool(const WatchlistEntry&)>& fn) override;
  Status ScanTravel(const std::function<bool(const TravelRecord&)>& fn) override;
  Status ScanReports(const std::function<bool(const Report&)>& fn) override;
  Status ScanCustody(const std::function<bool(const CustodyRecord&)>& fn) override;
  Status ScanAttributions(const std::function<bool(const Attribution&)>& fn) override;
  Status ScanSelectors(const std::function<bool(int64_t id, std::string_view)>& fn) override;
  Status ScanComms(const CommQuery& query,
                   const std::function<bool(const Communication&)>& fn) override;
  Status PutScreeningResults(const std::vector<StoredWatchlistMatch>& matches,
                             const std::vector<ScreeningMark>& marks) override;
  Status ScanWatchlistMatches(const std::function<bool(const StoredWatchlistMatch&)>& fn) override;
  Status ScanScreeningMarks(const std::function<bool(const ScreeningMark&)>& fn) override;
  Status ScanCommEdges(const std::function<bool(const CommEdge&)>& fn) override;
  Status CheckIntegrity() override;

  // Long-term watch tables (schema version 3), in watch_tables.cc.
  Status PutWatchRecord(const WatchRecord& record) override;
  Status ScanWatchRecords(const std::function<bool(const WatchRecord&)>& fn) override;
  Status CommitWatchBatch(const WatchBatch& batch, std::vector<size_t>* fresh) override;
  Status ScanAlerts(std::string_view person_id,
                    const std::function<bool(const StoredAlert&)>& fn) override;
  Result<std::optional<std::string>> GetWatchState(std::string_view key) override;
  Status ScanCommEdgesAfter(int64_t after_row,
                            const std::function<bool(int64_t row, const CommEdge&)>& fn) override;
  Status ScanAttributionIds(
      const std::function<bool(int64_t selector_id, const Attribution&)>& fn) override;

  // Identifier resolution state (schema version 7), in resolve_tables.cc.
  Status PutResolveState(
      const std::vector<std::pair<std::string, std::string_view>>& sections) override;
  Result<std::optional<std::string>> GetResolveState(std::string_view name) override;
  // The last ingested_files.seq (a rowid: O(log files)).
  Result<int64_t> IngestGeneration() override;
  // The one row of change_generation (schema version 9), moved by triggers.
  Result<int64_t> ChangeGeneration() override;

  // Windowed reads for ranking, in rank_tables.cc.
  Status ScanAlertsBetween(UnixTime from, UnixTime to, const std::vector<std::string>& kinds,
                           const std::function<bool(const StoredAlert&)>& fn) override;
  Status ScanTravelBetween(UnixTime from, UnixTime to,
                           const std::function<bool(const TravelRecord&)>& fn) override;

  // Workbench tables (schema version 9), in workbench_tables.cc.
  Result<StoredAlert> GetAlert(std::string_view key) override;
  Status PutAlertTriage(const AlertTriage& triage) override;
  Status ScanAlertTriage(const std::function<bool(const AlertTriage&)>& fn) override;
  Status ScanAlertTriageHistory(std::string_view key,
                                const std::function<bool(const AlertTriage&)>& fn) override;
  Result<int64_t> PutCanvas(const Canvas& canvas, int64_t expected_version) override;
  Result<Canvas> GetCanvas(const CaseRef& of_case, std::string_view name) override;
  Status ScanCanvases(const CaseRef& of_case,
                      const std::function<bool(const Canvas&)>& fn) override;
  Status DeleteCanvas(const CaseRef& of_case, std::string_view name,
                      int64_t expected_version) override;

  // Decisions on screening matches, in match_decision_tables.cc.
  Status PutMatchDecision(const MatchDecision& decision) override;
  Status ScanMatchDecisions(const std::function<bool(const MatchDecision&)>& fn) override;

  // Protective-deployment plans, in protect_tables.cc.
  Status PutProtectPlan(const ProtectPlanRecord& plan) override;
  Result<ProtectPlanRecord> GetProtectPlan(std::string_view id) override;
  Status ApproveProtectPlan(std::string_view id, std::string_view approved_by, UnixTime approved_at,
                            std::string_view reason) override;
  Status ScanProtectPlans(const std::function<bool(const ProtectPlanRecord&)>& fn) override;

  // Partner exchange, in share_tables.cc.
  Status PutSharePartner(const SharePartner& partner) override;
  Status ScanSharePartners(const std::function<bool(const SharePartner&)>& fn) override;
  Result<int64_t> PutShareAgreement(const ShareAgreement& agreement) override;
  Status ScanShareAgreements(const std::function<bool(const ShareAgreement&)>& fn) override;
  Status PutShareMessage(const ShareMessage& message, const ShareEvent& first) override;
  Result<ShareMessage> GetShareMessage(int direction, std::string_view partner,
                                       std::string_view message_id) override;
  Status ScanShareMessages(const std::function<bool(const ShareMessage&)>& fn) override;
  Status UpdateShareDelivery(const ShareMessage& message, const ShareEvent& event) override;
  Status AppendShareEvent(const ShareEvent& event) override;
  Status ScanShareEvents(const std::function<bool(const ShareEvent&)>& fn) override;

  // ---- Internal, for SqliteWriter and tests ----

  sqlite3* db() const { return db_.get(); }

  // The one write of a person's watch level (watch_subjects), shared by
  // PutWatchRecord (`vigil watch set`) and a supervisor's review decision
  // (src/access/reviews.cc), so that the alert engine, reviews and retention
  // read one level. It also keeps the retention clock of person_oversight:
  // moving to closed (2) sets ended_at to record.set_at unless the person was
  // already closed (re-closing does not restart the clock); any other level
  // clears it. REQUIRES: inside a write transaction of this connection.
  // InvalidArgument for an unknown person or state. Cost: O(log persons).
  Status WriteWatchRecordInTransaction(const WatchRecord& record);

  // The statement for `sql`, prepared once and kept for the store's life.
  // `sql` must be a string with static storage (the pointer is the key).
  // The caller resets it after use (see StmtResetter). Not reentrant: a
  // cached statement must not be used from inside a scan of itself.
  Result<Stmt*> Cached(const char* sql);

  // The id of a selector / cell, inserting it when new. REQUIRES: inside a
  // write transaction whose caches were checked with RefreshCachesIfStale().
  // Cost: O(|text|) expected once the map is loaded; the first call loads
  // every key (O(table)).
  Result<int64_t> InternSelector(std::string_view selector);
  Result<int64_t> InternCell(std::string_view cell);

  // Interning split in two, so that a second thread can resolve ids while
  // this one inserts (SqliteWriter::PutComms). REQUIRES: inside a write
  // transaction. LoadInternMaps() first; then ResolveSelector/ResolveCell
  // (touch only memory: safe on another thread while no other member is used
  // there) return the id, with *fresh set when the id is new, in which case
  // InsertSelectorRow/InsertCellRow must add its row before the transaction
  // commits.
  Status LoadInternMaps();
  int64_t ResolveSelector(std::string_view selector, bool* fresh) {
    return Resolve(selectors_, selectors_.HashOf(selector), fresh);
  }
  // The same in steps, so that a caller can prefetch ahead of its lookups.
  InternMap::Hash SelectorHash(std::string_view selector) const {
    return selectors_.HashOf(selector);
  }
  void PrefetchSelector(const InternMap::Hash& hash) const { selectors_.Prefetch(hash); }
  int64_t ResolveSelector(const InternMap::Hash& hash, bool* fresh) {
    return Resolve(selectors_, hash, fresh);
  }
  int64_t ResolveCell(std::string_view cell, bool* fresh) {
    return Resolve(cells_, cells_.HashOf(cell), fresh);
  }
  Status InsertSelectorRow(int64_t id, std::string_view selector);
  Status InsertCellRow(int64_t id, std::string_view cell);
  // Forgets the intern maps (after a failure that may leave them ahead of
  // the file); the next use reloads them.
  void ForgetInterned() { ClearCaches(); }

  // Opens a write transaction (BEGIN IMMEDIATE) and makes sure the intern
  // maps agree with the file. Ends it with EndTransaction(commit).
  Status BeginWrite();
  // COMMIT (true) or ROLLBACK (false). A rollback clears the intern maps.
  // Returns the COMMIT's failure; on failure the transaction is rolled back.
  Status EndWrite(bool commit);
  // Runs `write` (a callable returning Status) in one write transaction:
  // BeginWrite, then COMMIT when it succeeds (EndWrite's failure is
  // returned) or ROLLBACK and its Status when it fails.
  template <typename Fn>
  Status InWriteTransaction(Fn&& write) {
    VIGIL_RETURN_IF_ERROR(BeginWrite());
    Status status = write();
    if (!status.ok()) {
      EndWrite(/*commit=*/false);
      return status;
    }
    return EndWrite(/*commit=*/true);
  }
  // NotFound-free existence check, for reference checks before a write.
  Result<bool> PersonExists(std::string_view person_id);

  void set_writer_open(bool open) { writer_open_ = open; }

  // A function run inside every write transaction of this store just before
  // its COMMIT (a writer's Commit, PutAttribution). If it fails, the
  // transaction is rolled back and its Status returned. The access layer
  // (src/access) uses it to write an action's audit records in the action's
  // own transaction. An empty function removes the hook.
  void set_commit_hook(std::function<Status()> hook) { commit_hook_ = std::move(hook); }

  // The SQL that reads one comm by rowid for ScanComms by selector, and the
  // SQL of ScanComms over a time window (tests check their query plans).
  static const char* CommsQuerySql(bool by_selector);

  SqliteStore(PassKey /*key*/, DbPtr db, std::string path)
      : db_(std::move(db)), path_(std::move(path)) {}

 private:
  Status Configure(const StoreOptions& options, bool fresh);
  Status Migrate();
  // Rebuilds the comm postings when migration 5 asked for it (see schema.cc).
  Status RebuildPostingsIfMarked();
  // ScanComms of query.selectors: postings, then each comm by rowid.
  Status ScanCommsOfSelectors(const CommQuery& query,
                              const std::function<bool(const Communication&)>& fn);
  Status LoadInternMap(InternMap& map, const char* load_sql);
  void ClearCaches();
  static int64_t Resolve(InternMap& map, const InternMap::Hash& hash, bool* fresh);

  // Statements are finalized before the connection closes (member order).
  DbPtr db_;
  std::string path_;
  std::unordered_map<const char*, Stmt> statements_;
  InternMap selectors_;
  InternMap cells_;
  // PRAGMA data_version when the intern maps were last known to be current.
  int64_t cached_data_version_ = -1;
  bool writer_open_ = false;
  std::function<Status()> commit_hook_;
};

// Resets a cached statement when the scope ends, so that it does not hold a
// read transaction open.
class StmtResetter {
 public:
  explicit StmtResetter(Stmt* stmt) : stmt_(stmt) {}
  ~StmtResetter() { stmt_->Reset(); }
  StmtResetter(const StmtResetter&) = delete;
  StmtResetter& operator=(const StmtResetter&) = delete;

 private:
  Stmt* stmt_;
};

// The writer of one source file: one SQLite transaction from BeginIngest()
// to Commit() or destruction (rollback). Comms rows get postings
// (postings.h) in the same transaction. PutComms runs a second thread for the
// duration of the call only; it touches the intern maps, never SQLite, and
// is joined before PutComms returns, so the store stays single-threaded to
// its user.
// REQUIRES: the SqliteStore outlives the writer.
class SqliteWriter final : public StoreWriter {
 public:
  SqliteWriter(SqliteStore& store, SourceFile file)
      : store_(store), file_(std::move(file)), postings_(store.db()) {}
  ~SqliteWriter() override;
  SqliteWriter(const SqliteWriter&) = delete;
  SqliteWriter& operator=(const SqliteWriter&) = delete;

  Status Put(const Person& person) override;
  Status Put(const SelectorRecord& selector) override;
  Status Put(const Communication& comm) override;
  Status Put(const TravelRecord& travel) override;
  Status Put(const CustodyRecord& custody) override;
  Status Put(const Report& report) override;
  Status Put(const WatchlistEntry& entry) override;
  Status PutComms(std::span<const Communication* const> comms, size_t* put) override;
  Status Commit(int64_t rows) override;

 private:
  Status CheckUsable() const;
  Status RequirePerson(std::string_view person_id, std::string_view what);
  // The ids of one comm found by the resolver thread of PutComms; `fresh`
  // says which are new (their rows are still to be inserted).
  static constexpr uint8_t kFreshSrc = 1, kFreshDst = 2, kFreshDevice = 4, kFreshCell = 8;
  static constexpr size_t kMinParallelComms = 256;  // fewer rows: one thread
  static constexpr size_t kResolveStep = 128;       // rows published at once
  // The resolver hashes and prefetches the slots of a row this many rows
  // before it looks them up: the maps outgrow the CPU caches, and a lookup
  // is otherwise one wait for memory per selector.
  static constexpr size_t kPrefetchRows = 16;
  struct ResolvedComm {
    int64_t src = 0;
    int64_t dst = 0;
    int64_t device = 0;  // 0: none
    int64_t cell = 0;    // 0: none
    uint8_t fresh = 0;
  };
  // How many rows the resolver has finished (a monotonic count).
  class ResolveProgress {
   public:
    void Publish(size_t rows);
    // Waits until more than `row` rows are ready; returns how many are.
    size_t WaitBeyond(size_t row);

   private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::atomic<size_t> ready_{0};
  };
  void ResolveIds(std::span<const Communication* const> comms, ResolveProgress& progress);
  Status InsertResolved(const Communication& comm, const ResolvedComm& ids);
  // Inserts one comm whose selector and cell ids are known, and its postings.
  Status InsertComm(const Communication& comm, int64_t src, int64_t dst,
                    std::optional<int64_t> device, std::optional<int64_t> cell);

  SqliteStore& store_;
  SourceFile file_;
  bool done_ = false;
  // The rowid of the next comm: one past max(rowid) at the first comms Put.
  std::optional<int64_t> next_comm_;
  // Postings of the comms Put so far, written in chunks and at Commit.
  PostingsBuilder postings_;
  std::vector<ResolvedComm> resolved_;  // PutComms scratch, one per row
};

}  // namespace vigil::sqlite

#endif  // VIGIL_STORE_SQLITE_SQLITE_STORE_H_
