#include "cli/command.h"

#include "vigil/oversight.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace vigil::cli {

namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

}  // namespace

std::string AuditKeyPath(const CliContext& context) {
  if (!context.audit_key.empty()) return context.audit_key;
  return EnvOr("VIGIL_AUDIT_KEY", context.db_path + ".audit-key");
}

std::string AuditWitnessPath(const CliContext& context) {
  if (!context.audit_witness.empty()) return context.audit_witness;
  return EnvOr("VIGIL_AUDIT_WITNESS", AuditKeyPath(context) + ".witness");
}

std::string IdentityPath(const CliContext& context) {
  if (!context.identity.empty()) return context.identity;
  return EnvOr("VIGIL_IDENTITY", context.db_path + ".share-key");
}

Result<std::unique_ptr<AccessStore>> OpenAccessForCli(const CliContext& context, bool must_exist) {
  if (must_exist && !std::filesystem::exists(context.db_path)) {
    return Status::NotFound("no store at '" + context.db_path + "' (run `vigil ingest PATH --db " +
                            context.db_path + "` first)");
  }
  StoreOptions options;
  options.create_if_missing = !must_exist;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(context.db_path, options));
  OversightOptions oversight_options;
  oversight_options.signing_key_path = AuditKeyPath(context);
  oversight_options.witness_path = AuditWitnessPath(context);
  oversight_options.read_log = ReadLogMode::kGroup;
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<Oversight> oversight,
                         Oversight::Open(*store, oversight_options));
  RequestContext request;
  request.client = "cli";
  request.purpose = context.purpose.empty() ? EnvOr("VIGIL_PURPOSE", "") : context.purpose;
  const std::string user = EnvOr("VIGIL_USER", "");
  if (user.empty()) {
    VIGIL_ASSIGN_OR_RETURN(request.principal,
                           oversight->SetupPrincipal(EnvOr("USER", EnvOr("LOGNAME", "unknown"))));
    if (request.purpose.empty()) request.purpose = "setup";
  } else {
    VIGIL_ASSIGN_OR_RETURN(request.principal,
                           oversight->Authenticate(user, EnvOr("VIGIL_PASSWORD", "")));
    if (request.purpose.empty()) {
      return Status::InvalidArgument(
          "give a purpose with --purpose or VIGIL_PURPOSE (it is written to the audit log)");
    }
  }
  return std::make_unique<AccessStore>(std::move(store), std::move(oversight), std::move(request));
}

Result<std::unique_ptr<Store>> OpenStoreForCli(const CliContext& context, bool must_exist) {
  VIGIL_ASSIGN_OR_RETURN(std::unique_ptr<AccessStore> store, OpenAccessForCli(context, must_exist));
  return std::unique_ptr<Store>(std::move(store));
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

std::vector<std::string> SplitCommaList(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

UnixTime WallClock() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace vigil::cli
