// resolve_calibrate DB WORLD [DB WORLD ...]: fits the link models of identifier
// resolution on generated worlds (ingested into DB) and prints them as the
// C++ initialisers of src/resolve/calibration.cc, with the fitted models'
// reliability on the training links. Reads truth/ only to label links.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "resolve/address_names.h"
#include "resolve/calibration.h"
#include "resolve/documents.h"
#include "resolve/links.h"
#include "resolve/observations.h"
#include "resolve/pipeline.h"
#include "resolve/truth.h"
#include "vigil/store.h"

namespace {

using vigil::resolve::Features;
using vigil::resolve::Signal;

struct Examples {
  std::vector<Features> x;
  std::vector<int> y;
};

int Run(int argc, char** argv) {
  if (argc < 3 || argc % 2 == 0) {
    std::fprintf(stderr, "usage: resolve_calibrate DB WORLD [DB WORLD ...]\n");
    return 2;
  }
  std::vector<Examples> examples(vigil::resolve::kSignals);
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    auto store = vigil::OpenSqliteStore(argv[arg], {.create_if_missing = false});
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    auto truth = vigil::resolve::ReadTruth(argv[arg + 1]);
    if (!truth.ok()) {
      std::fprintf(stderr, "%s\n", truth.status().ToString().c_str());
      return 1;
    }
    auto obs = vigil::resolve::LoadObservations(**store, nullptr);
    if (!obs.ok()) {
      std::fprintf(stderr, "%s\n", obs.status().ToString().c_str());
      return 1;
    }
    auto decisions = vigil::resolve::LoadDecisions(**store, *obs);
    if (!decisions.ok()) {
      std::fprintf(stderr, "%s\n", decisions.status().ToString().c_str());
      return 1;
    }
    auto links = vigil::resolve::ScoredLinks(*obs, *decisions, vigil::ResolveOptions{});
    auto documents = vigil::resolve::DocumentLinks(**store, *obs, *decisions);
    if (!documents.ok()) {
      std::fprintf(stderr, "%s\n", documents.status().ToString().c_str());
      return 1;
    }
    for (auto& link : *documents) links.push_back(std::move(link));
    auto address_names = vigil::resolve::AddressNameLinks(**store, *obs, *decisions);
    if (!address_names.ok()) {
      std::fprintf(stderr, "%s\n", address_names.status().ToString().c_str());
      return 1;
    }
    vigil::resolve::ScoreLinks(*address_names);
    for (auto& link : *address_names) links.push_back(std::move(link));
    std::FILE* dump =
        std::getenv("RESOLVE_DUMP")
            ? std::fopen(
                  (std::string(std::getenv("RESOLVE_DUMP")) + std::to_string(arg) + ".csv").c_str(),
                  "w")
            : nullptr;
    for (const auto& link : links) {
      if (dump != nullptr) {
        std::fprintf(dump, "%s,%s,%d", obs->texts[link.a].c_str(), obs->texts[link.b].c_str(),
                     static_cast<int>(link.signal));
        for (int i = 0; i < vigil::resolve::FeatureCount(link.signal); ++i)
          std::fprintf(dump, ",%.4f", link.features[i]);
        std::fprintf(dump, ",p=%.3f\n", link.probability);
      }
      auto left = truth->owner.find(obs->texts[link.a]);
      auto right = truth->owner.find(obs->texts[link.b]);
      if (left == truth->owner.end() || right == truth->owner.end()) continue;
      auto& bucket = examples[static_cast<int>(link.signal)];
      bucket.x.push_back(link.features);
      bucket.y.push_back(left->second == right->second ? 1 : 0);
    }
    if (dump != nullptr) std::fclose(dump);
  }
  for (int signal = 0; signal < vigil::resolve::kSignals; ++signal) {
    const auto kind = static_cast<Signal>(signal);
    const auto& bucket = examples[signal];
    const int features = vigil::resolve::FeatureCount(kind);
    int64_t positives = 0;
    for (int label : bucket.y) positives += label;
    vigil::resolve::SignalModel model;
    model.logistic = vigil::resolve::FitLogistic(bucket.x, bucket.y, features);
    std::vector<std::pair<double, int>> raw;
    for (size_t n = 0; n < bucket.x.size(); ++n) {
      raw.push_back({vigil::resolve::Predict(model.logistic, bucket.x[n], features), bucket.y[n]});
    }
    model.isotonic = vigil::resolve::FitIsotonic(raw);
    std::printf("// %s: %zu links, %lld same owner\n", std::string(SignalName(kind)).c_str(),
                bucket.x.size(), static_cast<long long>(positives));
    std::printf("{{{");
    for (int i = 0; i <= features; ++i) {
      std::printf("%s%.4f", i ? ", " : "", model.logistic.weights[i]);
    }
    std::printf("}}, {%d, {", model.isotonic.knots);
    for (int k = 0; k < model.isotonic.knots; ++k) {
      std::printf("%s%.4f", k ? ", " : "", model.isotonic.raw[k]);
    }
    std::printf("}, {");
    for (int k = 0; k < model.isotonic.knots; ++k) {
      std::printf("%s%.4f", k ? ", " : "", model.isotonic.calibrated[k]);
    }
    std::printf("}}}\n");
    constexpr int kBins = 10;
    std::vector<double> count(kBins, 0), right(kBins, 0), sum(kBins, 0);
    for (size_t n = 0; n < bucket.x.size(); ++n) {
      const double p = vigil::resolve::Predict(model, bucket.x[n], features);
      const int bin = std::min(kBins - 1, static_cast<int>(p * kBins));
      ++count[bin];
      sum[bin] += p;
      right[bin] += bucket.y[n];
    }
    for (int bin = 0; bin < kBins; ++bin) {
      if (count[bin] == 0) continue;
      std::printf("//   [%.1f,%.1f) n=%-8.0f mean p=%.3f same owner=%.3f\n", bin / 10.0,
                  (bin + 1) / 10.0, count[bin], sum[bin] / count[bin], right[bin] / count[bin]);
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
