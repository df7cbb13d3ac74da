#include "access/read_log.h"

#include "store/sqlite/sqlite_store.h"

namespace vigil {

Result<std::shared_ptr<AuditReadLog>> AuditReadLog::Open(
    const std::string& path, const OversightOptions& options,
    std::shared_ptr<const access::Signer> signer) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  sqlite::DbPtr db(raw);
  if (rc != SQLITE_OK) return sqlite::ErrorStatus(db.get(), rc, "opening the audit read log");
  sqlite3_busy_timeout(db.get(), sqlite::kBusyTimeoutMs);
  VIGIL_RETURN_IF_ERROR(sqlite::Exec(
      db.get(), options.synchronous ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF"));
  // Deleted content is overwritten, on this connection as on the store's.
  VIGIL_RETURN_IF_ERROR(sqlite::Exec(db.get(), "PRAGMA secure_delete = ON"));
  return std::make_shared<AuditReadLog>(std::move(db), options, std::move(signer));
}

AuditReadLog::AuditReadLog(sqlite::DbPtr db, const OversightOptions& options,
                           std::shared_ptr<const access::Signer> signer)
    : db_(std::move(db)),
      mode_(options.read_log),
      buffered_reads_(options.buffered_reads > 0 ? options.buffered_reads : 1),
      checkpoint_every_(options.checkpoint_every),
      clock_(options.clock != nullptr ? options.clock : &SystemClock()),
      signer_(std::move(signer)) {}

AuditReadLog::~AuditReadLog() { Flush(); }

Status AuditReadLog::WriteBatch(std::vector<AuditRecord>& batch) {
  VIGIL_RETURN_IF_ERROR(sqlite::Exec(db_.get(), "BEGIN IMMEDIATE"));
  access::WitnessUpdate update;
  Status status = access::AppendRecords(db_.get(), batch, signer_.get(), checkpoint_every_,
                                        clock_->Now(), &update);
  if (status.ok()) status = sqlite::Exec(db_.get(), "COMMIT");
  if (!status.ok() && sqlite3_get_autocommit(db_.get()) == 0) {
    sqlite::Exec(db_.get(), "ROLLBACK");
  }
  if (status.ok()) status = access::PublishToWitness(signer_.get(), update);
  return status;
}

Status AuditReadLog::LeadOneCommit(std::unique_lock<std::mutex>& lock) {
  committing_ = true;
  std::vector<AuditRecord> batch;
  batch.swap(queue_);
  const int64_t first = durable_;
  const int64_t last = enqueued_;
  lock.unlock();
  Status status = WriteBatch(batch);
  lock.lock();
  committing_ = false;
  durable_ = last;
  ++transactions_;
  if (status.ok()) {
    committed_records_ += static_cast<int64_t>(batch.size());
  } else {
    failed_from_ = first;
    failed_to_ = last;
    failure_ = status;
  }
  committed_cv_.notify_all();
  return status;
}

Status AuditReadLog::Log(AuditRecord record) {
  std::vector<AuditRecord> one;
  one.push_back(std::move(record));
  return LogAll(std::move(one));
}

Status AuditReadLog::LogAll(std::vector<AuditRecord> records) {
  if (records.empty()) return Status::Ok();
  const auto count = static_cast<int64_t>(records.size());
  if (mode_ == ReadLogMode::kEachRead) {
    // The baseline: one transaction (and one sync) per call, serialised.
    std::lock_guard<std::mutex> lock(mutex_);
    Status status = WriteBatch(records);
    ++transactions_;
    if (status.ok()) committed_records_ += count;
    return status;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  for (AuditRecord& record : records) queue_.push_back(std::move(record));
  enqueued_ += count;
  const int64_t ticket = enqueued_;
  if (mode_ == ReadLogMode::kBuffered) {
    if (static_cast<int64_t>(queue_.size()) < buffered_reads_ || committing_) return Status::Ok();
    return LeadOneCommit(lock);
  }
  // kGroup: the first waiter with no commit under way leads; the rest join
  // the next group.
  while (durable_ < ticket) {
    if (!committing_) {
      LeadOneCommit(lock);
      continue;
    }
    committed_cv_.wait(lock);
  }
  // Our records were queued together, so they went into one group.
  if (ticket > failed_from_ && ticket <= failed_to_) return failure_;
  return Status::Ok();
}

Status AuditReadLog::Flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (committing_) committed_cv_.wait(lock);
  if (queue_.empty()) return Status::Ok();
  return LeadOneCommit(lock);
}

int64_t AuditReadLog::committed_records() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return committed_records_;
}

int64_t AuditReadLog::transactions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return transactions_;
}

}  // namespace vigil
