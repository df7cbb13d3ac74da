// Oversight look-ups the access layer's workbench checks need: a case's
// compartment (canvases, escalations) and an account by name (assignees).
#include "access/oversight_impl.h"

namespace vigil {

Result<std::vector<std::string>> Oversight::CaseCompartments(std::string_view case_id) {
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt find,
      sqlite::Prepare(impl_->db,
                      "SELECT compartment FROM cases WHERE case_id = ?1 ORDER BY compartment"));
  find.BindText(1, case_id);
  std::vector<std::string> compartments;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, find.Step());
    if (!has_row) return compartments;
    compartments.emplace_back(find.ColumnText(0));
  }
}

Result<std::optional<UserInfo>> Oversight::FindUser(std::string_view name) {
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt user,
      sqlite::Prepare(impl_->db, "SELECT name, role, disabled FROM users WHERE name = ?1"));
  user.BindText(1, name);
  VIGIL_ASSIGN_OR_RETURN(bool has_row, user.Step());
  if (!has_row) return std::optional<UserInfo>();
  UserInfo info;
  info.name = std::string(user.ColumnText(0));
  info.role = static_cast<Role>(user.ColumnInt(1));
  info.disabled = user.ColumnInt(2) != 0;
  VIGIL_ASSIGN_OR_RETURN(
      sqlite::Stmt compartments,
      sqlite::Prepare(impl_->db,
                      "SELECT compartment FROM user_compartments WHERE user = ?1 ORDER BY "
                      "compartment"));
  compartments.BindText(1, name);
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool more, compartments.Step());
    if (!more) break;
    info.compartments.emplace_back(compartments.ColumnText(0));
  }
  return std::optional<UserInfo>(std::move(info));
}

}  // namespace vigil
