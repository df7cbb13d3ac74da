// Protective-deployment plans over the caller's AccessStore (src/protect):
// list, propose (solve and store), read, approve (a second person) and draw
// days from an approved plan, and the route rows of these handlers.
#include "server/protect_handlers.h"

#include <cmath>
#include <string>
#include <vector>

#include "util/hash.h"
#include "vigil/protect.h"

namespace vigil::server {
namespace {

// A figure that may be unknown (a plan stored without baselines): null then.
Json Figure(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

// The record's people and times, and the plan's headline figures.
Json SummaryJson(const ProtectPlanRecord& record, const protect::Plan& plan) {
  int64_t binding = 0;
  std::vector<std::string> sites;
  for (const protect::TargetCoverage& target : plan.targets) {
    if (target.binding) ++binding;
    if (sites.empty() || sites.back() != target.site) sites.push_back(target.site);
  }
  return Json{{"id", record.id},
              {"content_hash", record.content_hash},
              {"proposed_by", record.proposed_by},
              {"proposed_at", FormatTime(record.proposed_at)},
              {"approved", !record.approved_by.empty()},
              {"approved_by", record.approved_by},
              {"approved_at", record.approved_by.empty() ? "" : FormatTime(record.approved_at)},
              {"approval_reason", record.approval_reason},
              {"attacker_utility", plan.attacker_utility},
              {"uniform_attacker_utility", Figure(plan.uniform_attacker_utility)},
              {"proportional_attacker_utility", Figure(plan.proportional_attacker_utility)},
              {"defender_utility", plan.defender_utility},
              {"attacked", {{"site", plan.attacked_site}, {"shift", plan.attacked_shift}}},
              {"sites", static_cast<int64_t>(sites.size())},
              {"targets", static_cast<int64_t>(plan.targets.size())},
              {"binding_targets", binding},
              {"routes", plan.routes},
              {"overlapping_routes", plan.overlapping_routes},
              {"explanation", plan.explanation}};
}

Result<protect::Plan> PlanOf(const ProtectPlanRecord& record) {
  Result<protect::Plan> plan = protect::PlanFromJson(record.content);
  // A stored plan that does not parse is the store's fault, not the caller's.
  if (!plan.ok()) return Status::Corruption("plan " + record.id + ": " + plan.status().message());
  return plan;
}

// One array of the proposal's inputs as JSONL text, so that the files'
// parsers (and their "file:line:column: rule" messages) read it: element i
// is line i + 1.
Result<std::string> AsJsonl(const Json& inputs, const std::string& key) {
  if (!inputs.contains(key) || !inputs.at(key).is_array()) {
    return Status::InvalidArgument("inputs." + key + ": an array of objects is required");
  }
  std::string text;
  size_t line = 0;
  for (const Json& row : inputs.at(key)) {
    ++line;
    if (!row.is_object()) {
      return Status::InvalidArgument(key + ".jsonl:" + std::to_string(line) +
                                     ":1: each row is a JSON object");
    }
    text += row.dump();
    text += '\n';
  }
  return text;
}

}  // namespace

Result<Json> HandleListProtectPlans(HandlerContext& ctx, const ApiRequest& /*request*/) {
  std::vector<ProtectPlanRecord> records;
  VIGIL_RETURN_IF_ERROR(ctx.store.ScanProtectPlans([&](const ProtectPlanRecord& record) {
    records.push_back(record);
    return true;
  }));
  Json plans = Json::array();
  for (const ProtectPlanRecord& record : records) {
    VIGIL_ASSIGN_OR_RETURN(protect::Plan plan, PlanOf(record));
    plans.push_back(SummaryJson(record, plan));
  }
  return Json{{"plans", std::move(plans)}};
}

Result<Json> HandleGetProtectPlan(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(ProtectPlanRecord record,
                         ctx.store.GetProtectPlan(request.String("plan")));
  VIGIL_ASSIGN_OR_RETURN(protect::Plan plan, PlanOf(record));
  Json out = SummaryJson(record, plan);
  const Json content = Json::parse(record.content, nullptr, /*allow_exceptions=*/false);
  out["shifts"] = content.value("shifts", 0);
  out["threat_assessments"] = content.value("threat_assessments", Json::array());
  // The stored targets as they are (site, shift, coverage, utilities,
  // binding, why): PlanFromJson has checked their fields.
  out["target_coverage"] = content.value("targets", Json::array());
  return out;
}

Result<Json> HandleProposeProtectPlan(HandlerContext& ctx, const ApiRequest& request) {
  const Json& given = request.Raw("inputs");
  protect::Inputs inputs;
  inputs.shifts = static_cast<int>(request.Int("shifts", 3));
  inputs.sites_file = "sites.jsonl";
  inputs.resources_file = "resources.jsonl";
  inputs.threat_file = "threat.jsonl";
  VIGIL_ASSIGN_OR_RETURN(std::string sites, AsJsonl(given, "sites"));
  VIGIL_ASSIGN_OR_RETURN(std::string resources, AsJsonl(given, "resources"));
  VIGIL_ASSIGN_OR_RETURN(std::string threats, AsJsonl(given, "threats"));
  VIGIL_RETURN_IF_ERROR(
      protect::ParseSites(sites, inputs.sites_file, inputs.shifts, &inputs.sites));
  VIGIL_RETURN_IF_ERROR(
      protect::ParseResources(resources, inputs.resources_file, inputs.shifts, &inputs.resources));
  VIGIL_RETURN_IF_ERROR(protect::ParseThreats(threats, inputs.threat_file, &inputs.threats));
  VIGIL_RETURN_IF_ERROR(protect::Validate(inputs));
  VIGIL_ASSIGN_OR_RETURN(protect::Plan plan, protect::Solve(inputs));
  ProtectPlanRecord record;
  record.content = protect::PlanToJson(plan, inputs);
  record.content_hash = HashBytes(record.content);
  record.id = "PP" + record.content_hash.substr(0, 12);
  Status stored = ctx.store.PutProtectPlan(record);
  // The same plan proposed again is the one already stored, as it stands.
  if (!stored.ok() && stored.code() != Status::Code::kAlreadyExists) return stored;
  VIGIL_ASSIGN_OR_RETURN(ProtectPlanRecord kept, ctx.store.GetProtectPlan(record.id));
  Json out = SummaryJson(kept, plan);
  out["stored"] = stored.ok();
  return out;
}

Result<Json> HandleApproveProtectPlan(HandlerContext& ctx, const ApiRequest& request) {
  const std::string id = request.String("plan");
  VIGIL_RETURN_IF_ERROR(ctx.store.ApproveProtectPlan(id, "", 0, request.String("reason")));
  VIGIL_ASSIGN_OR_RETURN(ProtectPlanRecord record, ctx.store.GetProtectPlan(id));
  VIGIL_ASSIGN_OR_RETURN(protect::Plan plan, PlanOf(record));
  return SummaryJson(record, plan);
}

Result<Json> HandleProtectSchedule(HandlerContext& ctx, const ApiRequest& request) {
  VIGIL_ASSIGN_OR_RETURN(ProtectPlanRecord record,
                         ctx.store.GetProtectPlan(request.String("plan")));
  const bool approved = !record.approved_by.empty();
  if (!approved && !request.Bool("draft", false)) {
    return Status::PermissionDenied("plan " + record.id +
                                    " is a proposal awaiting approval; draft=true draws days "
                                    "marked as drafts");
  }
  VIGIL_ASSIGN_OR_RETURN(protect::Plan plan, PlanOf(record));
  VIGIL_ASSIGN_OR_RETURN(protect::RandomSource random, protect::SecureRandom());
  Json days = Json::array();
  const int64_t count = request.Int("days", 1);
  for (int64_t day = 0; day < count; ++day) {
    Json assignments = Json::array();
    for (const protect::Assignment& a : protect::SampleDay(plan, random).assignments) {
      assignments.push_back({{"resource", a.resource}, {"shift", a.shift}, {"sites", a.sites}});
    }
    days.push_back({{"day", day + 1}, {"assignments", std::move(assignments)}});
  }
  return Json{{"id", record.id},
              {"approved", approved},
              {"approved_by", record.approved_by},
              {"draft", !approved},
              {"days", std::move(days)}};
}

void AddProtectRoutes(std::vector<Route>& r) {
  using O = Operation;
  auto p = [](std::string name, ParamIn in, ParamType type, bool required, std::string description,
              double min = 0, double max = 0) {
    return ParamSpec{std::move(name), in, type, required, std::move(description), min, max, {}};
  };
  const ParamSpec plan_in_path = p("plan", ParamIn::kPath, ParamType::kId, true, "the plan's id");
  r.push_back({"GET",
               "/v1/protect/plans",
               "Protective-deployment plans, proposed and approved, with their headline figures",
               Gate::kRight,
               O::kProposeProtectionPlan,
               "",
               "",
               {},
               HandleListProtectPlans});
  r.push_back(
      {"POST",
       "/v1/protect/plans",
       "Compute a plan (the defender's optimal coverage of sites per shift) and store it as a "
       "proposal; inputs are the rows of sites, resources and threat files as JSON objects "
       "(errors name sites.jsonl:ROW:FIELD)",
       Gate::kRight,
       O::kProposeProtectionPlan,
       "",
       "",
       {p("inputs", ParamIn::kBody, ParamType::kDocument, true,
          "{sites:[{id,kind,area,lat,lon,shifts,value,foiled_cost,value_set_by}], "
          "resources:[{id,kind,units,shifts,home_base,covers,routes}], "
          "threats:[{area,level,legal_basis,author,assessed_on}]}"),
        p("shifts", ParamIn::kBody, ParamType::kInt, false, "shifts a day (default 3)", 1,
          protect::kMaxShifts)},
       HandleProposeProtectPlan});
  r.push_back({"GET",
               "/v1/protect/plans/{plan}",
               "One plan: every site and shift with its coverage, the attacker's utility there, "
               "whether it binds and why",
               Gate::kRight,
               O::kProposeProtectionPlan,
               "",
               "",
               {plan_in_path},
               HandleGetProtectPlan});
  r.push_back(
      {"POST",
       "/v1/protect/plans/{plan}/approve",
       "Approve a proposed plan (a supervisor who is not its proposer)",
       Gate::kRight,
       O::kApproveProtectionPlan,
       "",
       "",
       {plan_in_path, p("reason", ParamIn::kBody, ParamType::kString, true, "why (kept with it)")},
       HandleApproveProtectPlan});
  r.push_back(
      {"GET",
       "/v1/protect/plans/{plan}/schedule",
       "Concrete days drawn from an approved plan (libsodium CSPRNG); draft=true allows a "
       "proposal, its days marked as drafts",
       Gate::kRight,
       O::kProposeProtectionPlan,
       "",
       "",
       {plan_in_path,
        p("days", ParamIn::kQuery, ParamType::kInt, false, "days drawn (default 1)", 1, 31),
        p("draft", ParamIn::kQuery, ParamType::kBool, false, "allow a plan not yet approved")},
       HandleProtectSchedule});
}

}  // namespace vigil::server
