// un_eval: screening recall on real aliases: the UN consolidated list and
// the two OFAC lists (each list's primary names indexed, its aliases and
// original-script names queried).
// Usage: screening_un_eval [misses]   (print up to `misses` misses per list)
#include <cstdio>
#include <map>
#include <string>

#include "names/un_eval.h"

namespace {

void PrintFigures(const char* title, const vigil::names_eval::EvalFigures& figures) {
  using vigil::names_eval::QueryKind;
  std::printf("%s\n", title);
  for (size_t kind = 0; kind < vigil::names_eval::kQueryKinds; ++kind) {
    const auto& row = figures.kinds[kind];
    std::printf("  %-34s queries %5zu  rejected %3zu  recall@1 %.3f  recall@10 %.3f\n",
                vigil::names_eval::QueryKindName(static_cast<QueryKind>(kind)), row.queries,
                row.rejected, row.RecallAt1(), row.RecallAt10());
  }
  for (size_t kind = 0; kind < vigil::names_eval::kQueryKinds; ++kind) {
    const auto& row = figures.individuals[kind];
    if (row.queries == 0) continue;
    std::printf("    individuals only: %-16s queries %5zu  recall@1 %.3f  recall@10 %.3f\n",
                kind == 0   ? "spelling"
                : kind == 1 ? "original script"
                            : "other",
                row.queries, row.RecallAt1(), row.RecallAt10());
  }
}

void PrintHistogram(const vigil::names_eval::EvalFigures& figures) {
  std::printf("score distribution (spelling + original-script queries):\n");
  std::printf("  score bin   true entry   best wrong entry\n");
  for (size_t bin = 0; bin <= vigil::names_eval::kScoreBins; ++bin) {
    std::printf("  %.1f-%.1f   %10zu   %16zu\n", bin / 10.0, (bin + 1) / 10.0,
                figures.true_scores[bin], figures.false_scores[bin]);
  }
}

// Lists up to `limit` spelling/original-script queries whose entry is not first.
void PrintFailures(const vigil::ScreeningIndex& index, const vigil::names_eval::UnDataset& dataset,
                   size_t limit) {
  std::map<std::string, std::string> listed;
  for (const auto& entry : dataset.entries) listed[entry.entry_id] = entry.names[0];
  size_t shown = 0;
  for (const auto& query : dataset.queries) {
    if (query.kind == vigil::names_eval::QueryKind::kOtherAlias || shown >= limit) continue;
    auto matches = index.Screen({query.name, "", ""}, {3, 0.0, false});
    if (!matches.ok() || (!matches->empty() && (*matches)[0].entry_id == query.entry_id)) continue;
    ++shown;
    std::printf("\nMISS [%s] %s\n  want: %s\n", vigil::names_eval::QueryKindName(query.kind),
                query.name.c_str(), listed[query.entry_id].c_str());
    for (const auto& match : *matches) {
      std::printf("  got %.3f %s%s | %s\n", match.score, match.matched_name.c_str(),
                  match.entry_id == query.entry_id ? " (TRUE)" : "", match.explanation.c_str());
    }
  }
}

// Indexes the dataset's entries and prints its figures (and, with
// `exhaustive_and_peer`, the exhaustive pass and the naive peer).
void RunList(const char* title, const vigil::names_eval::UnDataset& dataset,
             bool exhaustive_and_peer, size_t misses) {
  auto index = vigil::NewScreeningIndex();
  if (!index.ok()) return;
  for (const auto& entry : dataset.entries) {
    vigil::Status status = (*index)->Add(entry);
    if (!status.ok()) std::fprintf(stderr, "skip %s\n", status.ToString().c_str());
  }
  std::printf("== %s: %zu entries indexed, %zu queries\n\n", title, (*index)->EntryCount(),
              dataset.queries.size());
  const auto indexed = vigil::names_eval::Evaluate(**index, dataset, /*exhaustive=*/false);
  PrintFigures("Vigil index (candidates from the inverted index):", indexed);
  if (exhaustive_and_peer) {
    PrintFigures("Vigil scorer, exhaustive (every entry scored):",
                 vigil::names_eval::Evaluate(**index, dataset, /*exhaustive=*/true));
    PrintFigures("Peer: naive Jaro-Winkler on whole names, brute force:",
                 vigil::names_eval::EvaluateNaiveJaroWinkler(dataset));
  }
  std::printf("\n");
  PrintHistogram(indexed);
  if (misses > 0) PrintFailures(**index, dataset, misses);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const size_t misses = argc > 1 ? std::stoul(argv[1]) : 0;
  const std::string data = VIGIL_DATA_DIR;
  auto normalizer = vigil::NewNameNormalizer();
  if (!normalizer.ok()) return 1;
  auto un = vigil::names_eval::LoadUnList(
      data + "/watchlists/un_sc_consolidated_2018-10-29/consolidated.xml", **normalizer);
  auto sdn =
      vigil::names_eval::LoadOfacList(data + "/watchlists/ofac_sdn_2021-04/sdn.csv",
                                      data + "/watchlists/ofac_sdn_2021-04/alt.csv", **normalizer);
  auto nonsdn = vigil::names_eval::LoadOfacList(
      data + "/watchlists/ofac_consolidated_nonsdn_2018-04-06/cons_prim.csv",
      data + "/watchlists/ofac_consolidated_nonsdn_2018-04-06/cons_alt.csv", **normalizer);
  for (const auto* loaded : {&un, &sdn, &nonsdn}) {
    if (!loaded->ok()) {
      std::fprintf(stderr, "%s\n", loaded->status().ToString().c_str());
      return 1;
    }
  }
  RunList("UN consolidated list (2018-10-29)", *un, /*exhaustive_and_peer=*/true, misses);
  RunList("OFAC SDN list (2021-04)", *sdn, /*exhaustive_and_peer=*/false, misses);
  RunList("OFAC non-SDN consolidated list (2018-04-06)", *nonsdn, /*exhaustive_and_peer=*/false,
          misses);
  return 0;
}
