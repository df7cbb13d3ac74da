// Retention: limits per category of data subject, and the erasure of what is
// past its limit.
#include <filesystem>
#include <map>

#include "access/erasure.h"
#include "access/oversight_impl.h"

namespace vigil {
namespace {

constexpr char kNoCategory[] = "none";

bool KnownCategory(std::string_view category) {
  return category == kNoCategory || ParseSubjectCategory(category).ok();
}

// What retention needs to know of one person.
struct PersonClock {
  std::string person_id;
  bool has_clock = false;  // false: no oversight row yet
  // On active or dormant watch (watch_subjects, else the default: subjects
  // are active, others closed): a review decides on them, not retention.
  bool watched = false;
  UnixTime stored_at = 0;
  std::optional<UnixTime> ended_at;
};

Result<std::vector<PersonClock>> LoadClocks(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt stmt,
      sqlite::Prepare(db,
                      "SELECT p.person_id, o.person_id IS NOT NULL, "
                      "coalesce(w.state, CASE WHEN p.status = 1 THEN 0 ELSE 2 END) IN (0, 1), "
                      "o.stored_at, o.ended_at FROM persons p "
                      "LEFT JOIN person_oversight o ON o.person_id = p.person_id "
                      "LEFT JOIN watch_subjects w ON w.person_id = p.person_id "
                      "ORDER BY p.person_id"));
  std::vector<PersonClock> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    PersonClock clock;
    clock.person_id = std::string(stmt.ColumnText(0));
    clock.has_clock = stmt.ColumnInt(1) != 0;
    clock.watched = stmt.ColumnInt(2) != 0;
    if (clock.has_clock) {
      clock.stored_at = stmt.ColumnInt(3);
      clock.ended_at = stmt.ColumnOptionalInt(4);
    }
    out.push_back(std::move(clock));
  }
  return out;
}

// Every person's case-link categories.
Result<std::multimap<std::string, std::string>> LoadCategories(sqlite3* db) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(db, "SELECT person_id, category FROM case_links"));
  std::multimap<std::string, std::string> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.emplace(std::string(stmt.ColumnText(0)),
                std::string(SubjectCategoryName(static_cast<SubjectCategory>(stmt.ColumnInt(1)))));
  }
  return out;
}

}  // namespace

Result<std::vector<RetentionLimit>> Oversight::RetentionLimits() {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT category, days FROM retention_limits ORDER BY "
                                         "category"));
  std::vector<RetentionLimit> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.push_back({std::string(stmt.ColumnText(0)), stmt.ColumnInt(1)});
  }
  return out;
}

Status Oversight::SetRetentionLimit(const RequestContext& context, std::string_view category,
                                    int64_t days) {
  const std::string object = "retention:" + std::string(category);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kConfigureRetention, "", object));
  if (!KnownCategory(category)) {
    return Status::InvalidArgument("unknown category '" + std::string(category) +
                                   "' (expected suspect, contact, witness, victim, other or none)");
  }
  if (days <= 0) return Status::InvalidArgument("a retention limit must be at least one day");
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt upsert,
                           sqlite::Prepare(impl_->db,
                                           "INSERT OR REPLACE INTO retention_limits(category, "
                                           "days) VALUES (?1, ?2)"));
    upsert.BindText(1, category);
    upsert.BindInt(2, days);
    VIGIL_RETURN_IF_ERROR(upsert.Run());
    records.push_back(MakeRecord(context, OperationName(Operation::kConfigureRetention), object, {},
                                 false, {{"days", std::to_string(days)}}));
    return Status::Ok();
  });
}

Result<std::vector<Erasure>> Oversight::ApplyRetention(const RequestContext& context,
                                                       bool dry_run) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kApplyRetention, "", "retention:apply"));
  VIGIL_ASSIGN_OR_RETURN(std::vector<RetentionLimit> limit_list, RetentionLimits());
  std::map<std::string, int64_t> limits;
  for (const auto& limit : limit_list) limits[limit.category] = limit.days;
  const UnixTime now = clock_->Now();
  std::vector<Erasure> due;
  access::WrittenFileScrub file_scrub;
  Status status = InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(std::vector<PersonClock> clocks, LoadClocks(impl_->db));
    VIGIL_ASSIGN_OR_RETURN(auto categories, LoadCategories(impl_->db));
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt start,
        sqlite::Prepare(impl_->db,
                        "INSERT OR IGNORE INTO person_oversight(person_id, stored_at) "
                        "VALUES (?1, ?2)"));
    for (const PersonClock& person : clocks) {
      if (!person.has_clock) {
        // Stored without the access layer: the clock starts now.
        if (!dry_run) {
          start.BindText(1, person.person_id);
          start.BindInt(2, now);
          VIGIL_RETURN_IF_ERROR(start.Run());
        }
        continue;
      }
      if (person.watched) continue;  // reviews decide
      Erasure erasure;
      erasure.person_id = person.person_id;
      erasure.anchor = person.ended_at.value_or(person.stored_at);
      erasure.category = kNoCategory;
      int64_t days = limits.count(kNoCategory) != 0 ? limits[kNoCategory] : 0;
      auto [first, last] = categories.equal_range(person.person_id);
      for (auto it = first; it != last; ++it) {
        const int64_t category_days = limits.count(it->second) != 0 ? limits[it->second] : 0;
        if (it == first || category_days > days) {
          days = category_days;
          erasure.category = it->second;
        }
      }
      if (days <= 0) continue;  // no limit configured for it
      erasure.due = erasure.anchor + days * access::kSecondsPerDay;
      if (now >= erasure.due) due.push_back(std::move(erasure));
    }
    if (dry_run) {
      records.push_back(MakeRecord(context, OperationName(Operation::kApplyRetention),
                                   "retention:apply", {}, false,
                                   {{"dry_run", "1"}, {"due", std::to_string(due.size())}}));
      return Status::Ok();
    }
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt note,
                           sqlite::Prepare(impl_->db,
                                           "INSERT INTO erasures(person_id, category, erased_by, "
                                           "erased_at) VALUES (?1, ?2, ?3, ?4)"));
    std::vector<access::PersonErasure> erased;
    std::vector<access::ErasedCounts> counts(due.size());
    for (size_t i = 0; i < due.size(); ++i) {
      VIGIL_ASSIGN_OR_RETURN(access::PersonErasure person,
                             access::PersonErasure::Gather(impl_->db, due[i].person_id));
      VIGIL_RETURN_IF_ERROR(person.EraseData(counts[i]));
      // The note of the erasure keeps the person's pseudonym, not the id.
      note.BindText(1, person.pseudonym());
      note.BindText(2, due[i].category);
      note.BindText(3, context.principal.user);
      note.BindInt(4, now);
      VIGIL_RETURN_IF_ERROR(note.Run());
      erased.push_back(std::move(person));
    }
    // Files outside the store: quarantine files are rewritten without the
    // persons' rows (put in place last, just before the commit); exports
    // that still name them are reported.
    std::vector<std::vector<std::string>> identifiers;
    for (const access::PersonErasure& person : erased) {
      identifiers.push_back(person.FileIdentifiers());
    }
    std::vector<int64_t> quarantine_rows(due.size(), 0);
    std::vector<std::vector<std::string>> holding(due.size());
    if (!due.empty()) {
      VIGIL_ASSIGN_OR_RETURN(std::vector<access::WrittenFileRow> files,
                             access::LoadWrittenFiles(impl_->db));
      VIGIL_RETURN_IF_ERROR(file_scrub.Prepare(files, identifiers, &quarantine_rows, &holding));
    }
    for (size_t i = 0; i < due.size(); ++i) {
      const Erasure& erasure = due[i];
      due[i].quarantine_rows = quarantine_rows[i];
      due[i].files_holding_person = holding[i];
      records.push_back(MakeRecord(context, "erase", "person:" + erasure.person_id,
                                   {erasure.person_id}, false,
                                   {{"category", erasure.category},
                                    {"due", FormatDate(erasure.due)},
                                    {"alerts", std::to_string(counts[i].alerts)},
                                    {"travel_erased", std::to_string(counts[i].travel)},
                                    {"selectors_erased", std::to_string(counts[i].selectors)},
                                    {"alerts_scrubbed", std::to_string(counts[i].alerts_scrubbed)},
                                    {"quarantine_rows", std::to_string(quarantine_rows[i])},
                                    {"files_holding", std::to_string(holding[i].size())}}));
    }
    records.push_back(MakeRecord(context, OperationName(Operation::kApplyRetention),
                                 "retention:apply", {}, false,
                                 {{"erased", std::to_string(due.size())}}));
    // The records name the persons by their pseudonyms; then the keys go,
    // and nothing links those pseudonyms to anyone any more.
    VIGIL_RETURN_IF_ERROR(AppendInOpenTransaction(records));
    records.clear();
    for (access::PersonErasure& person : erased) {
      VIGIL_RETURN_IF_ERROR(person.ForgetPseudonyms());
    }
    // Last before the commit: should the commit fail, the files lost only
    // rows that the retried erasure removes anyway; a crash after it cannot
    // leave a file holding a person the store no longer knows.
    return file_scrub.Apply();
  });
  if (!status.ok()) return status;
  // No earlier page image of the erased rows may stay in the -wal file.
  if (!due.empty()) VIGIL_RETURN_IF_ERROR(access::TruncateWal(impl_->db));
  return due;
}

Status Oversight::RecordWrittenFile(const RequestContext& context, WrittenFileKind kind,
                                    std::string_view path) {
  std::error_code error;
  const std::filesystem::path absolute =
      std::filesystem::absolute(std::filesystem::path(path), error).lexically_normal();
  if (error || path.empty()) {
    return Status::IOError(std::string(path) + ": cannot make the path absolute");
  }
  const std::string kind_name = kind == WrittenFileKind::kQuarantine ? "quarantine" : "export";
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt upsert,
        sqlite::Prepare(impl_->db,
                        "INSERT INTO written_files(path, kind, written_by, first_written_at, "
                        "last_written_at) VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(path) DO "
                        "UPDATE SET kind = ?2, written_by = ?3, last_written_at = ?4"));
    upsert.BindText(1, absolute.string());
    upsert.BindInt(2, static_cast<int64_t>(kind));
    upsert.BindText(3, context.principal.user);
    upsert.BindInt(4, clock_->Now());
    VIGIL_RETURN_IF_ERROR(upsert.Run());
    records.push_back(
        MakeRecord(context, "write_file", "file:" + kind_name, {}, false, {{"kind", kind_name}}));
    return Status::Ok();
  });
}

}  // namespace vigil
