// community_grid DB WORLD [DB WORLD ...]: cell recovery (NMI over cell
// members, EvaluateCells against WORLD/truth/cells.csv) of community
// detection at several settings on stores already ingested and resolved
// (e.g. those `vigil eval --suite training` leaves in its --suite-dir),
// then each setting's mean and worst world. This is how the default of
// `vigil network communities` (DefaultCommunityOptions) is chosen: on the
// training suite only. Run by hand; never asserts.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "vigil/graph.h"
#include "vigil/store.h"

namespace {

struct Setting {
  std::string name;
  bool custody = true;
  bool co_travel = true;
  // Fills the options for a graph (weights need the graph).
  std::function<vigil::Result<vigil::CommunityOptions>(const vigil::Graph&)> options;
};

vigil::CommunityOptions Evidence(const vigil::Graph& graph, double resolution, double damping,
                                 double shared_gain = vigil::TieWeightOptions{}.shared_gain) {
  vigil::TieWeightOptions tie;
  tie.hub_damping = damping;
  tie.shared_gain = shared_gain;
  vigil::CommunityOptions options;
  options.edge_weights = vigil::TieWeights(graph, tie);
  options.resolution = resolution;
  return options;
}

std::vector<Setting> Settings() {
  std::vector<Setting> settings;
  settings.push_back({"unweighted r=1", true, true, [](const vigil::Graph&) {
                        return vigil::Result<vigil::CommunityOptions>(vigil::CommunityOptions{});
                      }});
  settings.push_back({"contacts r=1", true, true, [](const vigil::Graph&) {
                        vigil::CommunityOptions options;
                        options.weighted = true;
                        return vigil::Result<vigil::CommunityOptions>(options);
                      }});
  for (double damping : {0.0, 0.5, 1.0}) {
    for (double resolution : {1.0, 2.0, 3.0, 5.0}) {
      char name[64];
      std::snprintf(name, sizeof name, "evidence r=%g damp=%g", resolution, damping);
      settings.push_back({name, true, true, [resolution, damping](const vigil::Graph& graph) {
                            return vigil::Result<vigil::CommunityOptions>(
                                Evidence(graph, resolution, damping));
                          }});
    }
    char name[64];
    std::snprintf(name, sizeof name, "evidence central damp=%g", damping);
    settings.push_back(
        {name, true, true,
         [damping](const vigil::Graph& graph) -> vigil::Result<vigil::CommunityOptions> {
           vigil::CommunityOptions options = Evidence(graph, 1, damping);
           const std::vector<double> candidates = {0.5, 1, 2, 3, 5, 8};
           VIGIL_ASSIGN_OR_RETURN(options.resolution,
                                  vigil::CentralResolution(graph, options, candidates));
           return options;
         }});
  }
  // How much custody and co-travel ties add, per unit of summed 1/(n-1).
  for (double gain : {0.0, 0.5, 2.0, 4.0}) {
    for (double resolution : {2.0, 3.0}) {
      char name[64];
      std::snprintf(name, sizeof name, "evidence r=%g damp=0.5 shared_gain=%g", resolution, gain);
      settings.push_back({name, true, true, [resolution, gain](const vigil::Graph& graph) {
                            return vigil::Result<vigil::CommunityOptions>(
                                Evidence(graph, resolution, 0.5, gain));
                          }});
    }
  }
  for (bool custody : {false, true}) {
    for (bool co_travel : {false, true}) {
      if (custody && co_travel) continue;
      char name[64];
      std::snprintf(name, sizeof name, "evidence r=2 custody=%d co_travel=%d", custody, co_travel);
      settings.push_back({name, custody, co_travel, [](const vigil::Graph& graph) {
                            return vigil::Result<vigil::CommunityOptions>(Evidence(graph, 2, 0));
                          }});
    }
  }
  return settings;
}

int Run(int argc, char** argv) {
  if (argc < 3 || argc % 2 == 0) {
    std::fprintf(stderr, "usage: community_grid DB WORLD [DB WORLD ...]\n");
    return 2;
  }
  const std::vector<Setting> settings = Settings();
  std::map<std::string, std::vector<double>> nmi;
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    auto store = vigil::OpenSqliteStore(argv[arg], {.create_if_missing = false});
    if (!store.ok()) {
      std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
      return 1;
    }
    auto truth = vigil::ReadTruthCells(std::string(argv[arg + 1]) + "/truth/cells.csv");
    if (!truth.ok()) {
      std::fprintf(stderr, "%s\n", truth.status().ToString().c_str());
      return 1;
    }
    std::map<std::pair<bool, bool>, vigil::Graph> graphs;
    std::printf("== %s\n", argv[arg + 1]);
    for (const Setting& setting : settings) {
      const auto key = std::make_pair(setting.custody, setting.co_travel);
      if (graphs.count(key) == 0) {
        vigil::StoreGraphOptions build;
        build.custody = setting.custody;
        build.co_travel = setting.co_travel;
        auto graph = vigil::BuildGraphFromStore(**store, build);
        if (!graph.ok()) {
          std::fprintf(stderr, "%s\n", graph.status().ToString().c_str());
          return 1;
        }
        graphs.emplace(key, std::move(*graph));
      }
      const vigil::Graph& graph = graphs.at(key);
      auto options = setting.options(graph);
      if (!options.ok()) {
        std::fprintf(stderr, "%s\n", options.status().ToString().c_str());
        return 1;
      }
      vigil::Communities communities(graph, *options);
      if (auto status = communities.run(); !status.ok()) {
        std::fprintf(stderr, "%s\n", status.ToString().c_str());
        return 1;
      }
      auto recovery = vigil::EvaluateCells(graph, communities.membership(), *truth);
      if (!recovery.ok()) {
        std::fprintf(stderr, "%s\n", recovery.status().ToString().c_str());
        return 1;
      }
      std::printf("%-44s nmi %.4f  communities %zu  resolution %.1f\n", setting.name.c_str(),
                  recovery->nmi, communities.community_count(), options->resolution);
      nmi[setting.name].push_back(recovery->nmi);
    }
  }
  std::printf("== mean and worst world\n");
  for (const Setting& setting : settings) {
    const auto& values = nmi[setting.name];
    double sum = 0;
    for (double value : values) sum += value;
    std::printf("%-44s mean %.4f  worst %.4f\n", setting.name.c_str(), sum / values.size(),
                *std::min_element(values.begin(), values.end()));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
