// Cases and the category of data subject of each person's link to a case.
#include <array>

#include "access/oversight_impl.h"

namespace vigil {
namespace {

constexpr std::array<std::string_view, kSubjectCategoryCount> kCategoryNames = {
    "suspect", "contact", "witness", "victim", "other"};

}  // namespace

std::string_view SubjectCategoryName(SubjectCategory category) {
  return kCategoryNames[static_cast<size_t>(category)];
}

Result<SubjectCategory> ParseSubjectCategory(std::string_view text) {
  for (int i = 0; i < kSubjectCategoryCount; ++i) {
    if (kCategoryNames[i] == text) return static_cast<SubjectCategory>(i);
  }
  return Status::InvalidArgument("unknown category '" + std::string(text) +
                                 "' (expected suspect, contact, witness, victim or other)");
}

Status Oversight::AddCase(const RequestContext& context, std::string_view case_id,
                          std::string_view compartment) {
  const std::string object = "case:" + std::string(case_id);
  VIGIL_RETURN_IF_ERROR(ValidateId(case_id));
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kManageCases, compartment, object));
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt insert,
                           sqlite::Prepare(impl_->db,
                                           "INSERT INTO cases(case_id, compartment, created_by, "
                                           "created_at) VALUES (?1, ?2, ?3, ?4)"));
    insert.BindText(1, case_id);
    insert.BindText(2, compartment.empty() ? kDefaultCompartment : compartment);
    insert.BindText(3, context.principal.user);
    insert.BindInt(4, clock_->Now());
    Status status = insert.Run();
    if (!status.ok()) {
      return Status::AlreadyExists("case '" + std::string(case_id) + "' exists");
    }
    records.push_back(MakeRecord(context, OperationName(Operation::kManageCases), object, {}, false,
                                 {{"compartment", std::string(compartment)}}));
    return Status::Ok();
  });
}

Status Oversight::LinkCase(const RequestContext& context, std::string_view case_id,
                           std::string_view person_id, SubjectCategory category) {
  const std::string case_object = "case:" + std::string(case_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kLinkCase, case_object));
  Result<std::string> case_compartment =
      access::QueryOneText(impl_->db, "SELECT compartment FROM cases WHERE case_id = ?1", case_id);
  if (!case_compartment.ok()) {
    VIGIL_RETURN_IF_ERROR(
        LogAction(MakeRecord(context, OperationName(Operation::kLinkCase), case_object, {}, true)));
    return Status::NotFound(NotVisibleMessage("case", case_id));
  }
  VIGIL_RETURN_IF_ERROR(Require(context, Operation::kLinkCase, *case_compartment, case_object));
  VIGIL_RETURN_IF_ERROR(RequirePerson(context, Operation::kLinkCase, person_id).status());
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt upsert,
        sqlite::Prepare(impl_->db,
                        "INSERT INTO case_links(case_id, person_id, category, linked_by, "
                        "linked_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(case_id, person_id) "
                        "DO UPDATE SET category = excluded.category, linked_by = "
                        "excluded.linked_by, linked_at = excluded.linked_at"));
    upsert.BindText(1, case_id);
    upsert.BindText(2, person_id);
    upsert.BindInt(3, static_cast<int64_t>(category));
    upsert.BindText(4, context.principal.user);
    upsert.BindInt(5, clock_->Now());
    VIGIL_RETURN_IF_ERROR(upsert.Run());
    records.push_back(MakeRecord(context, OperationName(Operation::kLinkCase), case_object,
                                 {std::string(person_id)}, false,
                                 {{"category", std::string(SubjectCategoryName(category))}}));
    return Status::Ok();
  });
}

}  // namespace vigil
