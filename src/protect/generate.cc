// Synthetic protective-deployment instances (tests, benchmarks, the demo).
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <random>
#include <string>

#include "vigil/protect.h"

namespace vigil::protect {
namespace {

constexpr std::array<const char*, 6> kKinds = {"school",   "station", "place_of_worship",
                                               "hospital", "stadium", "market"};

std::string Id(const char* prefix, int number) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%s%05d", prefix, number);
  return buffer;
}

std::string JoinShifts(const std::vector<int>& shifts) {
  std::string out;
  for (size_t i = 0; i < shifts.size(); ++i) {
    if (i > 0) out += "|";
    out += std::to_string(shifts[i]);
  }
  return out;
}

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.6g", value);
  return buffer;
}

}  // namespace

Inputs Generate(const GenerateOptions& options) {
  std::mt19937_64 rng(options.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Inputs inputs;
  inputs.shifts = std::clamp(options.shifts, 1, kMaxShifts);
  inputs.sites_file = "generated/sites.csv";
  inputs.resources_file = "generated/resources.csv";
  inputs.threat_file = "generated/threat.csv";
  const int per_area = std::max(1, options.sites_per_area);
  const int areas = std::max(1, (options.sites + per_area - 1) / per_area);
  for (int a = 0; a < areas; ++a) {
    Threat threat;
    threat.area = Id("A", a);
    threat.level = 1 + std::floor(unit(rng) * 3);
    threat.legal_basis = "generated assessment";
    threat.author = "generator";
    threat.assessed_on = "2026-01-01";
    threat.line = a + 2;
    inputs.threats.push_back(threat);
  }
  for (int i = 0; i < options.sites; ++i) {
    Site site;
    site.id = Id("S", i);
    site.kind = kKinds[static_cast<size_t>(unit(rng) * kKinds.size()) % kKinds.size()];
    site.area = Id("A", i / per_area);
    site.lat = 43 + unit(rng) * 7;
    site.lon = -4 + unit(rng) * 11;
    for (int s = 0; s < inputs.shifts; ++s) {
      // Most sites are open in most shifts; a third close in one.
      if (inputs.shifts == 1 || s != i % inputs.shifts || i % 3 != 0) site.shifts.push_back(s);
    }
    site.value = std::round(std::exp(unit(rng) * std::log(100.0)) * 100) / 100;  // 1..100
    site.foiled_cost = std::round(site.value * unit(rng) * 30) / 100;            // <= 0.3 v
    site.value_set_by = "generated authority";
    site.line = i + 2;
    inputs.sites.push_back(site);
  }
  // Guard teams per area (one per shift, or one for the day), the units
  // split in proportion to the area's size (at least one unit each).
  for (int a = 0; a < areas; ++a) {
    const int first = a * per_area;
    const int size = std::min(per_area, options.sites - first);
    const int area_units = std::max(
        1,
        static_cast<int>(std::lround(static_cast<double>(options.units) * size / options.sites)));
    const int groups = options.one_shift_per_unit ? inputs.shifts : 1;
    for (int g = 0; g < groups; ++g) {
      Resource team;
      team.id = Id("T", a) + (options.one_shift_per_unit ? "s" + std::to_string(g) : "");
      team.kind = "guard";
      // The area's units split over its shifts, the remainder to the first.
      team.units = std::max(1, area_units / groups + (g < area_units % groups ? 1 : 0));
      if (options.one_shift_per_unit) {
        team.shifts = {g};
      } else {
        for (int s = 0; s < inputs.shifts; ++s) team.shifts.push_back(s);
      }
      team.home_base = Id("S", first);
      team.covers = {"area:" + Id("A", a)};
      team.line = static_cast<int64_t>(inputs.resources.size()) + 2;
      inputs.resources.push_back(team);
    }
  }
  for (int p = 0; p < options.patrols; ++p) {
    Resource patrol;
    patrol.id = Id("P", p);
    patrol.kind = "patrol";
    patrol.units = 1;
    for (int s = 0; s < inputs.shifts; ++s) patrol.shifts.push_back(s);
    for (int r = 0; r < 3; ++r) {
      std::vector<std::string> route;
      for (int k = 0; k < 3; ++k) {
        route.push_back(Id("S", static_cast<int>(unit(rng) * options.sites) % options.sites));
      }
      std::sort(route.begin(), route.end());
      route.erase(std::unique(route.begin(), route.end()), route.end());
      patrol.routes.push_back(route);
    }
    patrol.home_base = patrol.routes[0][0];
    patrol.line = static_cast<int64_t>(inputs.resources.size()) + 2;
    inputs.resources.push_back(patrol);
  }
  return inputs;
}

Status WriteInputs(const Inputs& inputs, const std::string& dir) {
  std::ofstream sites(dir + "/sites.csv");
  std::ofstream resources(dir + "/resources.csv");
  std::ofstream threat(dir + "/threat.csv");
  if (!sites || !resources || !threat) return Status::IOError("cannot write into '" + dir + "'");
  sites << "id,kind,area,lat,lon,shifts,value,foiled_cost,value_set_by\n";
  for (const Site& site : inputs.sites) {
    sites << site.id << "," << site.kind << "," << site.area << "," << Number(site.lat) << ","
          << Number(site.lon) << "," << JoinShifts(site.shifts) << "," << Number(site.value) << ","
          << Number(site.foiled_cost) << "," << site.value_set_by << "\n";
  }
  resources << "id,kind,units,shifts,home_base,covers,routes\n";
  for (const Resource& resource : inputs.resources) {
    std::string covers;
    for (size_t i = 0; i < resource.covers.size(); ++i) {
      covers += (i > 0 ? "|" : "") + resource.covers[i];
    }
    std::string routes;
    for (size_t r = 0; r < resource.routes.size(); ++r) {
      if (r > 0) routes += "|";
      for (size_t k = 0; k < resource.routes[r].size(); ++k) {
        routes += (k > 0 ? "+" : "") + resource.routes[r][k];
      }
    }
    resources << resource.id << "," << resource.kind << "," << resource.units << ","
              << JoinShifts(resource.shifts) << "," << resource.home_base << "," << covers << ","
              << routes << "\n";
  }
  threat << "area,level,legal_basis,author,assessed_on\n";
  for (const Threat& t : inputs.threats) {
    threat << t.area << "," << Number(t.level) << "," << t.legal_basis << "," << t.author << ","
           << t.assessed_on << "\n";
  }
  sites.close();
  resources.close();
  threat.close();
  if (!sites || !resources || !threat) return Status::IOError("writing into '" + dir + "' failed");
  return Status::Ok();
}

}  // namespace vigil::protect
