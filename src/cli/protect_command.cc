// vigil protect plan|approve|schedule|list: protective deployment as a
// security game (src/protect). A plan is stored as a proposal; a second
// person approves it; schedules are drawn from approved plans.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "util/hash.h"
#include "vigil/protect.h"

namespace vigil::cli {
namespace {

std::string Fixed(double value, int digits = 4) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, value);
  return buffer;
}

void PrintDay(int day, const protect::Day& drawn, bool draft) {
  std::printf("day %d%s\n", day + 1, draft ? " (DRAFT: from an unapproved plan)" : "");
  for (const protect::Assignment& assignment : drawn.assignments) {
    std::string sites;
    for (size_t i = 0; i < assignment.sites.size(); ++i) {
      sites += (i > 0 ? " -> " : "") + assignment.sites[i];
    }
    std::printf("  shift %d  %-10s %s\n", assignment.shift, assignment.resource.c_str(),
                sites.c_str());
  }
}

// The what-if's difference from the base plan: utilities and the targets
// whose coverage moved most.
void PrintDifference(const std::string& spec, const protect::Plan& base,
                     const protect::Plan& changed) {
  std::printf("\nwhat-if %s\n", spec.c_str());
  std::printf("  attacker's best-response utility: %s -> %s (%+.4f)\n",
              Fixed(base.attacker_utility).c_str(), Fixed(changed.attacker_utility).c_str(),
              changed.attacker_utility - base.attacker_utility);
  std::printf("  expected protection (defender utility): %s -> %s (%+.4f)\n",
              Fixed(base.defender_utility).c_str(), Fixed(changed.defender_utility).c_str(),
              changed.defender_utility - base.defender_utility);
  std::map<std::pair<std::string, int>, double> before;
  for (const auto& target : base.targets) before[{target.site, target.shift}] = target.coverage;
  struct Move {
    std::string site;
    int shift;
    double from;
    double to;
  };
  std::vector<Move> moves;
  for (const auto& target : changed.targets) {
    const auto it = before.find({target.site, target.shift});
    const double from = it == before.end() ? 0 : it->second;
    if (std::fabs(target.coverage - from) > 1e-6) {
      moves.push_back({target.site, target.shift, from, target.coverage});
    }
    if (it != before.end()) before.erase(it);
  }
  for (const auto& [key, from] : before) moves.push_back({key.first, key.second, from, 0});
  std::sort(moves.begin(), moves.end(), [](const Move& a, const Move& b) {
    return std::fabs(a.to - a.from) > std::fabs(b.to - b.from);
  });
  std::printf("  %zu target(s) changed coverage; the largest moves:\n", moves.size());
  for (size_t i = 0; i < std::min<size_t>(moves.size(), 10); ++i) {
    std::printf("    %s shift %d: %s -> %s\n", moves[i].site.c_str(), moves[i].shift,
                Fixed(moves[i].from).c_str(), Fixed(moves[i].to).c_str());
  }
  std::printf("  binding now: %s\n", changed.explanation.c_str());
}

}  // namespace

void RegisterProtectCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string sites, resources, threat, out, method = "origami", plan_id, reason;
    int shifts = 3;
    int days = 0;
    bool no_store = false;
    bool draft = false;
    std::vector<std::string> what_ifs;
  };
  auto args = std::make_shared<Args>();
  CLI::App* protect = app.add_subcommand(
      "protect", "Protective deployment: randomised guard and patrol plans (security games)");
  protect->require_subcommand(1);

  CLI::App* plan = protect->add_subcommand(
      "plan",
      "Compute the defender's optimal coverage of sites per shift and store it as a "
      "proposal");
  plan->add_option("--sites", args->sites, "sites.csv or .jsonl")->required();
  plan->add_option("--resources", args->resources, "resources.csv or .jsonl")->required();
  plan->add_option("--threat", args->threat, "threat.csv or .jsonl")->required();
  plan->add_option("--shifts", args->shifts, "Shifts a day (default 3)");
  plan->add_option("--out", args->out, "Also write the plan as JSON to this file");
  plan->add_option("--days", args->days, "Print this many sampled days (a preview)");
  plan->add_option("--method", args->method, "origami (default) or multiple-lps");
  plan->add_option("--what-if", args->what_ifs,
                   "add-team=ID:UNITS:COVERS, close-site=ID or 'threat AREA=LEVEL' (repeatable)");
  plan->add_flag("--no-store", args->no_store, "Do not store the plan as a proposal");
  plan->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto inputs = protect::LoadInputs(args->sites, args->resources, args->threat, args->shifts);
    if (!inputs.ok()) return ReportFailure(context, inputs.status());
    if (args->method != "origami" && args->method != "multiple-lps") {
      return ReportFailure(context, Status::InvalidArgument("--method: origami or multiple-lps"));
    }
    const protect::Method method =
        args->method == "origami" ? protect::Method::kOrigami : protect::Method::kMultipleLps;
    auto solved = protect::Solve(*inputs, method);
    if (!solved.ok()) return ReportFailure(context, solved.status());
    const protect::Plan& result = *solved;
    {
      TableOutput table(
          {"site", "shift", "coverage", "attacker_utility", "defender_utility", "binding", "why"},
          *format, stdout);
      for (const protect::TargetCoverage& target : result.targets) {
        table.AddRow({target.site, std::to_string(target.shift), Fixed(target.coverage),
                      Fixed(target.attacker_utility), Fixed(target.defender_utility),
                      target.binding ? "yes" : "no", target.why});
      }
    }
    const double uniform = result.uniform_attacker_utility;
    const double proportional = result.proportional_attacker_utility;
    std::fprintf(stdout,
                 "\nexpected protection (defender utility if attacked): %s\n"
                 "attacker's best-response utility: %s (uniform allocation: %s, "
                 "value-proportional: %s)\n%s\n",
                 Fixed(result.defender_utility).c_str(), Fixed(result.attacker_utility).c_str(),
                 Fixed(uniform).c_str(), Fixed(proportional).c_str(), result.explanation.c_str());
    std::fprintf(stdout, "threat assessments:");
    for (const protect::Threat& threat : inputs->threats) {
      std::fprintf(stdout, " %s=%s (%s, by %s, %s);", threat.area.c_str(),
                   Fixed(threat.level, 2).c_str(), threat.legal_basis.c_str(),
                   threat.author.c_str(), threat.assessed_on.c_str());
    }
    std::fprintf(stdout, "\n");
    const std::string json = protect::PlanToJson(result, *inputs);
    if (!args->out.empty()) {
      std::ofstream out(args->out, std::ios::binary | std::ios::trunc);
      out << json << "\n";
      out.close();
      if (!out) {
        return ReportFailure(context, Status::IOError("cannot write '" + args->out + "'"));
      }
    }
    if (!args->no_store) {
      auto store = OpenStoreForCli(context, /*must_exist=*/false);
      if (!store.ok()) return ReportFailure(context, store.status());
      ProtectPlanRecord record;
      record.content = json;
      record.content_hash = HashBytes(json);
      record.id = "PP" + record.content_hash.substr(0, 12);
      Status status = (*store)->PutProtectPlan(record);
      if (status.code() == Status::Code::kAlreadyExists) {
        std::printf("plan %s: the same plan is already stored\n", record.id.c_str());
      } else if (!status.ok()) {
        return ReportFailure(context, status);
      } else {
        std::printf(
            "plan %s proposed (content hash %s); it takes effect when a second person runs: "
            "vigil protect approve %s --reason \"...\"\n",
            record.id.c_str(), record.content_hash.c_str(), record.id.c_str());
      }
    }
    for (const std::string& spec : args->what_ifs) {
      auto changed = protect::ApplyWhatIf(*inputs, spec);
      if (!changed.ok()) return ReportFailure(context, changed.status());
      auto changed_plan = protect::Solve(*changed, method);
      if (!changed_plan.ok()) return ReportFailure(context, changed_plan.status());
      PrintDifference(spec, result, *changed_plan);
    }
    if (args->days > 0) {
      auto random = protect::SecureRandom();
      if (!random.ok()) return ReportFailure(context, random.status());
      std::printf("\n");
      for (int day = 0; day < args->days; ++day) {
        PrintDay(day, protect::SampleDay(result, *random), /*draft=*/true);
      }
    }
  });

  CLI::App* approve = protect->add_subcommand(
      "approve", "Approve a proposed plan (a supervisor who is not its proposer)");
  approve->add_option("plan", args->plan_id, "The plan's id (PP...)")->required();
  approve->add_option("--reason", args->reason, "Why (kept with the approval)")->required();
  approve->callback([args, &context] {
    auto store = OpenStoreForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    Status status = (*store)->ApproveProtectPlan(args->plan_id, "", 0, args->reason);
    if (!status.ok()) return ReportFailure(context, status);
    auto stored = (*store)->GetProtectPlan(args->plan_id);
    if (!stored.ok()) return ReportFailure(context, stored.status());
    std::printf("plan %s approved by %s (proposed by %s, content hash %s)\n", stored->id.c_str(),
                stored->approved_by.c_str(), stored->proposed_by.c_str(),
                stored->content_hash.c_str());
  });

  CLI::App* schedule = protect->add_subcommand(
      "schedule", "Draw concrete days from an approved plan (libsodium CSPRNG)");
  schedule->add_option("--plan", args->plan_id, "The plan's id (PP...)")->required();
  schedule->add_option("--days", args->days, "How many days (default 1)");
  schedule->add_flag("--draft", args->draft, "Allow a plan not yet approved (marked DRAFT)");
  schedule->callback([args, &context] {
    auto store = OpenStoreForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto stored = (*store)->GetProtectPlan(args->plan_id);
    if (!stored.ok()) return ReportFailure(context, stored.status());
    const bool approved = !stored->approved_by.empty();
    if (!approved && !args->draft) {
      return ReportFailure(context, Status::PermissionDenied(
                                        "plan " + stored->id +
                                        " is a proposal awaiting approval (vigil "
                                        "protect approve); --draft shows days marked as drafts"));
    }
    auto parsed = protect::PlanFromJson(stored->content);
    if (!parsed.ok()) return ReportFailure(context, parsed.status());
    auto random = protect::SecureRandom();
    if (!random.ok()) return ReportFailure(context, random.status());
    const int days = std::max(1, args->days);
    std::printf("plan %s, %s\n", stored->id.c_str(),
                approved ? ("approved by " + stored->approved_by).c_str() : "NOT approved");
    for (int day = 0; day < days; ++day) {
      PrintDay(day, protect::SampleDay(*parsed, *random), !approved);
    }
  });

  CLI::App* list = protect->add_subcommand("list", "Stored plans and their approvals");
  list->callback([&context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenStoreForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    TableOutput table({"plan", "proposed_by", "approved_by", "reason", "content_hash"}, *format,
                      stdout);
    Status status = (*store)->ScanProtectPlans([&](const ProtectPlanRecord& plan) {
      table.AddRow({plan.id, plan.proposed_by,
                    plan.approved_by.empty() ? "(pending)" : plan.approved_by, plan.approval_reason,
                    plan.content_hash});
      return true;
    });
    table.Finish();
    if (!status.ok()) return ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
