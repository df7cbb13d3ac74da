// screening_world_eval WORLD_DIR [threshold]: precision, recall and F1 of
// travel screening against truth/travel_matches.csv of a world written by
// `vigil simulate`, with score histograms, the confusion (why each false
// match and each miss happens) and the world's namesake rate (issue 6,
// item 4).
//
// The world is ingested into a temporary store (the path `vigil ingest`
// takes), the watch list indexed, and every travel record screened once by
// EvaluateScreening (the figures) and once more here for the breakdown.
// Cost: two Screen() calls per travel record plus one normalisation.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vigil/ingest.h"
#include "vigil/names.h"
#include "vigil/store.h"

namespace vigil {
namespace {

struct World {
  std::vector<WatchlistEntry> entries;
  std::vector<TravelRecord> travel;
  std::vector<ScreeningTruthPair> truth;
};

Result<World> LoadWorld(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path db =
      fs::temp_directory_path() / ("vigil_world_eval_" + std::to_string(::getpid()) + ".db");
  fs::remove(db);
  World world;
  {
    VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(db.string()));
    std::vector<FileIngestResult> files;
    VIGIL_RETURN_IF_ERROR(
        IngestPaths(*store, {dir + "/watchlist.csv", dir + "/travel.csv"}, {}, &files));
    VIGIL_RETURN_IF_ERROR(store->ScanWatchlist([&](const WatchlistEntry& entry) {
      world.entries.push_back(entry);
      return true;
    }));
    VIGIL_RETURN_IF_ERROR(store->ScanTravel([&](const TravelRecord& record) {
      world.travel.push_back(record);
      return true;
    }));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  VIGIL_ASSIGN_OR_RETURN(world.truth, ReadTravelMatchTruth(dir + "/truth/travel_matches.csv"));
  return world;
}

// The sorted consonant skeletons of a name: two names with the same
// skeletons are the same name up to transliteration, order and particles.
std::vector<std::string> Skeletons(NameNormalizer& normalizer, const std::string& name) {
  auto normalized = normalizer.Normalize(name);
  if (!normalized.ok()) return {};
  std::vector<std::string> skeletons = normalized->skeletons;
  std::sort(skeletons.begin(), skeletons.end());
  return skeletons;
}

std::string KeyOf(const std::vector<std::string>& skeletons) {
  std::string key;
  for (const std::string& skeleton : skeletons) key += skeleton + " ";
  return key;
}

enum class NameRelation { kSame, kSamePlusToken, kSimilar };

// kSamePlusToken: one name is the other plus one token (a middle name, a
// second family name), both with at least two tokens.
NameRelation Relate(const std::vector<std::string>& left, const std::vector<std::string>& right) {
  if (left == right) return NameRelation::kSame;
  const auto& shorter = left.size() < right.size() ? left : right;
  const auto& longer = left.size() < right.size() ? right : left;
  if (shorter.size() >= 2 && longer.size() == shorter.size() + 1 &&
      std::includes(longer.begin(), longer.end(), shorter.begin(), shorter.end())) {
    return NameRelation::kSamePlusToken;
  }
  return NameRelation::kSimilar;
}

const char* RelationName(NameRelation relation) {
  switch (relation) {
    case NameRelation::kSame:
      return "same name";
    case NameRelation::kSamePlusToken:
      return "same name plus a token";
    case NameRelation::kSimilar:
      return "similar name";
  }
  return "?";
}

int BirthYear(const std::string& date) {
  return date.size() >= 4 ? std::atoi(date.substr(0, 4).c_str()) : 0;
}

// Why a record and an entry could (not) be told apart by birth date.
std::string BirthRelation(const std::string& record, const std::string& entry) {
  if (record.empty()) return "no birth date on the record";
  if (entry.empty()) return "no birth date on the entry";
  const int apart = std::abs(BirthYear(record) - BirthYear(entry));
  if (apart >= 2) return "birth years 2+ apart";
  if (apart == 1) return "birth years 1 apart";
  if (record.size() == 10 && entry.size() == 10) {
    return record == entry ? "same full birth date" : "same year, full dates differ";
  }
  return "same birth year (a date partial)";
}

bool NonLatin(const std::string& name) {
  for (unsigned char byte : name) {
    if (byte >= 0xD0 && byte <= 0xDB) return true;
  }
  return false;
}

using Counts = std::map<std::string, size_t>;

void PrintCounts(const char* title, const Counts& counts) {
  std::printf("%s\n", title);
  std::vector<std::pair<size_t, std::string>> sorted;
  for (const auto& [reason, count] : counts) sorted.push_back({count, reason});
  std::sort(sorted.rbegin(), sorted.rend());
  for (const auto& [count, reason] : sorted) std::printf("  %6zu  %s\n", count, reason.c_str());
}

struct Confusion {
  Counts false_matches;         // by name relation and birth-date relation
  Counts misses;                // by how the record wrote the name and the score
  size_t namesake_records = 0;  // not a listed person, but a listed name
  size_t namesake_undated = 0;  // ... and no birth date to tell them apart
  size_t namesake_entries = 0;  // entries whose name a non-listed traveller bears
  size_t ordinary_records = 0;  // records of people not listed
  // False matches nobody could decide from the record: the same name (or it
  // plus one token) and no birth date on one side to compare.
  size_t ambiguous_false_matches = 0;
};

Result<Confusion> Explain(const World& world, const ScreeningIndex& index,
                          const ScreeningOptions& options) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<NameNormalizer> normalizer, NewNameNormalizer());
  std::unordered_map<std::string, const WatchlistEntry*> entries;
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> entry_names;
  std::unordered_map<std::string, std::vector<std::string>> entries_by_key;
  for (const WatchlistEntry& entry : world.entries) {
    entries[entry.entry_id] = &entry;
    std::set<std::vector<std::string>> names = {Skeletons(*normalizer, entry.name)};
    for (const std::string& alias : entry.aliases) names.insert(Skeletons(*normalizer, alias));
    for (const auto& name : names) entries_by_key[KeyOf(name)].push_back(entry.entry_id);
    entry_names[entry.entry_id].assign(names.begin(), names.end());
  }
  std::unordered_map<std::string, std::set<std::string>> truth;
  for (const ScreeningTruthPair& pair : world.truth) truth[pair.record_id].insert(pair.entry_id);
  Confusion confusion;
  std::unordered_set<std::string> namesake_entries;
  ScreeningOptions ranking = options;
  ranking.threshold = 0.0;
  ranking.top_k = 50;
  for (const TravelRecord& record : world.travel) {
    const std::vector<std::string> skeletons = Skeletons(*normalizer, record.name);
    const std::string key = KeyOf(skeletons);
    const auto true_entries = truth.find(record.record_id);
    const bool listed = true_entries != truth.end();
    if (!listed) {
      ++confusion.ordinary_records;
      const auto same = entries_by_key.find(key);
      if (same != entries_by_key.end()) {
        ++confusion.namesake_records;
        confusion.namesake_undated += record.birth_date.empty();
        namesake_entries.insert(same->second.begin(), same->second.end());
      }
    }
    auto matches = index.Screen({record.name, record.birth_date, record.nationality}, ranking);
    if (!matches.ok()) {
      if (listed) ++confusion.misses["name refused by the normaliser"];
      continue;
    }
    std::set<std::string> predicted;
    for (size_t rank = 0; rank < matches->size() && rank < options.top_k; ++rank) {
      const ScreeningMatch& match = (*matches)[rank];
      if (match.score < options.threshold) continue;
      predicted.insert(match.entry_id);
      if (listed && true_entries->second.count(match.entry_id)) continue;
      const WatchlistEntry& entry = *entries.at(match.entry_id);
      NameRelation relation = NameRelation::kSimilar;
      for (const auto& name : entry_names.at(match.entry_id)) {
        relation = std::min(relation, Relate(skeletons, name));
      }
      const bool undated = record.birth_date.empty() || entry.birth_date.empty();
      confusion.ambiguous_false_matches += relation != NameRelation::kSimilar && undated;
      ++confusion.false_matches[std::string(RelationName(relation)) + ", " +
                                BirthRelation(record.birth_date, entry.birth_date)];
    }
    if (!listed) continue;
    for (const std::string& entry_id : true_entries->second) {
      if (predicted.count(entry_id)) continue;
      double score = 0.0;
      for (const ScreeningMatch& match : *matches) {
        if (match.entry_id == entry_id) score = match.score;
      }
      const std::string form = NonLatin(record.name)                        ? "native script"
                               : record.name.find('/') != std::string::npos ? "airline form"
                                                                            : "Latin";
      const char* band = score == 0.0 ? "not ranked" : score >= 0.6 ? "0.6-0.8" : "below 0.6";
      ++confusion.misses[form + ", score " + band + ", " +
                         BirthRelation(record.birth_date, entries.at(entry_id)->birth_date)];
    }
  }
  confusion.namesake_entries = namesake_entries.size();
  return confusion;
}

void PrintEvaluation(const ScreeningEvaluation& e, double threshold) {
  std::printf("threshold %.2f: true pairs %zu, predicted %zu, true positives %zu\n", threshold,
              e.true_pairs, e.predicted_pairs, e.true_positives);
  std::printf("precision %.4f  recall %.4f  F1 %.4f\n", e.precision, e.recall, e.f1);
  std::printf("score bin   true pairs   false pairs (predicted only)\n");
  for (size_t bin = 0; bin < e.true_scores.size(); ++bin) {
    if (e.true_scores[bin] + e.false_scores[bin] == 0) continue;
    std::printf("  %.1f-%.1f   %10zu   %11zu\n", bin / 10.0, (bin + 1) / 10.0, e.true_scores[bin],
                e.false_scores[bin]);
  }
  for (const auto& example : e.false_matches) {
    std::printf("FALSE %s '%s' -> %s %.3f | %s\n", example.record_id.c_str(), example.name.c_str(),
                example.entry_id.c_str(), example.score, example.explanation.c_str());
  }
  for (const auto& example : e.misses) {
    std::printf("MISS  %s '%s' should be %s\n", example.record_id.c_str(), example.name.c_str(),
                example.entry_id.c_str());
  }
}

int Run(const std::string& dir, double threshold) {
  const auto start = std::chrono::steady_clock::now();
  auto world = LoadWorld(dir);
  if (!world.ok()) {
    std::fprintf(stderr, "%s\n", world.status().ToString().c_str());
    return 1;
  }
  auto index = NewScreeningIndex();
  if (!index.ok()) {
    std::fprintf(stderr, "%s\n", index.status().ToString().c_str());
    return 1;
  }
  size_t indexed = 0;
  for (const WatchlistEntry& entry : world->entries) {
    indexed += (*index)->Add(ScreeningEntryFromWatchlist(entry)).ok();
  }
  ScreeningOptions options;
  options.threshold = threshold;
  auto evaluation = EvaluateScreening(**index, world->travel, world->truth, options);
  if (!evaluation.ok()) {
    std::fprintf(stderr, "%s\n", evaluation.status().ToString().c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("world %s: %zu watch-list entries, %zu travel records (%zu rejected), %.1f s\n",
              dir.c_str(), indexed, evaluation->records, evaluation->rejected, seconds);
  PrintEvaluation(*evaluation, threshold);
  auto confusion = Explain(*world, **index, options);
  if (!confusion.ok()) {
    std::fprintf(stderr, "%s\n", confusion.status().ToString().c_str());
    return 1;
  }
  PrintCounts("false matches by name and birth date:", confusion->false_matches);
  PrintCounts("misses by how the record wrote the name, score and birth date:", confusion->misses);
  const size_t ordinary = std::max<size_t>(1, confusion->ordinary_records);
  std::printf(
      "namesakes: %zu of %zu records of unlisted travellers (%.2f%%) bear a listed name "
      "(same skeletons), %zu of them without a birth date; %zu entries have such a namesake\n",
      confusion->namesake_records, confusion->ordinary_records,
      100.0 * static_cast<double>(confusion->namesake_records) / static_cast<double>(ordinary),
      confusion->namesake_undated, confusion->namesake_entries);
  // The same figures with the undecidable false matches counted as neither
  // right nor wrong: what the matcher could reach on this world.
  const double predicted =
      static_cast<double>(evaluation->predicted_pairs - confusion->ambiguous_false_matches);
  const double hits = static_cast<double>(evaluation->true_positives);
  const double precision = predicted > 0 ? hits / predicted : 1.0;
  const double f1 = precision + evaluation->recall > 0
                        ? 2 * precision * evaluation->recall / (precision + evaluation->recall)
                        : 0.0;
  std::printf(
      "without %zu undecidable false matches (same name, a birth date missing): precision %.4f  "
      "recall %.4f  F1 %.4f\n",
      confusion->ambiguous_false_matches, precision, evaluation->recall, f1);
  return 0;
}

}  // namespace
}  // namespace vigil

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: screening_world_eval WORLD_DIR [threshold]\n");
    return 2;
  }
  return vigil::Run(argv[1], argc > 2 ? std::stod(argv[2]) : vigil::kDefaultScreeningThreshold);
}
