// Simulate(): builds the world in memory (O(people)) and streams every file.
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "sim/behaviour.h"
#include "sim/cells.h"
#include "sim/civil_time.h"
#include "sim/comms.h"
#include "sim/csv_writer.h"
#include "sim/custody.h"
#include "sim/population.h"
#include "sim/registry.h"
#include "sim/rng.h"
#include "sim/travel.h"
#include "sim/truth.h"
#include "sim/watchlist.h"
#include "sim/world.h"
#include "vigil/sim.h"

namespace vigil {
namespace {

constexpr int64_t kMinPeople = 50;
constexpr int64_t kMaxPeople = 9'999'999;  // person ids have seven digits
constexpr int kMinDays = 30;
constexpr int kMaxDays = 36'500;
// Independent random streams, so changing one part leaves the others alone.
enum Stream : uint64_t {
  kPopulationStream = 1,
  kCellStream,
  kWatchlistStream,
  kCustodyStream,
  kPersonsStream,
  kSelectorsStream,
  kTravelStream,
  kCommsStream,
  kBehaviourStream,
  kBehaviourWorldStream,
};

Status Validate(const SimulateOptions& options) {
  if (options.people < kMinPeople || options.people > kMaxPeople) {
    return Status::InvalidArgument("people must be between " + std::to_string(kMinPeople) +
                                   " and " + std::to_string(kMaxPeople) + ", got " +
                                   std::to_string(options.people));
  }
  if (options.days < kMinDays || options.days > kMaxDays) {
    return Status::InvalidArgument("days must be between " + std::to_string(kMinDays) + " and " +
                                   std::to_string(kMaxDays) + ", got " +
                                   std::to_string(options.days));
  }
  if (!sim::ParseDate(options.start_date)) {
    return Status::InvalidArgument("start date must be a real date YYYY-MM-DD, got '" +
                                   options.start_date + "'");
  }
  if (options.out_dir.empty()) return Status::InvalidArgument("out_dir is empty");
  return Status::Ok();
}

Status MakeDirectories(const std::string& out_dir) {
  std::error_code error;
  std::filesystem::create_directories(std::filesystem::path(out_dir) / "truth", error);
  if (error) return Status::IOError("cannot create " + out_dir + ": " + error.message());
  return Status::Ok();
}

// All output files, opened up front so an unwritable folder fails early.
struct Files {
  std::unique_ptr<sim::CsvWriter> persons, selectors, comms, travel, custody, reports, watchlist,
      truth_selectors, truth_cells, truth_activations, truth_matches;

  Status Open(const std::string& dir) {
    const std::string truth = dir + "/truth/";
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/persons.csv", sim::kPersonColumns, &persons));
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/selectors.csv", sim::kSelectorColumns, &selectors));
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/comms.csv", sim::kCommsColumns, &comms));
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/travel.csv", sim::kTravelColumns, &travel));
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/custody.csv", sim::kCustodyColumns, &custody));
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/reports.csv", sim::kReportColumns, &reports));
    VIGIL_RETURN_IF_ERROR(OpenOne(dir + "/watchlist.csv", sim::kWatchlistColumns, &watchlist));
    VIGIL_RETURN_IF_ERROR(
        OpenOne(truth + "selectors.csv", sim::kTruthSelectorColumns, &truth_selectors));
    VIGIL_RETURN_IF_ERROR(OpenOne(truth + "cells.csv", sim::kTruthCellColumns, &truth_cells));
    VIGIL_RETURN_IF_ERROR(
        OpenOne(truth + "activations.csv", sim::kTruthActivationColumns, &truth_activations));
    return OpenOne(truth + "travel_matches.csv", sim::kTravelMatchColumns, &truth_matches);
  }

  Status CloseAll() {
    for (auto* file : {&persons, &selectors, &comms, &travel, &custody, &reports, &watchlist,
                       &truth_selectors, &truth_cells, &truth_activations, &truth_matches}) {
      VIGIL_RETURN_IF_ERROR((*file)->Close());
    }
    return Status::Ok();
  }

 private:
  static Status OpenOne(const std::string& path, std::span<const std::string_view> columns,
                        std::unique_ptr<sim::CsvWriter>* out) {
    VIGIL_ASSIGN_OR_RETURN(*out, sim::CsvWriter::Open(path, columns));
    return Status::Ok();
  }
};

SimulateReport Summarise(const sim::World& world, const Files& files) {
  SimulateReport report;
  report.persons = files.persons->rows();
  report.selectors = files.selectors->rows();
  report.comms = files.comms->rows();
  report.travel = files.travel->rows();
  report.custody = files.custody->rows();
  report.reports = files.reports->rows();
  report.watchlist = files.watchlist->rows();
  report.cells = static_cast<int64_t>(world.cells.size());
  report.cell_members = files.truth_cells->rows();
  report.activations = files.truth_activations->rows();
  return report;
}

}  // namespace

Result<SimulateReport> Simulate(const SimulateOptions& options) {
  VIGIL_RETURN_IF_ERROR(Validate(options));
  VIGIL_RETURN_IF_ERROR(MakeDirectories(options.out_dir));
  Files files;
  VIGIL_RETURN_IF_ERROR(files.Open(options.out_dir));

  const sim::Rng root(options.seed);
  sim::World world;
  world.start_day = *sim::ParseDate(options.start_date);
  world.days = options.days;
  VIGIL_ASSIGN_OR_RETURN(const uint32_t families,
                         sim::ParseFamilies(options.families, options.seed));
  world.behaviour = sim::DrawBehaviour(families, root.Fork(kBehaviourStream));
  sim::SelectorSequences sequences;
  sim::Rng population_rng = root.Fork(kPopulationStream);
  sim::BuildPopulation(options.people, population_rng, &world, &sequences);
  sim::Rng cell_rng = root.Fork(kCellStream);
  sim::BuildCells(cell_rng, &world, &sequences);
  sim::ApplyBehaviourToWorld(root.Fork(kBehaviourWorldStream), &world, &sequences);

  sim::BuildWatchlist(root.Fork(kWatchlistStream), &world, files.watchlist.get());
  sim::GenerateCustodyAndReports(root.Fork(kCustodyStream), &world, files.custody.get(),
                                 files.reports.get());
  sim::WritePersons(world, root.Fork(kPersonsStream), files.persons.get());
  sim::WriteSelectors(world, root.Fork(kSelectorsStream), files.selectors.get());
  sim::GenerateTravel(world, root.Fork(kTravelStream), files.travel.get(),
                      files.truth_matches.get());
  sim::WriteTruthSelectors(world, files.truth_selectors.get());
  sim::WriteTruthCells(world, files.truth_cells.get());
  sim::WriteTruthActivations(world, files.truth_activations.get());
  VIGIL_RETURN_IF_ERROR(
      sim::GenerateComms(world, root.Fork(kCommsStream), options.progress, files.comms.get()));
  VIGIL_RETURN_IF_ERROR(files.CloseAll());
  SimulateReport report = Summarise(world, files);
  report.families = sim::FamiliesText(families);
  return report;
}

}  // namespace vigil
