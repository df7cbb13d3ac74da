#include "watch/profile.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

namespace vigil::watch {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int kProfileVersion = 1;
// Days of history a profile keeps beyond the baseline window.
constexpr int32_t kKeptDaysBeyondBaseline = 400;
// At least this many events since the renewal before an activity change is
// judged: one or two events are never a change of behaviour.
constexpr int32_t kMinEventsForChange = 3;
// -log10(p) at which the reactivation score reaches 1.
constexpr double kFullScoreLog10 = 12.0;

int32_t DayOf(UnixTime t) {
  return static_cast<int32_t>(t >= 0 ? t / kSecondsPerDay
                                     : (t - kSecondsPerDay + 1) / kSecondsPerDay);
}

// Mean events per day over [day - window, day) of the profile's history,
// counting only days since the first event (a new profile is not "quiet").
void BaselineRates(const Profile& profile, int32_t day, int window, double* all, double* relevant,
                   double* dispersion) {
  const int32_t first_day = DayOf(profile.first_time);
  const int32_t from = std::max(day - window, first_day);
  const double span = std::max(1, day - from);
  int64_t total = 0;
  int64_t total_relevant = 0;
  double squares = 0;
  for (auto it = profile.days.lower_bound(from); it != profile.days.end() && it->first < day;
       ++it) {
    total += it->second.all;
    total_relevant += it->second.relevant;
    squares += static_cast<double>(it->second.all) * it->second.all;
  }
  *all = static_cast<double>(total) / span;
  *relevant = static_cast<double>(total_relevant) / span;
  const double variance = squares / span - *all * *all;
  *dispersion = *all > 0 ? std::max(1.0, variance / *all) : 1.0;
}

void MaybeStartRenewal(const SubjectEvent& event, const WatchOptions& options, Profile* profile) {
  const int64_t quiet = static_cast<int64_t>(options.quiet_days) * kSecondsPerDay;
  const UnixTime quiet_since =
      profile->last_relevant != 0 ? profile->last_relevant : profile->first_time;
  const bool was_quiet = event.time - quiet_since >= quiet;
  const bool has_history = event.time - profile->first_time >= quiet;
  const bool not_just_alerted =
      profile->last_alert == 0 || event.time - profile->last_alert >= quiet;
  if (!was_quiet || !has_history || !not_just_alerted) return;
  Renewal renewal;
  renewal.time = event.time;
  renewal.quiet_since = quiet_since;
  renewal.with = event.counterpart.empty() ? event.what : event.counterpart;
  renewal.weight = event.weight;
  BaselineRates(*profile, DayOf(event.time), options.baseline_days, &renewal.baseline_per_day,
                &renewal.relevant_baseline_per_day, &renewal.dispersion);
  if (profile->relevant_total > 0) {
    // The person's own rate of relevant contacts before the silence, over at
    // least `quiet_days` so that a short early history does not inflate it.
    const double history_days =
        std::max<double>(options.quiet_days,
                         static_cast<double>(quiet_since - profile->first_time) / kSecondsPerDay);
    const double rate = static_cast<double>(profile->relevant_total) / history_days;
    const double quiet_days = static_cast<double>(event.time - quiet_since) / kSecondsPerDay;
    // P(at most the stray contacts seen | own earlier rate over the silence).
    const double lambda = rate * quiet_days;
    renewal.p_quiet = 1.0 - PoissonUpperTail(static_cast<int>(profile->quiet_strays) + 1, lambda);
    renewal.p_quiet = std::max(renewal.p_quiet, std::exp(-lambda));
  }
  profile->renewal = renewal;
}

// Judges the activity since the renewal against the person's own baseline;
// raises a reactivation alert when both tails together are small enough.
void JudgeRenewal(const std::string& person_id, UnixTime now, const WatchOptions& options,
                  Profile* profile, std::vector<StoredAlert>* alerts) {
  const Renewal& renewal = *profile->renewal;
  // The renewed contact must be kept up: one contact alone is not a return.
  if (renewal.events < kMinEventsForChange || renewal.relevant_events < 1) return;
  const double elapsed_days =
      std::max(1.0, static_cast<double>(now - renewal.time) / kSecondsPerDay);
  // A rate never seen is floored at half an event per baseline window.
  const double floor_rate = 0.5 / options.baseline_days;
  const double expected = std::max(renewal.baseline_per_day, floor_rate) * elapsed_days;
  const double expected_relevant =
      std::max(renewal.relevant_baseline_per_day, floor_rate) * elapsed_days;
  const double p_all =
      PoissonUpperTail(static_cast<int>(std::floor(renewal.events / renewal.dispersion)),
                       expected / renewal.dispersion);
  const double p_relevant = PoissonUpperTail(renewal.relevant_events, expected_relevant);
  const double p = renewal.p_quiet * p_all * p_relevant;
  if (renewal.p_quiet > options.quiet_p || p_all > options.activity_p ||
      p > options.reactivation_p) {
    return;
  }
  StoredAlert alert;
  alert.key = fmt::format("reactivation:{}:{}", person_id, renewal.time);
  alert.time = now;
  alert.person_id = person_id;
  alert.kind = "reactivation";
  const double strength = std::min(1.0, -std::log10(std::max(p, 1e-300)) / kFullScoreLog10);
  alert.score = std::round(strength * renewal.weight * 1000) / 1000;
  alert.evidence = fmt::format(
      "quiet {:.0f} days since {} (p={:.1e} at own earlier rate); renewed contact with {} at {}; "
      "{} comms in {:.1f} days vs "
      "own baseline {:.2f}/day, dispersion {:.1f} (p={:.1e}); {} further relevant contacts vs "
      "baseline {:.3f}/day "
      "(p={:.1e})",
      static_cast<double>(renewal.time - renewal.quiet_since) / kSecondsPerDay,
      FormatTime(renewal.quiet_since), renewal.p_quiet, renewal.with, FormatTime(renewal.time),
      renewal.events, static_cast<double>(now - renewal.time) / kSecondsPerDay,
      renewal.baseline_per_day, renewal.dispersion, p_all, renewal.relevant_events,
      renewal.relevant_baseline_per_day, p_relevant);
  alerts->push_back(std::move(alert));
  profile->last_alert = now;
  profile->quiet_strays = 0;
  profile->renewal.reset();
}

void NoteCounterpart(const std::string& person_id, const SubjectEvent& event,
                     const WatchOptions& options, Profile* profile,
                     std::vector<StoredAlert>* alerts) {
  auto [it, inserted] = profile->counterparts.emplace(event.counterpart, event.time);
  if (!inserted) {
    it->second = std::max(it->second, event.time);
    return;
  }
  const int64_t warmup = static_cast<int64_t>(options.warmup_days) * kSecondsPerDay;
  if (event.time - profile->first_time < warmup) return;
  // One alert per pair: the key names the pair in id order.
  const bool first = person_id < event.counterpart;
  StoredAlert alert;
  alert.key = fmt::format("new_contact:{}:{}", first ? person_id : event.counterpart,
                          first ? event.counterpart : person_id);
  alert.time = event.time;
  alert.person_id = person_id;
  alert.kind = "new_contact";
  alert.score = std::round(0.5 * event.weight * 1000) / 1000;
  alert.evidence = fmt::format("first {} between watched {} and watched {} at {}", event.what,
                               person_id, event.counterpart, FormatTime(event.time));
  alerts->push_back(std::move(alert));
}

void PruneOldDays(const WatchOptions& options, Profile* profile) {
  const int32_t keep_from =
      DayOf(profile->last_time) - options.baseline_days - kKeptDaysBeyondBaseline;
  profile->days.erase(profile->days.begin(), profile->days.lower_bound(keep_from));
}

}  // namespace

double PoissonUpperTail(int k, double lambda) {
  if (k <= 0) return 1.0;
  if (lambda <= 0) return 0.0;
  // 1 - P(X <= k-1), summed in a numerically safe way for small tails:
  // when the tail is small, sum the terms from k upward instead.
  double term = std::exp(-lambda);
  double cdf = term;
  for (int i = 1; i < k; ++i) {
    term *= lambda / i;
    cdf += term;
  }
  if (cdf < 0.9) return std::max(0.0, 1.0 - cdf);
  double tail_term = term * lambda / k;  // P(X = k)
  double tail = 0;
  for (int i = k; i < k + 200 && tail_term > tail * 1e-17; ++i) {
    tail += tail_term;
    tail_term *= lambda / (i + 1);
  }
  return tail;
}

void ObserveEvent(const std::string& person_id, const SubjectEvent& event,
                  const WatchOptions& options, Profile* profile, std::vector<StoredAlert>* alerts) {
  if (profile->first_time == 0 || event.time < profile->first_time) {
    profile->first_time = event.time;
  }
  const int64_t window = static_cast<int64_t>(options.renewal_window_days) * kSecondsPerDay;
  if (profile->renewal && event.time - profile->renewal->time > window) {
    // A lone renewed contact that brought no change of activity and was
    // not followed up was a stray contact: the silence it interrupted still
    // counts as silence. A followed-up one ends the silence.
    if (profile->renewal->relevant_events == 0) {
      profile->last_relevant = profile->renewal->quiet_since;
      ++profile->quiet_strays;
    } else {
      profile->quiet_strays = 0;
    }
    profile->renewal.reset();
  }
  if (event.counterpart_watched) NoteCounterpart(person_id, event, options, profile, alerts);
  if (event.relevant) {
    if (profile->renewal) {
      ++profile->renewal->relevant_events;
    } else {
      MaybeStartRenewal(event, options, profile);
      if (!profile->renewal) profile->quiet_strays = 0;  // ordinary, regular contact
    }
    profile->last_relevant = std::max(profile->last_relevant, event.time);
    ++profile->relevant_total;
  }
  DayCounts& counts = profile->days[DayOf(event.time)];
  ++counts.all;
  if (event.relevant) ++counts.relevant;
  profile->last_time = std::max(profile->last_time, event.time);
  if (profile->renewal) {
    ++profile->renewal->events;
    JudgeRenewal(person_id, event.time, options, profile, alerts);
  }
  PruneOldDays(options, profile);
}

std::string SerializeProfile(const Profile& p) {
  std::ostringstream out;
  out << kProfileVersion << ' ' << p.first_time << ' ' << p.last_time << ' ' << p.last_relevant
      << ' ' << p.last_alert << ' ' << p.relevant_total << ' ' << p.quiet_strays << '\n';
  out << p.days.size();
  for (const auto& [day, counts] : p.days)
    out << ' ' << day << ' ' << counts.all << ' ' << counts.relevant;
  out << '\n' << p.counterparts.size();
  for (const auto& [who, when] : p.counterparts) out << ' ' << who << ' ' << when;
  out << '\n';
  if (p.renewal) {
    const Renewal& r = *p.renewal;
    out << "R " << r.time << ' ' << r.quiet_since << ' ' << r.with << ' ' << r.baseline_per_day
        << ' ' << r.relevant_baseline_per_day << ' ' << r.events << ' ' << r.relevant_events << ' '
        << r.weight << ' ' << r.p_quiet << ' ' << r.dispersion << '\n';
  }
  return out.str();
}

Result<Profile> ParseProfile(const std::string& person_id, const std::string& blob) {
  std::istringstream in(blob);
  Profile p;
  int version = 0;
  size_t day_count = 0;
  size_t counterpart_count = 0;
  auto corrupt = [&] {
    return Status::Corruption("watch profile of '" + person_id + "' is malformed");
  };
  if (!(in >> version >> p.first_time >> p.last_time >> p.last_relevant >> p.last_alert >>
        p.relevant_total >> p.quiet_strays) ||
      version != kProfileVersion || !(in >> day_count)) {
    return corrupt();
  }
  for (size_t i = 0; i < day_count; ++i) {
    int32_t day = 0;
    DayCounts counts;
    if (!(in >> day >> counts.all >> counts.relevant)) return corrupt();
    p.days.emplace(day, counts);
  }
  if (!(in >> counterpart_count)) return corrupt();
  for (size_t i = 0; i < counterpart_count; ++i) {
    std::string who;
    UnixTime when = 0;
    if (!(in >> who >> when)) return corrupt();
    p.counterparts.emplace(std::move(who), when);
  }
  std::string tag;
  if (in >> tag) {
    Renewal r;
    if (tag != "R" || !(in >> r.time >> r.quiet_since >> r.with >> r.baseline_per_day >>
                        r.relevant_baseline_per_day >> r.events >> r.relevant_events >> r.weight >>
                        r.p_quiet >> r.dispersion)) {
      return corrupt();
    }
    p.renewal = r;
  }
  return p;
}

}  // namespace vigil::watch
