// un_eval: screening recall on the UN consolidated list (issue 6, item 4).
// Usage: screening_un_eval [consolidated.xml]
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

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1
                               ? argv[1]
                               : std::string(VIGIL_DATA_DIR) +
                                     "/watchlists/un_sc_consolidated_2018-10-29/consolidated.xml";
  auto normalizer = vigil::NewNameNormalizer();
  auto index = vigil::NewScreeningIndex();
  if (!normalizer.ok() || !index.ok()) return 1;
  auto dataset = vigil::names_eval::LoadUnList(path, **normalizer);
  if (!dataset.ok()) {
    std::fprintf(stderr, "%s\n", dataset.status().ToString().c_str());
    return 1;
  }
  for (const auto& entry : dataset->entries) {
    vigil::Status status = (*index)->Add(entry);
    if (!status.ok()) std::fprintf(stderr, "skip %s\n", status.ToString().c_str());
  }
  std::printf("UN consolidated list: %zu entries indexed, %zu queries\n\n", (*index)->EntryCount(),
              dataset->queries.size());
  const auto indexed = vigil::names_eval::Evaluate(**index, *dataset, /*exhaustive=*/false);
  PrintFigures("Vigil index (candidates from the inverted index):", indexed);
  PrintFigures("Vigil scorer, exhaustive (every entry scored):",
               vigil::names_eval::Evaluate(**index, *dataset, /*exhaustive=*/true));
  PrintFigures("Peer: naive Jaro-Winkler on whole names, brute force:",
               vigil::names_eval::EvaluateNaiveJaroWinkler(*dataset));
  std::printf("\n");
  PrintHistogram(indexed);
  if (argc > 2) PrintFailures(**index, *dataset, std::stoul(argv[2]));
  return 0;
}
