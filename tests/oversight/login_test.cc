// Login leaks nothing: an unknown user, a disabled user and a wrong password
// get the same error, and each costs one Argon2id verification (against a
// dummy hash made with the accounts' cost parameters for unknown users).
#include <gtest/gtest.h>
#include <sodium.h>

#include "access/audit_chain.h"
#include "access/oversight_impl.h"
#include "access/oversight_world.h"

namespace vigil::testing {
namespace {

TEST(Login, UnknownUserAndWrongPasswordGetTheSameError) {
  OversightWorld world("login", {"CT-A"}, 1);
  Oversight& o = world.oversight();
  auto setup = o.SetupPrincipal("root");
  ASSERT_TRUE(setup.ok());
  ASSERT_TRUE(
      o.AddUser(world.Context(*setup), "alice", Role::kAnalyst, "correct horse", {"CT-A"}).ok());
  const Status wrong = o.Authenticate("alice", "wrong horse").status();
  const Status unknown = o.Authenticate("mallory", "wrong horse").status();
  const Status empty = o.Authenticate("", "").status();
  EXPECT_EQ(wrong.code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(wrong.ToString(), unknown.ToString());
  EXPECT_EQ(wrong.ToString(), empty.ToString());
  // A disabled account with the right password fails the same way.
  ASSERT_EQ(sqlite3_exec(world.SqliteDb(), "UPDATE users SET disabled = 1 WHERE name = 'alice'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_EQ(o.Authenticate("alice", "correct horse").status().ToString(), wrong.ToString());
  // Every attempt is audited as a refused authentication; a name that is no
  // account only as its pseudonym under the audit key.
  auto signer = access::Signer::LoadOrCreate(world.key_path(), "");
  ASSERT_TRUE(signer.ok());
  AuditQuery q;
  q.user = "unknown:" + signer->LoginPseudonym("mallory");
  auto records = o.QueryAudit(world.Context(MakePrincipal("aud", Role::kAuditor, {})), q);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].action, "authenticate");
  EXPECT_TRUE((*records)[0].refused);
}

TEST(Login, DummyHashCostsWhatAnAccountsHashCosts) {
  ASSERT_GE(sodium_init(), 0);
  const std::string dummy(access::DummyPasswordHash());
  EXPECT_EQ(dummy.rfind("$argon2id$", 0), 0u) << dummy;
  // Same algorithm and cost as crypto_pwhash_str_alg at the interactive
  // limits that accounts use (0: no rehash needed, i.e. identical parameters).
  EXPECT_EQ(crypto_pwhash_str_needs_rehash(dummy.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                           crypto_pwhash_MEMLIMIT_INTERACTIVE),
            0);
  // It is a well-formed hash that verification actually runs on (and fails).
  EXPECT_EQ(crypto_pwhash_str_verify(dummy.c_str(), "guess", 5), -1);
}

}  // namespace
}  // namespace vigil::testing
