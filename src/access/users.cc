// Users, roles and compartments; passwords hashed with Argon2id (libsodium).
#include <sodium.h>

#include "access/oversight_impl.h"

namespace vigil {
namespace {

constexpr size_t kMinPasswordLength = 8;

Result<std::string> HashPassword(std::string_view password) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument("a password needs at least 8 characters");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing ran out of memory");
  }
  return std::string(hash);
}

// Made once with crypto_pwhash_str_alg(OPSLIMIT_INTERACTIVE,
// MEMLIMIT_INTERACTIVE, ARGON2ID13); the oversight test checks that it needs
// no rehash at the current limits, so it stays as costly as real hashes.
constexpr char kDummyHash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$kMwY9/6NnUlnYg5da0z7Iw$"
    "7KBOegUtF2h/glgAj0qaw5yuiKJLT5ZJrgOWb4oCVgI";

Status CheckUserName(std::string_view name) {
  Status valid = ValidateId(name);
  if (!valid.ok() || name.find(':') != std::string_view::npos) {
    return Status::InvalidArgument("user name '" + std::string(name) +
                                   "' must match [A-Za-z0-9_.-]{1,64}");
  }
  return Status::Ok();
}

Status CheckCompartmentName(std::string_view name) {
  if (name == kAllCompartments) return Status::Ok();
  Status valid = ValidateId(name);
  if (!valid.ok()) {
    return Status::InvalidArgument("compartment '" + std::string(name) +
                                   "' must match [A-Za-z0-9_.:-]{1,64} or be '*'");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> CompartmentsOf(sqlite3* db, std::string_view user) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(db,
                                         "SELECT compartment FROM user_compartments WHERE user = "
                                         "?1 ORDER BY compartment"));
  stmt.BindText(1, user);
  std::vector<std::string> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    out.emplace_back(stmt.ColumnText(0));
  }
  return out;
}

// What Principal::credential holds: BLAKE2b-256 (hex) of the stored hash.
std::string CredentialOf(std::string_view password_hash) {
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(password_hash.data()),
                     password_hash.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<bool> UserExists(sqlite3* db, std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(db, "SELECT 1 FROM users WHERE name = ?1"));
  stmt.BindText(1, name);
  return stmt.Step();
}

}  // namespace

Result<bool> Oversight::HasUsers() {
  VIGIL_ASSIGN_OR_RETURN(int64_t n, sqlite::QueryInt(impl_->db, "SELECT count(*) FROM users"));
  return n > 0;
}

Result<Principal> Oversight::SetupPrincipal(std::string_view os_user) {
  VIGIL_ASSIGN_OR_RETURN(bool has_users, HasUsers());
  if (has_users) {
    return Status::PermissionDenied(
        "this store has user accounts: set VIGIL_USER and VIGIL_PASSWORD");
  }
  Principal principal;
  principal.user = "setup:" + std::string(os_user.empty() ? "unknown" : os_user);
  principal.role = Role::kAdmin;
  principal.compartments = {std::string(kAllCompartments)};
  principal.setup = true;
  return principal;
}

Result<Principal> Oversight::Authenticate(std::string_view name, std::string_view password) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT role, password_hash, disabled FROM users "
                                         "WHERE name = ?1"));
  stmt.BindText(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool found, stmt.Step());
  // Exactly one Argon2id verification whatever the case (unknown user,
  // disabled user, wrong or right password), so that the time taken does not
  // tell them apart.
  std::string hash(access::DummyPasswordHash());
  bool enabled = false;
  Principal principal;
  if (found) {
    hash = std::string(stmt.ColumnText(1));
    enabled = stmt.ColumnInt(2) == 0;
    principal.role = static_cast<Role>(stmt.ColumnInt(0));
  }
  stmt.Reset();
  const bool verified =
      crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  const bool ok = found && enabled && verified;
  principal.user = std::string(name);
  // A name that is no account may be a password typed in the wrong field:
  // it is logged only as its keyed pseudonym under the audit key (kept
  // outside the store), or not at all without one.
  const std::string logged =
      found ? std::string(name)
            : "unknown:" + (impl_->signer ? impl_->signer->LoginPseudonym(name) : std::string("~"));
  RequestContext context;
  context.principal.user = logged;
  VIGIL_RETURN_IF_ERROR(LogAction(MakeRecord(context, "authenticate", "user:" + logged, {}, !ok)));
  if (!ok) return Status::PermissionDenied("authentication failed");
  principal.credential = CredentialOf(hash);
  VIGIL_ASSIGN_OR_RETURN(principal.compartments, CompartmentsOf(impl_->db, name));
  return principal;
}

Result<Principal> Oversight::CurrentPrincipal(std::string_view name, std::string_view credential) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  // One read transaction, so that role and compartments are one snapshot.
  const bool own_transaction = sqlite3_get_autocommit(impl_->db) != 0;
  if (own_transaction) VIGIL_RETURN_IF_ERROR(sqlite::Exec(impl_->db, "BEGIN"));
  auto read = [&]() -> Result<Principal> {
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                           sqlite::Prepare(impl_->db,
                                           "SELECT role, password_hash, disabled FROM users "
                                           "WHERE name = ?1"));
    stmt.BindText(1, name);
    VIGIL_ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (!found || stmt.ColumnInt(2) != 0) {
      return Status::NotFound("session ended: log in again at POST /v1/login");
    }
    if (CredentialOf(stmt.ColumnText(1)) != credential) {
      return Status::PermissionDenied("session ended: log in again at POST /v1/login");
    }
    Principal principal;
    principal.user = std::string(name);
    principal.role = static_cast<Role>(stmt.ColumnInt(0));
    principal.credential = std::string(credential);
    stmt.Reset();
    VIGIL_ASSIGN_OR_RETURN(principal.compartments, CompartmentsOf(impl_->db, name));
    return principal;
  };
  Result<Principal> principal = read();
  if (own_transaction) sqlite::Exec(impl_->db, "COMMIT");
  return principal;
}

Status Oversight::SetDisabled(const RequestContext& context, std::string_view name, bool disabled) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt update,
        sqlite::Prepare(impl_->db, "UPDATE users SET disabled = ?2 WHERE name = ?1"));
    update.BindText(1, name);
    update.BindInt(2, disabled ? 1 : 0);
    VIGIL_RETURN_IF_ERROR(update.Run());
    if (sqlite3_changes(impl_->db) == 0) {
      return Status::NotFound("no user '" + std::string(name) + "'");
    }
    records.push_back(
        MakeRecord(context, disabled ? "user_disable" : "user_enable", object, {}, false));
    return Status::Ok();
  });
}

Status Oversight::AddUser(const RequestContext& context, std::string_view name, Role role,
                          std::string_view password, const std::vector<std::string>& compartments) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  VIGIL_RETURN_IF_ERROR(CheckUserName(name));
  for (const std::string& c : compartments) VIGIL_RETURN_IF_ERROR(CheckCompartmentName(c));
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(bool exists, UserExists(impl_->db, name));
    if (exists) return Status::AlreadyExists("user '" + std::string(name) + "' exists");
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt insert,
                           sqlite::Prepare(impl_->db,
                                           "INSERT INTO users(name, role, password_hash, "
                                           "created_at) VALUES (?1, ?2, ?3, ?4)"));
    insert.BindText(1, name);
    insert.BindInt(2, static_cast<int64_t>(role));
    insert.BindText(3, hash);
    insert.BindInt(4, clock_->Now());
    VIGIL_RETURN_IF_ERROR(insert.Run());
    std::string granted;
    for (const std::string& c : compartments) {
      VIGIL_RETURN_IF_ERROR(GrantInTransaction(context, name, c));
      granted += granted.empty() ? c : "|" + c;
    }
    records.push_back(
        MakeRecord(context, "user_add", object, {}, false,
                   {{"role", std::string(RoleName(role))},
                    {context.principal.setup ? "compartments" : "pending", granted}}));
    return Status::Ok();
  });
}

Status Oversight::SetPassword(const RequestContext& context, std::string_view name,
                              std::string_view password) {
  const std::string object = "user:" + std::string(name);
  const bool own = !context.principal.setup && context.principal.user == name;
  if (!own) VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  VIGIL_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt update,
        sqlite::Prepare(impl_->db, "UPDATE users SET password_hash = ?2 WHERE name = ?1"));
    update.BindText(1, name);
    update.BindText(2, hash);
    VIGIL_RETURN_IF_ERROR(update.Run());
    if (sqlite3_changes(impl_->db) == 0) {
      return Status::NotFound("no user '" + std::string(name) + "'");
    }
    records.push_back(MakeRecord(context, "user_passwd", object, {}, false));
    return Status::Ok();
  });
}

Status Oversight::GrantInTransaction(const RequestContext& context, std::string_view name,
                                     std::string_view compartment) {
  const char* sql = context.principal.setup
                        ? "INSERT OR IGNORE INTO user_compartments(user, compartment) "
                          "VALUES (?1, ?2)"
                        : "INSERT OR IGNORE INTO pending_grants(user, compartment, proposed_by, "
                          "proposed_at) SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM "
                          "user_compartments WHERE user = ?1 AND compartment = ?2)";
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt insert, sqlite::Prepare(impl_->db, sql));
  insert.BindText(1, name);
  insert.BindText(2, compartment);
  if (!context.principal.setup) {
    insert.BindText(3, context.principal.user);
    insert.BindInt(4, clock_->Now());
  }
  return insert.Run();
}

Result<bool> Oversight::Grant(const RequestContext& context, std::string_view name,
                              std::string_view compartment) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  VIGIL_RETURN_IF_ERROR(CheckCompartmentName(compartment));
  const bool at_once = context.principal.setup;
  Status status = InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(bool exists, UserExists(impl_->db, name));
    if (!exists) return Status::NotFound("no user '" + std::string(name) + "'");
    if (!at_once) {
      VIGIL_ASSIGN_OR_RETURN(
          sqlite::Stmt waiting,
          sqlite::Prepare(impl_->db,
                          "SELECT 1 FROM pending_grants WHERE user = ?1 AND compartment = ?2"));
      waiting.BindText(1, name);
      waiting.BindText(2, compartment);
      VIGIL_ASSIGN_OR_RETURN(bool pending, waiting.Step());
      if (pending) {
        return Status::AlreadyExists("a grant of '" + std::string(compartment) + "' to '" +
                                     std::string(name) + "' already waits for approval");
      }
    }
    VIGIL_RETURN_IF_ERROR(GrantInTransaction(context, name, compartment));
    records.push_back(MakeRecord(context, at_once ? "user_grant" : "user_grant_propose", object, {},
                                 false, {{"compartment", std::string(compartment)}}));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return at_once;
}

namespace {

// In the caller's write transaction: deletes the grant of `compartment` to
// `name` that waits for approval (proposed by `proposer` when given) and
// returns its proposer; NotFound when no such grant waits. O(log grants).
Result<std::string> TakePendingGrant(sqlite3* db, std::string_view name,
                                     std::string_view compartment,
                                     std::optional<std::string_view> proposer) {
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt take,
      sqlite::Prepare(db,
                      "DELETE FROM pending_grants WHERE user = ?1 AND compartment = ?2 AND "
                      "(?3 IS NULL OR proposed_by = ?3) RETURNING proposed_by"));
  take.BindText(1, name);
  take.BindText(2, compartment);
  if (proposer) take.BindText(3, *proposer);
  VIGIL_ASSIGN_OR_RETURN(bool taken, take.Step());
  if (!taken) {
    return Status::NotFound("no grant of '" + std::string(compartment) + "' to '" +
                            std::string(name) + "' waits for approval");
  }
  std::string by(take.ColumnText(0));
  take.Reset();
  return by;
}

}  // namespace

Status Oversight::ApproveGrant(const RequestContext& context, std::string_view name,
                               std::string_view compartment) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  auto refuse = [&](const std::string& why) -> Status {
    VIGIL_RETURN_IF_ERROR(LogAction(MakeRecord(context, "user_grant_approve", object, {}, true,
                                               {{"compartment", std::string(compartment)}})));
    return Status::PermissionDenied(why);
  };
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt find,
      sqlite::Prepare(
          impl_->db,
          "SELECT proposed_by FROM pending_grants WHERE user = ?1 AND compartment = ?2"));
  find.BindText(1, name);
  find.BindText(2, compartment);
  VIGIL_ASSIGN_OR_RETURN(bool waiting, find.Step());
  if (!waiting) {
    return Status::NotFound("no grant of '" + std::string(compartment) + "' to '" +
                            std::string(name) + "' waits for approval");
  }
  const std::string proposer(find.ColumnText(0));
  find.Reset();
  if (!context.principal.setup && proposer == context.principal.user) {
    return refuse("four eyes: the admin who proposed a grant cannot approve it");
  }
  if (!context.principal.setup && name == context.principal.user) {
    return refuse("four eyes: nobody approves a grant to themselves");
  }
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    // The grant the checks above saw, unless another admin took it since.
    VIGIL_RETURN_IF_ERROR(TakePendingGrant(impl_->db, name, compartment, proposer).status());
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt grant,
                           sqlite::Prepare(impl_->db,
                                           "INSERT OR IGNORE INTO user_compartments(user, "
                                           "compartment) VALUES (?1, ?2)"));
    grant.BindText(1, name);
    grant.BindText(2, compartment);
    VIGIL_RETURN_IF_ERROR(grant.Run());
    records.push_back(
        MakeRecord(context, "user_grant_approve", object, {}, false,
                   {{"compartment", std::string(compartment)}, {"proposed_by", proposer}}));
    return Status::Ok();
  });
}

Status Oversight::RefuseGrant(const RequestContext& context, std::string_view name,
                              std::string_view compartment) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_RETURN_IF_ERROR(TakePendingGrant(impl_->db, name, compartment, std::nullopt).status());
    records.push_back(MakeRecord(context, "user_grant_refuse", object, {}, false,
                                 {{"compartment", std::string(compartment)}}));
    return Status::Ok();
  });
}

Result<std::vector<PendingGrant>> Oversight::PendingGrants(const RequestContext& context) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", "user:*"));
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt stmt,
                         sqlite::Prepare(impl_->db,
                                         "SELECT user, compartment, proposed_by, proposed_at FROM "
                                         "pending_grants ORDER BY proposed_at, user, compartment"));
  std::vector<PendingGrant> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    PendingGrant grant;
    grant.user = std::string(stmt.ColumnText(0));
    grant.compartment = std::string(stmt.ColumnText(1));
    grant.proposed_by = std::string(stmt.ColumnText(2));
    grant.proposed_at = stmt.ColumnInt(3);
    out.push_back(std::move(grant));
  }
  VIGIL_RETURN_IF_ERROR(LogRead(MakeRecord(context, "user_grant_list", "user:*", {}, false)));
  return out;
}

Status Oversight::Revoke(const RequestContext& context, std::string_view name,
                         std::string_view compartment) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt revoke,
                           sqlite::Prepare(impl_->db,
                                           "DELETE FROM user_compartments WHERE user = ?1 AND "
                                           "compartment = ?2"));
    revoke.BindText(1, name);
    revoke.BindText(2, compartment);
    VIGIL_RETURN_IF_ERROR(revoke.Run());
    if (sqlite3_changes(impl_->db) == 0) {
      return Status::NotFound("user '" + std::string(name) + "' has no grant of '" +
                              std::string(compartment) + "'");
    }
    records.push_back(MakeRecord(context, "user_revoke", object, {}, false,
                                 {{"compartment", std::string(compartment)}}));
    return Status::Ok();
  });
}

Status Oversight::SetRole(const RequestContext& context, std::string_view name, Role role) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt update,
        sqlite::Prepare(impl_->db, "UPDATE users SET role = ?2 WHERE name = ?1"));
    update.BindText(1, name);
    update.BindInt(2, static_cast<int64_t>(role));
    VIGIL_RETURN_IF_ERROR(update.Run());
    if (sqlite3_changes(impl_->db) == 0) {
      return Status::NotFound("no user '" + std::string(name) + "'");
    }
    records.push_back(MakeRecord(context, "user_role", object, {}, false,
                                 {{"role", std::string(RoleName(role))}}));
    return Status::Ok();
  });
}

Result<std::vector<UserInfo>> Oversight::ListUsers(const RequestContext& context) {
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", "user:*"));
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt stmt,
      sqlite::Prepare(impl_->db, "SELECT name, role, disabled FROM users ORDER BY name"));
  std::vector<UserInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, stmt.Step());
    if (!has_row) break;
    UserInfo info;
    info.name = std::string(stmt.ColumnText(0));
    info.role = static_cast<Role>(stmt.ColumnInt(1));
    info.disabled = stmt.ColumnInt(2) != 0;
    out.push_back(std::move(info));
  }
  for (UserInfo& info : out) {
    VIGIL_ASSIGN_OR_RETURN(info.compartments, CompartmentsOf(impl_->db, info.name));
  }
  VIGIL_RETURN_IF_ERROR(LogRead(MakeRecord(context, "user_list", "user:*", {}, false)));
  return out;
}

namespace access {

std::string_view DummyPasswordHash() { return kDummyHash; }

}  // namespace access
}  // namespace vigil
