#include "zone/keyring.h"

#include "authz/guard.h"
#include "fmt/format.h"
#include "zone/catalog.h"

namespace sz::zone {

namespace {

Result<pseudo::KeyScope> ParseScope(std::string_view scope) {
  for (auto s : {pseudo::KeyScope::kDataset, pseudo::KeyScope::kProject, pseudo::KeyScope::kCombination}) {
    if (pseudo::KeyScopeName(s) == scope) return s;
  }
  return InvalidArgument(fmt::format("unknown key scope '{}': use dataset, project or combination",
                                     scope.substr(0, 40)));
}

}  // namespace

std::string KeyringPurpose(pseudo::KeyScope scope, std::string_view scope_name, std::string_view key_id) {
  return fmt::format("keyring:{}:{}:{}", pseudo::KeyScopeName(scope), scope_name, key_id);
}

struct ZoneKeyring::Entry {
  std::string label;    // "dataset:card_payments/token"
  std::string purpose;  // zone_keys purpose
  crypto::SecretBytes key;
  bool created = false;  // made by this run; stored by Commit()
  std::optional<Access> access;
};

ZoneKeyring::ZoneKeyring(Zone& zone, const Caller& caller, KeyringBinding binding, std::string what)
    : zone_(zone), caller_(caller), binding_(std::move(binding)), what_(std::move(what)) {}

ZoneKeyring::~ZoneKeyring() = default;

Result<crypto::SecretBytes> ZoneKeyring::Key(std::string_view key_id, std::string_view scope_text) {
  SZ_ASSIGN_OR_RETURN(pseudo::KeyScope scope, ParseScope(scope_text));
  SZ_RETURN_IF_ERROR(ValidateName("key", key_id));
  const std::string& scope_name = scope == pseudo::KeyScope::kDataset   ? binding_.dataset
                                  : scope == pseudo::KeyScope::kProject ? binding_.project
                                                                        : binding_.combination;
  if (scope_name.empty()) {
    return InvalidArgument(fmt::format(
        "key '{}' is in the {} scope, but this run names no {}; {}", key_id, scope_text, scope_text,
        scope == pseudo::KeyScope::kProject
            ? "name the project the output is for (--project), or use the dataset scope"
            : "combination keys belong to a combination job"));
  }
  std::string purpose = KeyringPurpose(scope, scope_name, key_id);
  for (const auto& e : entries_) {
    if (e->purpose == purpose) return e->key.Clone();
  }

  auto entry = std::make_unique<Entry>();
  entry->label = fmt::format("{}:{}/{}", scope_text, scope_name, key_id);
  entry->purpose = purpose;
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone_, caller_, authz::Action::kKeyUse, authz::Object::Zone()));
  entry->access.emplace(std::move(access));
  auto stored = zone_.Key(purpose);
  if (stored.ok()) {
    entry->key = std::move(*stored);
  } else if (stored.status().code() != Code::kNotFound) {
    return stored.status();
  } else if (scope == pseudo::KeyScope::kCombination) {
    // Recorded as a failed use: the officer asked for it and did not get it.
    Status missing = NotFound(fmt::format(
        "there is no key '{}' for combination '{}'; combination keys are made by the combination job",
        key_id, scope_name));
    (void)std::move(*entry->access).RecordFailure(missing);
    return missing;
  } else {
    entry->key = crypto::SecretBytes::Random(crypto::kKeyBytes);
    entry->created = true;
  }
  crypto::SecretBytes copy = entry->key.Clone();
  entries_.push_back(std::move(entry));
  return copy;
}

Status ZoneKeyring::Commit(std::string_view note) {
  for (auto& e : entries_) {
    if (e->created) SZ_RETURN_IF_ERROR(zone_.StoreKey(e->purpose, e->key));
    if (!e->access) continue;
    std::string text = fmt::format("key {} ({}) for {}{}{}", e->label, e->created ? "created" : "existing", what_,
                                   note.empty() ? "" : "; ", note);
    SZ_RETURN_IF_ERROR(std::move(*e->access).Record(authz::AuditDetails::Note(text)));
    e->access.reset();
  }
  return OkStatus();
}

void ZoneKeyring::RecordFailure(const Status& failure) {
  for (auto& e : entries_) {
    if (!e->access) continue;
    Status s(failure.code(), fmt::format("key {} for {}: {}", e->label, what_, failure.message()));
    (void)std::move(*e->access).RecordFailure(s);  // best effort: the failure is what matters
    e->access.reset();
  }
}

std::vector<std::string> ZoneKeyring::KeysUsed() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e->label);
  return out;
}

Status DetokenizeValues(Zone& zone, const Caller& caller, std::string_view dataset, std::string_view column,
                        size_t token_count) {
  Catalog catalog(zone);
  SZ_ASSIGN_OR_RETURN(DatasetInfo d, catalog.Get(dataset));
  authz::Object object = DatasetObject(d.id, d.provider, d.tier);
  if (!caller.is_operator()) {
    // authz::Decide refuses kDetokenize to everyone (kProhibited) and audits the denial.
    SZ_RETURN_IF_ERROR(Access::Check(zone, caller, authz::Action::kDetokenize, object).status());
    return Internal("detokenization was allowed by the policy; the zone still refuses it");
  }
  // The operator passes every authz check (they hold the master key), but
  // re-identification is prohibited for them too: record the refusal the same way.
  audit::Entry entry;
  entry.actor = caller.Label();
  entry.action = std::string(authz::ActionName(authz::Action::kDetokenize));
  entry.object = authz::ObjectLabel(object);
  entry.outcome = audit::Outcome::kDeny;
  entry.reason = fmt::format("{}: column '{}', {} token(s)",
                             authz::ReasonText(authz::Reason::kProhibited), column, token_count);
  entry.request_id = caller.request_id;
  SZ_RETURN_IF_ERROR(authz::AppendStandalone(zone.db(), zone.audit(), entry));
  return PermissionDenied(
      "re-identification is prohibited (PIPA Art. 28-5): tokens are never reversed in the zone");
}

}  // namespace sz::zone
