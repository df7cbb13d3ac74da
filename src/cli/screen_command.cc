// vigil screen: screens travel records, reports or a plain names file against
// a watch list (a watchlist.csv given with --list, or the store's), writing
// screening matches per formats.md (query_id, entry_id, score, explanation).
// With --store it screens the store itself (ScreenStore: new travel and
// reports against the list, the past --retro-days of records against newly
// listed entries), stores the matches and prints those found in this run.
#include <cstdio>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "cli/command.h"
#include "ingest/csv_file.h"
#include "vigil/names.h"
#include "vigil/screening.h"

namespace vigil::cli {
namespace {

struct ScreenArgs {
  std::string input;
  std::string list;
  std::string out;
  size_t top = 5;
  double threshold = kDefaultScreeningThreshold;
  bool store = false;
  int retro_days = 365;
};

struct QueryRow {
  std::string query_id;
  ScreeningQuery query;
};

std::vector<std::string> SplitAliases(const std::string& cell) {
  std::vector<std::string> aliases;
  size_t start = 0;
  while (start <= cell.size() && !cell.empty()) {
    size_t end = cell.find('|', start);
    if (end == std::string::npos) end = cell.size();
    if (end > start) aliases.push_back(cell.substr(start, end - start));
    start = end + 1;
  }
  return aliases;
}

Status LoadListFile(const std::string& path, ScreeningIndex& index, size_t* skipped) {
  std::vector<std::map<std::string, std::string>> rows;
  VIGIL_RETURN_IF_ERROR(ReadCsvRows(path, &rows));
  for (auto& row : rows) {
    ScreeningEntry entry{row["entry_id"], {row["name"]}, row["birth_date"], row["nationality"]};
    for (std::string& alias : SplitAliases(row["aliases"])) entry.names.push_back(alias);
    if (!index.Add(entry).ok()) ++*skipped;
  }
  return Status::Ok();
}

Status LoadStoreList(CliContext& context, ScreeningIndex& index, size_t* skipped) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStoreForCli(context, true));
  return store->ScanWatchlist([&index, skipped](const WatchlistEntry& entry) {
    if (!index.Add(ScreeningEntryFromWatchlist(entry)).ok()) ++*skipped;
    return true;
  });
}

// travel.csv (record_id), reports.csv (report_id; rows naming only a
// person_id are skipped) or a names file (query_id).
Result<std::vector<QueryRow>> LoadQueries(const std::string& path) {
  std::vector<std::map<std::string, std::string>> rows;
  VIGIL_RETURN_IF_ERROR(ReadCsvRows(path, &rows));
  std::vector<QueryRow> queries;
  for (auto& row : rows) {
    std::string id = row.count("record_id")   ? row["record_id"]
                     : row.count("report_id") ? row["report_id"]
                                              : row["query_id"];
    if (id.empty())
      return Status::InvalidArgument(path + ": a row has no query_id/record_id/report_id");
    if (row["name"].empty()) continue;
    queries.push_back({id, {row["name"], row["birth_date"], row["nationality"]}});
  }
  return queries;
}

Status RunScreen(CliContext& context, const ScreenArgs& args, OutputFormat format) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<ScreeningIndex> index, NewScreeningIndex());
  size_t skipped = 0;
  VIGIL_RETURN_IF_ERROR(args.list.empty() ? LoadStoreList(context, *index, &skipped)
                                          : LoadListFile(args.list, *index, &skipped));
  if (skipped > 0)
    std::fprintf(stderr, "vigil: %zu watch-list entries had no usable name\n", skipped);
  VIGIL_ASSIGN_OR_RETURN(std::vector<QueryRow> queries, LoadQueries(args.input));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (!args.out.empty()) {
    file.reset(std::fopen(args.out.c_str(), "w"));
    if (file == nullptr) return Status::IOError("cannot write " + args.out);
  }
  TableOutput table({"query_id", "entry_id", "score", "explanation"}, format,
                    file ? file.get() : stdout);
  ScreeningOptions options;
  options.top_k = args.top;
  options.threshold = args.threshold;
  size_t rejected = 0;
  for (const QueryRow& row : queries) {
    auto matches = index->Screen(row.query, options);
    if (!matches.ok()) {
      ++rejected;
      std::fprintf(stderr, "vigil: %s: %s\n", row.query_id.c_str(),
                   matches.status().ToString().c_str());
      continue;
    }
    for (const ScreeningMatch& match : *matches) {
      table.AddRow(
          {row.query_id, match.entry_id, fmt::format("{:.3f}", match.score), match.explanation});
    }
  }
  table.Finish();
  return Status::Ok();
}

// Screens the store and prints the matches stored by this run.
Status RunScreenStore(CliContext& context, const ScreenArgs& args, OutputFormat format) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStoreForCli(context, true));
  StoreScreeningOptions options;
  options.threshold = args.threshold;
  options.top_k = args.top;
  options.retro_days = args.retro_days;
  VIGIL_ASSIGN_OR_RETURN(StoreScreeningReport report, ScreenStore(*store, options));
  std::fprintf(stderr,
               "vigil: %zu entries (%zu newly listed); %zu new records screened, %zu earlier "
               "records re-screened for new entries; %zu matches (%zu retroactive)\n",
               report.entries, report.new_entries, report.records_screened,
               report.records_rescreened, report.matches, report.retroactive_matches);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, &std::fclose);
  if (!args.out.empty()) {
    file.reset(std::fopen(args.out.c_str(), "w"));
    if (file == nullptr) return Status::IOError("cannot write " + args.out);
    VIGIL_RETURN_IF_ERROR(RecordWrittenFile(*store, WrittenFileKind::kExport, args.out));
  }
  TableOutput table(
      {"query_id", "entry_id", "score", "explanation", "source", "seen_at", "retroactive"}, format,
      file ? file.get() : stdout);
  for (const StoredWatchlistMatch& match : report.stored) {
    table.AddRow({match.source_id, match.entry_id, fmt::format("{:.3f}", match.score),
                  match.explanation, std::string(InputKindName(match.source_kind)),
                  FormatTime(match.seen_at), match.retroactive ? "yes" : "no"});
  }
  table.Finish();
  return Status::Ok();
}

}  // namespace

void RegisterScreenCommand(CLI::App& app, CliContext& context) {
  auto args = std::make_shared<ScreenArgs>();
  CLI::App* command = app.add_subcommand(
      "screen", "Screen travel records, reports or a names file against a watch list");
  command->add_option(
      "--input", args->input,
      "travel.csv, reports.csv or a names file (query_id,name[,birth_date][,nationality])");
  command->add_flag("--store", args->store,
                    "Screen the store: new travel/reports against the list, and earlier "
                    "records against newly listed entries; store the matches");
  command->add_option("--retro-days", args->retro_days,
                      "With --store: how many days back a newly listed entry looks");
  command->add_option("--list", args->list, "A watchlist.csv (default: the store's watch list)");
  command->add_option("--out", args->out, "Write matches here (default: standard output)");
  command->add_option("--top", args->top, "At most this many matches per query");
  command->add_option("--threshold", args->threshold, "Only matches scoring at least this");
  command->callback([&context, args] {
    if (!args->out.empty() && context.format == "table") context.format = "csv";
    auto format = FormatOf(context);
    if (!format.ok()) return;
    if (args->store == !args->input.empty()) {  // neither or both
      ReportFailure(context, Status::InvalidArgument("give exactly one of --input FILE, --store"));
      return;
    }
    Status status =
        args->store ? RunScreenStore(context, *args, *format) : RunScreen(context, *args, *format);
    if (!status.ok()) ReportFailure(context, status);
  });
}

}  // namespace vigil::cli
