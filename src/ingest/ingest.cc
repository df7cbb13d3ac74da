// Ingest orchestration: expand paths, then for each file check its header,
// hash it, open a store transaction, and stream validated records into the
// store. A parse thread fills batches of records while the calling thread
// Puts them, so parsing hides behind the store's inserts; a fixed set of
// batches circulates between the two, which bounds memory.
#include "vigil/ingest.h"

#include <sys/stat.h>

#include <array>
#include <atomic>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "ingest/batch_queue.h"
#include "ingest/mapped_file.h"
#include "ingest/quarantine.h"
#include "ingest/row_source.h"
#include "util/hash.h"

namespace vigil {
namespace {

constexpr size_t kBatchRows = 4096;
constexpr size_t kBatchesInFlight = 4;
constexpr size_t kReleaseEveryBytes = size_t{64} << 20;

// A world's files, in the order that lets references resolve.
constexpr std::array<InputKind, 7> kWorldOrder = {
    InputKind::kPersons, InputKind::kSelectors, InputKind::kWatchlist, InputKind::kCustody,
    InputKind::kReports, InputKind::kTravel,    InputKind::kComms,
};
constexpr std::array<std::string_view, 2> kExtensions = {".csv", ".jsonl"};
constexpr std::string_view kTruthFolder = "truth";

bool IsDirectory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}
bool IsRegularFile(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string KnownFileNames() {
  std::string names;
  for (const InputKind kind : kWorldOrder) {
    if (!names.empty()) names += ", ";
    names += InputKindName(kind);
  }
  return names + " (.csv or .jsonl)";
}

// Whether `path` lies in a folder named truth/.
bool IsTruthFile(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return false;
  const std::string folder = path.substr(0, slash);
  const size_t parent_slash = folder.find_last_of('/');
  const std::string parent =
      parent_slash == std::string::npos ? folder : folder.substr(parent_slash + 1);
  return parent == kTruthFolder;
}

std::string Location(const std::string& path, int64_t line, int column, std::string_view rule) {
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
         std::string(rule);
}

template <typename Record>
struct Item {
  Record record;
  int64_t line = 0;
  std::string_view raw;
  int reference_column = 1;
  bool bad = false;
  RowError error;
};

template <typename Record>
struct Batch {
  std::vector<Item<Record>> items{kBatchRows};
  size_t count = 0;
  size_t end_offset = 0;  // bytes of the file parsed when the batch was full
};

// What the store thread has seen of the file's rows.
struct Outcome {
  int64_t accepted = 0;
  int64_t bad = 0;
  std::vector<std::string> messages;  // the first max_reported_errors bad rows
  Status fatal;                       // a store or quarantine failure
};

// Fills batches from `source` until the end of the file or `stop`.
template <typename Record>
void ParseBatches(RowSource& source, InputKind kind, BatchQueue<Batch<Record>*>& free_batches,
                  BatchQueue<Batch<Record>*>& full_batches, const std::atomic<bool>& stop) {
  RowCells cells;
  bool done = false;
  while (!done && !stop.load(std::memory_order_relaxed)) {
    Batch<Record>* batch = free_batches.Pop();
    batch->count = 0;
    while (batch->count < kBatchRows) {
      Item<Record>& item = batch->items[batch->count];
      const RowStep step = source.Next(&cells, &item.error);
      if (step == RowStep::kEnd) {
        done = true;
        break;
      }
      item.line = cells.line;
      item.raw = cells.raw;
      item.bad = step == RowStep::kBadRow || !ParseRecord(cells, &item.record, &item.error);
      if (!item.bad) item.reference_column = ReferenceColumn(cells, kind);
      ++batch->count;
    }
    batch->end_offset = source.offset();
    full_batches.Push(batch);
  }
  full_batches.Push(nullptr);
}

class RowSink {
 public:
  RowSink(const std::string& path, InputKind kind, const IngestOptions& options,
          StoreWriter& writer)
      : path_(path),
        kind_(kind),
        options_(options),
        writer_(writer),
        quarantine_(options.quarantine_path) {}

  template <typename Record>
  void Consume(const Item<Record>& item) {
    if (item.bad) return Bad(item.line, item.error.column, item.error.rule, item.raw);
    if constexpr (std::is_same_v<Record, Person>) {
      // One file says one thing about a person: a second row with the same
      // id is an error (it would silently replace the first).
      auto [first, fresh] =
          person_rows_.try_emplace(item.record.person_id, item.line, item.reference_column);
      if (!fresh) {
        return Bad(item.line, item.reference_column,
                   ColumnRule("person_id", "'" + item.record.person_id +
                                               "' appears twice in this file; first at " + path_ +
                                               ":" + std::to_string(first->second.first) + ":" +
                                               std::to_string(first->second.second)),
                   item.raw);
      }
    }
    if (rejecting()) return;
    const Status status = writer_.Put(item.record);
    if (status.ok()) {
      ++outcome_.accepted;
    } else if (status.IsInvalidArgument()) {
      Bad(item.line, item.reference_column, ReferenceRule(status.message()), item.raw);
    } else {
      outcome_.fatal = status;
    }
  }

  // Consume() of every item of a batch of communications, in order, handing
  // runs of good rows to the store at once (StoreWriter::PutComms).
  void ConsumeComms(const Batch<Communication>& batch) {
    size_t index = 0;
    while (index < batch.count && !failed()) {
      if (batch.items[index].bad || rejecting()) {
        Consume(batch.items[index++]);
        continue;
      }
      run_.clear();
      size_t end = index;
      for (; end < batch.count && !batch.items[end].bad; ++end) {
        run_.push_back(&batch.items[end].record);
      }
      size_t put = 0;
      const Status status = writer_.PutComms(run_, &put);
      outcome_.accepted += static_cast<int64_t>(put);
      if (status.ok()) {
        index = end;
        continue;
      }
      const Item<Communication>& failed_item = batch.items[index + put];
      if (!status.IsInvalidArgument()) {
        outcome_.fatal = status;
        return;
      }
      Bad(failed_item.line, failed_item.reference_column, ReferenceRule(status.message()),
          failed_item.raw);
      index += put + 1;
    }
  }

  bool failed() const { return !outcome_.fatal.ok(); }
  Outcome Finish() {
    const Status closed = quarantine_.Close();
    if (outcome_.fatal.ok() && !closed.ok()) outcome_.fatal = closed;
    return std::move(outcome_);
  }

 private:
  // A store's refusal of a row, named after the row's person reference.
  std::string ReferenceRule(std::string_view message) const {
    const bool has_reference = kind_ == InputKind::kSelectors || kind_ == InputKind::kCustody ||
                               kind_ == InputKind::kReports;
    return has_reference ? ColumnRule("person_id", message) : std::string(message);
  }

  bool quarantining() const { return !options_.quarantine_path.empty(); }
  bool rejecting() const { return !quarantining() && outcome_.bad > 0; }

  void Bad(int64_t line, int column, std::string_view rule, std::string_view raw) {
    ++outcome_.bad;
    if (quarantining()) {
      const Status status = quarantine_.Append(path_, line, column, rule, raw);
      if (!status.ok()) outcome_.fatal = status;
      return;
    }
    if (outcome_.messages.size() < static_cast<size_t>(std::max(options_.max_reported_errors, 0))) {
      outcome_.messages.push_back(Location(path_, line, column, rule));
    }
  }

  const std::string& path_;
  InputKind kind_;
  const IngestOptions& options_;
  StoreWriter& writer_;
  QuarantineFile quarantine_;
  Outcome outcome_;
  std::vector<const Communication*> run_;  // ConsumeComms scratch
  // persons files: person_id -> (line, column) of its first row
  std::unordered_map<std::string, std::pair<int64_t, int>> person_rows_;
};

// Streams every row of `source` through ParseRecord into `writer`, on two
// threads. Returns what happened; never commits.
template <typename Record>
Outcome Pipeline(RowSource& source, InputKind kind, MappedFile& file, const std::string& path,
                 const IngestOptions& options, StoreWriter& writer) {
  std::vector<std::unique_ptr<Batch<Record>>> batches;
  BatchQueue<Batch<Record>*> free_batches;
  BatchQueue<Batch<Record>*> full_batches;
  for (size_t i = 0; i < kBatchesInFlight; ++i) {
    batches.push_back(std::make_unique<Batch<Record>>());
    free_batches.Push(batches.back().get());
  }
  std::atomic<bool> stop{false};
  std::thread parser([&] { ParseBatches<Record>(source, kind, free_batches, full_batches, stop); });
  RowSink sink(path, kind, options, writer);
  size_t released = 0;
  while (Batch<Record>* batch = full_batches.Pop()) {
    if constexpr (std::is_same_v<Record, Communication>) {
      sink.ConsumeComms(*batch);
    } else {
      for (size_t i = 0; i < batch->count && !sink.failed(); ++i) sink.Consume(batch->items[i]);
    }
    if (sink.failed()) stop.store(true, std::memory_order_relaxed);
    if (options.progress != nullptr)
      options.progress->Update(static_cast<int64_t>(batch->end_offset));
    if (batch->end_offset >= released + kReleaseEveryBytes) {
      // Every row before end_offset has been consumed; nothing points there.
      file.ReleaseBefore(released = batch->end_offset);
    }
    free_batches.Push(batch);
  }
  parser.join();
  return sink.Finish();
}

Outcome RunPipeline(RowSource& source, InputKind kind, MappedFile& file, const std::string& path,
                    const IngestOptions& options, StoreWriter& writer) {
  switch (kind) {
    case InputKind::kPersons:
      return Pipeline<Person>(source, kind, file, path, options, writer);
    case InputKind::kSelectors:
      return Pipeline<SelectorRecord>(source, kind, file, path, options, writer);
    case InputKind::kComms:
      return Pipeline<Communication>(source, kind, file, path, options, writer);
    case InputKind::kTravel:
      return Pipeline<TravelRecord>(source, kind, file, path, options, writer);
    case InputKind::kCustody:
      return Pipeline<CustodyRecord>(source, kind, file, path, options, writer);
    case InputKind::kReports:
      return Pipeline<Report>(source, kind, file, path, options, writer);
    case InputKind::kWatchlist:
      return Pipeline<WatchlistEntry>(source, kind, file, path, options, writer);
  }
  Outcome outcome;
  outcome.fatal = Status::Internal("unknown input kind");
  return outcome;
}

Status RejectionStatus(const std::string& path, const Outcome& outcome) {
  std::string message = path + ": rejected, nothing ingested: " + std::to_string(outcome.bad) +
                        (outcome.bad == 1 ? " bad row" : " bad rows");
  for (const std::string& line : outcome.messages) message += "\n" + line;
  const auto listed = static_cast<int64_t>(outcome.messages.size());
  if (outcome.bad > listed) {
    message += "\n... and " + std::to_string(outcome.bad - listed) + " more";
  }
  return Status::InvalidArgument(std::move(message));
}

// A progress sink that ignores everything, for when the caller gave none.
class NoProgress final : public Progress {
 public:
  void Start(std::string_view, int64_t, std::string_view) override {}
  void Update(int64_t) override {}
  void Finish() override {}
};

}  // namespace

Result<std::vector<std::string>> ExpandIngestPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    if (IsDirectory(path)) {
      const std::string folder = path.ends_with('/') ? path : path + "/";
      const size_t before = files.size();
      for (const InputKind kind : kWorldOrder) {
        for (const std::string_view extension : kExtensions) {
          std::string file = folder + std::string(InputKindName(kind)) + std::string(extension);
          if (IsRegularFile(file)) files.push_back(std::move(file));
        }
      }
      if (files.size() == before) {
        return Status::InvalidArgument(path + ": the folder holds no input file (expected " +
                                       KnownFileNames() + ")");
      }
      continue;
    }
    if (!IsRegularFile(path)) {
      return Status::InvalidArgument(path + ": no such file or folder");
    }
    if (!InputKindFromFileName(path).has_value()) {
      return Status::InvalidArgument(path + ": not an input file name (expected " +
                                     KnownFileNames() + ")");
    }
    if (IsTruthFile(path)) {
      return Status::InvalidArgument(path + ": truth/ holds ground truth and is never ingested");
    }
    files.push_back(path);
  }
  return files;
}

Result<FileIngestResult> IngestFile(Store& store, const std::string& path,
                                    const IngestOptions& options) {
  const std::optional<InputKind> kind = InputKindFromFileName(path);
  const std::optional<FileFormat> format = FileFormatFromName(path);
  if (!kind || !format) {
    return Status::InvalidArgument(path + ": not an input file name (expected " + KnownFileNames() +
                                   ")");
  }
  FileIngestResult result;
  result.path = path;
  result.kind = *kind;

  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, MappedFile::Open(path));
  std::unique_ptr<RowSource> source = MakeRowSource(*format, file->contents(), *kind);
  RowError header_error;
  if (!source->Start(&header_error)) {
    return Status::InvalidArgument(Location(path, 1, header_error.column, header_error.rule));
  }

  VIGIL_ASSIGN_OR_RETURN(std::string content_hash, HashFile(path));
  SourceFile source_file;
  source_file.path = path;
  source_file.content_hash = std::move(content_hash);
  source_file.kind = *kind;
  source_file.size_bytes = static_cast<int64_t>(file->contents().size());
  Result<std::unique_ptr<StoreWriter>> writer = store.BeginIngest(source_file);
  if (!writer.ok() && writer.status().IsAlreadyExists()) {
    result.already_ingested = true;
    return result;
  }
  if (!writer.ok()) return writer.status();

  NoProgress no_progress;
  Progress& progress = options.progress != nullptr ? *options.progress : no_progress;
  progress.Start(BaseName(path), source_file.size_bytes, "B");
  const Outcome outcome = RunPipeline(*source, *kind, *file, path, options, **writer);
  progress.Finish();
  if (!outcome.fatal.ok()) return outcome.fatal;
  if (outcome.bad > 0 && options.quarantine_path.empty()) return RejectionStatus(path, outcome);
  VIGIL_RETURN_IF_ERROR((*writer)->Commit(outcome.accepted));
  result.rows_accepted = outcome.accepted;
  result.rows_quarantined = outcome.bad;
  return result;
}

Status IngestPaths(Store& store, const std::vector<std::string>& paths,
                   const IngestOptions& options, std::vector<FileIngestResult>* results) {
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> files, ExpandIngestPaths(paths));
  for (const std::string& file : files) {
    VIGIL_ASSIGN_OR_RETURN(FileIngestResult result, IngestFile(store, file, options));
    if (results != nullptr) results->push_back(std::move(result));
  }
  return Status::Ok();
}

}  // namespace vigil
