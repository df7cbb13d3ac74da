// The exchange: partners, agreements, sending under the marking rules, the
// offline and online transports, receipts, the ledger and escalation.
#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>

#include "vigil/share.h"

namespace vigil::share {
namespace {

using Json = nlohmann::json;

constexpr int kOut = 0;
constexpr int kIn = 1;
constexpr size_t kMaxNameChars = 64;
constexpr size_t kMaxImportBytes = size_t{64} << 20;
constexpr size_t kMaxErrorChars = 300;

std::string Hex(const unsigned char* data, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

std::string DigestHex(std::string_view text) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), nullptr, 0);
  return Hex(digest, sizeof digest);
}

// The id of the receipt for `message_id` from key `sender`: derived, so that
// a receipt is issued once however often the message arrives.
std::string ReceiptId(std::string_view sender, std::string_view message_id) {
  const std::string seed = "receipt\n" + std::string(sender) + "\n" + std::string(message_id);
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(seed.data()),
                     seed.size(), nullptr, 0);
  return Hex(digest, sizeof digest);
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameChars) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::string Clip(std::string text) {
  if (text.size() > kMaxErrorChars) text = text.substr(0, kMaxErrorChars) + "...";
  return text;
}

std::string TimeOrDash(UnixTime t) { return t == 0 ? "-" : FormatTime(t); }

}  // namespace

Exchange::Exchange(Store& store, const Identity& identity, const Clock& clock, std::string actor)
    : store_(store), identity_(identity), clock_(clock), actor_(std::move(actor)) {}

Status Exchange::Refuse(int direction, const std::string& partner, const std::string& message_id,
                        const Status& why) {
  const ShareEvent event{
      .direction = direction,
      .partner = partner,
      .message_id = message_id.empty() ? "-" : message_id,
      .event = why.code() == Status::Code::kAlreadyExists ? "replayed" : "refused",
      .at = clock_.Now(),
      .by = actor_,
      .detail = why.message()};
  VIGIL_RETURN_IF_ERROR(store_.AppendShareEvent(event));
  return why;
}

Result<SharePartner> Exchange::PartnerNamed(const std::string& name) {
  std::optional<SharePartner> found;
  VIGIL_RETURN_IF_ERROR(store_.ScanSharePartners([&](const SharePartner& partner) {
    if (partner.name != name) return true;
    found = partner;
    return false;
  }));
  if (!found) return Status::NotFound("no partner '" + name + "' (vigil partner add)");
  return *found;
}

Status Exchange::AddPartner(const std::string& name, const std::string& url,
                            const std::string& key) {
  if (!ValidName(name)) {
    return Status::InvalidArgument("partner name '" + name.substr(0, kMaxNameChars) +
                                   "': 1 to 64 letters, digits, '-', '_' or '.'");
  }
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("partner URL '" + url + "' must start with http:// or https://");
  }
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  VIGIL_ASSIGN_OR_RETURN(auto public_key, ParsePublicKey(key));
  SharePartner partner;
  partner.name = name;
  partner.url = base;
  partner.public_key = key;
  partner.key_id = KeyIdOf(public_key);
  if (partner.key_id == identity_.key_id) {
    return Status::InvalidArgument("key " + partner.key_id +
                                   " is this installation's own: a partner has its own key");
  }
  return store_.PutSharePartner(partner);
}

Result<int64_t> Exchange::AddAgreement(const std::string& partner,
                                       const std::vector<std::string>& kinds,
                                       const std::vector<std::string>& fields,
                                       const std::string& legal_basis) {
  VIGIL_RETURN_IF_ERROR(PartnerNamed(partner).status());
  if (kinds.empty()) return Status::InvalidArgument("an agreement names the kinds it covers");
  for (const std::string& kind : kinds) {
    if (kind != kKindRequest && kind != kKindWatchlistEntry) {
      return Status::InvalidArgument("kind '" + kind + "' is not request or watchlist_entry");
    }
  }
  static const std::set<std::string> kKnownFields = {"names", "identifiers", "birth_date",
                                                     "reason"};
  if (fields.empty()) return Status::InvalidArgument("an agreement names the fields it allows");
  for (const std::string& field : fields) {
    if (kKnownFields.count(field) == 0) {
      return Status::InvalidArgument("field '" + field +
                                     "' is not one of names, identifiers, birth_date, reason");
    }
  }
  if (legal_basis.empty()) return Status::InvalidArgument("an agreement needs a legal basis");
  ShareAgreement agreement;
  agreement.partner = partner;
  agreement.kinds = JoinComma(kinds);
  agreement.fields = JoinComma(fields);
  agreement.legal_basis = legal_basis;
  return store_.PutShareAgreement(agreement);
}

Result<std::string> Exchange::Queue(const SharePartner& partner, const std::string& kind,
                                    const std::string& payload, Marking marking,
                                    bool originator_control, UnixTime deadline,
                                    const std::string& note, bool delivered) {
  const UnixTime now = clock_.Now();
  Envelope envelope;
  envelope.sender = identity_.key_id;
  envelope.recipient = partner.key_id;
  envelope.message_id = NewMessageId();
  if (kind == kKindReceipt) {
    Json j = Json::parse(payload);
    envelope.message_id = ReceiptId(partner.key_id, j.value("message_id", ""));
  }
  envelope.created_at = now;
  envelope.kind = kind;
  envelope.marking = marking;
  envelope.originator_control = originator_control;
  envelope.payload = payload;
  Sign(&envelope, identity_);
  ShareMessage message;
  message.direction = kOut;
  message.partner = partner.name;
  message.message_id = envelope.message_id;
  message.kind = kind;
  message.marking = std::string(MarkingName(marking));
  message.originator_control = originator_control;
  message.deadline = deadline;
  message.envelope = SerializeEnvelope(envelope);
  message.created_at = now;
  message.delivered = delivered;
  message.next_attempt_at = now;
  const ShareEvent first{.direction = kOut,
                         .partner = partner.name,
                         .message_id = envelope.message_id,
                         .event = delivered ? "sent" : "queued",
                         .at = now,
                         .by = actor_,
                         .detail = note};
  VIGIL_RETURN_IF_ERROR(store_.PutShareMessage(message, first));
  return envelope.message_id;
}

Result<std::string> Exchange::Send(const std::string& partner_name, const std::string& kind,
                                   const std::string& payload, Marking marking,
                                   bool originator_control, UnixTime deadline) {
  if (kind != kKindRequest && kind != kKindWatchlistEntry) {
    return Status::InvalidArgument("only requests and watch-list entries are sent");
  }
  VIGIL_ASSIGN_OR_RETURN(SharePartner partner, PartnerNamed(partner_name));
  if (Status may = MayLeave(marking, originator_control, "", partner.name); !may.ok()) {
    return Refuse(kOut, partner.name, "", may);
  }
  VIGIL_ASSIGN_OR_RETURN(std::vector<std::string> fields, PersonFields(payload));
  std::optional<ShareAgreement> covering;
  std::string known;
  VIGIL_RETURN_IF_ERROR(store_.ScanShareAgreements([&](const ShareAgreement& agreement) {
    if (agreement.partner != partner.name) return true;
    known += (known.empty() ? "" : "; ") +
             ("#" + std::to_string(agreement.id) + " " + agreement.kinds + ": " + agreement.fields);
    const std::vector<std::string> kinds = SplitComma(agreement.kinds);
    const std::vector<std::string> allowed = SplitComma(agreement.fields);
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return true;
    for (const std::string& field : fields) {
      if (std::find(allowed.begin(), allowed.end(), field) == allowed.end()) return true;
    }
    covering = agreement;
    return false;
  }));
  if (!covering) {
    return Refuse(
        kOut, partner.name, "",
        Status::PermissionDenied("no sharing agreement with '" + partner.name + "' covers a " +
                                 kind + " with fields " + JoinComma(fields) + " (agreements: " +
                                 (known.empty() ? "none" : known) + "); nothing was sent"));
  }
  return Queue(partner, kind, payload, marking, originator_control, deadline,
               "agreement #" + std::to_string(covering->id) + ": " + covering->legal_basis,
               /*delivered=*/false);
}

Result<std::string> Exchange::Forward(const std::string& from, const std::string& message_id,
                                      const std::string& to) {
  VIGIL_ASSIGN_OR_RETURN(ShareMessage received, store_.GetShareMessage(kIn, from, message_id));
  VIGIL_ASSIGN_OR_RETURN(Envelope envelope, ParseEnvelope(received.envelope));
  if (envelope.kind != kKindRequest && envelope.kind != kKindWatchlistEntry) {
    return Status::InvalidArgument("only requests and watch-list entries are forwarded");
  }
  if (Status may = MayLeave(envelope.marking, envelope.originator_control, from, to); !may.ok()) {
    return Refuse(kIn, from, message_id,
                  Status::PermissionDenied("forwarding refused: " + may.message()));
  }
  return Send(to, envelope.kind, envelope.payload, envelope.marking, envelope.originator_control,
              received.deadline);
}

Result<int> Exchange::Export(const std::string& partner_name, const std::string& path) {
  VIGIL_ASSIGN_OR_RETURN(SharePartner partner, PartnerNamed(partner_name));
  std::vector<ShareMessage> pending;
  VIGIL_RETURN_IF_ERROR(store_.ScanShareMessages([&](const ShareMessage& message) {
    if (message.direction == kOut && message.partner == partner.name && !message.delivered) {
      pending.push_back(message);
    }
    return true;
  }));
  std::string text;
  for (const ShareMessage& message : pending) text += message.envelope + "\n";
  // The envelopes hold personal data: the file is the owner's alone, and it
  // appears whole (written beside, synced, renamed) or not at all.
  const std::string temporary = path + ".partial";
  {
    std::FILE* file = std::fopen(temporary.c_str(), "wb");
    if (file == nullptr) {
      return Status::IOError("cannot write '" + temporary + "': " + std::strerror(errno));
    }
    const bool ok = ::chmod(temporary.c_str(), 0600) == 0 &&
                    std::fwrite(text.data(), 1, text.size(), file) == text.size() &&
                    std::fflush(file) == 0;
    if (std::fclose(file) != 0 || !ok) {
      std::remove(temporary.c_str());
      return Status::IOError("cannot write '" + temporary + "'");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::IOError("cannot rename '" + temporary + "' to '" + path + "'");
  }
  for (ShareMessage message : pending) {
    message.delivered = true;
    message.attempts += 1;
    message.last_error.clear();
    const ShareEvent event{.direction = kOut,
                           .partner = partner.name,
                           .message_id = message.message_id,
                           .event = "sent",
                           .at = clock_.Now(),
                           .by = actor_,
                           .detail = "exported to " + path};
    VIGIL_RETURN_IF_ERROR(store_.UpdateShareDelivery(message, event));
  }
  return static_cast<int>(pending.size());
}

Result<ImportReport> Exchange::Import(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read '" + path + "'");
  ImportReport report;
  std::string line;
  size_t total = 0;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    total += line.size() + 1;
    if (total > kMaxImportBytes) {
      return Status::InvalidArgument(path + ":" + std::to_string(number) + ": file larger than " +
                                     std::to_string(kMaxImportBytes) + " bytes");
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(number);
    Result<Received> received = Receive(line, "file " + where, /*receipt_inline=*/false);
    if (received.ok()) {
      ++report.accepted;
      report.messages.push_back(where + ": accepted " + received->kind + " " +
                                received->message_id + " from " + received->partner);
    } else if (received.status().code() == Status::Code::kAlreadyExists) {
      ++report.duplicates;
      report.messages.push_back(where +
                                ": duplicate, not stored again: " + received.status().message());
    } else {
      ++report.refused;
      report.messages.push_back(where + ": refused: " + received.status().message());
    }
  }
  return report;
}

Result<Received> Exchange::Receive(std::string_view text, const std::string& transport,
                                   bool receipt_inline) {
  Result<Envelope> parsed = ParseEnvelope(text);
  if (!parsed.ok()) {
    return Refuse(kIn, "", "",
                  Status::InvalidArgument("malformed envelope (" + transport +
                                          "): " + parsed.status().message()));
  }
  const Envelope& envelope = *parsed;
  const std::string& id = envelope.message_id;
  if (envelope.recipient != identity_.key_id) {
    return Refuse(
        kIn, "", id,
        Status::PermissionDenied("message " + id + " is addressed to key " + envelope.recipient +
                                 ", not this installation (" + identity_.key_id + ")"));
  }
  std::optional<SharePartner> sender;
  VIGIL_RETURN_IF_ERROR(store_.ScanSharePartners([&](const SharePartner& partner) {
    if (partner.key_id != envelope.sender) return true;
    sender = partner;
    return false;
  }));
  if (!sender) {
    return Refuse(kIn, "", id,
                  Status::NotFound("message " + id + " comes from unknown key " + envelope.sender +
                                   ": no partner has it (vigil partner add)"));
  }
  VIGIL_ASSIGN_OR_RETURN(auto public_key, ParsePublicKey(sender->public_key));
  if (Status verified = Verify(envelope, public_key); !verified.ok()) {
    return Refuse(
        kIn, sender->name, id,
        Status::PermissionDenied(verified.message() + " (claimed sender '" + sender->name + "')"));
  }
  if (envelope.marking == Marking::kRed) {
    return Refuse(kIn, sender->name, id,
                  Status::PermissionDenied("message " + id + " from '" + sender->name +
                                           "' is marked TLP:RED, which never leaves its "
                                           "installation: not accepted"));
  }
  auto replay = [&](const ShareMessage& earlier) {
    const bool same = earlier.envelope == text;
    return Refuse(kIn, sender->name, id,
                  Status::AlreadyExists(
                      std::string(same ? "replay" : "message id reused with other content") +
                      ": message " + id + " from '" + sender->name + "' was received at " +
                      FormatTime(earlier.created_at) + "; not stored again"));
  };
  if (Result<ShareMessage> earlier = store_.GetShareMessage(kIn, sender->name, id); earlier.ok()) {
    return replay(*earlier);
  } else if (!earlier.status().IsNotFound()) {
    return earlier.status();
  }
  Json payload = Json::parse(envelope.payload);
  ShareMessage message;
  message.direction = kIn;
  message.partner = sender->name;
  message.message_id = id;
  message.kind = envelope.kind;
  message.marking = std::string(MarkingName(envelope.marking));
  message.originator_control = envelope.originator_control;
  if (payload.contains("deadline") && payload["deadline"].is_number_integer()) {
    message.deadline = payload["deadline"].get<int64_t>();
  }
  message.envelope = std::string(text);
  message.created_at = clock_.Now();
  message.delivered = true;
  const ShareEvent event{.direction = kIn,
                         .partner = sender->name,
                         .message_id = id,
                         .event = "received",
                         .at = message.created_at,
                         .by = actor_,
                         .detail = transport};
  // Receipts and status reports must concern a message sent to this partner.
  std::string about;
  if (envelope.kind == kKindReceipt || envelope.kind == kKindStatus) {
    if (!payload.contains("message_id") || !payload["message_id"].is_string()) {
      return Refuse(
          kIn, sender->name, id,
          Status::InvalidArgument("payload field 'message_id': missing in a " + envelope.kind));
    }
    about = payload["message_id"].get<std::string>();
    Result<ShareMessage> sent = store_.GetShareMessage(kOut, sender->name, about);
    if (!sent.ok()) {
      return Refuse(
          kIn, sender->name, id,
          Status::NotFound(envelope.kind + " from '" + sender->name + "' concerns message " +
                           about.substr(0, 40) + ", which was not sent to it"));
    }
    if (envelope.kind == kKindReceipt &&
        payload.value("digest", std::string()) != DigestHex(sent->envelope)) {
      return Refuse(kIn, sender->name, id,
                    Status::PermissionDenied("receipt from '" + sender->name + "' for message " +
                                             about + " does not match the envelope sent"));
    }
  }
  if (Status stored = store_.PutShareMessage(message, event); !stored.ok()) {
    if (stored.code() == Status::Code::kAlreadyExists) {
      VIGIL_ASSIGN_OR_RETURN(ShareMessage earlier, store_.GetShareMessage(kIn, sender->name, id));
      return replay(earlier);
    }
    return stored;
  }
  Received out;
  out.partner = sender->name;
  out.message_id = id;
  out.kind = envelope.kind;
  if (envelope.kind == kKindReceipt || envelope.kind == kKindStatus) {
    ShareEvent ledger;
    ledger.direction = kOut;
    ledger.partner = sender->name;
    ledger.message_id = about;
    ledger.by = sender->name;
    if (envelope.kind == kKindReceipt) {
      ledger.event = "receipt";
      ledger.at = payload.value("received_at", int64_t{0});
      ledger.detail = std::string(text);
    } else {
      ledger.event = payload.value("state", std::string());
      if (ledger.event != "read" && ledger.event != "answered") ledger.event = "status";
      ledger.at = payload.value("at", int64_t{0});
      ledger.by = sender->name + ":" + payload.value("by", std::string());
      ledger.detail = payload.value("answer", std::string());
    }
    if (ledger.at <= 0) ledger.at = clock_.Now();
    VIGIL_RETURN_IF_ERROR(store_.AppendShareEvent(ledger));
    return out;
  }
  Json receipt = {{"message_id", id},
                  {"digest", DigestHex(text)},
                  {"received_at", message.created_at},
                  {"transport", transport}};
  VIGIL_ASSIGN_OR_RETURN(
      std::string receipt_id,
      Queue(*sender, kKindReceipt, receipt.dump(), envelope.marking,
            /*originator_control=*/false, 0,
            receipt_inline ? "receipt in the inbox's answer" : "receipt", receipt_inline));
  VIGIL_ASSIGN_OR_RETURN(ShareMessage issued,
                         store_.GetShareMessage(kOut, sender->name, receipt_id));
  out.receipt = issued.envelope;
  return out;
}

Result<std::string> Exchange::ReceiptFor(std::string_view text) {
  VIGIL_ASSIGN_OR_RETURN(Envelope envelope, ParseEnvelope(text));
  std::optional<SharePartner> sender;
  VIGIL_RETURN_IF_ERROR(store_.ScanSharePartners([&](const SharePartner& partner) {
    if (partner.key_id != envelope.sender) return true;
    sender = partner;
    return false;
  }));
  if (!sender) return Status::NotFound("unknown sender");
  VIGIL_ASSIGN_OR_RETURN(ShareMessage received,
                         store_.GetShareMessage(kIn, sender->name, envelope.message_id));
  if (received.envelope != text) return Status::NotFound("other content under that id");
  VIGIL_ASSIGN_OR_RETURN(
      ShareMessage issued,
      store_.GetShareMessage(kOut, sender->name, ReceiptId(sender->key_id, envelope.message_id)));
  return issued.envelope;
}

Result<int> Exchange::DeliverDue(const Poster& post, const DeliveryOptions& options) {
  const UnixTime now = clock_.Now();
  std::vector<ShareMessage> due;
  VIGIL_RETURN_IF_ERROR(store_.ScanShareMessages([&](const ShareMessage& message) {
    if (message.direction == kOut && !message.delivered && message.next_attempt_at <= now) {
      due.push_back(message);
    }
    return true;
  }));
  if (due.empty()) return 0;
  std::map<std::string, SharePartner> partners;
  VIGIL_RETURN_IF_ERROR(store_.ScanSharePartners([&](const SharePartner& partner) {
    partners[partner.name] = partner;
    return true;
  }));
  int delivered = 0;
  for (ShareMessage message : due) {
    auto partner = partners.find(message.partner);
    if (partner == partners.end()) continue;
    const SharePartner& to = partner->second;
    if (message.attempts == 0) {
      const ShareEvent sent{.direction = kOut,
                            .partner = to.name,
                            .message_id = message.message_id,
                            .event = "sent",
                            .at = clock_.Now(),
                            .by = actor_,
                            .detail = "POST " + to.url + "/v1/share/inbox"};
      VIGIL_RETURN_IF_ERROR(store_.AppendShareEvent(sent));
    }
    Result<HttpReply> reply = post(to.url, message.envelope);
    // What the answer proves: a 200 (or a 409 for a repeat) with, for a
    // request or entry, the partner's signed receipt of this envelope.
    std::string failure;
    std::string receipt;
    if (!reply.ok()) {
      failure = reply.status().message();
    } else if (reply->status != 200 && reply->status != 409) {
      Json body = Json::parse(reply->body, nullptr, false);
      std::string why = reply->body.substr(0, 200);
      if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        why = body["error"].value("message", why);
      }
      failure = "HTTP " + std::to_string(reply->status) + " from " + to.url + ": " + why;
    } else if (message.kind == kKindRequest || message.kind == kKindWatchlistEntry) {
      Json body = Json::parse(reply->body, nullptr, false);
      if (!body.is_object() || !body.contains("receipt") || !body["receipt"].is_string()) {
        failure =
            "HTTP " + std::to_string(reply->status) + " from " + to.url + " without a receipt";
      } else {
        receipt = body["receipt"].get<std::string>();
        Result<Envelope> parsed = ParseEnvelope(receipt);
        Result<std::array<unsigned char, kPublicKeyBytes>> key = ParsePublicKey(to.public_key);
        if (!parsed.ok() || !key.ok() || parsed->kind != kKindReceipt ||
            !Verify(*parsed, *key).ok() ||
            Json::parse(parsed->payload).value("message_id", "") != message.message_id) {
          failure = "the answer of " + to.url + " holds no valid signed receipt of message " +
                    message.message_id;
        }
      }
    }
    message.attempts += 1;
    ShareEvent event;
    if (failure.empty()) {
      message.delivered = true;
      message.last_error.clear();
      event.direction = kOut;
      event.partner = to.name;
      event.message_id = message.message_id;
      event.event = "delivered";
      event.at = clock_.Now();
      event.by = actor_;
      event.detail = "HTTP " + std::to_string(reply->status) + " from " + to.url;
    } else {
      int64_t delay = options.retry_base_s;
      for (int64_t i = 1; i < message.attempts && delay < options.retry_max_s; ++i) delay *= 2;
      delay = std::min<int64_t>(delay, options.retry_max_s);
      message.next_attempt_at = clock_.Now() + delay;
      message.last_error = Clip(failure);
    }
    VIGIL_RETURN_IF_ERROR(store_.UpdateShareDelivery(message, event));
    if (!failure.empty()) continue;
    ++delivered;
    if (!receipt.empty()) {
      Result<Received> stored = Receive(receipt, "answer of " + to.url, false);
      if (!stored.ok() && stored.status().code() != Status::Code::kAlreadyExists) {
        return stored.status();
      }
    }
  }
  return delivered;
}

Status Exchange::Report(const std::string& from, const std::string& message_id,
                        const std::string& state, const std::string& answer) {
  VIGIL_ASSIGN_OR_RETURN(ShareMessage received, store_.GetShareMessage(kIn, from, message_id));
  if (received.kind != kKindRequest && received.kind != kKindWatchlistEntry) {
    return Status::InvalidArgument("message " + message_id + " is a " + received.kind +
                                   ": only requests and watch-list entries are read or answered");
  }
  VIGIL_ASSIGN_OR_RETURN(SharePartner partner, PartnerNamed(from));
  VIGIL_ASSIGN_OR_RETURN(Marking marking, ParseMarking(received.marking));
  const ShareEvent event{.direction = kIn,
                         .partner = from,
                         .message_id = message_id,
                         .event = state,
                         .at = clock_.Now(),
                         .by = actor_,
                         .detail = answer};
  VIGIL_RETURN_IF_ERROR(store_.AppendShareEvent(event));
  Json payload = {{"message_id", message_id},
                  {"state", state},
                  {"at", event.at},
                  {"by", actor_},
                  {"answer", answer}};
  return Queue(partner, kKindStatus, payload.dump(), marking, false, 0, state + " of " + message_id,
               false)
      .status();
}

Status Exchange::MarkRead(const std::string& from, const std::string& message_id) {
  return Report(from, message_id, "read", "");
}

Status Exchange::Answer(const std::string& from, const std::string& message_id,
                        const std::string& answer) {
  if (answer.empty()) return Status::InvalidArgument("an answer says what was done");
  return Report(from, message_id, "answered", answer);
}

Result<std::vector<LedgerRow>> Exchange::Ledger() {
  std::vector<LedgerRow> rows;
  std::map<std::tuple<int, std::string, std::string>, size_t> index;
  VIGIL_RETURN_IF_ERROR(store_.ScanShareMessages([&](const ShareMessage& message) {
    LedgerRow row;
    row.direction = message.direction;
    row.partner = message.partner;
    row.message_id = message.message_id;
    row.kind = message.kind;
    row.marking = message.marking;
    row.deadline = message.deadline;
    row.attempts = message.attempts;
    row.last_error = message.last_error;
    Result<Envelope> envelope = ParseEnvelope(message.envelope);
    if (envelope.ok() && message.kind == kKindRequest) {
      row.type = Json::parse(envelope->payload).value("type", "");
    }
    index[{message.direction, message.partner, message.message_id}] = rows.size();
    rows.push_back(std::move(row));
    return true;
  }));
  VIGIL_RETURN_IF_ERROR(store_.ScanShareEvents([&](const ShareEvent& event) {
    auto found = index.find({event.direction, event.partner, event.message_id});
    if (found == index.end()) return true;
    LedgerRow& row = rows[found->second];
    auto first = [&](UnixTime* slot) {
      if (*slot == 0) *slot = event.at;
    };
    if (event.event == "queued") first(&row.queued);
    if (event.event == "sent") first(&row.sent);
    if (event.event == "delivered" || event.event == "received") first(&row.delivered);
    if (event.event == "receipt") first(&row.receipt);
    if (event.event == "read") first(&row.read);
    if (event.event == "answered") {
      first(&row.answered);
      row.answer = event.detail;
    }
    if (event.event == "escalated") first(&row.escalated);
    return true;
  }));
  const UnixTime now = clock_.Now();
  for (LedgerRow& row : rows) {
    // A signed receipt proves delivery (the offline path has no other proof).
    if (row.delivered == 0) row.delivered = row.receipt;
    row.overdue = row.direction == kOut && row.kind == kKindRequest && row.deadline > 0 &&
                  row.deadline < now && row.answered == 0;
  }
  return rows;
}

Result<int> Exchange::Escalate() {
  VIGIL_ASSIGN_OR_RETURN(std::vector<LedgerRow> rows, Ledger());
  int raised = 0;
  for (const LedgerRow& row : rows) {
    if (!row.overdue || row.escalated != 0) continue;
    StoredAlert alert;
    alert.key = "share_overdue:" + row.partner + ":" + row.message_id;
    alert.time = row.deadline;
    alert.kind = "share_overdue";
    alert.score = 1.0;
    alert.evidence = "request " + row.message_id + " (" + row.type + ") to partner " + row.partner +
                     ": deadline " + FormatTime(row.deadline) + " passed with no answer; sent " +
                     TimeOrDash(row.sent) + ", delivered " + TimeOrDash(row.delivered) +
                     ", receipt " + TimeOrDash(row.receipt) + ", read " + TimeOrDash(row.read);
    alert.raised_at = clock_.Now();
    WatchBatch batch;
    batch.alerts.push_back(alert);
    VIGIL_RETURN_IF_ERROR(store_.CommitWatchBatch(batch, nullptr));
    const ShareEvent event{.direction = kOut,
                           .partner = row.partner,
                           .message_id = row.message_id,
                           .event = "escalated",
                           .at = alert.raised_at,
                           .by = actor_,
                           .detail = "alert " + alert.key};
    VIGIL_RETURN_IF_ERROR(store_.AppendShareEvent(event));
    ++raised;
  }
  return raised;
}

}  // namespace vigil::share
