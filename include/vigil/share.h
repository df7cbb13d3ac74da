// Partner exchange between separate Vigil installations.
//
// Each installation has an Ed25519 identity (libsodium) whose private key
// lives in a file outside the store, readable only by its owner. Partners
// are other installations known by name, URL and public key; sharing
// agreements say which kinds of message and which payload fields may go to
// a partner under which legal basis, and nothing leaves without one.
//
// What is exchanged travels as a signed envelope: sender and recipient key
// ids, a random message id, the time, a kind, a TLP 2.0 marking with an
// originator-control flag, and a JSON payload, signed over a canonical
// encoding of all of them. The receiver refuses an envelope from an unknown
// key, with a bad signature (tampering), addressed to another installation,
// marked RED, or whose message id it has already received (a replay; an
// exact repeat gets the original receipt back, so that retries converge and
// nothing is stored twice). Requests and watch-list entries are answered
// with a signed receipt; reading and answering them are reported back; the
// sender's ledger keeps every step with its time, and an unanswered request
// past its deadline raises an alert at the sender.
//
// Markings: RED never leaves the installation; AMBER+STRICT goes only to
// the partner named in the envelope and is never re-shared by it; AMBER is
// not re-shared to another installation either; GREEN and CLEAR may be
// forwarded; originator control forbids any forwarding. The receiver
// enforces the marking it received (Exchange::Forward).
//
// Every store call goes through the caller's Store (an AccessStore in the
// CLI and the server), so each transfer, receipt and refusal is authorised
// and audited there.
#ifndef VIGIL_SHARE_H_
#define VIGIL_SHARE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vigil/access.h"
#include "vigil/model.h"
#include "vigil/status.h"
#include "vigil/store.h"

namespace vigil::share {

// ---- Identity ----

inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSecretKeyBytes = 64;

struct Identity {
  std::array<unsigned char, kPublicKeyBytes> public_key{};
  std::array<unsigned char, kSecretKeyBytes> secret_key{};
  std::string key_id;  // KeyIdOf(public_key)

  // The public key as base64 (what `vigil partner add --key` takes).
  std::string PublicKeyText() const;
};

// Creates a new identity and writes it to `path` (created with mode 0600,
// fsynced). AlreadyExists when the file exists (an identity is never
// overwritten); IOError when it cannot be written.
Result<Identity> CreateIdentity(const std::string& path);
// Reads the identity at `path`. NotFound when missing ("run `vigil identity
// init`"); PermissionDenied when the file is readable or writable by group
// or others; Corruption when it is not an identity file.
Result<Identity> LoadIdentity(const std::string& path);
// The key id of a public key: hex of the first 8 bytes of its BLAKE2b-256.
std::string KeyIdOf(const std::array<unsigned char, kPublicKeyBytes>& public_key);
// A base64 public key. InvalidArgument unless it decodes to 32 bytes.
Result<std::array<unsigned char, kPublicKeyBytes>> ParsePublicKey(std::string_view text);

// ---- Handling markings (TLP 2.0) ----

enum class Marking : uint8_t { kClear, kGreen, kAmber, kAmberStrict, kRed };

// "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED".
std::string_view MarkingName(Marking marking);
// One of the names above, with or without a "TLP:" prefix, any case.
// InvalidArgument otherwise.
Result<Marking> ParseMarking(std::string_view text);
// Whether something so marked may go to partner `to`. `origin` is "" for
// what originated here, else the partner it was received from (a
// forwarding). PermissionDenied naming the rule when it may not.
Status MayLeave(Marking marking, bool originator_control, std::string_view origin,
                std::string_view to);

// ---- Envelopes ----

// Message kinds.
inline constexpr char kKindRequest[] = "request";
inline constexpr char kKindWatchlistEntry[] = "watchlist_entry";
inline constexpr char kKindReceipt[] = "receipt";
inline constexpr char kKindStatus[] = "status";

// Limits of what ParseEnvelope accepts.
inline constexpr size_t kMaxEnvelopeBytes = 256 * 1024;

struct Envelope {
  int version = 1;
  std::string sender;      // key id
  std::string recipient;   // key id
  std::string message_id;  // 32 lower-case hex digits
  UnixTime created_at = 0;
  std::string kind;  // one of the kinds above
  Marking marking = Marking::kAmber;
  bool originator_control = false;
  std::string payload;    // a JSON object's text, signed byte for byte
  std::string signature;  // base64 Ed25519 signature of CanonicalBytes
};

// The bytes that are signed: a domain tag, then every field but the
// signature as "name=length:value\n" in a fixed order, so that no two
// different envelopes encode alike. Cost O(payload).
std::string CanonicalBytes(const Envelope& envelope);
// Sets envelope->signature with the identity's key.
void Sign(Envelope* envelope, const Identity& identity);
// Ok when the signature is that of `public_key` over CanonicalBytes;
// PermissionDenied otherwise (altered, or signed by another key).
Status Verify(const Envelope& envelope,
              const std::array<unsigned char, kPublicKeyBytes>& public_key);
// The envelope as one line of JSON (no newline).
std::string SerializeEnvelope(const Envelope& envelope);
// An envelope from its JSON text: every field present with its type, no
// other field, the message id 32 hex digits, the kind known, the payload a
// JSON object, at most kMaxEnvelopeBytes. InvalidArgument naming the field
// otherwise. Does not verify the signature. Cost O(text).
Result<Envelope> ParseEnvelope(std::string_view text);
// 16 random bytes (libsodium) as 32 hex digits.
std::string NewMessageId();

// ---- Payloads ----

// The requested action of a request.
inline constexpr std::array<std::string_view, 4> kRequestTypes = {"deny_entry", "discreet_check",
                                                                  "inquiry_check", "arrest"};

// A request to a partner about a person.
struct Request {
  std::string type;                                              // one of kRequestTypes
  std::vector<std::string> names;                                // every name variant
  std::vector<std::pair<std::string, std::string>> identifiers;  // (kind, value)
  std::string birth_date;                                        // YYYY-MM-DD or ""
  std::string legal_basis;
  std::string action;  // what is asked, in words
  UnixTime deadline = 0;
  std::string contact;  // point of contact
};

// A watch-list entry shared with a partner.
struct WatchlistShare {
  std::string entry_id;
  std::string list;
  std::vector<std::string> names;
  std::vector<std::pair<std::string, std::string>> identifiers;
  std::string birth_date;
  std::string reason;
  std::string legal_basis;
  std::string contact;
};

// The payload's JSON text. InvalidArgument naming what is missing: a
// request needs a known type, a name or an identifier, a legal basis, an
// action, a deadline and a contact; an entry an id, a name and a legal basis.
Result<std::string> RequestPayload(const Request& request);
Result<std::string> WatchlistPayload(const WatchlistShare& entry);
// The payload fields a sharing agreement must allow for this payload (the
// person's data: names, identifiers, birth_date, reason), sorted.
Result<std::vector<std::string>> PersonFields(std::string_view payload);

// ---- The exchange ----

// What DeliverDue posts: the partner's URL and the envelope's JSON; the
// reply's HTTP status and body, or an error when there was no reply.
struct HttpReply {
  int status = 0;
  std::string body;
};
using Poster = std::function<Result<HttpReply>(const std::string& url, const std::string& body)>;
// Posts `body` to `url` + "/v1/share/inbox" over HTTP(S) (cpp-httplib),
// timeouts of `timeout_s`. IOError when no reply came.
Result<HttpReply> PostToInbox(const std::string& url, const std::string& body, int timeout_s);

// The outcome of receiving one envelope.
struct Received {
  std::string partner;
  std::string message_id;
  std::string kind;
  // The signed receipt (an envelope's JSON) for a request or watch-list
  // entry; "" for receipts and status messages.
  std::string receipt;
};

// The outcome of an import.
struct ImportReport {
  int accepted = 0;
  int duplicates = 0;  // already received: not stored again
  int refused = 0;
  std::vector<std::string> messages;  // "FILE:LINE: what happened"
};

// One line of the ledger: a message and the time of each step ("" when not
// yet), as its sender sees it.
struct LedgerRow {
  int direction = 0;
  std::string partner;
  std::string message_id;
  std::string kind;
  std::string type;  // a request's type, else ""
  std::string marking;
  UnixTime deadline = 0;
  UnixTime queued = 0, sent = 0, delivered = 0, receipt = 0, read = 0, answered = 0, escalated = 0;
  std::string answer;
  int64_t attempts = 0;
  std::string last_error;
  bool overdue = false;  // a deadline passed with no answer
};

// Delivery settings of the outbox.
struct DeliveryOptions {
  int retry_base_s = 1;   // first retry after this many seconds, doubled each time
  int retry_max_s = 300;  // at most this long between attempts
};

// The exchange of one installation over `store` (normally an AccessStore:
// every call is authorised and audited there), signing with (a copy of)
// `identity` and stamping with `clock`; `actor` names who acts in the ledger.
// Thread-safety: like Store, one thread at a time.
class Exchange {
 public:
  Exchange(Store& store, const Identity& identity, const Clock& clock, std::string actor);

  // Adds a partner. InvalidArgument for a bad name, URL or key, or the
  // installation's own key; AlreadyExists for a known name or key.
  Status AddPartner(const std::string& name, const std::string& url, const std::string& key);
  // Adds a sharing agreement; returns its id. InvalidArgument for an
  // unknown partner, an unknown kind or field, or an empty legal basis.
  Result<int64_t> AddAgreement(const std::string& partner, const std::vector<std::string>& kinds,
                               const std::vector<std::string>& fields,
                               const std::string& legal_basis);

  // Signs and queues a request or watch-list entry for `partner`; returns
  // its message id. PermissionDenied (and a "refused" ledger event) when the
  // marking forbids it (RED) or no agreement with the partner covers the kind
  // and every person field of the payload; NotFound for an unknown partner.
  Result<std::string> Send(const std::string& partner, const std::string& kind,
                           const std::string& payload, Marking marking, bool originator_control,
                           UnixTime deadline);
  // Re-shares a message received from `from` with `to` under its marking.
  // PermissionDenied (audited as refused) when the marking or originator
  // control forbids it; otherwise as Send.
  Result<std::string> Forward(const std::string& from, const std::string& message_id,
                              const std::string& to);

  // Writes every undelivered outgoing envelope for `partner` to `path`, one
  // JSON line each (mode 0600), and records them as sent and handed over.
  // Returns how many. IOError when the file cannot be written (nothing is
  // recorded then).
  Result<int> Export(const std::string& partner, const std::string& path);
  // Receives every line of `path` with Receive. A refused or repeated line
  // does not stop the rest. IOError when the file cannot be read.
  Result<ImportReport> Import(const std::string& path);
  // Verifies and stores one envelope that came over `transport` ("file
  // F:L", "http 127.0.0.1:P"). Refused, with a "refused" ledger event and
  // its audit record: InvalidArgument for a malformed envelope, NotFound for
  // an unknown sender key, PermissionDenied for a bad signature, another
  // recipient or a RED marking, AlreadyExists for a message id already
  // received (replay; `ReceiptFor` gives the original receipt). Requests and
  // watch-list entries get a signed receipt, queued for the sender unless
  // `receipt_inline` (the HTTP inbox answers with it).
  Result<Received> Receive(std::string_view text, const std::string& transport,
                           bool receipt_inline);
  // The receipt issued for the envelope `text` when exactly that envelope
  // was received before; NotFound otherwise (malformed, unknown sender, or
  // other content under the same id).
  Result<std::string> ReceiptFor(std::string_view text);

  // Posts each outgoing envelope that is due (undelivered, next attempt
  // reached) with `post`; a verified receipt (or, for receipts and status
  // messages, a 200) marks it delivered, anything else schedules a retry
  // after the back-off. Returns how many were delivered.
  Result<int> DeliverDue(const Poster& post, const DeliveryOptions& options);

  // A person read a received message: recorded, and reported to its sender.
  Status MarkRead(const std::string& from, const std::string& message_id);
  // A person answered it (the action taken): recorded and reported.
  Status Answer(const std::string& from, const std::string& message_id, const std::string& answer);
  // The ledger of every message, oldest first. Cost O(messages + events).
  Result<std::vector<LedgerRow>> Ledger();
  // Raises one alert (kind "share_overdue", evidence: the ledger's times)
  // for each sent request past its deadline with no answer, once each.
  // Returns how many were raised.
  Result<int> Escalate();

 private:
  Status Refuse(int direction, const std::string& partner, const std::string& message_id,
                const Status& why);
  Result<SharePartner> PartnerNamed(const std::string& name);
  Result<std::string> Queue(const SharePartner& partner, const std::string& kind,
                            const std::string& payload, Marking marking, bool originator_control,
                            UnixTime deadline, const std::string& note, bool delivered);
  Status ApplyReceipt(const SharePartner& partner, const Envelope& receipt,
                      const std::string& text);
  Status Report(const std::string& from, const std::string& message_id, const std::string& state,
                const std::string& answer);

  Store& store_;
  const Identity identity_;  // a copy: the caller need not keep it
  const Clock& clock_;
  std::string actor_;
};

}  // namespace vigil::share

#endif  // VIGIL_SHARE_H_
