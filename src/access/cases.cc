// Cases and the category of data subject of each person's link to a case.
#include <algorithm>
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
      // Ids are unique per compartment, and the user is in this one: the
      // collision is with a case they may see.
      return Status::AlreadyExists(
          "case '" + std::string(case_id) + "' exists in compartment '" +
          std::string(compartment.empty() ? kDefaultCompartment : compartment) + "'");
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
  // The cases of that id in the user's compartments (ids are unique per
  // compartment): none is the same audited NotFound as a missing case.
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> visible, CaseCompartments(case_id));
  std::erase_if(visible, [&](const std::string& compartment) {
    return Authorize(context.principal, Operation::kLinkCase, compartment) != Decision::kAllow;
  });
  if (visible.empty()) {
    VIGIL_RETURN_IF_ERROR(
        LogAction(MakeRecord(context, OperationName(Operation::kLinkCase), case_object, {}, true)));
    return Status::NotFound(NotVisibleMessage("case", case_id));
  }
  VIGIL_ASSIGN_OR_RETURN(std::string person_compartment,
                         RequirePerson(context, Operation::kLinkCase, person_id));
  if (person_compartment.empty()) person_compartment = std::string(kDefaultCompartment);
  // The case of the person's compartment, else the only one the user sees.
  std::string case_compartment = visible.front();
  if (std::find(visible.begin(), visible.end(), person_compartment) != visible.end()) {
    case_compartment = person_compartment;
  } else if (visible.size() > 1) {
    std::string names;
    for (const std::string& c : visible) names += (names.empty() ? "" : ", ") + c;
    return Status::InvalidArgument("case '" + std::string(case_id) +
                                   "' exists in several of your compartments (" + names +
                                   ") and none is the person's: link from one of them");
  }
  return InTransaction([&](std::vector<AuditRecord>& records) -> Status {
    VIGIL_ASSIGN_OR_RETURN(
        sqlite::Stmt upsert,
        sqlite::Prepare(impl_->db,
                        "INSERT INTO case_links(compartment, case_id, person_id, category, "
                        "linked_by, linked_at) VALUES (?6, ?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT(compartment, case_id, person_id) "
                        "DO UPDATE SET category = excluded.category, linked_by = "
                        "excluded.linked_by, linked_at = excluded.linked_at"));
    upsert.BindText(6, case_compartment);
    upsert.BindText(1, case_id);
    upsert.BindText(2, person_id);
    upsert.BindInt(3, static_cast<int64_t>(category));
    upsert.BindText(4, context.principal.user);
    upsert.BindInt(5, clock_->Now());
    VIGIL_RETURN_IF_ERROR(upsert.Run());
    records.push_back(MakeRecord(context, OperationName(Operation::kLinkCase), case_object,
                                 {std::string(person_id)}, false,
                                 {{"category", std::string(SubjectCategoryName(category))},
                                  {"compartment", case_compartment}}));
    return Status::Ok();
  });
}

Result<std::vector<CaseInfo>> Oversight::ListCases(const RequestContext& context) {
  VIGIL_RETURN_IF_ERROR(RequireRole(context, Operation::kLinkCase, "case:*"));
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt cases,
                         sqlite::Prepare(impl_->db,
                                         "SELECT case_id, compartment, created_by, created_at "
                                         "FROM cases ORDER BY case_id, compartment"));
  std::vector<CaseInfo> out;
  while (true) {
    VIGIL_ASSIGN_OR_RETURN(bool has_row, cases.Step());
    if (!has_row) break;
    CaseInfo info;
    info.case_id = std::string(cases.ColumnText(0));
    info.compartment = std::string(cases.ColumnText(1));
    info.created_by = std::string(cases.ColumnText(2));
    info.created_at = cases.ColumnInt(3);
    if (Authorize(context.principal, Operation::kLinkCase, info.compartment) == Decision::kAllow) {
      out.push_back(std::move(info));
    }
  }
  VIGIL_ASSIGN_OR_RETURN(sqlite::Stmt links,
                         sqlite::Prepare(impl_->db,
                                         "SELECT l.person_id, l.category, l.linked_by, "
                                         "l.linked_at, coalesce(p.compartment, '') FROM "
                                         "case_links l LEFT JOIN persons p ON p.person_id = "
                                         "l.person_id WHERE l.case_id = ?1 AND l.compartment = "
                                         "?2 ORDER BY l.person_id"));
  std::vector<std::string> shown;
  for (CaseInfo& info : out) {
    links.BindText(1, info.case_id);
    links.BindText(2, info.compartment);
    while (true) {
      VIGIL_ASSIGN_OR_RETURN(bool has_row, links.Step());
      if (!has_row) break;
      if (Authorize(context.principal, Operation::kReadPerson, links.ColumnText(4)) !=
          Decision::kAllow) {
        ++info.links_withheld;
        continue;
      }
      CaseLinkInfo link;
      link.person_id = std::string(links.ColumnText(0));
      link.category = static_cast<SubjectCategory>(links.ColumnInt(1));
      link.linked_by = std::string(links.ColumnText(2));
      link.linked_at = links.ColumnInt(3);
      shown.push_back(link.person_id);
      info.links.push_back(std::move(link));
    }
    links.Reset();
  }
  VIGIL_RETURN_IF_ERROR(
      LogRead(MakeRecord(context, OperationName(Operation::kLinkCase), "case:*", std::move(shown),
                         false, {{"cases", std::to_string(out.size())}})));
  return out;
}

}  // namespace vigil
