// AuditReadLog: appends read records to the audit chain on its own SQLite
// connection, committing many records in one transaction.
//
// kGroup is leader/follower group commit: a reader queues its record and
// waits; the first waiter that finds no commit under way becomes the leader,
// takes every queued record, appends them in one transaction (one sync) and
// wakes the others. A single reader thus pays one transaction per read, and
// N concurrent readers share one. kBuffered returns at once and commits when
// `buffered_reads` records are queued, on Flush() and on destruction.
// kEachRead commits every record alone (the baseline).
//
// Thread-safety: every method may be called from any thread.
#ifndef VIGIL_ACCESS_READ_LOG_H_
#define VIGIL_ACCESS_READ_LOG_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "access/audit_chain.h"
#include "store/sqlite/sqlite_handle.h"
#include "vigil/oversight.h"

namespace vigil {

class AuditReadLog {
 public:
  // Opens a connection to the store file at `path`.
  static Result<std::shared_ptr<AuditReadLog>> Open(const std::string& path,
                                                    const OversightOptions& options,
                                                    std::shared_ptr<const access::Signer> signer);
  ~AuditReadLog();

  // Appends `record` (see the modes above).
  Status Log(AuditRecord record);
  // Appends `records` (in order) as one unit: in kGroup the caller waits for
  // the one commit that makes the last of them durable, not one commit per
  // record, so a request that made n audited reads pays one group commit.
  // An empty vector returns Ok at once.
  Status LogAll(std::vector<AuditRecord> records);
  // Commits every queued record now.
  Status Flush();

  // Records committed so far and transactions used (for the benchmark).
  int64_t committed_records() const;
  int64_t transactions() const;

  AuditReadLog(sqlite::DbPtr db, const OversightOptions& options,
               std::shared_ptr<const access::Signer> signer);

 private:
  // REQUIRES: lock held, leader role taken. Releases the lock while writing.
  Status LeadOneCommit(std::unique_lock<std::mutex>& lock);
  Status WriteBatch(std::vector<AuditRecord>& batch);

  sqlite::DbPtr db_;
  ReadLogMode mode_;
  int64_t buffered_reads_;
  int64_t checkpoint_every_;
  const Clock* clock_;
  std::shared_ptr<const access::Signer> signer_;

  mutable std::mutex mutex_;
  std::condition_variable committed_cv_;
  std::vector<AuditRecord> queue_;
  int64_t enqueued_ = 0;     // tickets handed out
  int64_t durable_ = 0;      // every ticket <= this is settled
  int64_t failed_from_ = 0;  // tickets in (failed_from_, failed_to_] failed
  int64_t failed_to_ = 0;
  Status failure_;
  bool committing_ = false;
  int64_t committed_records_ = 0;
  int64_t transactions_ = 0;
};

}  // namespace vigil

#endif  // VIGIL_ACCESS_READ_LOG_H_
