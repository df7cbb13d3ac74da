// A plan as JSON: the stored proposal's content and `vigil protect plan`'s
// output file.
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "vigil/protect.h"

namespace vigil::protect {

std::string PlanToJson(const Plan& plan, const Inputs& inputs) {
  nlohmann::ordered_json out;
  out["format"] = "vigil-protect-plan/1";
  out["shifts"] = inputs.shifts;
  out["files"] = {{"sites", inputs.sites_file},
                  {"resources", inputs.resources_file},
                  {"threat", inputs.threat_file}};
  nlohmann::ordered_json threats = nlohmann::ordered_json::array();
  for (const Threat& threat : inputs.threats) {
    threats.push_back({{"area", threat.area},
                       {"level", threat.level},
                       {"legal_basis", threat.legal_basis},
                       {"author", threat.author},
                       {"assessed_on", threat.assessed_on}});
  }
  out["threat_assessments"] = threats;
  out["defender_utility"] = plan.defender_utility;
  out["attacker_utility"] = plan.attacker_utility;
  out["baselines"] = {{"uniform_attacker_utility", plan.uniform_attacker_utility},
                      {"proportional_attacker_utility", plan.proportional_attacker_utility}};
  out["attacked"] = {{"site", plan.attacked_site}, {"shift", plan.attacked_shift}};
  out["routes"] = plan.routes;
  out["overlapping_routes"] = plan.overlapping_routes;
  out["lp"] = {{"columns", plan.lp_columns}, {"rows", plan.lp_rows}};
  out["explanation"] = plan.explanation;
  nlohmann::ordered_json targets = nlohmann::ordered_json::array();
  for (const TargetCoverage& target : plan.targets) {
    targets.push_back({{"site", target.site},
                       {"shift", target.shift},
                       {"coverage", target.coverage},
                       {"attacker_utility", target.attacker_utility},
                       {"defender_utility", target.defender_utility},
                       {"binding", target.binding},
                       {"why", target.why}});
  }
  out["targets"] = targets;
  nlohmann::ordered_json marginals = nlohmann::ordered_json::array();
  for (const ScheduleMarginal& marginal : plan.marginals) {
    marginals.push_back({{"resource", marginal.resource},
                         {"shift", marginal.shift},
                         {"sites", marginal.sites},
                         {"units", marginal.units}});
  }
  out["marginals"] = marginals;
  return out.dump(1);
}

Result<Plan> PlanFromJson(std::string_view text) {
  const nlohmann::json in = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded() || !in.is_object())
    return Status::InvalidArgument("a plan is a JSON object");
  if (in.value("format", "") != "vigil-protect-plan/1") {
    return Status::InvalidArgument("not a plan (format vigil-protect-plan/1)");
  }
  Plan plan;
  try {
    plan.defender_utility = in.at("defender_utility").get<double>();
    plan.attacker_utility = in.at("attacker_utility").get<double>();
    const nlohmann::json baselines = in.value("baselines", nlohmann::json::object());
    plan.uniform_attacker_utility =
        baselines.value("uniform_attacker_utility", std::numeric_limits<double>::quiet_NaN());
    plan.proportional_attacker_utility =
        baselines.value("proportional_attacker_utility", std::numeric_limits<double>::quiet_NaN());
    plan.attacked_site = in.at("attacked").at("site").get<std::string>();
    plan.attacked_shift = in.at("attacked").at("shift").get<int>();
    plan.routes = in.at("routes").get<bool>();
    plan.overlapping_routes = in.at("overlapping_routes").get<bool>();
    plan.lp_columns = in.at("lp").at("columns").get<int64_t>();
    plan.lp_rows = in.at("lp").at("rows").get<int64_t>();
    plan.explanation = in.at("explanation").get<std::string>();
    for (const auto& target : in.at("targets")) {
      TargetCoverage out;
      out.site = target.at("site").get<std::string>();
      out.shift = target.at("shift").get<int>();
      out.coverage = target.at("coverage").get<double>();
      out.attacker_utility = target.at("attacker_utility").get<double>();
      out.defender_utility = target.at("defender_utility").get<double>();
      out.binding = target.at("binding").get<bool>();
      out.why = target.at("why").get<std::string>();
      plan.targets.push_back(std::move(out));
    }
    for (const auto& marginal : in.at("marginals")) {
      ScheduleMarginal out;
      out.resource = marginal.at("resource").get<std::string>();
      out.shift = marginal.at("shift").get<int>();
      out.sites = marginal.at("sites").get<std::vector<std::string>>();
      out.units = marginal.at("units").get<double>();
      if (!(out.units >= 0 && out.units <= 1)) {
        return Status::InvalidArgument("a marginal's units lie outside [0, 1]");
      }
      plan.marginals.push_back(std::move(out));
    }
  } catch (const nlohmann::json::exception& error) {
    return Status::InvalidArgument(std::string("plan: ") + error.what());
  }
  return plan;
}

}  // namespace vigil::protect
