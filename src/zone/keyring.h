// The zone keyring: the keys behind keyed pseudonyms, reversible tokens and date shifts.
//
// A key is named by its id and scope, and the scope is bound to one thing: the dataset
// being pseudonymized (scope `dataset`), the project the output is meant for (`project`),
// or one combination job (`combination`). So `pseudonym` in project scope is one key per
// project: the same person gets the same pseudonym in every dataset pseudonymized for
// that project, and unlinkable ones elsewhere. Each key is stored wrapped under the
// master key in zone_keys with the purpose
//
//   keyring:<scope>:<scope name>:<key id>      e.g. keyring:dataset:card_payments:token
//
// (the purpose is the wrapping's associated data, so a wrapped key cannot be moved to
// another scope). Keys are 32 random bytes from the CSPRNG, fit for HMAC-SHA-256, keyed
// BLAKE2b, FF1 (AES-256) and AES-SIV (AES-128-SIV), and never leave the zone: there is
// no export, the bytes reach the engine only through pseudo::KeyProvider, and no key
// byte is written to SQL text, audit entries or messages.
//
// Keys of the dataset and project scopes are created on first use; combination keys are
// never created here (the combination job makes them), so a policy naming a missing one
// fails with NotFound. A key created during a run is kept in memory and stored only by
// Commit(), inside the transaction that stores the run's result: a failed run leaves no
// key behind. Every use is authorized (authz kKeyUse: pseudonymization or combination
// officers; the operator) and audited: one entry per key per run, recorded with the
// run's own transaction, or as a failure when the run fails.
//
// Detokenization (reversing a token) is re-identification, which PIPA Art. 28-5
// prohibits: DetokenizeValues refuses every caller, the operator included, and audits
// the attempt. The zone has no code path that reverses a token.
//
// Thread-safety: a ZoneKeyring is used by one thread (the run's), like its Zone.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "crypto/secret.h"
#include "pseudo/apply.h"
#include "pseudo/policy.h"
#include "zone/access.h"
#include "zone/zone.h"

namespace sz::zone {

// What each scope of a key means for one run.
struct KeyringBinding {
  std::string dataset;      // dataset scope: the dataset the run reads
  std::string project;      // project scope: the project (purpose) the output is for; "" = none
  std::string combination;  // combination scope: the combination job; "" = none
};

// "keyring:<scope>:<scope name>:<key id>".
std::string KeyringPurpose(pseudo::KeyScope scope, std::string_view scope_name, std::string_view key_id);

class ZoneKeyring final : public pseudo::KeyProvider {
 public:
  // `what` says what the keys are used for, in audit notes ("pseudonymize.run of
  // card_payments v1").
  ZoneKeyring(Zone& zone, const Caller& caller, KeyringBinding binding, std::string what);
  ~ZoneKeyring() override;

  // Errors: InvalidArgument (unknown scope, bad key id, scope not bound for this run),
  // PermissionDenied (the caller may not use keys; audited), NotFound (a combination key
  // that does not exist), DataLoss (a wrapped key was altered).
  Result<crypto::SecretBytes> Key(std::string_view key_id, std::string_view scope) override;

  // REQUIRES: a transaction open on zone.db(). Stores the keys created by this run and
  // records the audit entry of every key used. `note` is added to each entry.
  Status Commit(std::string_view note);
  // After the run failed (its transaction rolled back): audits each key use as failed.
  void RecordFailure(const Status& failure);

  // Keys used, as "<scope>:<scope name>/<key id>", in first-use order.
  std::vector<std::string> KeysUsed() const;

 private:
  struct Entry;
  Zone& zone_;
  const Caller& caller_;
  KeyringBinding binding_;
  std::string what_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// Refuses to reverse tokens of `column` in dataset `dataset` (PermissionDenied for every
// caller) and audits the attempt with the number of tokens (never the tokens).
Status DetokenizeValues(Zone& zone, const Caller& caller, std::string_view dataset, std::string_view column,
                        size_t token_count);

}  // namespace sz::zone
