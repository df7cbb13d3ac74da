// vigil audit verify|query|checkpoint: is the audit chain intact; who looked
// at a person, when and why; signed checkpoints to keep outside Vigil.
#include <fstream>
#include <sstream>

#include "cli/command.h"
#include "vigil/oversight.h"

namespace vigil::cli {
namespace {

// An ISO time or a date (its midnight UTC).
Result<UnixTime> ParseTimeOrDate(const std::string& text) {
  if (text.size() == 10) return ParseDate(text);
  return ParseTime(text);
}

}  // namespace

void RegisterAuditCommand(CLI::App& app, CliContext& context) {
  struct Args {
    std::string checkpoint, out, user, subject, from, to;
    int64_t limit = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* audit = app.add_subcommand("audit", "The tamper-evident audit log");
  audit->require_subcommand(1);

  CLI::App* verify = audit->add_subcommand(
      "verify", "Check the hash chain and signed checkpoints; say where it breaks");
  verify->add_option("--checkpoint", args->checkpoint,
                     "A checkpoint file exported earlier (kept outside Vigil)");
  verify->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    std::optional<AuditCheckpoint> external;
    if (!args->checkpoint.empty()) {
      std::ifstream in(args->checkpoint);
      if (!in) return ReportFailure(context, Status::IOError(args->checkpoint + ": cannot read"));
      std::stringstream text;
      text << in.rdbuf();
      auto parsed = ParseCheckpointFile(text.str(), args->checkpoint);
      if (!parsed.ok()) return ReportFailure(context, parsed.status());
      external = *parsed;
    }
    auto report = (*store)->oversight().VerifyAudit((*store)->context(), external);
    if (!report.ok()) return ReportFailure(context, report.status());
    if (report->ok()) {
      std::printf(
          "audit log intact: %lld records (%lld MACs checked), %lld checkpoints, %lld "
          "witness entries%s\n",
          static_cast<long long>(report->records), static_cast<long long>(report->macs_checked),
          static_cast<long long>(report->checkpoints),
          static_cast<long long>(report->witness_entries),
          external ? ", matches the exported checkpoint" : "");
      return;
    }
    for (const std::string& problem : report->problems) {
      std::fprintf(stderr, "vigil: audit: %s\n", problem.c_str());
    }
    std::fprintf(stderr, "vigil: audit log NOT intact (%zu problems in %lld records)\n",
                 report->problems.size(), static_cast<long long>(report->records));
    context.exit_code = kExitFailure;
  });

  CLI::App* query = audit->add_subcommand("query", "Who looked at what, when and why");
  query->add_option("--user", args->user, "Only this user");
  query->add_option("--subject", args->subject, "Only records concerning this person_id");
  query->add_option("--from", args->from, "From this time or date (inclusive)");
  query->add_option("--to", args->to, "Until this time or date (exclusive)");
  query->add_option("--limit", args->limit, "At most this many records");
  query->callback([args, &context] {
    auto format = FormatOf(context);
    if (!format.ok()) return;
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    AuditQuery q;
    q.user = args->user;
    q.subject = args->subject;
    q.limit = args->limit;
    if (!args->from.empty()) {
      auto t = ParseTimeOrDate(args->from);
      if (!t.ok()) return ReportFailure(context, t.status());
      q.from = *t;
    }
    if (!args->to.empty()) {
      auto t = ParseTimeOrDate(args->to);
      if (!t.ok()) return ReportFailure(context, t.status());
      q.to = *t;
    }
    auto records = (*store)->oversight().QueryAudit((*store)->context(), q);
    if (!records.ok()) return ReportFailure(context, records.status());
    TableOutput table(
        {"seq", "time", "user", "action", "object", "outcome", "purpose", "params", "subjects"},
        *format, stdout);
    for (const AuditRecord& r : *records) {
      std::string subjects;
      for (const auto& s : r.subjects) subjects += (subjects.empty() ? "" : "|") + s;
      table.AddRow({std::to_string(r.seq), FormatTime(r.time), r.user, r.action, r.object,
                    r.refused ? "refused" : "allowed", r.purpose, r.params, subjects});
    }
  });

  CLI::App* checkpoint = audit->add_subcommand(
      "checkpoint", "Sign the log's head now and export it to a file kept outside Vigil");
  checkpoint->add_option("--out", args->out, "Checkpoint file to write")->required();
  checkpoint->callback([args, &context] {
    auto store = OpenAccessForCli(context, /*must_exist=*/true);
    if (!store.ok()) return ReportFailure(context, store.status());
    auto signed_checkpoint = (*store)->oversight().Checkpoint((*store)->context());
    if (!signed_checkpoint.ok()) return ReportFailure(context, signed_checkpoint.status());
    std::ofstream out(args->out, std::ios::trunc);
    out << FormatCheckpointFile(*signed_checkpoint);
    if (!out) return ReportFailure(context, Status::IOError(args->out + ": cannot write"));
    std::printf("checkpoint of record %lld written to %s (key %s)\n",
                static_cast<long long>(signed_checkpoint->seq), args->out.c_str(),
                signed_checkpoint->public_key.substr(0, 16).c_str());
  });
}

}  // namespace vigil::cli
