// The scorer: token alignment across order, per-token similarity, rarity
// weights, birth-date agreement, and the explanation.
#ifndef VIGIL_NAMES_SCORE_H_
#define VIGIL_NAMES_SCORE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::names {

// One token ready for scoring. Views point into storage owned by the caller.
struct ScoredToken {
  std::string_view form;
  std::string_view skeleton;
  double weight = 1.0;  // rarity weight, > 0
};

// Jaro-Winkler similarity of two ASCII strings in 0..1. O(|a| * |b|).
double JaroWinkler(std::string_view a, std::string_view b);

// The rarity weight of a token found in `frequency` of `population` names.
// O(1).
double RarityWeight(size_t frequency, size_t population, bool common);

// The weight of a one-letter token (an initial) is at most this: it carries
// one letter of information however rare it is as a token.
inline constexpr double kInitialWeight = 1.0;

// The weight a token gets in scoring: RarityWeight, capped at kInitialWeight
// for an initial. O(1).
double TokenWeight(std::string_view form, size_t frequency, size_t population, bool common);

struct NameScore {
  double score = 0.0;  // 0..1
  std::string explanation;
};

// Scores a query name against an entry name. Tokens beyond kMaxTokens on
// either side are ignored. With explain=false the explanation stays empty
// (the fast path for ranking). Cost: O(kMaxTokens^2 * token length^2).
NameScore ScoreNames(const std::vector<ScoredToken>& query, const std::vector<ScoredToken>& entry,
                     bool explain);

inline constexpr size_t kMaxTokens = 8;

// An upper bound of ScoreNames(query, entry).score over every entry whose
// aligned pairs cover at most `query_covered` of the query's weight (each
// pair's similarity is at most 1), where `query_total_weight` is the weight
// of the query's first kMaxTokens tokens. Increasing in query_covered; it
// lets the index prove that a name it never scored cannot reach a
// threshold. O(1).
double NameScoreUpperBound(double query_covered, double query_total_weight);

// An upper bound of ScoreNames(query, entry).score that compares no
// strings beyond the cheap "near" test: as if every token near some token of
// the other side matched it perfectly. Only query tokens whose bit is set in
// `possible_rows` are tested (bit i for query token i); the caller promises
// the others are near no entry token (the index knows: they share no key
// with the name). O(kMaxTokens^2 * token length).
double CoverageUpperBound(const std::vector<ScoredToken>& query,
                          const std::vector<ScoredToken>& entry, uint32_t possible_rows = ~0U);

// The most AdjustForAttributes can add for a query with these attributes.
// O(1).
double MaxAttributeBoost(std::string_view query_birth);

// Adjusts a name score by birth date agreement. Nationality is never an
// input (it is a protected trait): two queries that differ only in it score
// and explain alike. A boost is
// given only to a name score of at least kBoostFloor, so agreeing attributes
// alone never make a match; a conflict always lowers the score. Appends the
// reasons to *explanation when it is not null. Result in 0..1. O(1).
double AdjustForAttributes(double name_score, std::string_view query_birth,
                           std::string_view entry_birth, std::string* explanation);

inline constexpr double kBoostFloor = 0.60;

}  // namespace vigil::names

#endif  // VIGIL_NAMES_SCORE_H_
