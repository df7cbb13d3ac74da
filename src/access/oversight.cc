// Opening an Oversight handle, and what every oversight action shares:
// authorisation with audited refusals, audit records, and transactions that
// carry their own audit records.
#include <algorithm>
#include <filesystem>

#include "access/oversight_impl.h"

namespace vigil {
namespace access {

std::pair<std::string, std::string> SplitObject(std::string_view object) {
  const size_t colon = object.find(':');
  if (colon == std::string_view::npos) return {std::string(object), ""};
  return {std::string(object.substr(0, colon)), std::string(object.substr(colon + 1))};
}

Result<std::string> QueryOneText(sqlite3* db, const char* sql, std::string_view param) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt, sqlite::Prepare(db, sql));
  stmt.BindText(1, param);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::NotFound("no row");
  return std::string(stmt.ColumnText(0));
}

Result<std::shared_ptr<const Signer>> LoadSigner(const OversightOptions& options) {
  if (options.signing_key_path.empty()) return std::shared_ptr<const Signer>();
  const std::string witness =
      options.witness_path.empty() ? options.signing_key_path + ".witness" : options.witness_path;
  VIGIL_ASSIGN_OR_RETURN(Signer loaded, Signer::LoadOrCreate(options.signing_key_path, witness));
  return std::make_shared<const Signer>(std::move(loaded));
}

}  // namespace access

Oversight::Oversight(std::unique_ptr<Impl> impl, const Clock* clock)
    : impl_(std::move(impl)), clock_(clock) {}

Oversight::~Oversight() {
  if (impl_->store != nullptr) impl_->store->set_commit_hook({});
  if (impl_->read_log) impl_->read_log->Flush();
}

Result<std::shared_ptr<AuditReadLog>> OpenAuditReadLog(const std::string& path,
                                                       const OversightOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::shared_ptr<const access::Signer> signer, access::LoadSigner(options));
  return AuditReadLog::Open(path, options, std::move(signer));
}

Result<std::unique_ptr<Oversight>> Oversight::Open(Store& store, OversightOptions options) {
  auto* sqlite_store = dynamic_cast<sqlite::SqliteStore*>(&store);
  if (sqlite_store == nullptr) {
    return Status::InvalidArgument("oversight needs the SQLite store (no other backend yet)");
  }
  auto impl = std::make_unique<Impl>();
  impl->store = sqlite_store;
  impl->db = sqlite_store->db();
  const char* file = sqlite3_db_filename(impl->db, "main");
  impl->path = file != nullptr ? file : "";
  if (options.clock == nullptr) options.clock = &SystemClock();
  VIGIL_ASSIGN_OR_RETURN(impl->signer, access::LoadSigner(options));
  if (options.shared_read_log) {
    impl->read_log = options.shared_read_log;
  } else {
    VIGIL_ASSIGN_OR_RETURN(impl->read_log, AuditReadLog::Open(impl->path, options, impl->signer));
  }
  const Clock* clock = options.clock;
  impl->options = std::move(options);
  return std::make_unique<Oversight>(std::move(impl), clock);
}

AuditRecord Oversight::MakeRecord(const RequestContext& context, std::string_view action,
                                  std::string object, std::vector<std::string> subjects,
                                  bool refused,
                                  const std::vector<std::pair<std::string, std::string>>& extra) {
  AuditRecord record;
  record.time = clock_->Now();
  record.user = context.principal.user;
  record.action = std::string(action);
  record.object = std::move(object);
  record.refused = refused;
  record.purpose = context.purpose;
  // Encoded (identifiers pseudonymised) when appended: AppendRecords.
  if (!context.client.empty()) record.param_values.emplace_back("client", context.client);
  for (const auto& param : context.params) record.param_values.push_back(param);
  for (const auto& param : extra) record.param_values.push_back(param);
  std::sort(subjects.begin(), subjects.end());
  subjects.erase(std::unique(subjects.begin(), subjects.end()), subjects.end());
  record.subjects = std::move(subjects);
  return record;
}

Status Oversight::AppendInOpenTransaction(std::vector<AuditRecord>& records) {
  return access::AppendRecords(impl_->db, records, impl_->signer.get(),
                               impl_->options.checkpoint_every, clock_->Now(),
                               &impl_->pending_witness);
}

void Oversight::SetCommitAudit(std::vector<AuditRecord>* records) {
  if (records == nullptr) {
    impl_->store->set_commit_hook({});
    // A witness that lags is never a false alarm; a failed publish is left
    // for the next commit's head to cover.
    (void)access::PublishIfCommitted(impl_->db, impl_->signer.get(), impl_->pending_witness);
    return;
  }
  impl_->store->set_commit_hook([this, records] { return AppendInOpenTransaction(*records); });
}

Status Oversight::InTransaction(const std::function<Status(std::vector<AuditRecord>&)>& fn) {
  // Queued reads come first in the chain.
  VIGIL_RETURN_IF_ERROR(impl_->read_log->Flush());
  VIGIL_RETURN_IF_ERROR(sqlite::Exec(impl_->db, "BEGIN IMMEDIATE"));
  std::vector<AuditRecord> records;
  Status status = fn(records);
  if (status.ok()) status = AppendInOpenTransaction(records);
  if (status.ok()) status = sqlite::Exec(impl_->db, "COMMIT");
  if (!status.ok() && sqlite3_get_autocommit(impl_->db) == 0) {
    sqlite::Exec(impl_->db, "ROLLBACK");
  }
  if (status.ok()) {
    return access::PublishIfCommitted(impl_->db, impl_->signer.get(), impl_->pending_witness);
  }
  impl_->pending_witness = access::WitnessUpdate{};
  return status;
}

Status Oversight::Require(const RequestContext& context, Operation op, std::string_view compartment,
                          std::string_view object) {
  const Decision decision = Authorize(context.principal, op, compartment);
  if (decision == Decision::kAllow) return Status::Ok();
  VIGIL_RETURN_IF_ERROR(
      LogAction(MakeRecord(context, OperationName(op), std::string(object), {}, true)));
  if (decision == Decision::kDenyRole) {
    return Status::PermissionDenied("role " + std::string(RoleName(context.principal.role)) +
                                    " may not " + std::string(OperationName(op)));
  }
  const auto [kind, id] = access::SplitObject(object);
  return Status::NotFound(NotVisibleMessage(kind, id));
}

Status Oversight::RequireRole(const RequestContext& context, Operation op,
                              std::string_view object) {
  if (context.principal.setup || RoleMay(context.principal.role, op)) return Status::Ok();
  return Require(context, op, "", object);
}

Result<std::string> Oversight::PersonCompartment(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT coalesce(compartment, '') FROM persons "
                                         "WHERE person_id = ?1"));
  stmt.BindText(1, person_id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) return Status::NotFound(NotVisibleMessage("person", person_id));
  return std::string(stmt.ColumnText(0));
}

Result<std::string> Oversight::RequirePerson(const RequestContext& context, Operation op,
                                             std::string_view person_id) {
  const std::string object = "person:" + std::string(person_id);
  Result<std::string> compartment = PersonCompartment(person_id);
  if (!compartment.ok()) {
    if (!compartment.status().IsNotFound()) return compartment.status();
    VIGIL_RETURN_IF_ERROR(LogAction(MakeRecord(context, OperationName(op), object, {}, true)));
    return compartment.status();
  }
  VIGIL_RETURN_IF_ERROR(Require(context, op, *compartment, object));
  return compartment;
}

Status Oversight::LogRead(AuditRecord record) { return impl_->read_log->Log(std::move(record)); }

Status Oversight::LogReads(std::vector<AuditRecord> records) {
  return impl_->read_log->LogAll(std::move(records));
}

Status Oversight::FlushReads() { return impl_->read_log->Flush(); }

Status Oversight::LogAction(AuditRecord record) {
  return InTransaction([&](std::vector<AuditRecord>& records) {
    records.push_back(std::move(record));
    return Status::Ok();
  });
}

}  // namespace vigil

namespace vigil {

Status Oversight::NoteStored(std::string_view person_id) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt insert,
                         sqlite::Prepare(impl_->db,
                                         "INSERT OR IGNORE INTO person_oversight(person_id, "
                                         "stored_at) VALUES (?1, ?2)"));
  insert.BindText(1, person_id);
  insert.BindInt(2, clock_->Now());
  return insert.Run();
}

}  // namespace vigil
