#include <gtest/gtest.h>

#include "vigil/model.h"

namespace vigil {
namespace {

TEST(ParseSelector, AcceptsEveryKind) {
  EXPECT_EQ(*ParseSelector("msisdn:+447700900123"), SelectorKind::kMsisdn);
  EXPECT_EQ(*ParseSelector("imsi:234150999999999"), SelectorKind::kImsi);
  EXPECT_EQ(*ParseSelector("imei:490154203237518"), SelectorKind::kImei);
  EXPECT_EQ(*ParseSelector("email:a.b@example.org"), SelectorKind::kEmail);
  EXPECT_EQ(*ParseSelector("handle:telegram:abc"), SelectorKind::kHandle);
  EXPECT_EQ(*ParseSelector("ip:192.0.2.1"), SelectorKind::kIp);
  EXPECT_EQ(*ParseSelector("ip:2001:db8::1"), SelectorKind::kIp);
  EXPECT_EQ(*ParseSelector("passport:FR:12AB34567"), SelectorKind::kPassport);
  EXPECT_EQ(*ParseSelector("idcard:ES:X1234567"), SelectorKind::kIdcard);
}

TEST(ParseSelector, RejectsMalformedValues) {
  for (const char* text : {"msisdn:447700900123",
                           "msisdn:+123",
                           "msisdn:+1234567890123456",
                           "imsi:12a456",
                           "imei:1234567890123",
                           "email:nobody",
                           "email:@x.org",
                           "email:a@",
                           "email:a b@x.org",
                           "handle:telegram",
                           "handle::abc",
                           "handle:tg:a b",
                           "ip:256.1.1.1",
                           "ip:example.org",
                           "passport:fr:123",
                           "passport:FR:",
                           "passport:FRA:123",
                           "idcard:FR:12 34",
                           "noColon",
                           "msisdn:"}) {
    EXPECT_FALSE(ParseSelector(text).ok()) << text;
  }
}

TEST(ParseSelector, UnknownKindNamesAllowedKinds) {
  const Result<SelectorKind> kind = ParseSelector("fax:+3312345678");
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.status().message(),
            "unknown selector kind \"fax\" (allowed: msisdn, imsi, imei, email, handle, ip, "
            "passport, idcard)");
}

TEST(ValidateId, FollowsPattern) {
  EXPECT_TRUE(ValidateId("P-001").ok());
  EXPECT_TRUE(ValidateId("a_b.c:d-e").ok());
  EXPECT_TRUE(ValidateId(std::string(64, 'x')).ok());
  EXPECT_FALSE(ValidateId(std::string(65, 'x')).ok());
  EXPECT_FALSE(ValidateId("").ok());
  EXPECT_FALSE(ValidateId("a b").ok());
  EXPECT_FALSE(ValidateId("a/b").ok());
}

TEST(ValidateCountryAndPlace, CapitalLetters) {
  EXPECT_TRUE(ValidateCountry("ES").ok());
  EXPECT_FALSE(ValidateCountry("es").ok());
  EXPECT_FALSE(ValidateCountry("ESP").ok());
  EXPECT_TRUE(ValidatePlace("TR").ok());
  EXPECT_TRUE(ValidatePlace("MAD").ok());
  EXPECT_FALSE(ValidatePlace("MADR").ok());
  EXPECT_FALSE(ValidatePlace("M1").ok());
  EXPECT_FALSE(ValidatePlace("").ok());
}

}  // namespace
}  // namespace vigil
