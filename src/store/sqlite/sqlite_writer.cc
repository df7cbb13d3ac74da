// SqliteWriter: the Puts of one source file inside one transaction.
#include <algorithm>
#include <array>
#include <ctime>
#include <string>
#include <thread>

#include "store/sqlite/codec.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kUpsertPerson[] =
    "INSERT INTO persons(person_id, name, aliases, birth_date, nationality, status, "
    "compartment, legal_basis, review_by, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT(person_id) DO UPDATE SET name = excluded.name, aliases = excluded.aliases, "
    "birth_date = excluded.birth_date, nationality = excluded.nationality, "
    "status = excluded.status, compartment = excluded.compartment, "
    "legal_basis = excluded.legal_basis, review_by = excluded.review_by, attrs = excluded.attrs";

constexpr char kUpsertSelectorRecord[] =
    "INSERT INTO selector_records(selector_id, first_seen, last_seen, source, attrs) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(selector_id) DO UPDATE SET "
    "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
    "source = excluded.source, attrs = excluded.attrs";

// A selectors.csv owner becomes a "source" attribution (state 3, confidence
// 1). It refreshes an earlier source or proposed attribution of the same pair
// but never overrides an analyst's decision (confirmed 1 / rejected 2).
constexpr char kUpsertSourceAttribution[] =
    "INSERT INTO attributions(selector_id, person_id, confidence, evidence, state) "
    "VALUES (?1, ?2, 1.0, ?3, 3) ON CONFLICT(selector_id, person_id) DO UPDATE SET "
    "confidence = 1.0, evidence = excluded.evidence, state = 3, decided_by = NULL, "
    "decided_at = NULL WHERE attributions.state NOT IN (1, 2)";

// The rowid is given explicitly (one past the largest, as SQLite would pick)
// so that the postings know it without asking.
constexpr char kInsertComm[] =
    "INSERT INTO comms(rowid, time, src, dst, kind, duration_s, device, cell, attrs) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

constexpr char kUpsertTravel[] =
    "INSERT INTO travel(record_id, time, name, birth_date, document, nationality, origin, "
    "destination, carrier, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT(record_id) DO UPDATE SET time = excluded.time, name = excluded.name, "
    "birth_date = excluded.birth_date, document = excluded.document, "
    "nationality = excluded.nationality, origin = excluded.origin, "
    "destination = excluded.destination, carrier = excluded.carrier, attrs = excluded.attrs";

constexpr char kUpsertCustody[] =
    "INSERT INTO custody(person_id, facility, start, end, attrs) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(person_id, facility, start) DO UPDATE SET end = excluded.end, "
    "attrs = excluded.attrs";

constexpr char kUpsertReport[] =
    "INSERT INTO reports(report_id, time, person_id, name, source, category, text, attrs) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(report_id) DO UPDATE SET "
    "time = excluded.time, person_id = excluded.person_id, name = excluded.name, "
    "source = excluded.source, category = excluded.category, text = excluded.text, "
    "attrs = excluded.attrs";

constexpr char kUpsertWatchlist[] =
    "INSERT INTO watchlist(entry_id, list, name, aliases, birth_date, nationality, reason, "
    "valid_until, handling, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
    "ON CONFLICT(entry_id) DO UPDATE SET list = excluded.list, name = excluded.name, "
    "aliases = excluded.aliases, birth_date = excluded.birth_date, "
    "nationality = excluded.nationality, reason = excluded.reason, "
    "valid_until = excluded.valid_until, handling = excluded.handling, attrs = excluded.attrs";

constexpr char kInsertIngestedFile[] =
    "INSERT INTO ingested_files(content_hash, path, kind, size_bytes, rows, committed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr char kMaxCommsRowid[] = "SELECT coalesce(max(rowid), 0) FROM comms";

Status Missing(std::string_view field, std::string_view record) {
  return Status::InvalidArgument(std::string(record) + " has no " + std::string(field));
}

}  // namespace

SqliteWriter::~SqliteWriter() {
  if (done_) return;
  store_.EndWrite(/*commit=*/false);
  store_.set_writer_open(false);
}

Status SqliteWriter::CheckUsable() const {
  if (done_) return Status::InvalidArgument("the writer of '" + file_.path + "' is spent");
  return Status::Ok();
}

Status SqliteWriter::RequirePerson(std::string_view person_id, std::string_view what) {
  VIGIL_ASSIGN_OR_RETURN(bool exists, store_.PersonExists(person_id));
  if (exists) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + " names unknown person_id '" +
                                 std::string(person_id) + "'");
}

Status SqliteWriter::Put(const Person& person) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (person.person_id.empty()) return Missing("person_id", "person");
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kUpsertPerson));
  const std::string aliases = EncodeStringList(person.aliases);
  const std::string attrs = EncodeAttributes(person.attributes);
  stmt->BindTextStatic(1, person.person_id);
  stmt->BindTextStatic(2, person.name);
  stmt->BindTextOrNull(3, aliases);
  stmt->BindTextOrNull(4, person.birth_date);
  stmt->BindTextOrNull(5, person.nationality);
  stmt->BindInt(6, static_cast<int64_t>(person.status));
  stmt->BindTextOrNull(7, person.compartment);
  stmt->BindTextOrNull(8, person.legal_basis);
  stmt->BindTextOrNull(9, person.review_by);
  stmt->BindTextOrNull(10, attrs);
  return stmt->Run();
}

Status SqliteWriter::Put(const SelectorRecord& selector) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (selector.selector.empty()) return Missing("selector", "selector record");
  // Check the owner first, so a refused record writes nothing.
  if (!selector.person_id.empty()) {
    VIGIL_RETURN_IF_ERROR(RequirePerson(selector.person_id, "selector " + selector.selector));
  }
  VIGIL_ASSIGN_OR_RETURN(int64_t selector_id, store_.InternSelector(selector.selector));
  VIGIL_ASSIGN_OR_RETURN(Stmt * record, store_.Cached(kUpsertSelectorRecord));
  const std::string attrs = EncodeAttributes(selector.attributes);
  record->BindInt(1, selector_id);
  record->BindOptionalInt(2, selector.first_seen);
  record->BindOptionalInt(3, selector.last_seen);
  record->BindTextOrNull(4, selector.source);
  record->BindTextOrNull(5, attrs);
  VIGIL_RETURN_IF_ERROR(record->Run());
  if (selector.person_id.empty()) return Status::Ok();

  VIGIL_ASSIGN_OR_RETURN(Stmt * attribution, store_.Cached(kUpsertSourceAttribution));
  const std::string evidence =
      "selectors.csv: source '" + selector.source + "' in file '" + file_.path + "'";
  attribution->BindInt(1, selector_id);
  attribution->BindTextStatic(2, selector.person_id);
  attribution->BindTextStatic(3, evidence);
  return attribution->Run();
}

Status SqliteWriter::Put(const Communication& comm) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (comm.src.empty()) return Missing("src", "communication");
  if (comm.dst.empty()) return Missing("dst", "communication");
  VIGIL_ASSIGN_OR_RETURN(int64_t src, store_.InternSelector(comm.src));
  VIGIL_ASSIGN_OR_RETURN(int64_t dst, store_.InternSelector(comm.dst));
  std::optional<int64_t> device;
  if (!comm.device.empty()) {
    VIGIL_ASSIGN_OR_RETURN(device, store_.InternSelector(comm.device));
  }
  std::optional<int64_t> cell;
  if (!comm.cell.empty()) {
    VIGIL_ASSIGN_OR_RETURN(cell, store_.InternCell(comm.cell));
  }
  return InsertComm(comm, src, dst, device, cell);
}

Status SqliteWriter::InsertComm(const Communication& comm, int64_t src, int64_t dst,
                                std::optional<int64_t> device, std::optional<int64_t> cell) {
  if (!next_comm_.has_value()) {
    VIGIL_ASSIGN_OR_RETURN(int64_t max_rowid, QueryInt(store_.db(), kMaxCommsRowid));
    next_comm_ = max_rowid + 1;
  }
  const int64_t rowid = *next_comm_;
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kInsertComm));
  stmt->BindInt(1, rowid);
  stmt->BindInt(2, comm.time);
  stmt->BindInt(3, src);
  stmt->BindInt(4, dst);
  stmt->BindInt(5, static_cast<int64_t>(comm.kind));
  stmt->BindOptionalInt(6, comm.duration_s);
  stmt->BindOptionalInt(7, device);
  stmt->BindOptionalInt(8, cell);
  if (comm.attributes.empty()) {
    stmt->BindNull(9);
  } else {
    stmt->BindText(9, EncodeAttributes(comm.attributes));
  }
  VIGIL_RETURN_IF_ERROR(stmt->Run());
  ++*next_comm_;
  return postings_.Add(rowid, comm.time, src, dst);
}

// Two threads: a resolver finds (or assigns) the selector and cell ids of
// every row, touching only the intern maps; this thread inserts the rows in
// order as their ids become ready, adding the rows of new selectors and
// cells first. The resolver publishes its progress every kResolveStep rows.
// The maps are touched by the resolver only until it is joined.
Status SqliteWriter::PutComms(std::span<const Communication* const> comms, size_t* put) {
  *put = 0;
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  size_t valid = 0;  // rows before the first without src or dst
  while (valid < comms.size() && !comms[valid]->src.empty() && !comms[valid]->dst.empty()) {
    ++valid;
  }
  if (valid >= kMinParallelComms) {
    VIGIL_RETURN_IF_ERROR(store_.LoadInternMaps());
    resolved_.resize(valid);
    ResolveProgress progress;
    std::thread resolver([&] { ResolveIds(comms.first(valid), progress); });
    Status status;
    size_t ready = 0;
    for (size_t row = 0; row < valid && status.ok(); ++row) {
      if (row >= ready) ready = progress.WaitBeyond(row);
      status = InsertResolved(*comms[row], resolved_[row]);
      if (status.ok()) ++*put;
    }
    resolver.join();
    if (!status.ok()) {
      store_.ForgetInterned();  // ids of rows never inserted may be in the maps
      return status;
    }
  }
  for (size_t row = *put; row < comms.size(); ++row) {
    VIGIL_RETURN_IF_ERROR(Put(*comms[row]));
    ++*put;
  }
  return Status::Ok();
}

void SqliteWriter::ResolveIds(std::span<const Communication* const> comms,
                              ResolveProgress& progress) {
  struct RowHashes {
    InternMap::Hash src, dst, device;
  };
  std::array<RowHashes, kPrefetchRows> ahead;
  auto hash_row = [&](size_t row) {
    const Communication& comm = *comms[row];
    RowHashes& hashes = ahead[row % kPrefetchRows];
    hashes.src = store_.SelectorHash(comm.src);
    store_.PrefetchSelector(hashes.src);
    hashes.dst = store_.SelectorHash(comm.dst);
    store_.PrefetchSelector(hashes.dst);
    if (!comm.device.empty()) {
      hashes.device = store_.SelectorHash(comm.device);
      store_.PrefetchSelector(hashes.device);
    }
  };
  for (size_t row = 0; row < std::min(kPrefetchRows, comms.size()); ++row) hash_row(row);
  for (size_t row = 0; row < comms.size(); ++row) {
    const RowHashes hashes = ahead[row % kPrefetchRows];
    if (row + kPrefetchRows < comms.size()) hash_row(row + kPrefetchRows);
    const Communication& comm = *comms[row];
    ResolvedComm& ids = resolved_[row];
    bool fresh = false;
    ids.fresh = 0;
    ids.src = store_.ResolveSelector(hashes.src, &fresh);
    if (fresh) ids.fresh |= kFreshSrc;
    ids.dst = store_.ResolveSelector(hashes.dst, &fresh);
    if (fresh) ids.fresh |= kFreshDst;
    ids.device = 0;
    if (!comm.device.empty()) {
      ids.device = store_.ResolveSelector(hashes.device, &fresh);
      if (fresh) ids.fresh |= kFreshDevice;
    }
    ids.cell = 0;
    if (!comm.cell.empty()) {
      ids.cell = store_.ResolveCell(comm.cell, &fresh);
      if (fresh) ids.fresh |= kFreshCell;
    }
    if ((row + 1) % kResolveStep == 0) progress.Publish(row + 1);
  }
  progress.Publish(comms.size());
}

Status SqliteWriter::InsertResolved(const Communication& comm, const ResolvedComm& ids) {
  if (ids.fresh != 0) {
    if (ids.fresh & kFreshSrc) VIGIL_RETURN_IF_ERROR(store_.InsertSelectorRow(ids.src, comm.src));
    if (ids.fresh & kFreshDst) VIGIL_RETURN_IF_ERROR(store_.InsertSelectorRow(ids.dst, comm.dst));
    if (ids.fresh & kFreshDevice) {
      VIGIL_RETURN_IF_ERROR(store_.InsertSelectorRow(ids.device, comm.device));
    }
    if (ids.fresh & kFreshCell) VIGIL_RETURN_IF_ERROR(store_.InsertCellRow(ids.cell, comm.cell));
  }
  std::optional<int64_t> device;
  if (ids.device != 0) device = ids.device;
  std::optional<int64_t> cell;
  if (ids.cell != 0) cell = ids.cell;
  return InsertComm(comm, ids.src, ids.dst, device, cell);
}

void SqliteWriter::ResolveProgress::Publish(size_t rows) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ready_.store(rows, std::memory_order_release);
  }
  changed_.notify_one();
}

size_t SqliteWriter::ResolveProgress::WaitBeyond(size_t row) {
  size_t ready = ready_.load(std::memory_order_acquire);
  if (ready > row) return ready;
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return ready_.load(std::memory_order_acquire) > row; });
  return ready_.load(std::memory_order_acquire);
}

Status SqliteWriter::Put(const TravelRecord& travel) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (travel.record_id.empty()) return Missing("record_id", "travel record");
  std::optional<int64_t> document;
  if (!travel.document.empty()) {
    VIGIL_ASSIGN_OR_RETURN(document, store_.InternSelector(travel.document));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kUpsertTravel));
  const std::string attrs = EncodeAttributes(travel.attributes);
  stmt->BindTextStatic(1, travel.record_id);
  stmt->BindInt(2, travel.time);
  stmt->BindTextStatic(3, travel.name);
  stmt->BindTextOrNull(4, travel.birth_date);
  stmt->BindOptionalInt(5, document);
  stmt->BindTextOrNull(6, travel.nationality);
  stmt->BindTextOrNull(7, travel.origin);
  stmt->BindTextStatic(8, travel.destination);
  stmt->BindTextOrNull(9, travel.carrier);
  stmt->BindTextOrNull(10, attrs);
  return stmt->Run();
}

Status SqliteWriter::Put(const CustodyRecord& custody) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (custody.person_id.empty()) return Missing("person_id", "custody record");
  if (custody.facility.empty()) return Missing("facility", "custody record");
  if (custody.start.empty()) return Missing("start", "custody record");
  VIGIL_RETURN_IF_ERROR(RequirePerson(custody.person_id, "custody record"));
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kUpsertCustody));
  const std::string attrs = EncodeAttributes(custody.attributes);
  stmt->BindTextStatic(1, custody.person_id);
  stmt->BindTextStatic(2, custody.facility);
  stmt->BindTextStatic(3, custody.start);
  stmt->BindTextOrNull(4, custody.end);
  stmt->BindTextOrNull(5, attrs);
  return stmt->Run();
}

Status SqliteWriter::Put(const Report& report) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (report.report_id.empty()) return Missing("report_id", "report");
  if (!report.person_id.empty()) {
    VIGIL_RETURN_IF_ERROR(RequirePerson(report.person_id, "report " + report.report_id));
  }
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kUpsertReport));
  const std::string attrs = EncodeAttributes(report.attributes);
  stmt->BindTextStatic(1, report.report_id);
  stmt->BindInt(2, report.time);
  stmt->BindTextOrNull(3, report.person_id);
  stmt->BindTextOrNull(4, report.name);
  stmt->BindTextStatic(5, report.source);
  stmt->BindInt(6, static_cast<int64_t>(report.category));
  stmt->BindTextOrNull(7, report.text);
  stmt->BindTextOrNull(8, attrs);
  return stmt->Run();
}

Status SqliteWriter::Put(const WatchlistEntry& entry) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (entry.entry_id.empty()) return Missing("entry_id", "watch-list entry");
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kUpsertWatchlist));
  const std::string aliases = EncodeStringList(entry.aliases);
  const std::string attrs = EncodeAttributes(entry.attributes);
  stmt->BindTextStatic(1, entry.entry_id);
  stmt->BindTextStatic(2, entry.list);
  stmt->BindTextStatic(3, entry.name);
  stmt->BindTextOrNull(4, aliases);
  stmt->BindTextOrNull(5, entry.birth_date);
  stmt->BindTextOrNull(6, entry.nationality);
  stmt->BindTextOrNull(7, entry.reason);
  stmt->BindTextOrNull(8, entry.valid_until);
  stmt->BindInt(9, static_cast<int64_t>(entry.handling));
  stmt->BindTextOrNull(10, attrs);
  return stmt->Run();
}

Status SqliteWriter::Commit(int64_t rows) {
  VIGIL_RETURN_IF_ERROR(CheckUsable());
  if (rows < 0) return Status::InvalidArgument("Commit: negative row count");
  VIGIL_RETURN_IF_ERROR(postings_.Flush());
  VIGIL_ASSIGN_OR_RETURN(Stmt * stmt, store_.Cached(kInsertIngestedFile));
  stmt->BindTextStatic(1, file_.content_hash);
  stmt->BindTextStatic(2, file_.path);
  stmt->BindInt(3, static_cast<int64_t>(file_.kind));
  stmt->BindInt(4, file_.size_bytes);
  stmt->BindInt(5, rows);
  stmt->BindInt(6, static_cast<int64_t>(std::time(nullptr)));
  VIGIL_RETURN_IF_ERROR(stmt->Run());
  // A failed COMMIT rolls the whole file back (EndWrite), so the writer is
  // spent either way.
  done_ = true;
  store_.set_writer_open(false);
  return store_.EndWrite(/*commit=*/true);
}

}  // namespace vigil::sqlite
