// Names: normalisation of personal names written in any spelling or script,
// and watch-list screening over them.
//
// Design
// ------
// A name goes through four stages (each one file in src/names/):
//
//  1. normalise    Checks the bytes (valid UTF-8, no control characters, at
//                  least one letter). ASCII names take a fast path; others go
//                  through ICU "NFKC; Russian-Latin/BGN; Any-Latin;
//                  Latin-ASCII; Lower", so Arabic, Cyrillic (BGN/PCGN: sh
//                  ch zh ts kh), Greek, ... and diacritics all land in
//                  lower-case ASCII ("عبد السلام" -> "ʿbd alslam",
//                  "Коуаши" -> "kouashi").
//  2. parse        Splits into tokens and knows the particles of
//                  Arabic-origin names: honorifics (haji, mullah, sheikh, ...)
//                  and connectors (bin, ibn, ben, bint) are set aside; a
//                  standalone article (al-, el-, ad-, as-, ...) is dropped and
//                  a joined one is stripped; "abd"/"abu" compounds are joined
//                  and their article removed, so "Abd al-Salam", "Abdelsalam",
//                  "Abdessalam" and "عبد السلام" all become one token.
//                  The assimilated article is removed too ("Abdurrahman"),
//                  and a joined -u- compound splits ("Shamsurrahman" ->
//                  shams rahman, as "Shams ur-Rahman"). A name that reads
//                  as romanised Korean is split into syllables written in
//                  one canonical spelling (Jo/Cho, Ri/Lee/Yi, Pak/Park, ...;
//                  src/names/korean.h). Arabic script with ض ظ ذ ث ق gets
//                  a second reading, the Persian/Urdu one (Fadl and Fazl):
//                  both are indexed and screened. Every language rule and
//                  its reason: src/names/README.md.
//                  European particles (de, du, del, van, von, le, la, ...)
//                  join the word they precede in a name of 2+ other words
//                  ("Du Bois", "Dubois" -> "dubois"), so a shared "de" is
//                  not evidence.
//  3. keys         Each token gets a consonant skeleton with sound-alike
//                  classes tuned for Arabic-origin names: vowels and the
//                  vowel letters w/y drop (Arabic script omits short vowels,
//                  so a transliteration is a skeleton), kh/gh/sh=ch/th/dh/q=k
//                  /p=b/v=f and German sch=tsch=ch are folded, doubles
//                  collapse ("Mohammed",
//                  "Muhamad", "محمد" -> "mhmd"; "Kouachi", "Kouashi" -> "kS").
//                  The index keys of a token are its skeleton and its form,
//                  and, for skeletons of 4+ symbols and forms of 5+ letters,
//                  every one-deletion of them (symmetric-deletion
//                  neighbourhoods: one consonant or typing error still
//                  shares a key). Two tokens are "near" when they share one.
//  4. score        Tokens of query and candidate are aligned across order
//                  (greedy assignment on the similarity matrix); only "near"
//                  tokens (see keys) or an initial and a name starting with
//                  it are compared; a pair's similarity is the best of
//                  Jaro-Winkler on the forms and a skeleton agreement. Each
//                  token weighs by its rarity in the index (inverse document
//                  frequency, with common given names damped; an initial
//                  weighs at most one letter's worth), so "Mohamed" alone
//                  never makes a match. The name score is the mean of the
//                  weighted coverage of both sides (an omitted middle name
//                  costs only its share), scaled down when the matched weight
//                  is small evidence. A birth date that agrees adds a modest
//                  boost only to an already good name score; a birth year
//                  two or more years off, or two full dates that differ,
//                  subtract 0.30 (an exact namesake then falls below the
//                  default threshold; a day/month swap only a little), a
//                  year off with a partial date a little. Nationality is
//                  never an input to the score (a protected trait): it is
//                  kept on entries and queries for display only.
//
// The ScreeningIndex keeps an inverted index key -> name ids. The keys of a
// token are its skeleton and its form, each with (when long enough) every
// one-deletion of it: two tokens share a key exactly when they are "near"
// (skeletons or forms one insertion, deletion, substitution or moved letter
// apart). The scorer compares only near tokens (and initials), so the
// candidate step can be complete: a set of the query's tokens is chosen
// such that the others, even matched perfectly, could not lift a name to
// the target score (a proven upper bound of the scorer); of all such sets
// (2^t for t <= 8 tokens) the one with the shortest postings is taken
// (prefix filtering, by cost rather than rarity). Every name that can reach
// the target shares a key with a chosen token. The other tokens' postings
// only set bits on names already found, so each candidate's bound (which
// query tokens it is near at all) is known before its record is read; the
// survivors are bounded again by which of their own tokens are near
// (CoverageUpperBound) and scored best bound first, stopping once the top K
// distinct entries all beat the next bound (early termination). The index
// therefore returns exactly what the exhaustive pass returns at or above
// max(threshold, kCompleteFrom).
//   Time per query: O(sum of the posting lists of the query tokens' keys +
//   C * t^2 * l + S * t^2 * l^2) for C candidates passing the bit bound, S
//   of them scored in full, t tokens, l letters per token; in the worst case
//   (a query of only very common tokens) the postings are O(N).
//   Memory: O(N * t * l) keys (one-deletions) for N names.
// The top entries come with an explanation such as
//   "mohamed~muhammad (skeleton mhmd); kouachi=kouachi; birth year agrees".
// Entries are added, replaced and removed in place, without a rebuild.
//
// Names are only strings: no religion, ethnicity or other protected trait is
// an input to anything here.
#ifndef VIGIL_NAMES_H_
#define VIGIL_NAMES_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/model.h"
#include "vigil/status.h"

namespace vigil {

// A name after normalisation and parsing.
struct NormalizedName {
  // Name tokens in lower-case ASCII, particles and honorifics removed,
  // compounds joined, in the order written.
  std::vector<std::string> tokens;
  // The consonant skeleton of each token (same length as `tokens`).
  std::vector<std::string> skeletons;
  // True when the name held non-Latin letters (and so was transliterated).
  bool transliterated = false;
  // A second reading of the name, screened and indexed alongside the first
  // (an entry matches by the better of the two). Two cases:
  // - a name in Arabic script that holds a letter read differently in
  //   Arabic and in Persian, Urdu, Pashto and Turkish names: `tokens` and
  //   `skeletons` read ض ظ ذ ث ق as Arabic does (d, dh, dh, th, q: "Fadl",
  //   "Dhahir", "Uthman", "Qasim"), these as the others do (z, z, z, s, gh:
  //   "Fazl", "Zahir", "Usman", "Ghasemi");
  // - a Latin name that reads as romanised Korean: `tokens` are its
  //   syllables in one canonical spelling, these the plain tokens (the same
  //   letters may write a Chinese name).
  // Empty otherwise (one reading).
  std::vector<std::string> alternate_tokens;
  std::vector<std::string> alternate_skeletons;
};

// Turns raw names into NormalizedName.
//
// Thread-safety: NOT thread-safe (it owns an ICU transliterator). Use one per
// thread; creating one costs about a millisecond.
class NameNormalizer {
 public:
  virtual ~NameNormalizer() = default;

  // Normalises `name` (UTF-8, any script).
  // Returns InvalidArgument naming the rule for broken UTF-8, a control
  // character, or a name with no letter or digit.
  // Cost: O(length) for ASCII; O(length) with ICU's larger constant otherwise.
  virtual Result<NormalizedName> Normalize(std::string_view name) = 0;
};

// Creates a normaliser. Internal if ICU cannot build its transliterator.
// Cost: about a millisecond (ICU rule compilation).
Result<std::unique_ptr<NameNormalizer>> NewNameNormalizer();

// One watch-list entry as the screening index sees it.
struct ScreeningEntry {
  std::string entry_id;
  std::vector<std::string> names;  // the listed name first, then aliases
  std::string birth_date;          // "", "YYYY", "YYYY-MM" or "YYYY-MM-DD"
  std::string nationality;         // ISO alpha-2 or "": shown, never scored
};

// The entry's name, aliases, birth date and nationality. Cost: O(size).
ScreeningEntry ScreeningEntryFromWatchlist(const WatchlistEntry& entry);

// A name to screen, e.g. from a travel record or a report.
struct ScreeningQuery {
  std::string name;
  std::string birth_date;   // optional, may be partial
  std::string nationality;  // optional: shown, never scored
};

struct ScreeningMatch {
  std::string entry_id;
  double score = 0.0;        // 0..1
  std::string matched_name;  // which of the entry's names matched best
  std::string explanation;   // what matched how
};

// The score from which a match is reported by default (the CLI's and the
// automatic screening's threshold).
inline constexpr double kDefaultScreeningThreshold = 0.80;

// The index returns every match the exhaustive pass would return that
// scores at least max(threshold, kCompleteFrom). Below kCompleteFrom (a
// threshold of 0 asks for a ranking) it returns the best it finds among
// names that share a key with the query's rarest tokens.
inline constexpr double kCompleteFrom = 0.50;

struct ScreeningOptions {
  size_t top_k = 10;       // at most this many entries, best first
  double threshold = 0.0;  // only matches scoring >= threshold
  // Score every name in the index instead of the candidates of the inverted
  // index: the reference the index is measured against. O(entries).
  bool exhaustive = false;
};

// An in-memory screening index over watch-list entries.
//
// Thread-safety: Screen() may be called from many threads at once; Add() and
// Remove() take an exclusive lock and may run alongside (queries wait).
class ScreeningIndex {
 public:
  virtual ~ScreeningIndex() = default;

  // Adds the entry, or replaces the entry with the same entry_id. Names that
  // fail normalisation are skipped; InvalidArgument if none is usable or the
  // entry_id is empty (the index is then unchanged).
  // Cost: O(names * tokens * skeleton length) plus amortised O(1) per key.
  virtual Status Add(const ScreeningEntry& entry) = 0;

  // Removes the entry. NotFound if there is none with this id.
  // Cost: O(sum of the posting-list lengths of the entry's keys).
  virtual Status Remove(std::string_view entry_id) = 0;

  // The entries best matching `query`, best first, at most options.top_k,
  // each scoring >= options.threshold. Empty when nothing matches.
  // InvalidArgument when the query name fails normalisation.
  // Cost: see the file comment (postings of the prefix tokens' keys plus
  // the candidates scored); O(names in the index) with options.exhaustive.
  virtual Result<std::vector<ScreeningMatch>> Screen(const ScreeningQuery& query,
                                                     const ScreeningOptions& options) const = 0;

  // Number of entries. O(1).
  virtual size_t EntryCount() const = 0;
  // Approximate heap bytes held by the index. O(keys).
  virtual size_t ApproximateMemoryUsage() const = 0;
};

// Creates an empty index. Internal if ICU cannot be initialised.
Result<std::unique_ptr<ScreeningIndex>> NewScreeningIndex();

// ---------------------------------------------------------------------------
// Evaluation against the ground truth of a generated world
// (truth/travel_matches.csv: travel records that truly are a listed person).

struct ScreeningTruthPair {
  std::string record_id;
  std::string entry_id;
};

// Reads truth/travel_matches.csv (columns record_id, entry_id, any order).
// IOError when unreadable; InvalidArgument naming file, line, column and
// rule for a missing column, a bad identifier or a short row. O(bytes).
Result<std::vector<ScreeningTruthPair>> ReadTravelMatchTruth(const std::string& path);

// One predicted or missed pair, kept as an example for the analyst.
struct ScreeningEvalExample {
  std::string record_id;
  std::string name;      // as written on the travel record
  std::string entry_id;  // the entry matched (false match) or missed
  double score = 0.0;    // the entry's score (0 when not returned at all)
  std::string explanation;
};

struct ScreeningEvaluation {
  size_t records = 0;          // travel records screened
  size_t rejected = 0;         // records whose name the normaliser refused
  size_t true_pairs = 0;       // (record, entry) pairs in the truth
  size_t predicted_pairs = 0;  // pairs returned at or above the threshold
  size_t true_positives = 0;   // predicted pairs that are in the truth
  double precision = 0.0;      // true_positives / predicted_pairs (1 when none)
  double recall = 0.0;         // true_positives / true_pairs (1 when none)
  double f1 = 0.0;
  // Histograms (bin = floor(score * 10), 0..10) of the scores of predicted
  // true pairs and predicted false pairs.
  std::vector<size_t> true_scores = std::vector<size_t>(11);
  std::vector<size_t> false_scores = std::vector<size_t>(11);
  // Up to kMaxEvalExamples of each, in record order.
  std::vector<ScreeningEvalExample> false_matches;
  std::vector<ScreeningEvalExample> misses;
};

inline constexpr size_t kMaxEvalExamples = 20;

// Screens every travel record against `index` with `options` (the default
// threshold and top 10 unless told) and scores the predicted pairs against
// `truth`. Truth pairs of records absent from `travel` are not counted, so
// the truth of a larger world may be given; a record may truly match several
// entries (one person listed twice). A record whose name the normaliser
// refuses counts as screened with no match.
// Cost: one Screen() per record plus O(truth) hashing.
Result<ScreeningEvaluation> EvaluateScreening(const ScreeningIndex& index,
                                              const std::vector<TravelRecord>& travel,
                                              const std::vector<ScreeningTruthPair>& truth,
                                              const ScreeningOptions& options);

}  // namespace vigil

#endif  // VIGIL_NAMES_H_
