// RunEval: ranks once, then runs the metric providers in order.
#include <cstdio>

#include <fmt/format.h>

#include "eval/providers.h"

namespace vigil {

std::vector<std::unique_ptr<MetricProvider>> DefaultMetricProviders() {
  std::vector<std::unique_ptr<MetricProvider>> providers;
  providers.push_back(eval::NewReactivationProvider());
  providers.push_back(eval::NewScreeningProvider());
  providers.push_back(eval::NewRankingProvider());
  return providers;
}

Result<std::vector<MetricLine>> RunEval(
    EvalContext& context, const RankOptions& rank_options,
    const std::vector<std::unique_ptr<MetricProvider>>& providers) {
  if (context.store == nullptr) return Status::InvalidArgument("evaluation needs a store");
  VIGIL_ASSIGN_OR_RETURN(context.ranking, RankPeople(*context.store, rank_options));
  std::vector<MetricLine> lines;
  for (const auto& provider : providers) {
    Status status = provider->Compute(context, &lines);
    if (!status.ok()) {
      std::fprintf(stderr, "vigil: metric provider %s failed\n", provider->name().c_str());
      return status;
    }
  }
  return lines;
}

std::string FormatMetricLine(const MetricLine& line) {
  return fmt::format("{} {:.4f}  ({})", line.name, line.value, line.detail);
}

}  // namespace vigil
