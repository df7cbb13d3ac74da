// Metric providers for the alert engine: reactivation recall and delay,
// false reactivation alerts, watch-list screening precision and recall.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "eval/providers.h"
#include "vigil/watch.h"

namespace vigil::eval {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kDetectionWindow = 30 * kSecondsPerDay;
// An alert up to a week before the recorded activation time still counts
// (with delay 0): a cell's behaviour may change days before the moment a
// generator records as a member's activation, and truth times and alert
// times may come from different clocks in other tools.
constexpr int64_t kEarlyTolerance = 7 * kSecondsPerDay;

struct Activation {
  std::string person_id;
  UnixTime time = 0;
};

Result<std::vector<Activation>> LoadActivations(const std::string& world_dir) {
  Result<std::vector<TruthRow>> rows = ReadTruthCsv(world_dir + "/truth/activations.csv");
  if (!rows.ok()) return rows.status();
  std::vector<Activation> activations;
  for (TruthRow& row : *rows) {
    Result<UnixTime> time = ParseTime(row["time"]);
    if (!time.ok()) {
      return Status::InvalidArgument("truth/activations.csv: bad time '" + row["time"] + "'");
    }
    activations.push_back({row["person_id"], *time});
  }
  return activations;
}

Result<std::multimap<std::string, UnixTime>> ReactivationAlerts(Store& store) {
  std::multimap<std::string, UnixTime> alerts;
  VIGIL_RETURN_IF_ERROR(store.ScanAlerts("", [&](const StoredAlert& alert) {
    if (alert.kind == "reactivation") alerts.emplace(alert.person_id, alert.time);
    return true;
  }));
  return alerts;
}

bool Matches(const Activation& a, UnixTime alert_time) {
  return alert_time >= a.time - kEarlyTolerance && alert_time <= a.time + kDetectionWindow;
}

class ReactivationProvider final : public MetricProvider {
 public:
  std::string name() const override { return "reactivation"; }

  Status Compute(const EvalContext& ctx, std::vector<MetricLine>* lines) override {
    Result<std::vector<Activation>> activations = LoadActivations(ctx.world_dir);
    if (activations.status().IsNotFound()) return Status::Ok();
    if (!activations.ok()) return activations.status();
    VIGIL_ASSIGN_OR_RETURN(auto alerts, ReactivationAlerts(*ctx.store));
    std::vector<double> delays;
    for (const Activation& a : *activations) {
      std::optional<UnixTime> first;
      auto [begin, end] = alerts.equal_range(a.person_id);
      for (auto it = begin; it != end; ++it) {
        if (Matches(a, it->second) && (!first || it->second < *first)) first = it->second;
      }
      if (first) delays.push_back(std::max<double>(0, *first - a.time) / kSecondsPerDay);
    }
    const size_t total = activations->size();
    lines->push_back({"reactivation_recall_30d",
                      total == 0 ? 0 : static_cast<double>(delays.size()) / total,
                      fmt::format("{} of {} true activations alerted within 30 days (goal >= 0.9)",
                                  delays.size(), total)});
    std::sort(delays.begin(), delays.end());
    const double median = delays.empty() ? 0 : delays[delays.size() / 2];
    lines->push_back(
        {"reactivation_median_delay_days", median,
         fmt::format("median over {} detected activations (goal <= 3)", delays.size())});
    VIGIL_RETURN_IF_ERROR(FalseAlerts(ctx, *activations, alerts, lines));
    return Status::Ok();
  }

 private:
  Status FalseAlerts(const EvalContext& ctx, const std::vector<Activation>& activations,
                     const std::multimap<std::string, UnixTime>& alerts,
                     std::vector<MetricLine>* lines) {
    std::multimap<std::string, Activation> by_person;
    for (const Activation& a : activations) by_person.emplace(a.person_id, a);
    int64_t false_alerts = 0;
    for (const auto& [person, time] : alerts) {
      bool matched = false;
      auto [begin, end] = by_person.equal_range(person);
      for (auto it = begin; it != end && !matched; ++it) matched = Matches(it->second, time);
      if (!matched) ++false_alerts;
    }
    VIGIL_ASSIGN_OR_RETURN(std::vector<PersonWatch> levels, LoadWatchLevels(*ctx.store));
    const auto watched = std::count_if(levels.begin(), levels.end(), [](const PersonWatch& w) {
      return w.level != WatchLevel::kClosed;
    });
    VIGIL_ASSIGN_OR_RETURN(UnixTime latest, LatestDataTime(*ctx.store));
    VIGIL_ASSIGN_OR_RETURN(UnixTime earliest, EarliestDataTime(*ctx.store));
    const double months = std::max(1.0, static_cast<double>(latest - earliest) / kDetectionWindow);
    const double rate =
        watched == 0 ? 0 : static_cast<double>(false_alerts) / (watched / 1000.0) / months;
    lines->push_back({"false_reactivation_per_1000_subjects_per_30d", rate,
                      fmt::format("{} unmatched reactivation alerts, {} watched subjects, {:.1f} "
                                  "periods of 30 days (goal <= 1)",
                                  false_alerts, watched, months)});
    return Status::Ok();
  }
};

class ScreeningProvider final : public MetricProvider {
 public:
  std::string name() const override { return "screening"; }

  Status Compute(const EvalContext& ctx, std::vector<MetricLine>* lines) override {
    Result<std::vector<TruthRow>> rows = ReadTruthCsv(ctx.world_dir + "/truth/travel_matches.csv");
    if (rows.status().IsNotFound()) return Status::Ok();
    if (!rows.ok()) return rows.status();
    std::set<std::pair<std::string, std::string>> truth;
    for (TruthRow& row : *rows) truth.emplace(row["record_id"], row["entry_id"]);
    std::set<std::pair<std::string, std::string>> predicted;
    const std::string prefix = "watchlist_match:";
    VIGIL_RETURN_IF_ERROR(ctx.store->ScanAlerts("", [&](const StoredAlert& alert) {
      if (alert.kind != "watchlist_match" || alert.key.rfind(prefix, 0) != 0) return true;
      const std::string rest = alert.key.substr(prefix.size());
      // Matches of reports ("watchlist_match:report:<id>:<entry>") are not
      // travel matches, which is all truth/travel_matches.csv lists.
      if (rest.rfind("report:", 0) == 0) return true;
      const size_t colon = rest.find(':');
      if (colon != std::string::npos)
        predicted.emplace(rest.substr(0, colon), rest.substr(colon + 1));
      return true;
    }));
    size_t hits = 0;
    for (const auto& pair : predicted) hits += truth.count(pair);
    lines->push_back(
        {"screening_precision",
         predicted.empty() ? 0 : static_cast<double>(hits) / predicted.size(),
         fmt::format("{} of {} watchlist_match alerts are true matches", hits, predicted.size())});
    lines->push_back({"screening_recall",
                      truth.empty() ? 0 : static_cast<double>(hits) / truth.size(),
                      fmt::format("{} of {} true travel matches alerted", hits, truth.size())});
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<MetricProvider> NewReactivationProvider() {
  return std::make_unique<ReactivationProvider>();
}
std::unique_ptr<MetricProvider> NewScreeningProvider() {
  return std::make_unique<ScreeningProvider>();
}

}  // namespace vigil::eval
