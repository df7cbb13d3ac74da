#include "watch/profile.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

namespace vigil::watch {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int kProfileVersion = 4;
// Days of history a profile keeps beyond the baseline window.
constexpr int32_t kKeptDaysBeyondBaseline = 400;
// -log10(p) at which the reactivation score reaches 1.
constexpr double kFullScoreLog10 = 12.0;
// The prior count added to a baseline (Jeffreys-like half an event), so that
// a rate never seen is small but not zero.
constexpr double kPriorEvents = 0.5;
// At most this many counterparts are named in the evidence.
constexpr size_t kNamedCounterparts = 5;

int32_t DayOf(UnixTime t) {
  return static_cast<int32_t>(t >= 0 ? t / kSecondsPerDay
                                     : (t - kSecondsPerDay + 1) / kSecondsPerDay);
}

// Counts over a span of days [from, to] of the profile's day map.
struct SpanCounts {
  int32_t days = 0;
  int64_t all = 0;
  int64_t relevant = 0;
  int64_t out = 0;
  double out_squares = 0;          // sum of squared daily `out` counts
  int64_t out_relevant = 0;        // relevant events the person started
  int32_t last_relevant_day = -1;  // -1: none in the span
  int64_t renewed = 0;             // ties renewed after a dormancy
  int32_t dormancy = 0;            // the longest dormancy they ended, days
};

SpanCounts CountSpan(const Profile& profile, int32_t from, int32_t to) {
  SpanCounts counts;
  counts.days = std::max(0, to - from + 1);
  for (auto it = profile.days.lower_bound(from); it != profile.days.end() && it->first <= to;
       ++it) {
    counts.all += it->second.all;
    counts.relevant += it->second.relevant;
    counts.out += it->second.out;
    counts.out_squares += static_cast<double>(it->second.out) * it->second.out;
    counts.out_relevant += it->second.out_relevant;
    counts.renewed += it->second.renewed;
    counts.dormancy = std::max(counts.dormancy, it->second.dormancy);
    if (it->second.relevant > 0) counts.last_relevant_day = it->first;
  }
  return counts;
}

// How many different persons a tie was renewed with on days [from, to].
// O(renewals kept).
int32_t RenewedTies(const Profile& profile, int32_t from, int32_t to) {
  std::vector<std::string_view> who;
  for (const Renewal& renewal : profile.renewals) {
    if (renewal.day >= from && renewal.day <= to) who.push_back(renewal.who);
  }
  std::sort(who.begin(), who.end());
  return static_cast<int32_t>(std::unique(who.begin(), who.end()) - who.begin());
}

// Variance over mean of the daily own-activity counts (at least 1): bursty
// people need a larger change (quasi-Poisson).
double Dispersion(const SpanCounts& baseline) {
  if (baseline.out == 0 || baseline.days == 0) return 1.0;
  const double mean = static_cast<double>(baseline.out) / baseline.days;
  const double variance = baseline.out_squares / baseline.days - mean * mean;
  return std::max(1.0, variance / mean);
}

// The watched counterparts last contacted at or after `since`, named for the
// evidence ("PB, PC"), the one of the judged event first.
std::string RecentCounterparts(const Profile& profile, const SubjectEvent& event, UnixTime since) {
  std::vector<std::string> names;
  // The judged event may be one of the person's own that touched no one
  // relevant (see ObserveEvent): then only the window's relevant contacts
  // are named.
  if (event.relevant && !event.counterpart.empty()) names.push_back(event.counterpart);
  if (event.relevant && event.counterpart.empty() && event.what.rfind("travel:", 0) == 0) {
    names.push_back(event.what);
  }
  for (const auto& [who, when] : profile.counterparts) {
    if (when >= since && who != event.counterpart && names.size() < kNamedCounterparts) {
      names.push_back(who);
    }
  }
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "an unattributed party" : text;
}

// One window's rate-change test (see JudgeReactivation).
struct WindowTest {
  int32_t window = 0;         // days, ending with the judged day
  int32_t window_from = 0;    // first day of the window
  int32_t baseline_from = 0;  // first day of the baseline
  SpanCounts baseline;
  SpanCounts recent;
  int32_t renewed_ties = 0;  // different persons a tie was renewed with in the window
  double dispersion = 1;
  double p_activity = 1;     // own activity: 2 x the smaller of p_started and p_own_contact
  double p_started = 1;      // events the person started
  double p_own_contact = 1;  // relevant events the person started
  double p_contact = 1;
  double p_mix = 1;   // the window's share of relevant contact against the baseline's
  double p_ties = 1;  // the window's renewed ties against the baseline's rate of renewals
  double p() const { return p_activity * p_contact; }
};

// P(X >= k) for X ~ Binomial(n, share). Cost O(n - k) after O(1) setup
// through lgamma.
double BinomialUpperTail(int64_t k, int64_t n, double share) {
  if (k <= 0) return 1.0;
  if (k > n) return 0.0;
  if (share <= 0) return 0.0;
  if (share >= 1) return 1.0;
  double tail = 0;
  for (int64_t i = k; i <= n; ++i) {
    const double log_term = std::lgamma(static_cast<double>(n) + 1) -
                            std::lgamma(static_cast<double>(i) + 1) -
                            std::lgamma(static_cast<double>(n - i) + 1) + i * std::log(share) +
                            (n - i) * std::log1p(-share);
    const double term = std::exp(log_term);
    tail += term;
    if (term < tail * 1e-17) break;
  }
  return std::min(1.0, tail);
}

// Tests the `window` days ending with `day` against up to `baseline_days`
// before them. Returns nothing when the baseline would contain the last
// reactivation alert or is shorter than `quiet_days`.
std::optional<WindowTest> TestWindow(const Profile& profile, int32_t day, int32_t window,
                                     const WatchOptions& options) {
  WindowTest test;
  test.window = window;
  test.window_from = day - window + 1;
  const int32_t full_baseline_from = test.window_from - options.baseline_days;
  // After an alert the person is known to be active: a new reactivation
  // needs a whole baseline after it, so the active period that followed the
  // last one is never judged as a new one.
  if (profile.last_alert != 0 && DayOf(profile.last_alert) >= full_baseline_from) return {};
  test.baseline_from = std::max(full_baseline_from, DayOf(profile.first_time));
  test.baseline = CountSpan(profile, test.baseline_from, test.window_from - 1);
  if (test.baseline.days < std::max(1, options.quiet_days)) return {};
  test.recent = CountSpan(profile, test.window_from, day);
  // The end of a real dormancy: ties with watched persons renewed after at
  // least min_dormancy_days of silence, and the min_dormancy_days before the
  // window quiet against the person's own long-run rate of relevant contact.
  if (options.min_dormancy_days > 0) {
    test.renewed_ties = RenewedTies(profile, test.window_from, day);
    if (test.renewed_ties < std::max(1, options.min_renewed_ties)) return {};
    const int32_t quiet_from = test.window_from - options.min_dormancy_days;
    const SpanCounts quiet = CountSpan(profile, quiet_from, test.window_from - 1);
    const int32_t history_from = DayOf(profile.first_time);
    if (quiet_from < history_from) return {};
    const SpanCounts history = CountSpan(profile, history_from, test.window_from - 1);
    const double long_run = static_cast<double>(history.relevant) / std::max(1, history.days);
    if (static_cast<double>(quiet.relevant) >
        options.dormant_relevant_share * long_run * options.min_dormancy_days) {
      return {};
    }
  }
  const double scale = static_cast<double>(window) / test.baseline.days;
  test.dispersion = Dispersion(test.baseline);
  const double expected_out = (static_cast<double>(test.baseline.out) + kPriorEvents) * scale;
  const double expected_relevant =
      (static_cast<double>(test.baseline.relevant) + kPriorEvents) * scale;
  test.p_started = PoissonUpperTail(
      static_cast<int>(std::floor(static_cast<double>(test.recent.out) / test.dispersion)),
      expected_out / test.dispersion);
  // A waking member may not talk more, only to other people: taking up
  // contact with the watched oneself is own activity too. Two looks at own
  // activity, so the smaller tail is doubled (Bonferroni).
  test.p_own_contact =
      PoissonUpperTail(static_cast<int>(test.recent.out_relevant),
                       (static_cast<double>(test.baseline.out_relevant) + kPriorEvents) * scale);
  test.p_activity = std::min(1.0, 2 * std::min(test.p_started, test.p_own_contact));
  test.p_contact = PoissonUpperTail(static_cast<int>(test.recent.relevant), expected_relevant);
  if (options.min_dormancy_days > 0) {
    const double expected_renewals =
        (static_cast<double>(test.baseline.renewed) + kPriorEvents) * scale;
    test.p_ties = PoissonUpperTail(test.renewed_ties, expected_renewals);
  }
  return test;
}

// A burst of ordinary life (a party, a move, a family event) raises all of
// a person's contact in the proportions they always had; the end of a
// dormancy changes whom they talk to. Given the window's events, its
// relevant ones are judged against the baseline's share of relevant
// contact (with half an event of prior). Computed only for a window that
// passed the other tests (its cost is O(window events)).
void TestMix(WindowTest* test) {
  const double share = (static_cast<double>(test->baseline.relevant) + kPriorEvents) /
                       (static_cast<double>(test->baseline.all) + 2 * kPriorEvents);
  test->p_mix = BinomialUpperTail(test->recent.relevant, test->recent.all, share);
}

StoredAlert ReactivationAlert(const std::string& person_id, const SubjectEvent& event,
                              const Profile& profile, const WindowTest& test,
                              const WatchOptions& options) {
  const int32_t quiet_from = test.baseline.last_relevant_day >= 0
                                 ? test.baseline.last_relevant_day + 1
                                 : test.baseline_from;
  StoredAlert alert;
  alert.key = fmt::format("reactivation:{}:{}", person_id, event.time);
  alert.time = event.time;
  alert.person_id = person_id;
  alert.kind = "reactivation";
  const double p = test.p();
  const double strength = std::min(1.0, -std::log10(std::max(p, 1e-300)) / kFullScoreLog10);
  alert.score = std::round(strength * event.weight * 1000) / 1000;
  const double baseline_days = test.baseline.days;
  alert.evidence = fmt::format(
      "dormant {} days (the longest silence with a watched person that ended in the window; "
      "minimum {}); ties renewed with {} persons (minimum {}) vs own baseline {:.3f} "
      "renewals/day (p={:.1e}); quiet {} days "
      "before the last {} (no relevant contact since {}); renewed contact with {}; "
      "own activity {} started events in {} days vs own baseline {:.2f}/day over {} days, "
      "dispersion {:.1f} (p={:.1e}), {} started with the watched vs own baseline {:.3f}/day "
      "(p={:.1e}), the smaller doubled p={:.1e}; "
      "{} relevant contacts vs own baseline {:.3f}/day (p={:.1e}); "
      "combined p={:.1e}; {} of the window's {} events relevant vs {} of {} in the baseline "
      "(p={:.1e}: not a burst of the usual contacts)",
      test.recent.dormancy, options.min_dormancy_days, test.renewed_ties,
      std::max(1, options.min_renewed_ties),
      static_cast<double>(test.baseline.renewed) / baseline_days, test.p_ties,
      test.window_from - quiet_from, test.window,
      FormatTime(static_cast<UnixTime>(quiet_from) * kSecondsPerDay),
      RecentCounterparts(profile, event, static_cast<UnixTime>(test.window_from) * kSecondsPerDay),
      test.recent.out, test.window, static_cast<double>(test.baseline.out) / baseline_days,
      test.baseline.days, test.dispersion, test.p_started, test.recent.out_relevant,
      static_cast<double>(test.baseline.out_relevant) / baseline_days, test.p_own_contact,
      test.p_activity, test.recent.relevant,
      static_cast<double>(test.baseline.relevant) / baseline_days, test.p_contact, p,
      test.recent.relevant, test.recent.all, test.baseline.relevant, test.baseline.all, test.p_mix);
  if (event.via_proposed > 0) {
    alert.evidence += fmt::format("; {}{:.2f}", kViaProposedLink, event.via_proposed);
  }
  return alert;
}

// The rate-change test, run at each relevant event and each event the
// person starts (after it was counted),
// over each of `window_days` (a scan over short, medium and long changes):
// the window's days ending with the event's day against up to
// `baseline_days` before them, starting no earlier than the person's first
// event; at least `quiet_days` of baseline; no window whose full baseline
// holds the last reactivation alert. Two one-sided Poisson tails against
// the person's own rates (with half an event of prior): own activity
// (events the person started, quasi-Poisson with the baseline's dispersion)
// and relevant contacts (both directions). A reactivation needs, in one
// window, each tail below its threshold and their product below
// reactivation_p, each threshold divided by the number of windows
// (Bonferroni: more looks, stricter each). Renewed contact without any
// change in the person's own activity (being called by a reactivated
// acquaintance) is not a reactivation of that person. With a minimum
// dormancy, the window must also renew ties with min_renewed_ties different
// persons, more than the person's own habit of renewing ties (ties_p).
void JudgeReactivation(const std::string& person_id, const SubjectEvent& event,
                       const WatchOptions& options, Profile* profile,
                       std::vector<StoredAlert>* alerts) {
  if (options.window_days.empty()) return;
  const double looks = static_cast<double>(options.window_days.size());
  const int32_t day = DayOf(event.time);
  for (int window : options.window_days) {
    std::optional<WindowTest> test = TestWindow(*profile, day, std::max(1, window), options);
    if (!test ||
        (options.min_dormancy_days > 0 && options.ties_p < 1 &&
         test->p_ties > options.ties_p / looks) ||
        test->p_activity > options.activity_p / looks ||
        test->p_contact > options.contact_p / looks || test->p() > options.reactivation_p / looks) {
      continue;
    }
    TestMix(&*test);
    if (options.mix_p < 1 && test->p_mix > options.mix_p / looks) continue;
    alerts->push_back(ReactivationAlert(person_id, event, *profile, *test, options));
    profile->last_alert = event.time;
    return;
  }
}

// Whether a contact with a watched counterpart ends a silence of at least
// min_dormancy_days between the two (a counterpart never contacted counts
// from the person's first event); counted on the event's day.
void NoteRenewal(UnixTime previous, const SubjectEvent& event, const WatchOptions& options,
                 Profile* profile) {
  if (options.min_dormancy_days <= 0) return;
  const int64_t silence = (event.time - previous) / kSecondsPerDay;
  if (silence < options.min_dormancy_days) return;
  DayCounts& counts = profile->days[DayOf(event.time)];
  ++counts.renewed;
  counts.dormancy = std::max(counts.dormancy, static_cast<int32_t>(silence));
  profile->renewals.push_back({DayOf(event.time), event.counterpart});
}

void NoteCounterpart(const std::string& person_id, const SubjectEvent& event,
                     const WatchOptions& options, Profile* profile,
                     std::vector<StoredAlert>* alerts) {
  auto [it, inserted] = profile->counterparts.emplace(event.counterpart, event.time);
  if (!inserted) {
    if (event.time > it->second) NoteRenewal(it->second, event, options, profile);
    it->second = std::max(it->second, event.time);
    return;
  }
  NoteRenewal(profile->first_time, event, options, profile);
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
  if (event.via_proposed > 0) {
    alert.evidence += fmt::format("; {}{:.2f}", kViaProposedLink, event.via_proposed);
  }
  alerts->push_back(std::move(alert));
}

void PruneOldDays(const WatchOptions& options, Profile* profile) {
  const int32_t keep_from =
      DayOf(profile->last_time) - options.baseline_days - kKeptDaysBeyondBaseline;
  profile->days.erase(profile->days.begin(), profile->days.lower_bound(keep_from));
  int32_t longest_window = 1;
  for (int window : options.window_days) longest_window = std::max(longest_window, window);
  const int32_t renewals_from = DayOf(profile->last_time) - longest_window;
  auto& renewals = profile->renewals;
  renewals.erase(renewals.begin(),
                 std::find_if(renewals.begin(), renewals.end(),
                              [&](const Renewal& r) { return r.day >= renewals_from; }));
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
  if (event.counterpart_watched) {
    NoteCounterpart(person_id, event, options, profile, alerts);
  } else if (event.relevant && !event.counterpart.empty()) {
    // A co-detainee: the silence is that of all relevant contact.
    NoteRenewal(profile->last_relevant != 0 ? profile->last_relevant : profile->first_time, event,
                options, profile);
  }
  DayCounts& counts = profile->days[DayOf(event.time)];
  ++counts.all;
  if (event.relevant) ++counts.relevant;
  if (event.outgoing) ++counts.out;
  if (event.outgoing && event.relevant) ++counts.out_relevant;
  profile->last_time = std::max(profile->last_time, event.time);
  if (event.relevant) {
    profile->last_relevant = std::max(profile->last_relevant, event.time);
    ++profile->relevant_total;
  }
  // Judged whenever either count grows: a rise completed by one more call
  // the person makes (to anyone) is seen at that call, not at the next
  // relevant contact, which may come days later.
  if (event.relevant || event.outgoing)
    JudgeReactivation(person_id, event, options, profile, alerts);
  PruneOldDays(options, profile);
}

std::string SerializeProfile(const Profile& p) {
  std::ostringstream out;
  out << kProfileVersion << ' ' << p.first_time << ' ' << p.last_time << ' ' << p.last_relevant
      << ' ' << p.last_alert << ' ' << p.relevant_total << '\n';
  out << p.days.size();
  for (const auto& [day, counts] : p.days)
    out << ' ' << day << ' ' << counts.all << ' ' << counts.relevant << ' ' << counts.out << ' '
        << counts.renewed << ' ' << counts.dormancy << ' ' << counts.out_relevant;
  out << '\n' << p.counterparts.size();
  for (const auto& [who, when] : p.counterparts) out << ' ' << who << ' ' << when;
  out << '\n' << p.renewals.size();
  for (const Renewal& renewal : p.renewals) out << ' ' << renewal.day << ' ' << renewal.who;
  out << '\n';
  return out.str();
}

// Version 1 profiles (no own-activity counts, a pending-renewal line) are
// read with every event counted as the person's own, so that a store
// written by an earlier release keeps working.
Result<Profile> ParseProfile(const std::string& person_id, const std::string& blob) {
  std::istringstream in(blob);
  Profile p;
  int version = 0;
  int64_t quiet_strays = 0;  // version 1 only
  size_t day_count = 0;
  size_t counterpart_count = 0;
  auto corrupt = [&] {
    return Status::Corruption("watch profile of '" + person_id + "' is malformed");
  };
  if (!(in >> version >> p.first_time >> p.last_time >> p.last_relevant >> p.last_alert >>
        p.relevant_total) ||
      (version < 1 || version > kProfileVersion) || (version == 1 && !(in >> quiet_strays)) ||
      !(in >> day_count)) {
    return corrupt();
  }
  for (size_t i = 0; i < day_count; ++i) {
    int32_t day = 0;
    DayCounts counts;
    if (!(in >> day >> counts.all >> counts.relevant)) return corrupt();
    if (version == 1) {
      counts.out = counts.all;
    } else if (!(in >> counts.out)) {
      return corrupt();
    }
    if (version >= 3 && !(in >> counts.renewed >> counts.dormancy)) return corrupt();
    if (version >= 4 && !(in >> counts.out_relevant)) return corrupt();
    p.days.emplace(day, counts);
  }
  if (!(in >> counterpart_count)) return corrupt();
  for (size_t i = 0; i < counterpart_count; ++i) {
    std::string who;
    UnixTime when = 0;
    if (!(in >> who >> when)) return corrupt();
    p.counterparts.emplace(std::move(who), when);
  }
  // Version 3 profiles kept no renewals: their next windows see only the
  // renewals observed from now on.
  if (version >= 4) {
    size_t renewal_count = 0;
    if (!(in >> renewal_count)) return corrupt();
    for (size_t i = 0; i < renewal_count; ++i) {
      Renewal renewal;
      if (!(in >> renewal.day >> renewal.who)) return corrupt();
      p.renewals.push_back(std::move(renewal));
    }
  }
  return p;
}

}  // namespace vigil::watch
