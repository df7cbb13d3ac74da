// Oversight's audit questions: who looked at what, is the chain intact, and
// signed checkpoints of its head.
#include <algorithm>

#include "access/oversight_impl.h"

namespace vigil {

Result<std::vector<AuditRecord>> Oversight::QueryAudit(const RequestContext& context,
                                                       const AuditQuery& query) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kQueryAudit, "", "audit:query"));
  VIGIL_RETURN_IF_ERROR(FlushReads());
  // The log holds pseudonyms: a person is found through the key of their
  // id, which erasure deletes (an erased person is found no more).
  std::string subject;
  if (!query.subject.empty()) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> pseudonym,
                           access::ExistingPseudonym(impl_->db, "person:" + query.subject));
    subject = pseudonym.value_or("~none");
  }
  std::string sql =
      "SELECT a.seq, a.time, a.user, a.action, a.object, a.outcome, a.purpose, a.params, a.hash "
      "FROM audit_log a WHERE 1";
  if (!query.subject.empty()) {
    // Reads that showed the person, and attempts that were refused.
    sql +=
        " AND (a.seq IN (SELECT seq FROM audit_subjects WHERE person_id IN (?1, ?5)) OR "
        "a.object IN ('person:' || ?1, 'person:' || ?5))";
  }
  if (!query.user.empty()) sql += " AND a.user = ?2";
  if (query.from) sql += " AND a.time >= ?3";
  if (query.to) sql += " AND a.time < ?4";
  sql += query.newest_first ? " ORDER BY a.seq DESC" : " ORDER BY a.seq";
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt, sqlite::Prepare(impl_->db, sql));
  if (!query.subject.empty()) {
    stmt.BindText(1, subject);
    // Records written before schema 9 name the person in clear.
    stmt.BindText(5, query.subject);
  }
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
    // Pseudonyms whose keys still exist are shown as the identifiers.
    VIGIL_ASSIGN_OR_RETURN(r.object,
                           access::RevealPseudonyms(impl_->db, std::string(stmt.ColumnText(4))));
    r.refused = stmt.ColumnInt(5) != 0;
    r.purpose = std::string(stmt.ColumnText(6));
    VIGIL_ASSIGN_OR_RETURN(r.params,
                           access::RevealPseudonyms(impl_->db, std::string(stmt.ColumnText(7))));
    r.hash = std::string(stmt.ColumnText(8));
    subjects.BindInt(1, r.seq);
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool subject_row, subjects.Step());
      if (!subject_row) break;
      VIGIL_ASSIGN_OR_RETURN(
          std::string shown,
          access::RevealPseudonyms(impl_->db, std::string(subjects.ColumnText(0))));
      r.subjects.push_back(std::move(shown));
    }
    subjects.Reset();
    std::sort(r.subjects.begin(), r.subjects.end());
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
  Result<AuditVerifyReport> report =
      access::VerifyChain(impl_->db, external, trusted, impl_->signer.get());
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
    VIGIL_ASSIGN_OR_RETURN(int64_t mac_from, access::AuditMacFrom(impl_->db));
    checkpoint = impl_->signer->Sign(head.first, head.second, clock_->Now(), mac_from);
    (void)records;
    VIGIL_RETURN_IF_ERROR(access::InsertCheckpoint(impl_->db, checkpoint));
    // Published with the head once the transaction commits.
    impl_->pending_witness.checkpoints.push_back(checkpoint);
    return Status::Ok();
  }));
  return checkpoint;
}

}  // namespace vigil
