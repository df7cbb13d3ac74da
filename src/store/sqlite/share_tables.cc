// SqliteStore: partner exchange (schema migration kShareVersion in
// schema.cc): partners, agreements, signed envelopes with the outbox's
// delivery state, and the acknowledgement ledger.
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr char kInsertPartner[] =
    "INSERT INTO share_partners(name, url, public_key, key_id, added_by, added_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kPartnerTaken[] = "SELECT name FROM share_partners WHERE name = ?1 OR key_id = ?2";
constexpr char kScanPartners[] =
    "SELECT name, url, public_key, key_id, added_by, added_at FROM share_partners ORDER BY name";
constexpr char kPartnerExists[] = "SELECT 1 FROM share_partners WHERE name = ?1";
constexpr char kInsertAgreement[] =
    "INSERT INTO share_agreements(partner, kinds, fields, legal_basis, created_by, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kScanAgreements[] =
    "SELECT id, partner, kinds, fields, legal_basis, created_by, created_at "
    "FROM share_agreements ORDER BY id";
#define VIGIL_SHARE_MESSAGE_COLUMNS                                                      \
  "SELECT direction, partner, message_id, kind, marking, originator_control, deadline, " \
  "envelope, created_at, delivered, attempts, next_attempt_at, last_error FROM share_messages"
constexpr char kSelectMessage[] =
    VIGIL_SHARE_MESSAGE_COLUMNS " WHERE direction = ?1 AND partner = ?2 AND message_id = ?3";
constexpr char kScanMessages[] = VIGIL_SHARE_MESSAGE_COLUMNS " ORDER BY rowid";
#undef VIGIL_SHARE_MESSAGE_COLUMNS
constexpr char kInsertMessage[] =
    "INSERT INTO share_messages(direction, partner, message_id, kind, marking, "
    "originator_control, deadline, envelope, created_at, delivered, attempts, next_attempt_at, "
    "last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
constexpr char kUpdateDelivery[] =
    "UPDATE share_messages SET delivered = ?4, attempts = ?5, next_attempt_at = ?6, "
    "last_error = ?7 WHERE direction = ?1 AND partner = ?2 AND message_id = ?3";
constexpr char kInsertEvent[] =
    "INSERT INTO share_events(direction, partner, message_id, event, at, by, detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kScanEvents[] =
    "SELECT id, direction, partner, message_id, event, at, by, detail FROM share_events "
    "ORDER BY id";

ShareMessage ReadMessage(const Stmt& stmt) {
  ShareMessage m;
  m.direction = static_cast<int>(stmt.ColumnInt(0));
  m.partner = std::string(stmt.ColumnText(1));
  m.message_id = std::string(stmt.ColumnText(2));
  m.kind = std::string(stmt.ColumnText(3));
  m.marking = std::string(stmt.ColumnText(4));
  m.originator_control = stmt.ColumnInt(5) != 0;
  m.deadline = stmt.ColumnInt(6);
  m.envelope = std::string(stmt.ColumnText(7));
  m.created_at = stmt.ColumnInt(8);
  m.delivered = stmt.ColumnInt(9) != 0;
  m.attempts = stmt.ColumnInt(10);
  m.next_attempt_at = stmt.ColumnInt(11);
  m.last_error = std::string(stmt.ColumnText(12));
  return m;
}

Status InsertEvent(Stmt& insert, const ShareEvent& event) {
  if (event.event.empty()) return Status::InvalidArgument("a ledger event needs a name");
  insert.BindInt(1, event.direction);
  insert.BindText(2, event.partner);
  insert.BindText(3, event.message_id);
  insert.BindText(4, event.event);
  insert.BindInt(5, event.at);
  insert.BindText(6, event.by);
  insert.BindText(7, event.detail);
  return insert.Run();
}

}  // namespace

// Runs `write` in one write transaction, committed when it succeeds.
template <typename Write>
static Status InTransaction(SqliteStore& store, Write write) {
  VIGIL_RETURN_IF_ERROR(store.BeginWrite());
  Status status = write();
  if (!status.ok()) {
    store.EndWrite(/*commit=*/false);
    return status;
  }
  return store.EndWrite(/*commit=*/true);
}

Status SqliteStore::PutSharePartner(const SharePartner& partner) {
  if (partner.name.empty() || partner.url.empty() || partner.public_key.empty() ||
      partner.key_id.empty()) {
    return Status::InvalidArgument("a partner needs a name, a url and a key");
  }
  return InTransaction(*this, [&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * taken, Cached(kPartnerTaken));
      StmtResetter reset(taken);
      taken->BindText(1, partner.name);
      taken->BindText(2, partner.key_id);
      VIGIL_ASSIGN_OR_RETURN(bool exists, taken->Step());
      if (exists) {
        return Status::AlreadyExists("partner '" + partner.name + "' or key " + partner.key_id +
                                     " is already known (as '" + std::string(taken->ColumnText(0)) +
                                     "')");
      }
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertPartner));
    insert->BindText(1, partner.name);
    insert->BindText(2, partner.url);
    insert->BindText(3, partner.public_key);
    insert->BindText(4, partner.key_id);
    insert->BindText(5, partner.added_by);
    insert->BindInt(6, partner.added_at);
    return insert->Run();
  });
}

Status SqliteStore::ScanSharePartners(const std::function<bool(const SharePartner&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanPartners));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    SharePartner p;
    p.name = std::string(stmt.ColumnText(0));
    p.url = std::string(stmt.ColumnText(1));
    p.public_key = std::string(stmt.ColumnText(2));
    p.key_id = std::string(stmt.ColumnText(3));
    p.added_by = std::string(stmt.ColumnText(4));
    p.added_at = stmt.ColumnInt(5);
    if (!fn(p)) return Status::Ok();
  }
}

Result<int64_t> SqliteStore::PutShareAgreement(const ShareAgreement& agreement) {
  if (agreement.kinds.empty() || agreement.fields.empty() || agreement.legal_basis.empty()) {
    return Status::InvalidArgument("an agreement needs kinds, fields and a legal basis");
  }
  int64_t id = 0;
  VIGIL_RETURN_IF_ERROR(InTransaction(*this, [&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * exists, Cached(kPartnerExists));
      StmtResetter reset(exists);
      exists->BindText(1, agreement.partner);
      VIGIL_ASSIGN_OR_RETURN(bool found, exists->Step());
      if (!found) return Status::InvalidArgument("no partner '" + agreement.partner + "'");
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertAgreement));
    insert->BindText(1, agreement.partner);
    insert->BindText(2, agreement.kinds);
    insert->BindText(3, agreement.fields);
    insert->BindText(4, agreement.legal_basis);
    insert->BindText(5, agreement.created_by);
    insert->BindInt(6, agreement.created_at);
    VIGIL_RETURN_IF_ERROR(insert->Run());
    id = sqlite3_last_insert_rowid(db());
    return Status::Ok();
  }));
  return id;
}

Status SqliteStore::ScanShareAgreements(const std::function<bool(const ShareAgreement&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanAgreements));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    ShareAgreement a;
    a.id = stmt.ColumnInt(0);
    a.partner = std::string(stmt.ColumnText(1));
    a.kinds = std::string(stmt.ColumnText(2));
    a.fields = std::string(stmt.ColumnText(3));
    a.legal_basis = std::string(stmt.ColumnText(4));
    a.created_by = std::string(stmt.ColumnText(5));
    a.created_at = stmt.ColumnInt(6);
    if (!fn(a)) return Status::Ok();
  }
}

Status SqliteStore::PutShareMessage(const ShareMessage& m, const ShareEvent& first) {
  if (m.message_id.empty() || m.envelope.empty()) {
    return Status::InvalidArgument("a message needs an id and an envelope");
  }
  return InTransaction(*this, [&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * select, Cached(kSelectMessage));
      StmtResetter reset(select);
      select->BindInt(1, m.direction);
      select->BindText(2, m.partner);
      select->BindText(3, m.message_id);
      VIGIL_ASSIGN_OR_RETURN(bool exists, select->Step());
      if (exists) {
        return Status::AlreadyExists(
            "message " + m.message_id + (m.direction == 0 ? " to " : " from ") + m.partner +
            " is already stored (since " + FormatTime(select->ColumnInt(8)) + ")");
      }
    }
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertMessage));
      insert->BindInt(1, m.direction);
      insert->BindText(2, m.partner);
      insert->BindText(3, m.message_id);
      insert->BindText(4, m.kind);
      insert->BindText(5, m.marking);
      insert->BindInt(6, m.originator_control ? 1 : 0);
      insert->BindInt(7, m.deadline);
      insert->BindText(8, m.envelope);
      insert->BindInt(9, m.created_at);
      insert->BindInt(10, m.delivered ? 1 : 0);
      insert->BindInt(11, m.attempts);
      insert->BindInt(12, m.next_attempt_at);
      insert->BindText(13, m.last_error);
      VIGIL_RETURN_IF_ERROR(insert->Run());
    }
    VIGIL_ASSIGN_OR_RETURN(Stmt * event, Cached(kInsertEvent));
    StmtResetter reset(event);
    return InsertEvent(*event, first);
  });
}

Result<ShareMessage> SqliteStore::GetShareMessage(int direction, std::string_view partner,
                                                  std::string_view message_id) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kSelectMessage));
  stmt.BindInt(1, direction);
  stmt.BindText(2, partner);
  stmt.BindText(3, message_id);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
  if (!has_row) {
    return Status::NotFound("no message " + std::string(message_id) +
                            (direction == 0 ? " to " : " from ") + std::string(partner));
  }
  return ReadMessage(stmt);
}

Status SqliteStore::ScanShareMessages(const std::function<bool(const ShareMessage&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanMessages));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    if (!fn(ReadMessage(stmt))) return Status::Ok();
  }
}

Status SqliteStore::UpdateShareDelivery(const ShareMessage& m, const ShareEvent& event) {
  return InTransaction(*this, [&]() -> Status {
    {
      VIGIL_ASSIGN_OR_RETURN(Stmt * update, Cached(kUpdateDelivery));
      StmtResetter reset(update);
      update->BindInt(1, m.direction);
      update->BindText(2, m.partner);
      update->BindText(3, m.message_id);
      update->BindInt(4, m.delivered ? 1 : 0);
      update->BindInt(5, m.attempts);
      update->BindInt(6, m.next_attempt_at);
      update->BindText(7, m.last_error);
      VIGIL_RETURN_IF_ERROR(update->Run());
      if (sqlite3_changes(db()) == 0) {
        return Status::NotFound("no message " + m.message_id + " to " + m.partner);
      }
    }
    if (event.event.empty()) return Status::Ok();
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertEvent));
    StmtResetter reset(insert);
    return InsertEvent(*insert, event);
  });
}

Status SqliteStore::AppendShareEvent(const ShareEvent& event) {
  return InTransaction(*this, [&]() -> Status {
    VIGIL_ASSIGN_OR_RETURN(Stmt * insert, Cached(kInsertEvent));
    StmtResetter reset(insert);
    return InsertEvent(*insert, event);
  });
}

Status SqliteStore::ScanShareEvents(const std::function<bool(const ShareEvent&)>& fn) {
  VIGIL_ASSIGN_OR_RETURN(Stmt stmt, Prepare(db(), kScanEvents));
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) return Status::Ok();
    ShareEvent e;
    e.id = stmt.ColumnInt(0);
    e.direction = static_cast<int>(stmt.ColumnInt(1));
    e.partner = std::string(stmt.ColumnText(2));
    e.message_id = std::string(stmt.ColumnText(3));
    e.event = std::string(stmt.ColumnText(4));
    e.at = stmt.ColumnInt(5);
    e.by = std::string(stmt.ColumnText(6));
    e.detail = std::string(stmt.ColumnText(7));
    if (!fn(e)) return Status::Ok();
  }
}

}  // namespace vigil::sqlite
