#include "cli/command.h"

#include <cstdio>
#include <filesystem>

namespace vigil::cli {

Result<std::unique_ptr<Store>> OpenStoreForCli(const CliContext& context, bool must_exist) {
  if (must_exist && !std::filesystem::exists(context.db_path)) {
    return Status::NotFound("no store at '" + context.db_path +
                            "' (run `vigil ingest PATH --db " + context.db_path + "` first)");
  }
  StoreOptions options;
  options.create_if_missing = !must_exist;
  return OpenSqliteStore(context.db_path, options);
}

void ReportFailure(CliContext& context, const Status& status) {
  std::fprintf(stderr, "vigil: %s\n", status.message().c_str());
  context.exit_code = kExitFailure;
}

Result<OutputFormat> FormatOf(CliContext& context) {
  auto format = ParseOutputFormat(context.format);
  if (!format.ok()) {
    ReportFailure(context, format.status());
    context.exit_code = kExitUsage;
  }
  return format;
}

}  // namespace vigil::cli
