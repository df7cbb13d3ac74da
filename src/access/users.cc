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
  VIGIL_ASSIGN_OR_RETURN(principal.compartments, CompartmentsOf(impl_->db, name));
  return principal;
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
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt grant,
                           sqlite::Prepare(impl_->db,
                                           "INSERT OR IGNORE INTO user_compartments(user, "
                                           "compartment) VALUES (?1, ?2)"));
    std::string granted;
    for (const std::string& c : compartments) {
      grant.BindText(1, name);
      grant.BindText(2, c);
      VIGIL_RETURN_IF_ERROR(grant.Run());
      granted += granted.empty() ? c : "|" + c;
    }
    records.push_back(
        MakeRecord(context, "user_add", object, {}, false,
                   {{"role", std::string(RoleName(role))}, {"compartments", granted}}));
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

Status Oversight::Grant(const RequestContext& context, std::string_view name,
                        std::string_view compartment) {
  const std::string object = "user:" + std::string(name);
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageUsers, "", object));
  VIGIL_RETURN_IF_ERROR(CheckCompartmentName(compartment));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(bool exists, UserExists(impl_->db, name));
    if (!exists) return Status::NotFound("no user '" + std::string(name) + "'");
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt grant,
                           sqlite::Prepare(impl_->db,
                                           "INSERT OR IGNORE INTO user_compartments(user, "
                                           "compartment) VALUES (?1, ?2)"));
    grant.BindText(1, name);
    grant.BindText(2, compartment);
    VIGIL_RETURN_IF_ERROR(grant.Run());
    records.push_back(MakeRecord(context, "user_grant", object, {}, false,
                                 {{"compartment", std::string(compartment)}}));
    return Status::Ok();
  });
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
