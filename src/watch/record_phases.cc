// The phases over slow-changing records: custody overlaps, reports from
// other services, and reviews (watch-list matches: watchlist_phase.cc).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "watch/phases.h"

namespace vigil::watch {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr double kCustodyOverlapScore = 0.7;
constexpr double kReviewDueScore = 0.5;
constexpr double kMissingLegalBasisScore = 0.9;

double Round3(double x) { return std::round(x * 1000) / 1000; }

// How much a report of each category says about a person's danger.
double CategoryWeight(ReportCategory category) {
  switch (category) {
    case ReportCategory::kWeapon:
      return 1.0;
    case ReportCategory::kBehaviourChange:
      return 0.9;
    case ReportCategory::kTravel:
      return 0.8;
    case ReportCategory::kContact:
      return 0.7;
    case ReportCategory::kOther:
      return 0.5;
  }
  return 0.5;
}

UnixTime DateOr(const std::string& date, UnixTime fallback) {
  Result<UnixTime> parsed = ParseDate(date);
  return parsed.ok() ? *parsed : fallback;
}

// The screening index over watched people's names and aliases, entry_id =
// person_id.
Result<std::unique_ptr<ScreeningIndex>> WatchedNamesIndex(const Roster& roster) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> index, NewScreeningIndex());
  for (PersonIndex p : roster.watched_people()) {
    const Person& person = roster.person(p);
    ScreeningEntry entry;
    entry.entry_id = person.person_id;
    entry.names.push_back(person.name);
    for (const std::string& alias : person.aliases) entry.names.push_back(alias);
    // A person whose names all fail normalisation cannot be matched by name.
    (void)index->Add(entry);
  }
  return index;
}

void AddReportAlert(PhaseContext& ctx, const Report& report, const std::string& person_id,
                    double match_score, const std::string& how) {
  StoredAlert alert;
  alert.key = fmt::format("report:{}:{}", report.report_id, person_id);
  alert.time = report.time;
  alert.person_id = person_id;
  alert.kind = "report";
  alert.score = Round3(CategoryWeight(report.category) * match_score);
  std::string text = report.text.substr(0, 160);
  std::replace(text.begin(), text.end(), '\n', ' ');
  alert.evidence = fmt::format("report {} from {} ({}) {}: {}", report.report_id, report.source,
                               ReportCategoryName(report.category), how, text);
  ctx.alerts->push_back(std::move(alert));
}

}  // namespace

Status RunCustodyPhase(PhaseContext& ctx) {
  const Roster& roster = ctx.roster;
  for (const CustodyOverlap& overlap : roster.overlaps()) {
    for (int side = 0; side < 2; ++side) {
      const PersonIndex subject = side == 0 ? overlap.a : overlap.b;
      const PersonIndex other = side == 0 ? overlap.b : overlap.a;
      if (!roster.watched(subject)) continue;
      StoredAlert alert;
      alert.key = fmt::format("custody_overlap:{}:{}:{}:{}", roster.id(subject), roster.id(other),
                              overlap.facility, overlap.from);
      alert.time = DateOr(overlap.from, 0);
      alert.person_id = roster.id(subject);
      alert.kind = "custody_overlap";
      alert.score = Round3(kCustodyOverlapScore * (roster.watched(other) ? 1.0 : 0.8));
      alert.evidence = fmt::format("in {} with {}{} from {} to {}", overlap.facility,
                                   roster.id(other), roster.watched(other) ? " (watched)" : "",
                                   overlap.from, overlap.to.empty() ? "now" : overlap.to);
      ctx.alerts->push_back(std::move(alert));
    }
  }
  return Status::Ok();
}

Status RunReportsPhase(PhaseContext& ctx, SeenIds* seen) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> names, WatchedNamesIndex(ctx.roster));
  ScreeningOptions options;
  options.top_k = 3;
  options.threshold = ctx.options.screening_threshold;
  return ctx.store.ScanReports([&](const Report& report) {
    if (!seen->insert(report.report_id).second) return true;
    if (!report.person_id.empty()) {
      if (ctx.roster.watched(ctx.roster.Find(report.person_id))) {
        AddReportAlert(ctx, report, report.person_id, 1.0, "about " + report.person_id);
      }
      return true;
    }
    if (report.name.empty()) return true;
    Result<std::vector<ScreeningMatch>> matches = names->Screen({report.name, "", ""}, options);
    if (!matches.ok()) return true;  // a name without letters matches nobody
    for (const ScreeningMatch& match : *matches) {
      AddReportAlert(ctx, report, match.entry_id, match.score,
                     fmt::format("naming '{}' ~ '{}' (score {:.2f}: {})", report.name,
                                 match.matched_name, match.score, match.explanation));
    }
    return true;
  });
}

Status RunReviewPhase(PhaseContext& ctx) {
  const int64_t horizon = static_cast<int64_t>(ctx.options.review_horizon_days) * kSecondsPerDay;
  for (PersonIndex p : ctx.roster.watched_people()) {
    const Person& person = ctx.roster.person(p);
    if (person.legal_basis.empty()) {
      StoredAlert alert;
      alert.key = fmt::format("review_due:{}:no_legal_basis", person.person_id);
      alert.time = ctx.options.now;
      alert.person_id = person.person_id;
      alert.kind = "review_due";
      alert.score = kMissingLegalBasisScore;
      alert.evidence = "no legal basis recorded for a watched person";
      ctx.alerts->push_back(std::move(alert));
    }
    Result<UnixTime> review = ParseDate(person.review_by);
    const bool no_date = person.review_by.empty() || !review.ok();
    if (!no_date && *review - horizon > ctx.options.now) continue;
    StoredAlert alert;
    alert.key = fmt::format("review_due:{}:{}", person.person_id,
                            no_date ? "no_review_date" : person.review_by);
    alert.time = no_date ? ctx.options.now : *review - horizon;
    alert.person_id = person.person_id;
    alert.kind = "review_due";
    alert.score = no_date ? kMissingLegalBasisScore : kReviewDueScore;
    alert.evidence =
        no_date ? std::string("no review date recorded")
                : fmt::format("review by {} (legal basis: {}){}", person.review_by,
                              person.legal_basis, *review < ctx.options.now ? ", overdue" : "");
    ctx.alerts->push_back(std::move(alert));
  }
  return Status::Ok();
}

}  // namespace vigil::watch
