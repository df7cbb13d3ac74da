// Canonical encoding, signing and verification of envelopes, the strict
// parser, the TLP 2.0 marking rules and the identity file's protection.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "vigil/share.h"

namespace vigil::share {
namespace {

std::string TempPath(const std::string& name) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vigil-share-unit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / name;
  std::filesystem::remove(path);
  return path.string();
}

Identity NewIdentity(const std::string& name) {
  Result<Identity> identity = CreateIdentity(TempPath(name));
  EXPECT_TRUE(identity.ok()) << identity.status().ToString();
  return *identity;
}

Envelope Sample(const Identity& from, const Identity& to) {
  Envelope e;
  e.sender = from.key_id;
  e.recipient = to.key_id;
  e.message_id = NewMessageId();
  e.created_at = 1'700'000'000;
  e.kind = kKindRequest;
  e.marking = Marking::kAmberStrict;
  e.originator_control = true;
  e.payload = R"({"names":["Ana Perez"],"type":"deny_entry"})";
  Sign(&e, from);
  return e;
}

TEST(ShareEnvelopeTest, SignedEnvelopeVerifiesAndSurvivesSerialization) {
  const Identity a = NewIdentity("a.key");
  const Identity b = NewIdentity("b.key");
  const Envelope e = Sample(a, b);
  EXPECT_TRUE(Verify(e, a.public_key).ok());
  Result<Envelope> parsed = ParseEnvelope(SerializeEnvelope(e));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(CanonicalBytes(*parsed), CanonicalBytes(e));
  EXPECT_TRUE(Verify(*parsed, a.public_key).ok());
  // Another key does not verify it.
  EXPECT_EQ(Verify(e, b.public_key).code(), Status::Code::kPermissionDenied);
}

TEST(ShareEnvelopeTest, EveryFieldIsCoveredBySignature) {
  const Identity a = NewIdentity("a2.key");
  const Identity b = NewIdentity("b2.key");
  const Envelope e = Sample(a, b);
  std::vector<std::function<void(Envelope&)>> changes = {
      [](Envelope& x) { x.sender = std::string(16, '0'); },
      [](Envelope& x) { x.recipient = std::string(16, 'f'); },
      [](Envelope& x) { x.message_id[0] = x.message_id[0] == 'a' ? 'b' : 'a'; },
      [](Envelope& x) { x.created_at += 1; },
      [](Envelope& x) { x.kind = kKindWatchlistEntry; },
      [](Envelope& x) { x.marking = Marking::kGreen; },
      [](Envelope& x) { x.originator_control = false; },
      [](Envelope& x) { x.payload = R"({"names":["Ana Pérez"],"type":"deny_entry"})"; },
      [](Envelope& x) { x.version = 2; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    Envelope altered = e;
    changes[i](altered);
    EXPECT_EQ(Verify(altered, a.public_key).code(), Status::Code::kPermissionDenied)
        << "change " << i << " was not detected";
  }
}

TEST(ShareEnvelopeTest, CanonicalEncodingIsUnambiguous) {
  // Moving bytes between adjacent fields changes the encoding (lengths are
  // part of it), so no two different envelopes share a signature.
  Envelope x;
  x.kind = "request";
  x.payload = "{}";
  x.message_id = "ab";
  x.sender = "c";
  Envelope y = x;
  y.message_id = "a";
  y.sender = "bc";
  EXPECT_NE(CanonicalBytes(x), CanonicalBytes(y));
  EXPECT_EQ(CanonicalBytes(x).rfind("vigil-share-envelope\n", 0), 0u);
}

TEST(ShareEnvelopeTest, ParserRefusesWhatIsNotAnEnvelopeNamingTheField) {
  const Identity a = NewIdentity("a3.key");
  const Identity b = NewIdentity("b3.key");
  nlohmann::json good = nlohmann::json::parse(SerializeEnvelope(Sample(a, b)));
  auto refused = [&](nlohmann::json j, const std::string& field) {
    Result<Envelope> parsed = ParseEnvelope(j.dump());
    ASSERT_FALSE(parsed.ok()) << "accepted a bad " << field;
    EXPECT_EQ(parsed.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(field), std::string::npos)
        << parsed.status().message();
  };
  for (const char* field : {"sender", "recipient", "message_id", "payload", "signature", "marking",
                            "kind", "created_at", "originator_control"}) {
    nlohmann::json j = good;
    j.erase(field);
    refused(j, field);
  }
  nlohmann::json j = good;
  j["sender"] = "NOT-HEX-NOT-HEX!";
  refused(j, "sender");
  j = good;
  j["message_id"] = "1234";
  refused(j, "message_id");
  j = good;
  j["kind"] = "exfiltrate";
  refused(j, "kind");
  j = good;
  j["marking"] = "PURPLE";
  refused(j, "marking");
  j = good;
  j["payload"] = "[1,2]";
  refused(j, "payload");
  j = good;
  j["created_at"] = -5;
  refused(j, "created_at");
  j = good;
  j["extra"] = 1;
  refused(j, "extra");
  j = good;
  j["originator_control"] = "yes";
  refused(j, "originator_control");
  EXPECT_FALSE(ParseEnvelope("{not json").ok());
  EXPECT_FALSE(ParseEnvelope("[]").ok());
  EXPECT_FALSE(ParseEnvelope(std::string(kMaxEnvelopeBytes + 1, ' ')).ok());
}

TEST(ShareMarkingTest, NamesRoundTripAndTlpPrefixIsAccepted) {
  for (Marking m :
       {Marking::kClear, Marking::kGreen, Marking::kAmber, Marking::kAmberStrict, Marking::kRed}) {
    Result<Marking> parsed = ParseMarking(MarkingName(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_EQ(*ParseMarking("tlp:amber+strict"), Marking::kAmberStrict);
  EXPECT_FALSE(ParseMarking("WHITE").ok());
  EXPECT_FALSE(ParseMarking("").ok());
}

TEST(ShareMarkingTest, WhatMayLeaveAndWhatMayBeForwarded) {
  // Originated here: everything but RED may go to a partner.
  EXPECT_EQ(MayLeave(Marking::kRed, false, "", "B").code(), Status::Code::kPermissionDenied);
  for (Marking m : {Marking::kClear, Marking::kGreen, Marking::kAmber, Marking::kAmberStrict}) {
    EXPECT_TRUE(MayLeave(m, false, "", "B").ok()) << MarkingName(m);
    EXPECT_TRUE(MayLeave(m, true, "", "B").ok()) << MarkingName(m);
  }
  // Received from A, forwarded to C.
  EXPECT_TRUE(MayLeave(Marking::kClear, false, "A", "C").ok());
  EXPECT_TRUE(MayLeave(Marking::kGreen, false, "A", "C").ok());
  const Status strict = MayLeave(Marking::kAmberStrict, false, "A", "C");
  EXPECT_EQ(strict.code(), Status::Code::kPermissionDenied);
  EXPECT_NE(strict.message().find("AMBER+STRICT"), std::string::npos);
  EXPECT_EQ(MayLeave(Marking::kAmber, false, "A", "C").code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(MayLeave(Marking::kRed, false, "A", "C").code(), Status::Code::kPermissionDenied);
  const Status controlled = MayLeave(Marking::kGreen, true, "A", "C");
  EXPECT_EQ(controlled.code(), Status::Code::kPermissionDenied);
  EXPECT_NE(controlled.message().find("originator control"), std::string::npos);
}

TEST(ShareIdentityTest, FileIsOwnersAloneAndRefusedOtherwise) {
  const std::string path = TempPath("id.key");
  Result<Identity> created = CreateIdentity(path);
  ASSERT_TRUE(created.ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<Identity> loaded = LoadIdentity(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->key_id, created->key_id);
  EXPECT_EQ(loaded->public_key, created->public_key);
  EXPECT_EQ(KeyIdOf(loaded->public_key), loaded->key_id);
  // Never overwritten.
  EXPECT_EQ(CreateIdentity(path).status().code(), Status::Code::kAlreadyExists);
  // Group- or world-readable: refused.
  for (mode_t mode : {0640, 0604, 0660}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    Result<Identity> open = LoadIdentity(path);
    EXPECT_EQ(open.status().code(), Status::Code::kPermissionDenied) << std::oct << mode;
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(LoadIdentity(path).ok());
  // Not an identity file.
  const std::string junk = TempPath("junk.key");
  { std::ofstream(junk) << "hello\n"; }
  ::chmod(junk.c_str(), 0600);
  EXPECT_EQ(LoadIdentity(junk).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(LoadIdentity(TempPath("missing.key")).status().code(), Status::Code::kNotFound);
}

TEST(ShareIdentityTest, PublicKeyTextRoundTrips) {
  const Identity a = NewIdentity("a4.key");
  Result<std::array<unsigned char, kPublicKeyBytes>> key = ParsePublicKey(a.PublicKeyText());
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, a.public_key);
  EXPECT_FALSE(ParsePublicKey("AAAA").ok());
  EXPECT_FALSE(ParsePublicKey("not base64 at all!").ok());
}

TEST(SharePayloadTest, RequestNeedsWhatAPartnerCanActOn) {
  Request r;
  r.type = "deny_entry";
  r.names = {"Ana Perez", "Anna Peres"};
  r.identifiers = {{"passport", "X1234567"}};
  r.birth_date = "1990-02-03";
  r.legal_basis = "Art. 5 CT Act";
  r.action = "deny entry at the border";
  r.deadline = 1'800'000'000;
  r.contact = "duty desk +33 1 00 00 00 00";
  Result<std::string> payload = RequestPayload(r);
  ASSERT_TRUE(payload.ok()) << payload.status().ToString();
  Result<std::vector<std::string>> fields = PersonFields(*payload);
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(*fields, (std::vector<std::string>{"names", "identifiers", "birth_date"}));
  Request bad = r;
  bad.type = "kidnap";
  EXPECT_FALSE(RequestPayload(bad).ok());
  bad = r;
  bad.legal_basis.clear();
  EXPECT_FALSE(RequestPayload(bad).ok());
  bad = r;
  bad.deadline = 0;
  EXPECT_FALSE(RequestPayload(bad).ok());
  bad = r;
  bad.contact.clear();
  EXPECT_FALSE(RequestPayload(bad).ok());
  bad = r;
  bad.names.clear();
  bad.identifiers.clear();
  EXPECT_FALSE(RequestPayload(bad).ok());
  bad = r;
  bad.birth_date = "1990-13-40";
  EXPECT_FALSE(RequestPayload(bad).ok());
}

}  // namespace
}  // namespace vigil::share
