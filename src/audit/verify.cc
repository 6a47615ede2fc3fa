#include "audit/verify.h"

#include <sodium.h>

#include "fmt/format.h"

namespace sz::audit {

namespace {
// How far from its position an entry's original seq is searched for: enough to name a
// swap, an insertion or a deletion of a few entries; anything else reads as an edit.
constexpr int64_t kOriginSearch = 8;
const std::string kGenesisHash(64, '0');
}  // namespace

std::string_view ProblemName(Problem problem) {
  switch (problem) {
    case Problem::kNone:
      return "none";
    case Problem::kEdited:
      return "edited";
    case Problem::kDeleted:
      return "deleted";
    case Problem::kInserted:
      return "inserted";
    case Problem::kReordered:
      return "reordered";
    case Problem::kTruncated:
      return "truncated";
    case Problem::kCheckpointForged:
      return "checkpoint_forged";
    case Problem::kCheckpointMismatch:
      return "checkpoint_mismatch";
    case Problem::kCheckpointMissing:
      return "checkpoint_missing";
    case Problem::kMalformed:
      return "malformed";
  }
  return "unknown";
}

Status VerifyReport::ToStatus() const {
  if (ok()) return OkStatus();
  return DataLoss(
      fmt::format("audit trail {} at entry {}: {}", ProblemName(problem), first_bad_seq, detail));
}

ChainVerifier::ChainVerifier(std::string_view public_key, VerifyOptions options)
    : public_key_(public_key), options_(std::move(options)), prev_hash_(kGenesisHash) {
  crypto::Init();
}

void ChainVerifier::AddCheckpoint(Checkpoint checkpoint) {
  int64_t seq = checkpoint.seq;
  checkpoints_.emplace(seq, std::move(checkpoint));
}

bool ChainVerifier::Fail(Problem problem, int64_t first_bad, std::string detail,
                         int64_t checkpoint) {
  report_.problem = problem;
  report_.first_bad_seq = first_bad;
  report_.checkpoint_seq = checkpoint;
  report_.detail = std::move(detail);
  done_ = true;
  return false;
}

bool ChainVerifier::SignatureValid(const Checkpoint& cp) const {
  if (public_key_.size() != crypto_sign_PUBLICKEYBYTES ||
      cp.signature.size() != crypto_sign_BYTES) {
    return false;
  }
  auto raw = crypto::FromHex(cp.entry_hash);
  if (!raw.ok() || raw->size() != 32) return false;
  std::string message = CheckpointMessage(cp.seq, cp.time, *raw);
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(cp.signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key_.data())) == 0;
}

std::optional<int64_t> ChainVerifier::OriginalSeq(const StoredEntry& entry) const {
  StoredEntry probe = entry;
  for (int64_t d = 0; d <= kOriginSearch; ++d) {
    for (int64_t seq : {entry.seq - d, entry.seq + d}) {
      if (seq < 1) continue;
      probe.seq = seq;
      if (EntryHashHex(probe) == entry.hash) return seq;
    }
  }
  return std::nullopt;
}

bool ChainVerifier::CheckCheckpoint(const StoredEntry& e) {
  auto it = checkpoints_.find(e.seq);
  int64_t since = last_good_checkpoint_ + 1;
  if (it == checkpoints_.end()) {
    if (options_.checkpoint_interval > 0 && e.seq % options_.checkpoint_interval == 0) {
      return Fail(Problem::kCheckpointMissing, since,
                  fmt::format("the checkpoint due at entry {} is missing; entries from {} on "
                              "are not covered by a signature",
                              e.seq, since),
                  e.seq);
    }
    return true;
  }
  const Checkpoint& cp = it->second;
  if (!SignatureValid(cp)) {
    std::string key_note = cp.key_id == KeyId(public_key_) ? "" : " (signed by another key)";
    return Fail(Problem::kCheckpointForged, since,
                fmt::format("the signature of checkpoint {} does not verify{}; entries from {} "
                            "on cannot be trusted",
                            cp.seq, key_note, since),
                cp.seq);
  }
  if (cp.entry_hash != e.hash) {
    return Fail(Problem::kCheckpointMismatch, since,
                fmt::format("checkpoint {} signed another hash than the chain now has: some "
                            "entry from {} to {} was rewritten and re-hashed",
                            cp.seq, since, cp.seq),
                cp.seq);
  }
  ++report_.checkpoints;
  last_good_checkpoint_ = e.seq;
  return true;
}

bool ChainVerifier::AddEntry(const StoredEntry& e) {
  if (done_) return false;
  if (moved_up_) {
    auto [position, original] = *moved_up_;
    if (OriginalSeq(e) == position) {
      return Fail(Problem::kReordered, position,
                  fmt::format("entries {} and {} swapped places", position, original));
    }
    return Fail(Problem::kDeleted, position,
                fmt::format("entry {} was removed and the later entries renumbered", position));
  }
  if (e.seq > expected_seq_) {
    return Fail(Problem::kDeleted, expected_seq_,
                e.seq == expected_seq_ + 1
                    ? fmt::format("entry {} is missing", expected_seq_)
                    : fmt::format("entries {} to {} are missing", expected_seq_, e.seq - 1));
  }
  if (e.seq < expected_seq_) {
    return Fail(Problem::kReordered, e.seq,
                fmt::format("entry {} appears again after entry {}", e.seq, expected_seq_ - 1));
  }
  if (EntryHashHex(e) != e.hash) {
    std::optional<int64_t> original = OriginalSeq(e);
    if (!original) {
      return Fail(Problem::kEdited, e.seq,
                  fmt::format("entry {} does not match its hash: it was edited", e.seq));
    }
    if (*original > e.seq) {
      moved_up_ = {e.seq, *original};
      return true;
    }
    return Fail(Problem::kInserted, *original,
                fmt::format("entries {} to {} were inserted; the entry now at {} was {}", *original,
                            e.seq - 1, e.seq, *original));
  }
  if (e.prev_hash != prev_hash_) {
    if (e.seq == 1) {
      return Fail(Problem::kEdited, 1, "entry 1 does not start from the genesis hash");
    }
    return Fail(Problem::kEdited, e.seq - 1,
                fmt::format("entry {} was altered and re-hashed: entry {} recorded another hash "
                            "for it",
                            e.seq - 1, e.seq));
  }
  if (!CheckCheckpoint(e)) return false;
  if (options_.anchor && options_.anchor->seq == e.seq && options_.anchor->hash != e.hash) {
    return Fail(Problem::kCheckpointMismatch, last_good_checkpoint_ + 1,
                fmt::format("entry {} differs from the trusted anchor: the chain was rewritten "
                            "after entry {}",
                            e.seq, last_good_checkpoint_),
                e.seq);
  }
  ++report_.entries;
  report_.last_seq = e.seq;
  report_.last_hash = e.hash;
  prev_hash_ = e.hash;
  ++expected_seq_;
  return true;
}

VerifyReport ChainVerifier::Finish() {
  if (done_) return report_;
  if (moved_up_) {
    Fail(Problem::kDeleted, moved_up_->first,
         fmt::format("entry {} was removed and the later entries renumbered", moved_up_->first));
    return report_;
  }
  int64_t end = expected_seq_ - 1;
  auto beyond = checkpoints_.upper_bound(end);
  if (beyond != checkpoints_.end()) {
    const Checkpoint& cp = beyond->second;
    if (!SignatureValid(cp)) {
      Fail(Problem::kCheckpointForged, end + 1,
           fmt::format("checkpoint {} lies beyond the last entry {} and its signature does not "
                       "verify",
                       cp.seq, end),
           cp.seq);
    } else {
      Fail(Problem::kTruncated, end + 1,
           fmt::format("the trail ends at entry {} but checkpoint {} was signed for a longer "
                       "trail",
                       end, cp.seq),
           cp.seq);
    }
    return report_;
  }
  if (options_.anchor && options_.anchor->seq > end) {
    Fail(Problem::kTruncated, end + 1,
         fmt::format("the trail ends at entry {} but the trusted anchor is entry {}", end,
                     options_.anchor->seq));
  }
  return report_;
}

void ChainVerifier::ReportMalformed(std::string detail) {
  if (!done_) Fail(Problem::kMalformed, expected_seq_, std::move(detail));
}

Result<VerifyReport> Verify(storage::SqliteDb& db, std::string_view public_key,
                            VerifyOptions options) {
  ChainVerifier verifier(public_key, std::move(options));
  SZ_ASSIGN_OR_RETURN(std::vector<Checkpoint> checkpoints, ReadCheckpoints(db));
  for (Checkpoint& cp : checkpoints) verifier.AddCheckpoint(std::move(cp));
  SZ_RETURN_IF_ERROR(ForEachEntry(db, [&](const StoredEntry& e) { return verifier.AddEntry(e); }));
  return verifier.Finish();
}

}  // namespace sz::audit
