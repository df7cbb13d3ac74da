// vigil demo: the main job on the embedded default. Generates a world (or
// reuses one already generated with the same options), ingests it into a
// fresh store, and shows what the store holds, one subject's dossier and
// timeline, and the results of every analysis that exists.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <sodium.h>

#include "cli/command.h"
#include "cli/demo_analyses.h"
#include "vigil/ingest.h"
#include "vigil/lookup.h"
#include "vigil/oversight.h"
#include "vigil/sim.h"

namespace vigil::cli {

Status PrintStoreStatus(Store& store, const std::string& db_path, OutputFormat format);

namespace {

constexpr size_t kTimelineTail = 12;
constexpr size_t kPasswordBytes = 12;

std::string RandomPassword() {
  if (sodium_init() < 0) return "demo-password-without-sodium";
  unsigned char bytes[kPasswordBytes];
  randombytes_buf(bytes, sizeof(bytes));
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

void Heading(const std::string& text) {
  std::printf("\n== %s ==\n", text.c_str());
  std::fflush(stdout);
}

Status GenerateWorld(const SimulateOptions& options) {
  Heading("1. Generate a synthetic world");
  auto progress = MakeTerminalProgress();
  SimulateOptions with_progress = options;
  with_progress.progress = progress.get();
  VIGIL_ASSIGN_OR_RETURN(SimulateReport report, Simulate(with_progress));
  std::printf("%s\n", fmt::format("{}: {} persons, {} communications, {} travel records, {} "
                                  "watch-list entries, {} covert cells (ground truth in truth/)",
                                  options.out_dir, report.persons, report.comms, report.travel,
                                  report.watchlist, report.cells)
                          .c_str());
  return Status::Ok();
}

Status IngestWorld(Store& store, const std::string& world) {
  Heading("2. Ingest it");
  auto progress = MakeTerminalProgress();
  IngestOptions options;
  options.progress = progress.get();
  std::vector<FileIngestResult> results;
  Status status = IngestPaths(store, {world}, options, &results);
  for (const auto& r : results) {
    std::printf(
        "%-32s %s\n", std::filesystem::path(r.path).filename().c_str(),
        r.already_ingested ? "already ingested" : fmt::format("{} rows", r.rows_accepted).c_str());
  }
  return status;
}

// The subject with the most attributed selectors: a good first look.
Result<std::string> PickSubject(Store& store) {
  std::string best;
  size_t best_selectors = 0;
  std::vector<std::string> subjects;
  VIGIL_RETURN_IF_ERROR(store.ScanPersons([&](const Person& p) {
    if (p.status == PersonStatus::kSubject) subjects.push_back(p.person_id);
    return true;
  }));
  for (const auto& id : subjects) {
    VIGIL_ASSIGN_OR_RETURN(auto attributions, store.AttributionsOfPerson(id));
    if (best.empty() || attributions.size() > best_selectors) {
      best = id;
      best_selectors = attributions.size();
    }
  }
  if (best.empty()) return Status::NotFound("the world has no subject");
  return best;
}

Status ShowSubject(Store& store, const std::string& db_path) {
  VIGIL_ASSIGN_OR_RETURN(std::string id, PickSubject(store));
  Heading("4. A subject: vigil subject show " + id + " --db " + db_path);
  VIGIL_ASSIGN_OR_RETURN(Dossier d, LoadDossier(store, id));
  std::printf("%s\n", fmt::format("{} ({}), born {}, {}; legal basis: {}; review by {}",
                                  d.person.name, PersonStatusName(d.person.status),
                                  d.person.birth_date.empty() ? "?" : d.person.birth_date,
                                  d.person.nationality, d.person.legal_basis, d.person.review_by)
                          .c_str());
  std::printf("%s\n", fmt::format("{} selectors, {} custody stays, {} reports, {} travel records, "
                                  "{} watch-list entries",
                                  d.selectors.size(), d.custody.size(), d.reports.size(),
                                  d.travel.size(), d.watchlist.size())
                          .c_str());
  Heading("5. The end of its timeline: vigil timeline " + id + " --db " + db_path);
  VIGIL_ASSIGN_OR_RETURN(auto events, LoadTimeline(store, id, {}));
  TableOutput table({"time", "event", "selector", "detail"}, OutputFormat::kTable, stdout);
  size_t first = events.size() > kTimelineTail ? events.size() - kTimelineTail : 0;
  for (size_t i = first; i < events.size(); ++i) {
    const auto& e = events[i];
    table.AddRow({FormatTime(e.time), e.kind, e.selector, e.detail});
  }
  return Status::Ok();
}

Status ShowAnalyses(Store& store, const std::string& db_path) {
  Heading("6. Analyses");
  VIGIL_RETURN_IF_ERROR(ShowTravelScreening(store, db_path));
  VIGIL_RETURN_IF_ERROR(ShowResolution(store, db_path));
  VIGIL_RETURN_IF_ERROR(ShowNetwork(store, db_path));
  VIGIL_RETURN_IF_ERROR(ShowAlerts(store, db_path));
  return ShowRanking(store, db_path);
}

// The demo's fresh store gets its own accounts: an admin (created in setup
// mode, which it ends) and an analyst cleared for every compartment, with
// random passwords in <dir>/credentials (mode 0600). Everything after runs as
// the analyst, through the access layer, with the purpose "demo".
// `admin_out` receives the admin's request context (for checking the log).
Result<std::unique_ptr<AccessStore>> BootstrapDemoAccess(const std::string& dir,
                                                         const std::string& db_path,
                                                         RequestContext* admin_out) {
  Heading("0. Oversight: accounts for the demo's store");
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> raw, OpenSqliteStore(db_path));
  OversightOptions options;
  options.signing_key_path = db_path + ".audit-key";
  // The demo's many look-ups commit their audit records 256 at a time.
  options.read_log = ReadLogMode::kBuffered;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Oversight> oversight, Oversight::Open(*raw, options));
  RequestContext setup;
  setup.client = "demo";
  setup.purpose = "demo bootstrap";
  VIGIL_ASSIGN_OR_RETURN(setup.principal, oversight->SetupPrincipal("demo"));
  const std::string admin_password = RandomPassword();
  const std::string analyst_password = RandomPassword();
  VIGIL_RETURN_IF_ERROR(oversight->AddUser(setup, "demo-admin", Role::kAdmin, admin_password, {}));
  RequestContext admin = setup;
  VIGIL_ASSIGN_OR_RETURN(admin.principal, oversight->Authenticate("demo-admin", admin_password));
  // Granted by the bootstrap itself (setup mode grants at once): an admin's
  // grant would wait for a second admin.
  VIGIL_RETURN_IF_ERROR(oversight->AddUser(setup, "demo-analyst", Role::kAnalyst, analyst_password,
                                           {std::string(kAllCompartments)}));
  const std::string credentials = (std::filesystem::path(dir) / "credentials").string();
  {
    std::FILE* file = std::fopen(credentials.c_str(), "w");
    if (file == nullptr) return Status::IOError(credentials + ": cannot write");
    std::filesystem::permissions(
        credentials, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    std::fprintf(file, "VIGIL_USER=demo-admin VIGIL_PASSWORD=%s\n", admin_password.c_str());
    std::fprintf(file, "VIGIL_USER=demo-analyst VIGIL_PASSWORD=%s\n", analyst_password.c_str());
    std::fclose(file);
  }
  std::printf(
      "accounts demo-admin (admin) and demo-analyst (analyst, all compartments); "
      "passwords in %s\n",
      credentials.c_str());
  *admin_out = admin;
  RequestContext analyst;
  analyst.client = "demo";
  analyst.purpose = "demo";
  VIGIL_ASSIGN_OR_RETURN(analyst.principal,
                         oversight->Authenticate("demo-analyst", analyst_password));
  return std::make_unique<AccessStore>(std::move(raw), std::move(oversight), std::move(analyst));
}

Status ShowOversight(AccessStore& store, const std::string& db_path, const RequestContext& admin) {
  Heading("7. Oversight: vigil reviews / audit verify --db " + db_path);
  Oversight& oversight = store.oversight();
  VIGIL_ASSIGN_OR_RETURN(auto due, oversight.DueReviews(store.context(), oversight.clock().Now()));
  VIGIL_RETURN_IF_ERROR(oversight.FlushReads());
  VIGIL_ASSIGN_OR_RETURN(auto counts, store.inner().Counts());
  std::printf("%zu subjects are due for review today (of %lld persons).\n", due.size(),
              static_cast<long long>(counts.persons));
  VIGIL_ASSIGN_OR_RETURN(AuditVerifyReport report, oversight.VerifyAudit(admin, std::nullopt));
  std::printf("audit log: %lld records (every read and write above), %s\n",
              static_cast<long long>(report.records),
              report.ok() ? "chain intact" : report.problems.front().c_str());
  std::printf(
      "As the analyst: export VIGIL_USER, VIGIL_PASSWORD (see credentials) and "
      "VIGIL_PURPOSE, then run vigil commands with --db %s.\n",
      db_path.c_str());
  return Status::Ok();
}

Status RunDemo(const std::string& dir, const SimulateOptions& sim) {
  std::filesystem::create_directories(dir);
  const std::string db_path = (std::filesystem::path(dir) / "vigil.db").string();
  if (!std::filesystem::exists(std::filesystem::path(sim.out_dir) / "comms.csv")) {
    VIGIL_RETURN_IF_ERROR(GenerateWorld(sim));
  } else {
    Heading("1. Reuse the world in " + sim.out_dir);
  }
  for (const char* suffix : {"", "-wal", "-shm", ".audit-key", ".audit-key.witness"}) {
    std::filesystem::remove(db_path + suffix);
  }
  RequestContext admin;
  VIGIL_ASSIGN_OR_RETURN(auto store, BootstrapDemoAccess(dir, db_path, &admin));
  VIGIL_RETURN_IF_ERROR(IngestWorld(*store, sim.out_dir));
  Heading("3. What the store holds: vigil status --db " + db_path);
  VIGIL_RETURN_IF_ERROR(PrintStoreStatus(*store, db_path, OutputFormat::kTable));
  VIGIL_RETURN_IF_ERROR(ShowSubject(*store, db_path));
  VIGIL_RETURN_IF_ERROR(ShowAnalyses(*store, db_path));
  return ShowOversight(*store, db_path, admin);
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string dir = "vigil-demo";
    SimulateOptions sim;
  };
  auto args = std::make_shared<Args>();
  CLI::App* command = app.add_subcommand(
      "demo", "Generate a world, ingest it and show what Vigil makes of it (the main job)");
  command->add_option("--dir", args->dir, "Working folder (world/ and vigil.db go here)");
  command->add_option("--seed", args->sim.seed, "Random seed of the world");
  command->add_option("--people", args->sim.people, "People in the world");
  command->add_option("--days", args->sim.days, "Days covered by the records");
  command->callback([args, &context] {
    SimulateOptions sim = args->sim;
    sim.out_dir = (std::filesystem::path(args->dir) /
                   fmt::format("world-s{}-p{}-d{}", sim.seed, sim.people, sim.days))
                      .string();
    Status status = RunDemo(args->dir, sim);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
