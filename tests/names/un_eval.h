// Evaluation of screening on the UN Security Council consolidated list:
// each entry's listed name goes into the index; its aliases and its
// original-script name are the queries, and the true answer is the entry.
// Shared by the ctest (un_eval_test) and bench/screening/un_eval.
#ifndef VIGIL_TESTS_NAMES_UN_EVAL_H_
#define VIGIL_TESTS_NAMES_UN_EVAL_H_

#include <array>
#include <string>
#include <vector>

#include "vigil/names.h"

namespace vigil::names_eval {

enum class QueryKind {
  kSpelling = 0,    // an alias: at least half its words spell listed words
  kOriginalScript,  // NAME_ORIGINAL_SCRIPT
  kOtherAlias,      // an alias that is another name (kunya, nom de guerre)
};
inline constexpr size_t kQueryKinds = 3;
const char* QueryKindName(QueryKind kind);

struct UnQuery {
  std::string name;
  std::string entry_id;
  QueryKind kind = QueryKind::kSpelling;
  bool individual = true;  // a person (false: an entity, a vessel, ...)
};

struct UnDataset {
  std::vector<ScreeningEntry> entries;  // listed names only
  std::vector<UnQuery> queries;
};

// An alias word "spells" a listed word when the two, folded to lower-case
// ASCII and split on spaces only, have Jaro-Winkler >= this (no parsing or
// keying rule is used, so the split does not depend on the matcher under
// test).
inline constexpr double kSpellingSimilarity = 0.85;

// Reads consolidated.xml (INDIVIDUAL and ENTITY records). IOError when the
// file cannot be read, Corruption when the XML is malformed.
Result<UnDataset> LoadUnList(const std::string& path, NameNormalizer& normalizer);

// Reads an OFAC list in its CSV form: `primary_csv` (sdn.csv or
// cons_prim.csv: ent_num, name "FAMILY, Given", type, ...) gives the listed
// names of individuals and entities (vessels and aircraft are left out),
// `alias_csv` (alt.csv or cons_alt.csv: ent_num, alt_num, type, name, ...)
// the queries, split into spelling variants and other names as for the UN
// list. OFAC lists carry no original-script names. IOError when a file
// cannot be read. O(bytes).
Result<UnDataset> LoadOfacList(const std::string& primary_csv, const std::string& alias_csv,
                               NameNormalizer& normalizer);

inline constexpr size_t kScoreBins = 10;

struct KindFigures {
  size_t queries = 0;
  size_t rejected = 0;  // the normaliser refused the query
  size_t hit_at_1 = 0;
  size_t hit_at_10 = 0;
  double RecallAt1() const { return queries ? static_cast<double>(hit_at_1) / queries : 0.0; }
  double RecallAt10() const { return queries ? static_cast<double>(hit_at_10) / queries : 0.0; }
};

struct EvalFigures {
  std::array<KindFigures, kQueryKinds> kinds{};
  // The same figures over the queries of individuals only.
  std::array<KindFigures, kQueryKinds> individuals{};
  // Score histograms (bin = floor(score * 10)) of the true entry's score and
  // of the best wrong entry's score, over spelling and original-script queries.
  std::array<size_t, kScoreBins + 1> true_scores{};
  std::array<size_t, kScoreBins + 1> false_scores{};
};

// Screens every query against `index` (which holds dataset.entries).
EvalFigures Evaluate(const ScreeningIndex& index, const UnDataset& dataset, bool exhaustive);

// A naive peer: Jaro-Winkler on whole lower-cased names, brute force.
EvalFigures EvaluateNaiveJaroWinkler(const UnDataset& dataset);

}  // namespace vigil::names_eval

#endif  // VIGIL_TESTS_NAMES_UN_EVAL_H_
