// AccessStore: partner exchange. Partners and agreements need
// manage_partners; messages, the outbox and the ledger need exchange_share.
// Every write commits its audit record in its own transaction, so no
// transfer, receipt or refusal happens without one.
#include <string>
#include <utility>
#include <vector>

#include "access/oversight_impl.h"
#include "vigil/access.h"

namespace vigil {
namespace {

constexpr size_t kMaxAuditDetail = 240;

std::string MessageObject(int direction, std::string_view partner, std::string_view message_id) {
  return std::string("share:") + (direction == 0 ? "out:" : "in:") + std::string(partner) + ":" +
         std::string(message_id);
}

std::string Clipped(std::string_view text) {
  if (text.size() <= kMaxAuditDetail) return std::string(text);
  return std::string(text.substr(0, kMaxAuditDetail)) + "...";
}

// WriteAudited (access_store.cc) for this file: one audit record of `op`
// on `object` with `params`, committed in the transaction of `write`.
template <typename Write>
auto Audited(AccessStore& store, Operation op, const std::string& object,
             const std::vector<std::pair<std::string, std::string>>& params, Write write)
    -> decltype(write()) {
  VIGIL_RETURN_IF_ERROR(store.FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(store.oversight().FlushReads());
  std::vector<AuditRecord> records = {
      store.oversight().MakeRecord(store.context(), OperationName(op), object, {}, false, params)};
  store.oversight().SetCommitAudit(&records);
  auto out = write();
  store.oversight().SetCommitAudit(nullptr);
  return out;
}

}  // namespace

Status AccessStore::PutSharePartner(const SharePartner& partner) {
  const std::string object = "partner:" + partner.name;
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kManagePartners, object));
  SharePartner stored = partner;
  stored.added_by = context_.principal.user;
  stored.added_at = oversight_->clock().Now();
  return Audited(*this, Operation::kManagePartners, object,
                 {{"key_id", stored.key_id}, {"url", stored.url}},
                 [&] { return inner_->PutSharePartner(stored); });
}

Status AccessStore::ScanSharePartners(const std::function<bool(const SharePartner&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, "scan:share_partners"));
  VIGIL_RETURN_IF_ERROR(inner_->ScanSharePartners(fn));
  return LogRead(Operation::kExchangeShare, "scan:share_partners", {}, false);
}

Result<int64_t> AccessStore::PutShareAgreement(const ShareAgreement& agreement) {
  const std::string object = "partner:" + agreement.partner;
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kManagePartners, object));
  ShareAgreement stored = agreement;
  stored.created_by = context_.principal.user;
  stored.created_at = oversight_->clock().Now();
  return Audited(*this, Operation::kManagePartners, object,
                 {{"agreement_kinds", stored.kinds},
                  {"agreement_fields", stored.fields},
                  {"legal_basis", Clipped(stored.legal_basis)}},
                 [&] { return inner_->PutShareAgreement(stored); });
}

Status AccessStore::ScanShareAgreements(const std::function<bool(const ShareAgreement&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, "scan:share_agreements"));
  VIGIL_RETURN_IF_ERROR(inner_->ScanShareAgreements(fn));
  return LogRead(Operation::kExchangeShare, "scan:share_agreements", {}, false);
}

Status AccessStore::PutShareMessage(const ShareMessage& message, const ShareEvent& first) {
  const std::string object = MessageObject(message.direction, message.partner, message.message_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, object));
  return Audited(*this, Operation::kExchangeShare, object,
                 {{"event", first.event},
                  {"kind", message.kind},
                  {"marking", message.marking},
                  {"detail", Clipped(first.detail)}},
                 [&] { return inner_->PutShareMessage(message, first); });
}

Result<ShareMessage> AccessStore::GetShareMessage(int direction, std::string_view partner,
                                                  std::string_view message_id) {
  const std::string object = MessageObject(direction, partner, message_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, object));
  Result<ShareMessage> message = inner_->GetShareMessage(direction, partner, message_id);
  VIGIL_RETURN_IF_ERROR(LogRead(Operation::kExchangeShare, object, {}, false));
  return message;
}

Status AccessStore::ScanShareMessages(const std::function<bool(const ShareMessage&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, "scan:share_messages"));
  int64_t rows = 0;
  VIGIL_RETURN_IF_ERROR(inner_->ScanShareMessages([&](const ShareMessage& message) {
    ++rows;
    return fn(message);
  }));
  return LogRead(Operation::kExchangeShare, "scan:share_messages", {}, false,
                 {{"rows", std::to_string(rows)}});
}

Status AccessStore::UpdateShareDelivery(const ShareMessage& message, const ShareEvent& event) {
  const std::string object = MessageObject(message.direction, message.partner, message.message_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, object));
  return Audited(*this, Operation::kExchangeShare, object,
                 {{"event", event.event.empty() ? "attempt" : event.event},
                  {"attempts", std::to_string(message.attempts)},
                  {"detail", Clipped(event.event.empty() ? message.last_error : event.detail)}},
                 [&] { return inner_->UpdateShareDelivery(message, event); });
}

Status AccessStore::AppendShareEvent(const ShareEvent& event) {
  const std::string object = MessageObject(event.direction, event.partner, event.message_id);
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, object));
  VIGIL_RETURN_IF_ERROR(FlushDeferredReads());
  VIGIL_RETURN_IF_ERROR(oversight_->FlushReads());
  std::vector<AuditRecord> records = {
      oversight_->MakeRecord(context_, OperationName(Operation::kExchangeShare), object, {},
                             /*refused=*/event.event == "refused" || event.event == "replayed",
                             {{"event", event.event}, {"detail", Clipped(event.detail)}})};
  oversight_->SetCommitAudit(&records);
  Status status = inner_->AppendShareEvent(event);
  oversight_->SetCommitAudit(nullptr);
  return status;
}

Status AccessStore::ScanShareEvents(const std::function<bool(const ShareEvent&)>& fn) {
  VIGIL_RETURN_IF_ERROR(RequireRole(Operation::kExchangeShare, "scan:share_events"));
  VIGIL_RETURN_IF_ERROR(inner_->ScanShareEvents(fn));
  return LogRead(Operation::kExchangeShare, "scan:share_events", {}, false);
}

}  // namespace vigil
