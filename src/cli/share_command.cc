// vigil identity | partner | share: partner exchange between installations
// (vigil/share.h).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "vigil/share.h"

namespace vigil::cli {
namespace {

struct SendOptions {
  std::string to;
  std::string type;
  std::vector<std::string> names;
  std::vector<std::string> identifiers;
  std::string birth_date;
  std::string legal_basis;
  std::string action;
  std::string deadline;
  std::string contact;
  std::string marking = "AMBER";
  bool originator_control = false;
  std::string entry_id;
  std::string list;
  std::string reason;
};

// The store, the identity and an exchange acting as the CLI's user.
struct Session {
  std::unique_ptr<AccessStore> store;
  share::Identity identity;
  std::unique_ptr<share::Exchange> exchange;
};

Result<Session> OpenSession(const CliContext& context) {
  Session session;
  VIGIL_ASSIGN_OR_RETURN(session.identity, share::LoadIdentity(IdentityPath(context)));
  VIGIL_ASSIGN_OR_RETURN(session.store, OpenAccessForCli(context, /*must_exist=*/false));
  session.exchange = std::make_unique<share::Exchange>(
      *session.store, session.identity, SystemClock(), session.store->context().principal.user);
  return session;
}

Result<std::vector<std::pair<std::string, std::string>>> Identifiers(
    const std::vector<std::string>& texts) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& text : texts) {
    const size_t colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
      return Status::InvalidArgument("--identifier '" + text +
                                     "': give KIND:VALUE (passport:X1234567)");
    }
    out.emplace_back(text.substr(0, colon), text.substr(colon + 1));
  }
  return out;
}

std::string TimeOrEmpty(UnixTime t) { return t == 0 ? "" : FormatTime(t); }

void AddSendOptions(CLI::App* command, SendOptions& o) {
  command->add_option("--to", o.to, "Partner name")->required();
  command->add_option("--name", o.names, "A name variant of the person (repeatable)");
  command->add_option("--identifier", o.identifiers,
                      "An identifier of the person, KIND:VALUE (repeatable)");
  command->add_option("--birth-date", o.birth_date, "YYYY-MM-DD");
  command->add_option("--legal-basis", o.legal_basis, "The legal basis")->required();
  command->add_option("--contact", o.contact, "Point of contact");
  command->add_option("--marking", o.marking, "TLP 2.0: CLEAR, GREEN, AMBER, AMBER+STRICT, RED");
  command->add_flag("--originator-control", o.originator_control,
                    "The partner may not forward it without this installation's consent");
}

void RegisterIdentity(CLI::App& app, CliContext& context) {
  CLI::App* identity = app.add_subcommand("identity", "This installation's exchange identity");
  identity->require_subcommand(1);
  identity->add_subcommand("init", "Create the Ed25519 key pair (file mode 0600)")
      ->callback([&context] {
        const std::string path = IdentityPath(context);
        Result<share::Identity> created = share::CreateIdentity(path);
        if (!created.ok()) return ReportFailure(context, created.status());
        std::printf("identity %s written to %s\npublic key %s\n", created->key_id.c_str(),
                    path.c_str(), created->PublicKeyText().c_str());
      });
  identity->add_subcommand("show", "The key id and public key to give partners")
      ->callback([&context] {
        Result<share::Identity> loaded = share::LoadIdentity(IdentityPath(context));
        if (!loaded.ok()) return ReportFailure(context, loaded.status());
        std::printf("key_id %s\npublic_key %s\n", loaded->key_id.c_str(),
                    loaded->PublicKeyText().c_str());
      });
}

void RegisterPartner(CLI::App& app, CliContext& context) {
  CLI::App* partner = app.add_subcommand("partner", "Partner installations and agreements");
  partner->require_subcommand(1);

  auto add = std::make_shared<std::vector<std::string>>(3);
  CLI::App* add_command = partner->add_subcommand("add", "Add a partner installation");
  add_command->add_option("name", (*add)[0], "Partner name")->required();
  add_command->add_option("--url", (*add)[1], "Where its vigil serve listens")->required();
  add_command->add_option("--key", (*add)[2], "Its public key (vigil identity show)")->required();
  add_command->callback([add, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Status added = session->exchange->AddPartner((*add)[0], (*add)[1], (*add)[2]);
    if (!added.ok()) return ReportFailure(context, added);
    std::printf("partner %s added\n", (*add)[0].c_str());
  });

  partner->add_subcommand("list", "Known partners")->callback([&context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<OutputFormat> format = FormatOf(context);
    if (!format.ok()) return;
    TableOutput out({"name", "url", "key_id", "added_by", "added_at"}, *format, stdout);
    Status scanned = session->store->ScanSharePartners([&](const SharePartner& p) {
      out.AddRow({p.name, p.url, p.key_id, p.added_by, FormatTime(p.added_at)});
      return true;
    });
    out.Finish();
    if (!scanned.ok()) ReportFailure(context, scanned);
  });

  auto agree = std::make_shared<std::vector<std::string>>(4);
  CLI::App* agree_command =
      partner->add_subcommand("agree", "Add a sharing agreement (nothing leaves without one)");
  agree_command->add_option("name", (*agree)[0], "Partner name")->required();
  agree_command->add_option("--kinds", (*agree)[1], "request,watchlist_entry")->required();
  agree_command
      ->add_option("--fields", (*agree)[2],
                   "Person fields allowed: names,identifiers,birth_date,reason")
      ->required();
  agree_command->add_option("--legal-basis", (*agree)[3], "The legal basis")->required();
  agree_command->callback([agree, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<int64_t> id = session->exchange->AddAgreement((*agree)[0], SplitCommaList((*agree)[1]),
                                                         SplitCommaList((*agree)[2]), (*agree)[3]);
    if (!id.ok()) return ReportFailure(context, id.status());
    std::printf("agreement #%lld with %s\n", static_cast<long long>(*id), (*agree)[0].c_str());
  });

  partner->add_subcommand("agreements", "Sharing agreements")->callback([&context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<OutputFormat> format = FormatOf(context);
    if (!format.ok()) return;
    TableOutput out({"id", "partner", "kinds", "fields", "legal_basis", "created_by"}, *format,
                    stdout);
    Status scanned = session->store->ScanShareAgreements([&](const ShareAgreement& a) {
      out.AddRow({std::to_string(a.id), a.partner, a.kinds, a.fields, a.legal_basis, a.created_by});
      return true;
    });
    out.Finish();
    if (!scanned.ok()) ReportFailure(context, scanned);
  });
}

void Queue(CliContext& context, const SendOptions& o, const std::string& kind,
           const Result<std::string>& payload, UnixTime deadline) {
  if (!payload.ok()) return ReportFailure(context, payload.status());
  Result<share::Marking> marking = share::ParseMarking(o.marking);
  if (!marking.ok()) return ReportFailure(context, marking.status());
  Result<Session> session = OpenSession(context);
  if (!session.ok()) return ReportFailure(context, session.status());
  Result<std::string> id =
      session->exchange->Send(o.to, kind, *payload, *marking, o.originator_control, deadline);
  if (!id.ok()) return ReportFailure(context, id.status());
  std::printf("queued %s %s to %s (%s)\n", kind.c_str(), id->c_str(), o.to.c_str(),
              std::string(share::MarkingName(*marking)).c_str());
}

void RegisterShare(CLI::App& app, CliContext& context) {
  CLI::App* share_app = app.add_subcommand("share", "Exchange with partner installations");
  share_app->require_subcommand(1);

  auto request = std::make_shared<SendOptions>();
  CLI::App* request_command = share_app->add_subcommand(
      "request", "Queue a signed request: deny_entry, discreet_check, inquiry_check or arrest");
  AddSendOptions(request_command, *request);
  request_command->add_option("--type", request->type, "The request's type")->required();
  request_command->add_option("--action", request->action, "What is asked")->required();
  request_command->add_option("--deadline", request->deadline, "ISO time it is due by")->required();
  request_command->callback([request, &context] {
    Result<UnixTime> deadline = ParseTime(request->deadline);
    if (!deadline.ok()) return ReportFailure(context, deadline.status());
    auto identifiers = Identifiers(request->identifiers);
    if (!identifiers.ok()) return ReportFailure(context, identifiers.status());
    share::Request r;
    r.type = request->type;
    r.names = request->names;
    r.identifiers = *identifiers;
    r.birth_date = request->birth_date;
    r.legal_basis = request->legal_basis;
    r.action = request->action;
    r.deadline = *deadline;
    r.contact = request->contact;
    Queue(context, *request, share::kKindRequest, share::RequestPayload(r), *deadline);
  });

  auto entry = std::make_shared<SendOptions>();
  CLI::App* entry_command =
      share_app->add_subcommand("watchlist",
                                "Queue a signed watch-list entry for a partner (without --name: "
                                "the stored entry with its aliases)");
  AddSendOptions(entry_command, *entry);
  entry_command->add_option("--entry-id", entry->entry_id, "The entry's id")->required();
  entry_command->add_option("--list", entry->list, "The list it is on");
  entry_command->add_option("--reason", entry->reason, "Why the person is listed");
  entry_command->callback([entry, &context] {
    auto identifiers = Identifiers(entry->identifiers);
    if (!identifiers.ok()) return ReportFailure(context, identifiers.status());
    share::WatchlistShare w;
    w.entry_id = entry->entry_id;
    w.list = entry->list;
    w.names = entry->names;
    w.identifiers = *identifiers;
    w.birth_date = entry->birth_date;
    w.reason = entry->reason;
    w.legal_basis = entry->legal_basis;
    w.contact = entry->contact;
    if (w.names.empty()) {
      // The stored entry, read (and audited) through the access layer: its
      // name and every alias, birth date, list and reason.
      Result<Session> session = OpenSession(context);
      if (!session.ok()) return ReportFailure(context, session.status());
      Result<WatchlistEntry> stored = session->store->GetWatchlistEntry(entry->entry_id);
      if (!stored.ok()) return ReportFailure(context, stored.status());
      w.names.push_back(stored->name);
      w.names.insert(w.names.end(), stored->aliases.begin(), stored->aliases.end());
      if (w.list.empty()) w.list = stored->list;
      if (w.birth_date.empty()) w.birth_date = stored->birth_date;
      if (w.reason.empty()) w.reason = stored->reason;
    }
    Queue(context, *entry, share::kKindWatchlistEntry, share::WatchlistPayload(w), 0);
  });

  auto forward = std::make_shared<std::vector<std::string>>(3);
  CLI::App* forward_command = share_app->add_subcommand(
      "forward", "Re-share a received message with another partner, if its marking allows");
  forward_command->add_option("message", (*forward)[0], "Message id")->required();
  forward_command->add_option("--from", (*forward)[1], "The partner it came from")->required();
  forward_command->add_option("--to", (*forward)[2], "The partner to forward it to")->required();
  forward_command->callback([forward, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<std::string> id =
        session->exchange->Forward((*forward)[1], (*forward)[0], (*forward)[2]);
    if (!id.ok()) return ReportFailure(context, id.status());
    std::printf("queued forward %s to %s\n", id->c_str(), (*forward)[2].c_str());
  });

  auto exported = std::make_shared<std::vector<std::string>>(2);
  CLI::App* export_command = share_app->add_subcommand(
      "export", "Write the partner's undelivered envelopes to a file (air-gapped link)");
  export_command->add_option("--to", (*exported)[0], "Partner name")->required();
  export_command->add_option("--out", (*exported)[1], "Output file (mode 0600)")->required();
  export_command->callback([exported, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<int> count = session->exchange->Export((*exported)[0], (*exported)[1]);
    if (!count.ok()) return ReportFailure(context, count.status());
    std::printf("exported %d envelope(s) for %s to %s\n", *count, (*exported)[0].c_str(),
                (*exported)[1].c_str());
  });

  auto imported = std::make_shared<std::string>();
  CLI::App* import_command = share_app->add_subcommand(
      "import", "Verify and store the envelopes of a file from a partner");
  import_command->add_option("file", *imported, "File written by vigil share export")->required();
  import_command->callback([imported, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<share::ImportReport> report = session->exchange->Import(*imported);
    if (!report.ok()) return ReportFailure(context, report.status());
    for (const std::string& line : report->messages) std::printf("%s\n", line.c_str());
    std::printf("accepted %d, duplicates %d, refused %d\n", report->accepted, report->duplicates,
                report->refused);
    if (report->refused > 0) context.exit_code = kExitFailure;
  });

  share_app->add_subcommand("deliver", "Post every due outgoing envelope to its partner now")
      ->callback([&context] {
        Result<Session> session = OpenSession(context);
        if (!session.ok()) return ReportFailure(context, session.status());
        Result<int> delivered = session->exchange->DeliverDue(
            [](const std::string& url, const std::string& body) {
              return share::PostToInbox(url, body, 5);
            },
            share::DeliveryOptions{});
        if (!delivered.ok()) return ReportFailure(context, delivered.status());
        std::printf("delivered %d\n", *delivered);
      });

  auto read = std::make_shared<std::vector<std::string>>(2);
  CLI::App* read_command = share_app->add_subcommand(
      "read", "Show a received message (recorded as read and reported to its sender)");
  read_command->add_option("message", (*read)[0], "Message id")->required();
  read_command->add_option("--from", (*read)[1], "The partner it came from")->required();
  read_command->callback([read, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<ShareMessage> message = session->store->GetShareMessage(1, (*read)[1], (*read)[0]);
    if (!message.ok()) return ReportFailure(context, message.status());
    Result<share::Envelope> envelope = share::ParseEnvelope(message->envelope);
    if (!envelope.ok()) return ReportFailure(context, envelope.status());
    Status marked = session->exchange->MarkRead((*read)[1], (*read)[0]);
    if (!marked.ok()) return ReportFailure(context, marked);
    std::printf("%s %s from %s, TLP:%s%s\n%s\n", message->kind.c_str(), (*read)[0].c_str(),
                (*read)[1].c_str(), message->marking.c_str(),
                message->originator_control ? ", originator control" : "",
                nlohmann::json::parse(envelope->payload).dump(2).c_str());
  });

  auto answer = std::make_shared<std::vector<std::string>>(3);
  CLI::App* answer_command = share_app->add_subcommand(
      "answer", "Record the action taken on a received request and report it to its sender");
  answer_command->add_option("message", (*answer)[0], "Message id")->required();
  answer_command->add_option("--from", (*answer)[1], "The partner it came from")->required();
  answer_command->add_option("--text", (*answer)[2], "What was done")->required();
  answer_command->callback([answer, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Status answered = session->exchange->Answer((*answer)[1], (*answer)[0], (*answer)[2]);
    if (!answered.ok()) return ReportFailure(context, answered);
    std::printf("answered %s from %s\n", (*answer)[0].c_str(), (*answer)[1].c_str());
  });

  auto all = std::make_shared<bool>(false);
  CLI::App* status_command = share_app->add_subcommand(
      "status",
      "The acknowledgement ledger: what is unacknowledged past its deadline (--all: every "
      "message); overdue requests raise an alert");
  status_command->add_flag("--all", *all, "Every message, receipts and reports included");
  status_command->callback([all, &context] {
    Result<Session> session = OpenSession(context);
    if (!session.ok()) return ReportFailure(context, session.status());
    Result<int> raised = session->exchange->Escalate();
    if (!raised.ok()) {
      std::fprintf(stderr, "vigil: overdue requests not escalated: %s\n",
                   raised.status().ToString().c_str());
    }
    Result<std::vector<share::LedgerRow>> rows = session->exchange->Ledger();
    if (!rows.ok()) return ReportFailure(context, rows.status());
    Result<OutputFormat> format = FormatOf(context);
    if (!format.ok()) return;
    TableOutput out({"direction", "partner", "message_id", "kind", "type", "marking", "deadline",
                     "queued", "sent", "delivered", "receipt", "read", "answered", "overdue",
                     "escalated", "attempts", "last_error", "answer"},
                    *format, stdout);
    for (const share::LedgerRow& row : *rows) {
      const bool exchanged =
          row.kind == share::kKindRequest || row.kind == share::kKindWatchlistEntry;
      const bool unacknowledged = row.direction == 0 && exchanged &&
                                  (row.overdue || (row.receipt == 0 && row.deadline > 0 &&
                                                   row.deadline < SystemClock().Now()));
      if (!*all && !unacknowledged) continue;
      out.AddRow({row.direction == 0 ? "out" : "in", row.partner, row.message_id, row.kind,
                  row.type, row.marking, TimeOrEmpty(row.deadline), TimeOrEmpty(row.queued),
                  TimeOrEmpty(row.sent), TimeOrEmpty(row.delivered), TimeOrEmpty(row.receipt),
                  TimeOrEmpty(row.read), TimeOrEmpty(row.answered), row.overdue ? "yes" : "",
                  TimeOrEmpty(row.escalated), std::to_string(row.attempts), row.last_error,
                  row.answer});
    }
    out.Finish();
  });
}

}  // namespace

void RegisterShareCommands(CLI::App& app, CliContext& context) {
  RegisterIdentity(app, context);
  RegisterPartner(app, context);
  RegisterShare(app, context);
}

}  // namespace vigil::cli
