// screening_world_eval WORLD_DIR [threshold]: precision, recall and F1 of
// travel screening against truth/travel_matches.csv of a world written by
// `vigil simulate`, with score histograms and examples of false matches and
// misses (issue 6, item 4).
#include <chrono>
#include <cstdio>
#include <string>

#include "names/world_eval.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: screening_world_eval WORLD_DIR [threshold]\n");
    return 2;
  }
  vigil::ScreeningOptions options;
  options.threshold = argc > 2 ? std::stod(argv[2]) : vigil::kDefaultScreeningThreshold;
  const auto start = std::chrono::steady_clock::now();
  auto result = vigil::names_eval::EvaluateWorld(argv[1], options);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const vigil::ScreeningEvaluation& e = result->evaluation;
  std::printf("world %s: %zu watch-list entries, %zu travel records (%zu rejected), %.1f s\n",
              argv[1], result->entries, e.records, e.rejected, seconds);
  std::printf("threshold %.2f: true pairs %zu, predicted %zu, true positives %zu\n",
              options.threshold, e.true_pairs, e.predicted_pairs, e.true_positives);
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
  return 0;
}
