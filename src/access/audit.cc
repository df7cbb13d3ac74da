// Oversight's audit questions: who looked at what, is the chain intact, and
// signed checkpoints of its head.
#include "access/oversight_impl.h"

namespace vigil {

Result<std::vector<AuditRecord>> Oversight::QueryAudit(const RequestContext& context,
                                                       const AuditQuery& query) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kQueryAudit, "", "audit:query"));
  VIGIL_RETURN_IF_ERROR(FlushReads());
  std::string sql =
      "SELECT a.seq, a.time, a.user, a.action, a.object, a.outcome, a.purpose, a.params, a.hash "
      "FROM audit_log a WHERE 1";
  if (!query.subject.empty()) {
    // Reads that showed the person, and attempts that were refused.
    sql +=
        " AND (a.seq IN (SELECT seq FROM audit_subjects WHERE person_id = ?1) OR "
        "a.object = 'person:' || ?1)";
  }
  if (!query.user.empty()) sql += " AND a.user = ?2";
  if (query.from) sql += " AND a.time >= ?3";
  if (query.to) sql += " AND a.time < ?4";
  sql += query.newest_first ? " ORDER BY a.seq DESC" : " ORDER BY a.seq";
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt, sqlite::Prepare(impl_->db, sql));
  if (!query.subject.empty()) stmt.BindText(1, query.subject);
  if (!query.user.empty()) stmt.BindText(2, query.user);
  if (query.from) stmt.BindInt(3, *query.from);
  if (query.to) stmt.BindInt(4, *query.to);
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt subjects,
                         sqlite::Prepare(impl_->db,
                                         "SELECT person_id FROM audit_subjects WHERE seq = ?1 "
                                         "ORDER BY person_id"));
  std::vector<AuditRecord> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    AuditRecord r;
    r.seq = stmt.ColumnInt(0);
    r.time = stmt.ColumnInt(1);
    r.user = std::string(stmt.ColumnText(2));
    r.action = std::string(stmt.ColumnText(3));
    r.object = std::string(stmt.ColumnText(4));
    r.refused = stmt.ColumnInt(5) != 0;
    r.purpose = std::string(stmt.ColumnText(6));
    r.params = std::string(stmt.ColumnText(7));
    r.hash = std::string(stmt.ColumnText(8));
    subjects.BindInt(1, r.seq);
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool subject_row, subjects.Step());
      if (!subject_row) break;
      r.subjects.emplace_back(subjects.ColumnText(0));
    }
    subjects.Reset();
    out.push_back(std::move(r));
  }
  // The question itself is a read of the log, logged too.
  VIGIL_RETURN_IF_ERROR(
      LogRead(MakeRecord(context, OperationName(Operation::kQueryAudit), "audit:query", {}, false,
                         {{"user", query.user},
                          {"subject", query.subject},
                          {"results", std::to_string(out.size())}})));
  return out;
}

Result<AuditVerifyReport> Oversight::VerifyAudit(const RequestContext& context,
                                                 const std::optional<AuditCheckpoint>& external) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kVerifyAudit, "", "audit:verify"));
  VIGIL_RETURN_IF_ERROR(FlushReads());
  std::vector<std::string> trusted;
  if (impl_->signer) trusted.push_back(impl_->signer->public_key_hex());
  // Verify in one read snapshot.
  VIGIL_RETURN_IF_ERROR(sqlite::Exec(impl_->db, "BEGIN"));
  Result<AuditVerifyReport> report = access::VerifyChain(impl_->db, external, trusted);
  sqlite::Exec(impl_->db, "COMMIT");
  if (!report.ok()) return report.status();
  VIGIL_RETURN_IF_ERROR(
      LogAction(MakeRecord(context, OperationName(Operation::kVerifyAudit), "audit:verify", {},
                           false, {{"problems", std::to_string(report->problems.size())}})));
  return report;
}

Result<AuditCheckpoint> Oversight::Checkpoint(const RequestContext& context) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kCheckpointAudit, "", "audit:checkpoint"));
  if (!impl_->signer) {
    return Status::InvalidArgument("no signing key is configured for audit checkpoints");
  }
  AuditCheckpoint checkpoint;
  VIGIL_RETURN_IF_ERROR(InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    // The checkpoint's own record comes first, so the checkpoint covers it.
    std::vector<AuditRecord> own = {MakeRecord(context, OperationName(Operation::kCheckpointAudit),
                                               "audit:checkpoint", {}, false)};
    VIGIL_RETURN_IF_ERROR(AppendInOpenTransaction(own));
    VIGIL_ASSIGN_OR_RETURN(auto head, access::ChainHead(impl_->db));
    checkpoint = impl_->signer->Sign(head.first, head.second, clock_->Now());
    (void)records;
    return access::InsertCheckpoint(impl_->db, checkpoint);
  }));
  return checkpoint;
}

}  // namespace vigil
