// Metric provider for the ranking: where cell members and reactivated cell
// members land.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "eval/providers.h"

namespace vigil::eval {
namespace {

constexpr double kTopShare = 0.05;

double ShareInTop(const std::vector<RankedPerson>& ranking, const std::set<std::string>& people,
                  size_t top, size_t* found) {
  *found = 0;
  for (size_t i = 0; i < ranking.size() && i < top; ++i) {
    *found += people.count(ranking[i].person_id);
  }
  return people.empty() ? 0 : static_cast<double>(*found) / people.size();
}

class RankingProvider final : public MetricProvider {
 public:
  std::string name() const override { return "ranking"; }

  Status Compute(const EvalContext& ctx, std::vector<MetricLine>* lines) override {
    Result<std::vector<TruthRow>> cells = ReadTruthCsv(ctx.world_dir + "/truth/cells.csv");
    if (cells.status().IsNotFound()) return Status::Ok();
    if (!cells.ok()) return cells.status();
    std::set<std::string> members;
    for (TruthRow& row : *cells) members.insert(row["person_id"]);
    size_t found = 0;
    const double share = ShareInTop(ctx.ranking, members, ctx.capacity, &found);
    lines->push_back({"rank_cell_members_in_top_capacity", share,
                      fmt::format("{} of {} cell members ranked in the top {} ({:.0f}% of the "
                                  "top are cell members)",
                                  found, members.size(), ctx.capacity,
                                  ctx.capacity == 0 ? 0.0 : 100.0 * found / ctx.capacity)});
    Result<std::vector<TruthRow>> activations =
        ReadTruthCsv(ctx.world_dir + "/truth/activations.csv");
    if (!activations.ok())
      return activations.status().IsNotFound() ? Status::Ok() : activations.status();
    std::set<std::string> reactivated;
    for (TruthRow& row : *activations) {
      if (members.count(row["person_id"]) > 0) reactivated.insert(row["person_id"]);
    }
    const auto top =
        static_cast<size_t>(std::ceil(kTopShare * static_cast<double>(ctx.ranking.size())));
    const double top_share = ShareInTop(ctx.ranking, reactivated, top, &found);
    lines->push_back({"rank_reactivated_members_in_top_5pct", top_share,
                      fmt::format("{} of {} reactivated cell members in the top {} of {} ranked "
                                  "(goal >= 0.8)",
                                  found, reactivated.size(), top, ctx.ranking.size())});
    // When reactivated members outnumber the top 5% the goal cannot be
    // met by any ranking: say so, and how full the top is of them.
    const size_t reachable = std::min(top, reactivated.size());
    lines->push_back(
        {"rank_reactivated_members_top_5pct_of_reachable",
         reachable == 0 ? 0 : static_cast<double>(found) / static_cast<double>(reachable),
         fmt::format("{} of at most {} reactivated cell members that fit in the top {} (the "
                     "share above cannot exceed {:.3f} here)",
                     found, reachable, top,
                     reactivated.empty() ? 0.0
                                         : static_cast<double>(reachable) /
                                               static_cast<double>(reactivated.size()))});
    size_t found_r = 0;
    const double r_precision = ShareInTop(ctx.ranking, reactivated, reactivated.size(), &found_r);
    lines->push_back({"rank_reactivated_members_r_precision", r_precision,
                      fmt::format("{} of {} reactivated cell members in the top {} (as many "
                                  "places as there are such members)",
                                  found_r, reactivated.size(), reactivated.size())});
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<MetricProvider> NewRankingProvider() { return std::make_unique<RankingProvider>(); }

}  // namespace vigil::eval
