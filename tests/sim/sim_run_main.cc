// sim_run OUT_DIR [PEOPLE] [DAYS] [SEED]: writes a world and prints its row
// counts and the comms rate. A measuring tool for the generator, not a test.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "vigil/sim.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: sim_run OUT_DIR [PEOPLE] [DAYS] [SEED]\n");
    return 2;
  }
  vigil::SimulateOptions options;
  options.out_dir = argv[1];
  if (argc > 2) options.people = std::atoll(argv[2]);
  if (argc > 3) options.days = std::atoi(argv[3]);
  if (argc > 4) options.seed = std::strtoull(argv[4], nullptr, 10);
  const auto started = std::chrono::steady_clock::now();
  auto report = vigil::Simulate(options);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!report.ok()) {
    std::fprintf(stderr, "%s\n", report.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "persons %lld selectors %lld comms %lld travel %lld custody %lld reports %lld watchlist "
      "%lld cells %lld members %lld activations %lld\n%.2f s, %.0f comms rows/s\n",
      static_cast<long long>(report->persons), static_cast<long long>(report->selectors),
      static_cast<long long>(report->comms), static_cast<long long>(report->travel),
      static_cast<long long>(report->custody), static_cast<long long>(report->reports),
      static_cast<long long>(report->watchlist), static_cast<long long>(report->cells),
      static_cast<long long>(report->cell_members), static_cast<long long>(report->activations),
      seconds, report->comms / seconds);
  return 0;
}
