#include "names/score.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "names/keys.h"

namespace vigil::names {
namespace {

constexpr double kSkeletonAgreement = 0.92;  // forms differ, skeletons agree
constexpr double kSkeletonSimilarityScale = 0.90;
constexpr double kInitialSimilarity = 0.70;
constexpr double kMinTokenSimilarity = 0.72;
constexpr double kWinklerScale = 0.1;
constexpr size_t kWinklerPrefix = 4;
// Weight of the less-covered side: both sides count equally, so a name made
// only of the query's common tokens cannot ride on full coverage of itself.
constexpr double kShortSideShare = 0.50;
constexpr double kPseudoPopulation = 10000.0;
constexpr double kCommonShare = 0.05;
constexpr double kRareShare = 0.0001;
constexpr double kMinWeight = 0.5;
// Matched query weight that counts as full evidence: a name made only of
// common tokens ("Mohamed Ali") is weaker evidence than one with a rare token.
constexpr double kFullEvidence = 8.0;
// The largest score changes from agreeing attributes (MaxAttributeBoost).
constexpr double kMaxBirthBoost = 0.06;

// Agreement of short skeletons is weaker evidence ("aman"/"amin" -> "mn").
double SkeletonAgreement(size_t length) {
  constexpr size_t kStrongLength = 3;
  constexpr double kPerMissingSymbol = 0.05;
  if (length >= kStrongLength) return kSkeletonAgreement;
  return kSkeletonAgreement - kPerMissingSymbol * static_cast<double>(kStrongLength - length);
}

enum class PairKind { kExact, kSkeleton, kSimilar, kInitial };

struct Pair {
  size_t query = 0;
  size_t entry = 0;
  double similarity = 0.0;
  PairKind kind = PairKind::kSimilar;
};

Pair CompareTokens(const ScoredToken& query, const ScoredToken& entry) {
  Pair pair;
  if (query.form == entry.form) {
    pair.similarity = 1.0;
    pair.kind = PairKind::kExact;
    return pair;
  }
  if (query.form.size() == 1 || entry.form.size() == 1) {
    if (query.form[0] == entry.form[0]) {
      pair.similarity = kInitialSimilarity;
      pair.kind = PairKind::kInitial;
    }
    return pair;
  }
  // Only near tokens are compared: the index can find exactly those.
  if (!TokensNear(query.form, query.skeleton, entry.form, entry.skeleton)) return pair;
  const double form_similarity = JaroWinkler(query.form, entry.form);
  double skeleton_similarity = 0.0;
  if (!query.skeleton.empty() && query.skeleton == entry.skeleton) {
    skeleton_similarity = SkeletonAgreement(query.skeleton.size());
  } else if (!query.skeleton.empty() && !entry.skeleton.empty() &&
             form_similarity < kSkeletonSimilarityScale) {
    skeleton_similarity = kSkeletonSimilarityScale * JaroWinkler(query.skeleton, entry.skeleton);
  }
  if (skeleton_similarity > form_similarity) {
    pair.similarity = skeleton_similarity;
    pair.kind = PairKind::kSkeleton;
  } else {
    pair.similarity = form_similarity;
    pair.kind = PairKind::kSimilar;
  }
  if (pair.similarity < kMinTokenSimilarity) pair.similarity = 0.0;
  return pair;
}

// Greedy assignment: the most similar pair first, each token used once.
std::vector<Pair> Align(const std::vector<ScoredToken>& query,
                        const std::vector<ScoredToken>& entry) {
  const size_t query_count = std::min(query.size(), kMaxTokens);
  const size_t entry_count = std::min(entry.size(), kMaxTokens);
  std::array<Pair, kMaxTokens * kMaxTokens> all{};
  size_t pair_count = 0;
  for (size_t row = 0; row < query_count; ++row) {
    for (size_t column = 0; column < entry_count; ++column) {
      Pair pair = CompareTokens(query[row], entry[column]);
      if (pair.similarity <= 0.0) continue;
      pair.query = row;
      pair.entry = column;
      all[pair_count++] = pair;
    }
  }
  std::sort(all.begin(), all.begin() + pair_count, [](const Pair& left, const Pair& right) {
    if (left.similarity != right.similarity) return left.similarity > right.similarity;
    return left.query + left.entry < right.query + right.entry;  // prefer order kept
  });
  std::bitset<kMaxTokens> query_used;
  std::bitset<kMaxTokens> entry_used;
  std::vector<Pair> chosen;
  for (size_t index = 0; index < pair_count; ++index) {
    const Pair& pair = all[index];
    if (query_used[pair.query] || entry_used[pair.entry]) continue;
    query_used.set(pair.query);
    entry_used.set(pair.entry);
    chosen.push_back(pair);
  }
  return chosen;
}

void AppendPair(const Pair& pair, const ScoredToken& query, const ScoredToken& entry,
                std::string* out) {
  if (!out->empty()) out->append("; ");
  switch (pair.kind) {
    case PairKind::kExact:
      *out += fmt::format("{}={}", query.form, entry.form);
      break;
    case PairKind::kSkeleton:
      if (query.skeleton == entry.skeleton) {
        *out += fmt::format("{}~{} (skeleton {})", query.form, entry.form, entry.skeleton);
      } else {
        *out += fmt::format("{}~{} (skeletons {}/{} {:.2f})", query.form, entry.form,
                            query.skeleton, entry.skeleton, pair.similarity);
      }
      break;
    case PairKind::kSimilar:
      *out += fmt::format("{}≈{} ({:.2f})", query.form, entry.form, pair.similarity);
      break;
    case PairKind::kInitial:
      *out += fmt::format("{}={} (initial)", query.form, entry.form);
      break;
  }
}

void AppendUnmatched(const char* side, const std::vector<ScoredToken>& tokens,
                     const std::bitset<kMaxTokens>& used, std::string* out) {
  std::string list;
  for (size_t index = 0; index < std::min(tokens.size(), kMaxTokens); ++index) {
    if (used[index]) continue;
    if (!list.empty()) list += ' ';
    list += tokens[index].form;
  }
  if (list.empty()) return;
  if (!out->empty()) out->append("; ");
  *out += fmt::format("{} only: {}", side, list);
}

double TotalWeight(const std::vector<ScoredToken>& tokens) {
  double total = 0.0;
  for (size_t index = 0; index < std::min(tokens.size(), kMaxTokens); ++index) {
    total += tokens[index].weight;
  }
  return total;
}

struct PartialDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

// "YYYY", "YYYY-MM" or "YYYY-MM-DD"; year 0 when absent or unreadable.
PartialDate ParsePartialDate(std::string_view text) {
  constexpr size_t kYearLength = 4;
  constexpr size_t kMonthEnd = 7;
  constexpr size_t kDayEnd = 10;
  PartialDate date;
  auto number = [&text](size_t from, size_t length) {
    int value = 0;
    for (size_t index = from; index < from + length; ++index) {
      if (text[index] < '0' || text[index] > '9') return -1;
      value = value * 10 + (text[index] - '0');
    }
    return value;
  };
  if (text.size() < kYearLength) return date;
  date.year = std::max(0, number(0, kYearLength));
  if (text.size() >= kMonthEnd) date.month = std::max(0, number(kYearLength + 1, 2));
  if (text.size() >= kDayEnd) date.day = std::max(0, number(kMonthEnd + 1, 2));
  return date;
}

void AppendReason(const std::string& reason, std::string* explanation) {
  if (explanation == nullptr) return;
  if (!explanation->empty()) explanation->append("; ");
  explanation->append(reason);
}

bool IsFullDate(const PartialDate& date) { return date.year > 0 && date.month > 0 && date.day > 0; }

// True when one date is the other with day and month swapped (a common
// data-entry error: 03-07 vs 07-03).
bool DayMonthSwapped(const PartialDate& a, const PartialDate& b) {
  return a.year == b.year && a.month == b.day && a.day == b.month;
}

// The score change from birth dates: positive only for agreement, negative
// when the dates say another person. Two full dates that differ conflict as
// strongly as birth years two apart (a passport's date is read, not
// estimated), except a day/month swap, which counts as near.
double BirthDelta(std::string_view query_text, std::string_view entry_text, std::string* reason) {
  constexpr double kYearAgreement = 0.04;
  constexpr double kNear = -0.04;
  // Birth years two or more apart are strong evidence of another person: an
  // exact namesake with a conflicting stated birth year falls below the
  // default threshold.
  constexpr double kConflict = -0.30;
  const PartialDate query = ParsePartialDate(query_text);
  const PartialDate entry = ParsePartialDate(entry_text);
  if (query.year == 0 || entry.year == 0) return 0.0;
  const bool both_full = IsFullDate(query) && IsFullDate(entry);
  const bool same_date =
      query.year == entry.year && query.month == entry.month && query.day == entry.day;
  if (both_full && !same_date) {
    if (DayMonthSwapped(query, entry)) {
      *reason =
          fmt::format("birth date {} may be {} with day and month swapped", query_text, entry_text);
      return kNear;
    }
    *reason = fmt::format("birth date {} conflicts with {}", query_text, entry_text);
    return kConflict;
  }
  if (query.year != entry.year) {
    const bool near = std::abs(query.year - entry.year) == 1;
    *reason = fmt::format("birth year {} {} {}", query.year, near ? "near" : "conflicts with",
                          entry.year);
    return near ? kNear : kConflict;
  }
  const bool months_known = query.month > 0 && entry.month > 0;
  if (months_known && query.month != entry.month) {
    *reason = "birth year agrees, month differs";
    return 0.0;
  }
  if (both_full) {
    *reason = "birth date agrees";
    return kMaxBirthBoost;
  }
  *reason = "birth year agrees";
  return kYearAgreement;
}

}  // namespace

double JaroWinkler(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  constexpr size_t kMaxLength = 64;
  if (a.size() > kMaxLength) a = a.substr(0, kMaxLength);
  if (b.size() > kMaxLength) b = b.substr(0, kMaxLength);
  const size_t window = std::max<size_t>(std::max(a.size(), b.size()) / 2, 1) - 1;
  std::bitset<kMaxLength> a_matched;
  std::bitset<kMaxLength> b_matched;
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t from = i > window ? i - window : 0;
    const size_t to = std::min(i + window + 1, b.size());
    for (size_t j = from; j < to; ++j) {
      if (b_matched[j] || a[i] != b[j]) continue;
      a_matched.set(i);
      b_matched.set(j);
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  size_t k = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[k]) ++k;
    if (a[i] != b[k]) ++transpositions;
    ++k;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
  size_t prefix = 0;
  while (prefix < std::min({a.size(), b.size(), kWinklerPrefix}) && a[prefix] == b[prefix]) {
    ++prefix;
  }
  return jaro + prefix * kWinklerScale * (1.0 - jaro);
}

double TokenWeight(std::string_view form, size_t frequency, size_t population, bool common) {
  const double weight = RarityWeight(frequency, population, common);
  return form.size() == 1 ? std::min(weight, kInitialWeight) : weight;
}

double RarityWeight(size_t frequency, size_t population, bool common) {
  const double prior = kPseudoPopulation * (common ? kCommonShare : kRareShare);
  const double weight = std::log((static_cast<double>(population) + kPseudoPopulation) /
                                 (static_cast<double>(frequency) + prior + 1.0));
  return std::max(weight, kMinWeight);
}

NameScore ScoreNames(const std::vector<ScoredToken>& query, const std::vector<ScoredToken>& entry,
                     bool explain) {
  NameScore result;
  if (query.empty() || entry.empty()) return result;
  const std::vector<Pair> pairs = Align(query, entry);
  double query_covered = 0.0;
  double entry_covered = 0.0;
  std::bitset<kMaxTokens> query_used;
  std::bitset<kMaxTokens> entry_used;
  for (const Pair& pair : pairs) {
    double query_weight = query[pair.query].weight;
    double entry_weight = entry[pair.entry].weight;
    if (pair.kind == PairKind::kInitial) {
      // An initial says one letter: the full name on the other side gets
      // only an initial's worth of credit.
      query_weight = entry_weight = std::min(query_weight, entry_weight);
    }
    query_covered += pair.similarity * query_weight;
    entry_covered += pair.similarity * entry_weight;
    query_used.set(pair.query);
    entry_used.set(pair.entry);
    if (explain) AppendPair(pair, query[pair.query], entry[pair.entry], &result.explanation);
  }
  const double query_share = query_covered / TotalWeight(query);
  const double entry_share = entry_covered / TotalWeight(entry);
  const double evidence = std::min(1.0, std::sqrt(query_covered / kFullEvidence));
  result.score = evidence * (kShortSideShare * std::min(query_share, entry_share) +
                             (1.0 - kShortSideShare) * std::max(query_share, entry_share));
  if (explain) {
    AppendUnmatched("query", query, query_used, &result.explanation);
    AppendUnmatched("entry", entry, entry_used, &result.explanation);
  }
  return result;
}

namespace {

// True when two lengths differ by at most one (texts further apart are
// never near: the cheap test before TokensNear).
bool LengthsClose(size_t a, size_t b) { return a <= b + 1 && b <= a + 1; }

// True when CompareTokens can give the pair a non-zero similarity.
bool Comparable(const ScoredToken& query, const ScoredToken& entry) {
  if (query.form.size() == 1 || entry.form.size() == 1) return query.form[0] == entry.form[0];
  if (!LengthsClose(query.form.size(), entry.form.size()) &&
      !LengthsClose(query.skeleton.size(), entry.skeleton.size())) {
    return false;
  }
  return TokensNear(query.form, query.skeleton, entry.form, entry.skeleton);
}

}  // namespace

double CoverageUpperBound(const std::vector<ScoredToken>& query,
                          const std::vector<ScoredToken>& entry, uint32_t possible_rows) {
  const size_t query_count = std::min(query.size(), kMaxTokens);
  const size_t entry_count = std::min(entry.size(), kMaxTokens);
  std::bitset<kMaxTokens> query_near;
  std::bitset<kMaxTokens> entry_near;
  for (size_t row = 0; row < query_count; ++row) {
    if (((possible_rows >> row) & 1U) == 0) continue;
    for (size_t column = 0; column < entry_count; ++column) {
      if (entry_near[column] && query_near[row]) continue;
      if (!Comparable(query[row], entry[column])) continue;
      query_near.set(row);
      entry_near.set(column);
    }
  }
  double query_covered = 0.0;
  double entry_covered = 0.0;
  for (size_t row = 0; row < query_count; ++row) {
    if (query_near[row]) query_covered += query[row].weight;
  }
  for (size_t column = 0; column < entry_count; ++column) {
    if (entry_near[column]) entry_covered += entry[column].weight;
  }
  if (query_covered <= 0.0) return 0.0;
  const double query_share = query_covered / TotalWeight(query);
  const double entry_share = entry_covered / TotalWeight(entry);
  const double evidence = std::min(1.0, std::sqrt(query_covered / kFullEvidence));
  return evidence * (kShortSideShare * std::min(query_share, entry_share) +
                     (1.0 - kShortSideShare) * std::max(query_share, entry_share));
}

double NameScoreUpperBound(double query_covered, double query_total_weight) {
  if (query_total_weight <= 0.0) return 0.0;
  const double share = std::min(1.0, query_covered / query_total_weight);
  const double evidence = std::min(1.0, std::sqrt(query_covered / kFullEvidence));
  return evidence * (kShortSideShare * share + (1.0 - kShortSideShare));
}

double MaxAttributeBoost(std::string_view query_birth) {
  return ParsePartialDate(query_birth).year != 0 ? kMaxBirthBoost : 0.0;
}

double AdjustForAttributes(double name_score, std::string_view query_birth,
                           std::string_view entry_birth, std::string* explanation) {
  double score = name_score;
  std::string reason;
  const double birth = BirthDelta(query_birth, entry_birth, &reason);
  if (birth < 0.0 || name_score >= kBoostFloor) score += birth;
  if (!reason.empty()) AppendReason(reason, explanation);
  return std::clamp(score, 0.0, 1.0);
}

}  // namespace vigil::names
