// AccessStore: the workbench's alert triage and saved investigations
// (canvases), each authorised on the compartment of what it touches and
// audited (access.h).
#include <algorithm>
#include <set>

#include "access/canvas_document.h"
#include "vigil/access.h"
#include "vigil/oversight.h"

namespace vigil {
namespace {

std::string CanvasObject(const CaseRef& of_case, std::string_view name) {
  return "canvas:" + of_case.case_id + "/" + std::string(name);
}

}  // namespace

Result<std::optional<std::string>> AccessStore::AlertCompartment(std::string_view key) {
  Result<StoredAlert> alert = inner_->GetAlert(key);
  if (!alert.ok()) {
    if (alert.status().IsNotFound()) return std::optional<std::string>();
    return alert.status();
  }
  if (alert->person_id.empty()) return std::optional<std::string>(std::string(kDefaultCompartment));
  auto found = person_compartments_.find(alert->person_id);
  if (found == person_compartments_.end()) return std::optional<std::string>();
  return std::optional<std::string>(found->second);
}

Result<StoredAlert> AccessStore::GetAlert(std::string_view key) {
  const std::string object = "alert:" + std::string(key);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadPerson, object));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> compartment, AlertCompartment(key));
  if (!compartment ||
      Authorize(context_.principal, Operation::kReadPerson, *compartment) != Decision::kAllow) {
    VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadPerson, object, {}, true));
    return Status::NotFound(NotVisibleMessage("alert", key));
  }
  VIGIL_ASSIGN_OR_RETURN(StoredAlert alert, inner_->GetAlert(key));
  std::vector<std::string> shown;
  if (!alert.person_id.empty()) shown.push_back(alert.person_id);
  alert.evidence = RedactPersons(alert.evidence, &shown);
  std::sort(shown.begin(), shown.end());
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kReadPerson, object, std::move(shown), false));
  return alert;
}

Status AccessStore::PutAlertTriage(const AlertTriage& triage) {
  const std::string object = "alert:" + triage.key;
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kTriageAlert, object));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  auto refuse = [&](std::string_view kind, std::string_view id) {
    return RefuseAsMissing(Operation::kTriageAlert, object, kind, id);
  };
  VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> compartment, AlertCompartment(triage.key));
  if (!compartment ||
      Authorize(context_.principal, Operation::kTriageAlert, *compartment) != Decision::kAllow) {
    return refuse("alert", triage.key);
  }
  AlertTriage stored = triage;
  stored.decided_by = context_.principal.user;
  stored.decided_at = oversight_->clock().Now();
  if (stored.state != AlertState::kAssigned) stored.assignee.clear();
  if (stored.state != AlertState::kEscalated) stored.case_id.clear();
  if (stored.state == AlertState::kAssigned) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<UserInfo> user, oversight_->FindUser(stored.assignee));
    Principal assignee;
    if (user) assignee = Principal{user->name, user->role, user->compartments, false};
    if (!user || user->disabled ||
        Authorize(assignee, Operation::kTriageAlert, *compartment) != Decision::kAllow) {
      return Status::InvalidArgument("'" + stored.assignee +
                                     "' cannot be assigned this alert: it needs the enabled "
                                     "account of an analyst or supervisor who may see it");
    }
  }
  std::string case_compartment;
  if (stored.state == AlertState::kEscalated) {
    // The case of the alert's compartment, else the only one the user sees.
    Result<CaseRef> escalated = VisibleCase(Operation::kLinkCase, CaseRef{"", stored.case_id},
                                            *compartment, "case:" + stored.case_id);
    if (!escalated.ok()) return escalated.status();
    case_compartment = escalated->compartment;
  }
  Result<StoredAlert> alert = inner_->GetAlert(stored.key);
  VIGIL_RETURN_IF_ERROR(alert.status());
  std::vector<std::string> subjects;
  if (!alert->person_id.empty()) subjects.push_back(alert->person_id);
  std::vector<std::pair<std::string, std::string>> params = {
      {"state", std::string(AlertStateName(stored.state))}};
  if (!stored.assignee.empty()) params.emplace_back("assignee", stored.assignee);
  if (!stored.case_id.empty()) {
    params.emplace_back("case", stored.case_id);
    params.emplace_back("case_compartment", case_compartment);
  }
  if (!stored.reason.empty()) params.emplace_back("reason", stored.reason);
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {
      oversight_->MakeRecord(context_, OperationName(Operation::kTriageAlert), object,
                             std::move(subjects), false, params)};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->PutAlertTriage(stored);
  oversight_->SetCommitAudit(nullptr);
  return status;
}

Status AccessStore::ScanAlertTriage(const std::function<bool(const AlertTriage&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadPerson, "scan:alert_triage"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  std::vector<AlertTriage> visible;
  VIGIL_RETURN_IF_ERROR(inner_->ScanAlertTriage([&](const AlertTriage& triage) {
    visible.push_back(triage);
    return true;
  }));
  for (const AlertTriage& triage : visible) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> compartment, AlertCompartment(triage.key));
    if (!compartment ||
        Authorize(context_.principal, Operation::kReadPerson, *compartment) != Decision::kAllow) {
      continue;
    }
    if (!fn(triage)) break;
  }
  return LogRead(Operation::kReadPerson, "scan:alert_triage", {}, false);
}

Status AccessStore::ScanAlertTriageHistory(std::string_view key,
                                           const std::function<bool(const AlertTriage&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kReadPerson, "scan:alert_triage_history"));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  std::vector<AlertTriage> decisions;
  VIGIL_RETURN_IF_ERROR(inner_->ScanAlertTriageHistory(key, [&](const AlertTriage& triage) {
    decisions.push_back(triage);
    return true;
  }));
  for (const AlertTriage& triage : decisions) {
    VIGIL_ASSIGN_OR_RETURN(std::optional<std::string> compartment, AlertCompartment(triage.key));
    if (!compartment ||
        Authorize(context_.principal, Operation::kReadPerson, *compartment) != Decision::kAllow) {
      continue;
    }
    if (!fn(triage)) break;
  }
  return LogRead(Operation::kReadPerson, "scan:alert_triage_history", {}, false,
                 {{"key", std::string(key)}});
}

// ---- Canvases ----------------------------------------------------------------

Result<CaseRef> AccessStore::VisibleCase(Operation op, const CaseRef& of_case,
                                         std::string_view preferred, const std::string& object) {
  VIGIL_RETURN_IF_ERROR(RequireRole(op, object));
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> visible,
                         oversight_->CaseCompartments(of_case.case_id));
  std::erase_if(visible, [&](const std::string& compartment) {
    return Authorize(context_.principal, op, compartment) != Decision::kAllow ||
           (!of_case.compartment.empty() && compartment != of_case.compartment);
  });
  if (visible.empty()) {
    VIGIL_RETURN_IF_ERROR(LogRead(op, object, {}, true));
    return Status::NotFound(NotVisibleMessage("case", of_case.case_id));
  }
  if (std::find(visible.begin(), visible.end(), preferred) != visible.end()) {
    return CaseRef{std::string(preferred), of_case.case_id};
  }
  if (visible.size() > 1) {
    std::string names;
    for (const std::string& c : visible) names += (names.empty() ? "" : ", ") + c;
    return Status::InvalidArgument("case '" + of_case.case_id +
                                   "' exists in several of your compartments (" + names +
                                   "): name the compartment");
  }
  return CaseRef{visible.front(), of_case.case_id};
}

Result<std::vector<std::string>> AccessStore::HiddenCanvasNodes(std::string_view document) {
  VIGIL_ASSIGN_OR_RETURN(nlohmann::json parsed, access::ParseCanvasDocument(document));
  std::vector<std::string> hidden;
  for (const std::string& person : access::CanvasNodesOfKind(parsed, "person")) {
    VIGIL_ASSIGN_OR_RETURN(bool visible, PersonVisible(person));
    if (!visible) hidden.push_back(person);
  }
  for (const std::string& selector : access::CanvasNodesOfKind(parsed, "selector")) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<Attribution> owners,
                           inner_->AttributionsOfSelector(selector));
    for (const Attribution& owner : owners) {
      if (owner.state == AttributionState::kRejected) continue;
      VIGIL_ASSIGN_OR_RETURN(bool visible, PersonVisible(owner.person_id));
      if (!visible) {
        hidden.push_back(selector);
        break;
      }
    }
  }
  return hidden;
}

Result<Canvas> AccessStore::GetCanvas(const CaseRef& of_case, std::string_view name) {
  const std::string object = CanvasObject(of_case, name);
  VIGIL_ASSIGN_OR_RETURN(CaseRef found, VisibleCase(Operation::kLinkCase, of_case, "", object));
  Result<Canvas> canvas = inner_->GetCanvas(found, name);
  if (!canvas.ok()) {
    if (canvas.status().IsNotFound()) {
      VIGIL_RETURN_IF_ERROR(LogRead(Operation::kLinkCase, object, {}, true));
      return Status::NotFound(NotVisibleMessage("canvas", name));
    }
    return canvas.status();
  }
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> hidden_nodes,
                         HiddenCanvasNodes(canvas->document));
  const std::set<std::string> hidden(hidden_nodes.begin(), hidden_nodes.end());
  VIGIL_ASSIGN_OR_RETURN(nlohmann::json document, access::ParseCanvasDocument(canvas->document));
  canvas->withheld = access::WithholdNodes(document, hidden);
  std::vector<std::string> shown;
  for (const std::string& person : canvas->persons) {
    VIGIL_ASSIGN_OR_RETURN(bool visible, PersonVisible(person));
    if (visible) {
      shown.push_back(person);
    } else {
      canvas->withheld = true;
    }
  }
  canvas->persons = shown;
  canvas->document = document.dump();
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kLinkCase, object, std::move(shown), false,
                                {{"version", std::to_string(canvas->version)}}));
  return canvas;
}

Status AccessStore::ScanCanvases(const CaseRef& of_case,
                                 const std::function<bool(const Canvas&)>& fn) {
  std::vector<Canvas> all;
  CaseRef scanned = of_case;
  if (!of_case.case_id.empty()) {
    VIGIL_ASSIGN_OR_RETURN(scanned, VisibleCase(Operation::kLinkCase, of_case, "",
                                                "canvas:" + of_case.case_id + "/*"));
  } else {
    VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kLinkCase, "canvas:*"));
  }
  VIGIL_RETURN_IF_ERROR(inner_->ScanCanvases(scanned, [&](const Canvas& canvas) {
    all.push_back(canvas);
    return true;
  }));
  for (const Canvas& listed : all) {
    if (Authorize(context_.principal, Operation::kLinkCase, listed.compartment) !=
        Decision::kAllow) {
      continue;
    }
    VIGIL_ASSIGN_OR_RETURN(Canvas canvas,
                           GetCanvas(CaseRef{listed.compartment, listed.case_id}, listed.name));
    if (!fn(canvas)) break;
  }
  return Status::Ok();
}

Result<int64_t> AccessStore::PutCanvas(const Canvas& canvas, int64_t expected_version) {
  const std::string object = CanvasObject(CaseRef{canvas.compartment, canvas.case_id}, canvas.name);
  VIGIL_ASSIGN_OR_RETURN(
      CaseRef found,
      VisibleCase(Operation::kLinkCase, CaseRef{canvas.compartment, canvas.case_id}, "", object));
  VIGIL_RETURN_IF_ERROR(LoadPersonCache());
  VIGIL_ASSIGN_OR_RETURN(nlohmann::json document, access::ParseCanvasDocument(canvas.document));
  // What the user adds must be theirs to see.
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> hidden_now, HiddenCanvasNodes(canvas.document));
  // The withheld part of the stored canvas is kept as it was.
  std::set<std::string> withheld;
  Result<Canvas> stored = inner_->GetCanvas(found, canvas.name);
  if (!stored.ok() && !stored.status().IsNotFound()) return stored.status();
  if (stored.ok()) {
    VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> hidden_before,
                           HiddenCanvasNodes(stored->document));
    withheld.insert(hidden_before.begin(), hidden_before.end());
  }
  // A node the user may not see is refused whether or not the stored canvas
  // holds it (so that a save cannot probe what was withheld): the user was
  // never shown it, so their own view never carries it.
  if (!hidden_now.empty()) {
    const std::string& node = hidden_now.front();
    return RefuseAsMissing(Operation::kLinkCase, object,
                           ParseSelector(node).ok() ? "selector" : "person", node);
  }
  if (stored.ok()) {
    VIGIL_ASSIGN_OR_RETURN(nlohmann::json before, access::ParseCanvasDocument(stored->document));
    access::KeepWithheld(document, before, withheld);
  }
  Canvas write = canvas;
  write.compartment = found.compartment;
  write.document = document.dump();
  write.persons = access::CanvasNodesOfKind(document, "person");
  write.updated_by = context_.principal.user;
  write.updated_at = oversight_->clock().Now();
  std::vector<std::string> subjects;
  for (const std::string& person : write.persons) {
    if (withheld.count(person) == 0) subjects.push_back(person);
  }
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {oversight_->MakeRecord(
      context_, OperationName(Operation::kLinkCase), object, std::move(subjects), false,
      {{"canvas_version", std::to_string(expected_version + 1)}})};
  oversight_->SetCommitAudit(&records);
  Result<int64_t> version = inner_->PutCanvas(write, expected_version);
  oversight_->SetCommitAudit(nullptr);
  return version;
}

Status AccessStore::DeleteCanvas(const CaseRef& of_case, std::string_view name,
                                 int64_t expected_version) {
  const std::string object = CanvasObject(of_case, name);
  VIGIL_ASSIGN_OR_RETURN(CaseRef found, VisibleCase(Operation::kLinkCase, of_case, "", object));
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {
      oversight_->MakeRecord(context_, OperationName(Operation::kLinkCase), object, {}, false,
                             {{"deleted_version", std::to_string(expected_version)}})};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->DeleteCanvas(found, name, expected_version);
  oversight_->SetCommitAudit(nullptr);
  return status;
}

}  // namespace vigil
