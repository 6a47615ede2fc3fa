#include "privacy/groupify.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>

#include "fmt/format.h"

namespace sz::privacy {
namespace {

constexpr int64_t kBlock = 1024;                  // rows per key-building block
constexpr int64_t kPartitionThreshold = 1 << 16;  // below: one table, no partitioning
constexpr int64_t kParallelThreshold = 1 << 15;   // below: one thread is faster
constexpr int64_t kRowsPerPartition = 1 << 15;    // a partition's table stays in cache
constexpr int kMaxPartitionBits = 10;
constexpr int kCacheBits = 12;            // pre-aggregation cache: 4096 slots
constexpr int64_t kCacheTrial = 1 << 16;  // rows before judging the cache

// MurmurHash3's 64-bit finalizer: a cheap, well-mixing hash of packed keys.
inline uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

template <int W>
inline uint64_t HashKey(const uint64_t* key) {
  uint64_t h = Mix(key[0] + 0x9e3779b97f4a7c15ULL);
  for (int i = 1; i < W; ++i) h = Mix(h ^ (key[i] * 0x9e3779b97f4a7c15ULL + i));
  return h;
}

template <int W>
inline bool KeyEq(const uint64_t* a, const uint64_t* b) {
  for (int i = 0; i < W; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

inline uint64_t HashKeyN(const uint64_t* key, int words) {
  uint64_t h = Mix(key[0] + 0x9e3779b97f4a7c15ULL);
  for (int i = 1; i < words; ++i) h = Mix(h ^ (key[i] * 0x9e3779b97f4a7c15ULL + i));
  return h;
}

// Open-addressing (linear probing) table from key to count, with key and count stored
// together so that a probe touches one cache line. A zero count marks an empty slot
// (zero-weight input is skipped before it gets here).
template <int W>
class CellTable {
 public:
  explicit CellTable(size_t expected = 16) { Reset(expected); }

  void Reset(size_t expected) {
    size_t cap = 16;
    while (cap < expected + expected / 2 + 1) cap <<= 1;  // load factor <= 2/3
    entries_.assign(cap, Entry{});
    mask_ = cap - 1;
    size_ = 0;
  }

  void Add(const uint64_t* key, uint64_t hash, int64_t count) {
    size_t s = hash & mask_;
    while (true) {
      Entry& e = entries_[s];
      if (e.count == 0) {
        std::memcpy(e.key, key, sizeof(e.key));
        e.count = count;
        if (++size_ * 3 > entries_.size() * 2) Grow();
        return;
      }
      if (KeyEq<W>(e.key, key)) {
        e.count += count;
        return;
      }
      s = (s + 1) & mask_;
    }
  }

  size_t size() const { return size_; }

  // Appends the cells (in slot order) to `keys` and `counts`.
  void AppendTo(std::vector<uint64_t>& keys, std::vector<int64_t>& counts) const {
    for (const Entry& e : entries_) {
      if (e.count == 0) continue;
      keys.insert(keys.end(), e.key, e.key + W);
      counts.push_back(e.count);
    }
  }

 private:
  struct Entry {
    uint64_t key[W] = {};
    int64_t count = 0;
  };

  void Grow() {
    std::vector<Entry> old = std::move(entries_);
    entries_.assign(old.size() * 2, Entry{});
    mask_ = entries_.size() - 1;
    for (const Entry& e : old) {
      if (e.count == 0) continue;
      size_t s = HashKey<W>(e.key) & mask_;
      while (entries_[s].count != 0) s = (s + 1) & mask_;
      entries_[s] = e;
    }
  }

  std::vector<Entry> entries_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Fills keys (W words each, zeroed by the caller) and counts for input items
// [begin, end) of a source.
using FillFn = std::function<void(int64_t begin, int64_t end, uint64_t* keys, int64_t* counts)>;

struct PairBuffer {
  std::vector<uint64_t> keys;
  std::vector<int64_t> counts;
};

template <int W>
void GroupSerial(int64_t n, const FillFn& fill, CellTable<W>& table) {
  std::vector<uint64_t> keys(kBlock * W);
  std::vector<int64_t> counts(kBlock);
  for (int64_t b = 0; b < n; b += kBlock) {
    int64_t e = std::min(n, b + kBlock);
    std::fill(keys.begin(), keys.end(), 0);
    fill(b, e, keys.data(), counts.data());
    for (int64_t i = 0; i < e - b; ++i) {
      if (counts[i] == 0) continue;  // zero-weight rows add nothing
      const uint64_t* k = keys.data() + i * W;
      table.Add(k, HashKey<W>(k), counts[i]);
    }
  }
}

// Phase 1 of the partitioned path: pre-aggregate [begin, end) in a small direct-mapped
// cache (it absorbs low-cardinality input entirely) and spill (key, count) pairs into
// one buffer per partition, chosen by the hash's top bits.
template <int W>
void PreAggregate(int64_t begin, int64_t end, const FillFn& fill, int partition_bits,
                  std::vector<PairBuffer>& out) {
  constexpr size_t kCache = size_t{1} << kCacheBits;
  std::vector<uint64_t> cache_keys(kCache * W);
  std::vector<int64_t> cache_counts(kCache, 0);  // 0 = empty slot
  const int shift = 64 - partition_bits;
  auto spill = [&](const uint64_t* key, uint64_t hash, int64_t count) {
    PairBuffer& buf = out[partition_bits == 0 ? 0 : hash >> shift];
    buf.keys.insert(buf.keys.end(), key, key + W);
    buf.counts.push_back(count);
  };
  std::vector<uint64_t> keys(kBlock * W);
  std::vector<int64_t> counts(kBlock);
  // The cache only pays when keys repeat; on high-cardinality input (nearly every key
  // new) it is bypassed after a trial stretch, and pairs are spilled directly.
  bool use_cache = true;
  int64_t seen = 0, hits = 0;
  for (int64_t b = begin; b < end; b += kBlock) {
    int64_t e = std::min(end, b + kBlock);
    std::fill(keys.begin(), keys.end(), 0);
    fill(b, e, keys.data(), counts.data());
    for (int64_t i = 0; i < e - b; ++i) {
      const uint64_t* k = keys.data() + i * W;
      if (counts[i] == 0) continue;  // zero-weight rows add nothing
      uint64_t h = HashKey<W>(k);
      if (!use_cache) {
        spill(k, h, counts[i]);
        continue;
      }
      size_t s = (h >> 17) & (kCache - 1);  // bits independent of the partition and slot bits
      uint64_t* ck = cache_keys.data() + s * W;
      if (cache_counts[s] != 0 && KeyEq<W>(ck, k)) {
        cache_counts[s] += counts[i];
        ++hits;
        continue;
      }
      if (cache_counts[s] != 0) spill(ck, HashKey<W>(ck), cache_counts[s]);
      std::memcpy(ck, k, W * sizeof(uint64_t));
      cache_counts[s] = counts[i];
    }
    seen += e - b;
    if (use_cache && seen >= kCacheTrial && hits * 4 < seen) use_cache = false;
  }
  for (size_t s = 0; s < kCache; ++s) {
    if (cache_counts[s] == 0) continue;
    const uint64_t* ck = cache_keys.data() + s * W;
    spill(ck, HashKey<W>(ck), cache_counts[s]);
  }
}

// Large inputs are radix-partitioned by hash so that each partition's table fits in
// cache (the serial path's one big table would miss cache on nearly every insert), and
// partitions are built by all workers. Partitions hold disjoint keys: no merge step.
template <int W>
void GroupInto(int64_t n, const FillFn& fill, WorkerPool& pool, Cells& out) {
  if (n < kPartitionThreshold) {
    CellTable<W> table(static_cast<size_t>(std::min<int64_t>(n, 1 << 12)));
    GroupSerial<W>(n, fill, table);
    out.keys.reserve(table.size() * W);
    out.counts.reserve(table.size());
    table.AppendTo(out.keys, out.counts);
    return;
  }
  const int slices = n < kParallelThreshold ? 1 : pool.threads();
  int partition_bits = 0;
  while (partition_bits < kMaxPartitionBits && (n >> partition_bits) > kRowsPerPartition) {
    ++partition_bits;
  }
  const size_t partitions = size_t{1} << partition_bits;
  // buffers[t][p]: pairs that slice t spilled for partition p.
  std::vector<std::vector<PairBuffer>> buffers(slices, std::vector<PairBuffer>(partitions));
  pool.Run(slices, [&](int t) {
    int64_t begin = n * t / slices, end = n * (t + 1) / slices;
    PreAggregate<W>(begin, end, fill, partition_bits, buffers[t]);
  });
  std::vector<std::vector<uint64_t>> part_keys(partitions);
  std::vector<std::vector<int64_t>> part_counts(partitions);
  const int tasks =
      static_cast<int>(std::min<size_t>(partitions, static_cast<size_t>(pool.threads())));
  pool.Run(tasks, [&](int task) {
    CellTable<W> table;
    for (size_t p = static_cast<size_t>(task); p < partitions; p += static_cast<size_t>(tasks)) {
      size_t expected = 0;
      for (int t = 0; t < slices; ++t) expected += buffers[t][p].counts.size();
      table.Reset(expected);  // an upper bound on the partition's distinct keys: no growth
      for (int t = 0; t < slices; ++t) {
        PairBuffer& buf = buffers[t][p];
        for (size_t i = 0; i < buf.counts.size(); ++i) {
          const uint64_t* k = buf.keys.data() + i * W;
          table.Add(k, HashKey<W>(k), buf.counts[i]);
        }
        buf = PairBuffer();  // release memory early
      }
      part_keys[p].reserve(table.size() * W);
      part_counts[p].reserve(table.size());
      table.AppendTo(part_keys[p], part_counts[p]);
    }
  });
  size_t total = 0;
  for (const auto& c : part_counts) total += c.size();
  out.keys.reserve(total * W);
  out.counts.reserve(total);
  for (size_t p = 0; p < partitions; ++p) {
    out.keys.insert(out.keys.end(), part_keys[p].begin(), part_keys[p].end());
    out.counts.insert(out.counts.end(), part_counts[p].begin(), part_counts[p].end());
  }
}

void Dispatch(int words, int64_t n, const FillFn& fill, WorkerPool& pool, Cells& out) {
  switch (words) {
    case 1: return GroupInto<1>(n, fill, pool, out);
    case 2: return GroupInto<2>(n, fill, pool, out);
    case 3: return GroupInto<3>(n, fill, pool, out);
    case 4: return GroupInto<4>(n, fill, pool, out);
    case 5: return GroupInto<5>(n, fill, pool, out);
    case 6: return GroupInto<6>(n, fill, pool, out);
    case 7: return GroupInto<7>(n, fill, pool, out);
    default: return GroupInto<8>(n, fill, pool, out);
  }
}

}  // namespace

Result<KeyLayout> KeyLayout::Make(const Dataset& dataset, std::span<const int> levels,
                                  bool with_sensitive) {
  SZ_RETURN_IF_ERROR(dataset.CheckLevels(levels));
  if (with_sensitive && !dataset.sensitive()) {
    return InvalidArgument("the privacy models need a sensitive attribute; the dataset has none");
  }
  KeyLayout layout;
  layout.qi_fields_ = dataset.qi_count();
  layout.has_sensitive_ = with_sensitive;
  std::vector<int> bits;
  for (int i = 0; i < dataset.qi_count(); ++i) {
    int32_t groups = dataset.qi(i).hierarchy().GroupCount(levels[i]);
    bits.push_back(groups <= 1 ? 0 : std::bit_width(static_cast<uint32_t>(groups - 1)));
  }
  if (with_sensitive) {
    int32_t values = dataset.sensitive()->distinct();
    bits.push_back(values <= 1 ? 0 : std::bit_width(static_cast<uint32_t>(values - 1)));
  }
  int word = 0, used = 0;
  for (int b : bits) {
    if (used + b > 64) {
      ++word;
      used = 0;
    }
    layout.fields_.push_back(Field{word, used, b});
    used += b;
  }
  layout.words_ = word + 1;
  if (layout.words_ > kMaxKeyWords) {
    return ResourceExhausted(fmt::format(
        "the quasi-identifiers need {} bits per key, more than the {} supported; use fewer or "
        "coarser quasi-identifiers",
        word * 64 + used, kMaxKeyWords * 64));
  }
  layout.qi_mask_.assign(layout.words_, 0);
  for (int i = 0; i < layout.qi_fields_; ++i) {
    const Field& f = layout.fields_[i];
    if (f.bits > 0) layout.qi_mask_[f.word] |= ((~uint64_t{0}) >> (64 - f.bits)) << f.shift;
  }
  return layout;
}

Result<Cells> GroupRows(const Dataset& dataset, std::span<const int> levels, bool with_sensitive,
                        WorkerPool& pool, std::span<const int64_t> weights) {
  SZ_ASSIGN_OR_RETURN(KeyLayout layout, KeyLayout::Make(dataset, levels, with_sensitive));
  if (!weights.empty() && static_cast<int64_t>(weights.size()) != dataset.rows()) {
    return InvalidArgument("one weight per row is needed");
  }
  Cells out;
  out.levels.assign(levels.begin(), levels.end());
  out.layout = layout;
  const int words = layout.words();
  struct Column {
    const int32_t* codes;
    const int32_t* map;  // nullptr: identity (sensitive)
    KeyLayout::Field field;
  };
  std::vector<Column> columns;
  for (int i = 0; i < dataset.qi_count(); ++i) {
    const auto& qi = dataset.qi(i);
    if (layout.field(i).bits == 0) continue;  // a single group contributes nothing
    columns.push_back(
        {qi.codes().data(), qi.hierarchy().LevelMap(levels[i]).data(), layout.field(i)});
  }
  if (with_sensitive && layout.field(layout.qi_fields()).bits > 0) {
    columns.push_back(
        {dataset.sensitive()->codes().data(), nullptr, layout.field(layout.qi_fields())});
  }
  const int64_t* w = weights.empty() ? nullptr : weights.data();
  FillFn fill = [&](int64_t begin, int64_t end, uint64_t* keys, int64_t* counts) {
    const int64_t n = end - begin;
    // Column at a time: sequential reads of each code column, vectorizable inner loop.
    for (const Column& c : columns) {
      uint64_t* k = keys + c.field.word;
      const int32_t* codes = c.codes + begin;
      const int shift = c.field.shift;
      if (c.map) {
        for (int64_t r = 0; r < n; ++r)
          k[r * words] |= static_cast<uint64_t>(c.map[codes[r]]) << shift;
      } else {
        for (int64_t r = 0; r < n; ++r) k[r * words] |= static_cast<uint64_t>(codes[r]) << shift;
      }
    }
    if (w) {
      std::copy(w + begin, w + end, counts);
    } else {
      std::fill(counts, counts + n, 1);
    }
  };
  Dispatch(words, dataset.rows(), fill, pool, out);
  return out;
}

Result<Cells> RollUp(const Dataset& dataset, const Cells& finer, std::span<const int> levels,
                     WorkerPool& pool) {
  if (levels.size() != finer.levels.size()) return InvalidArgument("level count mismatch");
  for (size_t i = 0; i < levels.size(); ++i) {
    if (levels[i] < finer.levels[i]) {
      return InvalidArgument("roll-up needs a coarser transformation than its source");
    }
  }
  const bool with_sensitive = finer.layout.has_sensitive();
  SZ_ASSIGN_OR_RETURN(KeyLayout layout, KeyLayout::Make(dataset, levels, with_sensitive));
  Cells out;
  out.levels.assign(levels.begin(), levels.end());
  out.layout = layout;
  // up[i][g]: the coarse group of fine group g of quasi-identifier i.
  struct Field {
    int src;
    const int32_t* up;  // nullptr: identity
    KeyLayout::Field to;
  };
  std::vector<std::vector<int32_t>> ups(dataset.qi_count());
  std::vector<Field> fields;
  for (int i = 0; i < dataset.qi_count(); ++i) {
    if (layout.field(i).bits == 0) continue;
    const Hierarchy& h = dataset.qi(i).hierarchy();
    if (levels[i] != finer.levels[i]) {
      auto fine = h.LevelMap(finer.levels[i]);
      auto coarse = h.LevelMap(levels[i]);
      ups[i].assign(h.GroupCount(finer.levels[i]), 0);
      for (size_t r = 0; r < fine.size(); ++r) ups[i][fine[r]] = coarse[r];
      fields.push_back({i, ups[i].data(), layout.field(i)});
    } else {
      fields.push_back({i, nullptr, layout.field(i)});
    }
  }
  if (with_sensitive && layout.field(layout.qi_fields()).bits > 0) {
    fields.push_back({layout.qi_fields(), nullptr, layout.field(layout.qi_fields())});
  }
  const int words = layout.words();
  const int src_words = finer.layout.words();
  FillFn fill = [&](int64_t begin, int64_t end, uint64_t* keys, int64_t* counts) {
    for (int64_t c = begin; c < end; ++c) {
      const uint64_t* src = finer.keys.data() + c * src_words;
      uint64_t* dst = keys + (c - begin) * words;
      for (const Field& f : fields) {
        uint64_t g = finer.layout.Get(src, f.src);
        if (f.up) g = static_cast<uint64_t>(f.up[g]);
        dst[f.to.word] |= g << f.to.shift;
      }
    }
    std::copy(finer.counts.begin() + begin, finer.counts.begin() + end, counts);
  };
  Dispatch(words, finer.size(), fill, pool, out);
  return out;
}

ClassView MakeClassView(const Cells& cells) {
  ClassView view;
  const int64_t n = cells.size();
  if (!cells.layout.has_sensitive()) {
    view.classes = n;
    view.size = cells.counts;
    view.identity = true;
    return view;
  }
  // Hash the quasi-identifier part of each key to a class id, then bucket cells by class.
  const int words = cells.layout.words();
  const auto& mask = cells.layout.qi_mask();
  size_t cap = 16;
  while (cap < static_cast<size_t>(n) * 2) cap <<= 1;
  std::vector<int64_t> slot_class(cap, -1);
  std::vector<int64_t> slot_cell(cap, -1);
  std::vector<int64_t> class_of(n);
  std::vector<uint64_t> a(words), b(words);
  for (int64_t c = 0; c < n; ++c) {
    const uint64_t* k = cells.key(c);
    for (int w = 0; w < words; ++w) a[w] = k[w] & mask[w];
    size_t s = HashKeyN(a.data(), words) & (cap - 1);
    while (true) {
      if (slot_class[s] < 0) {
        slot_class[s] = view.classes++;
        slot_cell[s] = c;
        break;
      }
      const uint64_t* o = cells.key(slot_cell[s]);
      bool eq = true;
      for (int w = 0; w < words && eq; ++w) eq = (o[w] & mask[w]) == a[w];
      if (eq) break;
      s = (s + 1) & (cap - 1);
    }
    class_of[c] = slot_class[s];
  }
  view.size.assign(view.classes, 0);
  view.begin.assign(view.classes + 1, 0);
  for (int64_t c = 0; c < n; ++c) {
    view.size[class_of[c]] += cells.counts[c];
    ++view.begin[class_of[c] + 1];
  }
  for (int64_t k = 0; k < view.classes; ++k) view.begin[k + 1] += view.begin[k];
  std::vector<int64_t> fill(view.begin.begin(), view.begin.end() - 1);
  view.cells.resize(n);
  for (int64_t c = 0; c < n; ++c) view.cells[fill[class_of[c]]++] = c;
  return view;
}

CellIndex::CellIndex(const Cells& cells) : cells_(&cells) {
  size_t cap = 16;
  while (cap < static_cast<size_t>(cells.size()) * 2) cap <<= 1;
  slots_.assign(cap, 0);
  mask_ = cap - 1;
  const int words = cells.layout.words();
  for (int64_t c = 0; c < cells.size(); ++c) {
    size_t s = HashKeyN(cells.key(c), words) & mask_;
    while (slots_[s] != 0) s = (s + 1) & mask_;
    slots_[s] = static_cast<uint64_t>(c) + 1;
  }
}

int64_t CellIndex::Find(const uint64_t* key) const {
  const int words = cells_->layout.words();
  size_t s = HashKeyN(key, words) & mask_;
  while (slots_[s] != 0) {
    int64_t c = static_cast<int64_t>(slots_[s]) - 1;
    if (std::equal(key, key + words, cells_->key(c))) return c;
    s = (s + 1) & mask_;
  }
  return -1;
}

std::vector<int64_t> CellIndex::MapRows(const Dataset& dataset, WorkerPool& pool) const {
  const Cells& cells = *cells_;
  const KeyLayout& layout = cells.layout;
  const int words = layout.words();
  std::vector<int64_t> out(static_cast<size_t>(dataset.rows()));
  const int64_t n = dataset.rows();
  const int parts = n < kParallelThreshold ? 1 : pool.threads();
  pool.Run(parts, [&](int t) {
    int64_t begin = n * t / parts, end = n * (t + 1) / parts;
    std::vector<uint64_t> key(words);
    for (int64_t r = begin; r < end; ++r) {
      std::fill(key.begin(), key.end(), 0);
      for (int i = 0; i < dataset.qi_count(); ++i) {
        const auto& f = layout.field(i);
        if (f.bits == 0) continue;
        int32_t g = dataset.qi(i).hierarchy().GroupAt(dataset.qi(i).codes()[r], cells.levels[i]);
        key[f.word] |= static_cast<uint64_t>(g) << f.shift;
      }
      if (layout.has_sensitive()) {
        const auto& f = layout.field(layout.qi_fields());
        if (f.bits > 0)
          key[f.word] |= static_cast<uint64_t>(dataset.sensitive()->codes()[r]) << f.shift;
      }
      out[r] = Find(key.data());
    }
  });
  return out;
}

std::vector<std::vector<std::vector<int64_t>>> GroupFrequencies(const Dataset& dataset) {
  std::vector<std::vector<std::vector<int64_t>>> freq(dataset.qi_count());
  for (int i = 0; i < dataset.qi_count(); ++i) {
    const auto& qi = dataset.qi(i);
    const Hierarchy& h = qi.hierarchy();
    std::vector<int64_t> raw(h.value_count(), 0);
    for (int32_t c : qi.codes()) ++raw[c];
    freq[i].resize(h.levels());
    for (int l = 0; l < h.levels(); ++l) {
      freq[i][l].assign(h.GroupCount(l), 0);
      auto map = h.LevelMap(l);
      for (size_t r = 0; r < raw.size(); ++r) freq[i][l][map[r]] += raw[r];
    }
  }
  return freq;
}

}  // namespace sz::privacy
