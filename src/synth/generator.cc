#include "synth/generator.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "synth/cp949_encoder.h"
#include "synth/noise.h"
#include "synth/person.h"
#include "synth/rows.h"

namespace sz::synth {

namespace {

using internal::RowGenerator;
using internal::TourismAggregate;

constexpr int64_t kBasePersons = 10'000;
constexpr int kFileMode = 0640;
constexpr int kDirMode = 0750;

// One partition's output, produced by a worker and written in order by the caller.
struct Chunk {
  std::string csv;
  std::string truth;
  int64_t rows = 0;
  int64_t noisy = 0;
  TourismAggregate tourism;
  Status status;
};

// Runs produce(i) for i in [0, parts) on `threads` workers and consume(chunk) on the
// calling thread in index order. At most 2 × threads chunks are in memory at once.
// Stops at the first error from either side and returns it.
template <typename Produce, typename Consume>
Status RunOrdered(int64_t parts, int threads, const Produce& produce, const Consume& consume) {
  if (threads <= 1 || parts <= 1) {
    for (int64_t i = 0; i < parts; ++i) {
      Chunk c = produce(i);
      SZ_RETURN_IF_ERROR(c.status);
      SZ_RETURN_IF_ERROR(consume(c));
    }
    return OkStatus();
  }
  const int64_t window = 2 * static_cast<int64_t>(threads);
  std::mutex mu;
  std::condition_variable cv;
  std::map<int64_t, Chunk> ready;
  int64_t next_claim = 0;
  int64_t next_write = 0;
  bool stop = false;

  auto worker = [&] {
    for (;;) {
      int64_t i;
      {
        std::unique_lock lock(mu);
        cv.wait(lock,
                [&] { return stop || next_claim >= parts || next_claim < next_write + window; });
        if (stop || next_claim >= parts) return;
        i = next_claim++;
      }
      Chunk c = produce(i);
      {
        std::lock_guard lock(mu);
        ready.emplace(i, std::move(c));
      }
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(threads));
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

  Status result;
  for (int64_t i = 0; i < parts && result.ok(); ++i) {
    Chunk c;
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return ready.count(i) > 0; });
      c = std::move(ready.at(i));
      ready.erase(i);
      next_write = i + 1;
    }
    cv.notify_all();
    result = c.status.ok() ? consume(c) : c.status;
  }
  {
    std::lock_guard lock(mu);
    stop = true;
  }
  cv.notify_all();
  for (std::thread& t : pool) t.join();
  return result;
}

// Runs `body` and turns an escaping exception (allocation failure, fmt) into a Status, so
// that none crosses the module boundary or kills a worker thread.
template <typename F>
Status Guard(const F& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("out of memory while generating synthetic data; lower the scale");
  } catch (const std::exception& e) {
    return Internal(std::string("synthetic data generation failed: ") + e.what());
  }
}

class FileSink {
 public:
  static Result<FileSink> Open(storage::Env* env, const std::string& path) {
    SZ_ASSIGN_OR_RETURN(auto file, env->NewWritableFile(path, kFileMode));
    return FileSink(std::move(file));
  }
  Status Append(std::string_view data) {
    bytes_ += static_cast<int64_t>(data.size());
    return file_->Append(data);
  }
  Status Finish() {
    SZ_RETURN_IF_ERROR(file_->Sync());
    return file_->Close();
  }
  int64_t bytes() const { return bytes_; }

 private:
  explicit FileSink(std::unique_ptr<storage::WritableFile> f) : file_(std::move(f)) {}
  std::unique_ptr<storage::WritableFile> file_;
  int64_t bytes_ = 0;
};

struct Plan {
  int64_t persons = 0;
  std::vector<std::pair<DatasetId, int64_t>> datasets;  // in generation order
  int threads = 1;
};

Result<Plan> MakePlan(const Options& o) {
  if (o.output_dir.empty()) return InvalidArgument("synthetic data needs an output directory");
  if (!(o.scale > 0) || !std::isfinite(o.scale))
    return InvalidArgument("scale must be a positive number");
  if (!(o.noise_rate >= 0 && o.noise_rate <= 1))
    return InvalidArgument("noise rate must be between 0 and 1");
  if (o.persons < 0) return InvalidArgument("the number of persons cannot be negative");
  if (o.threads < 0) return InvalidArgument("the number of threads cannot be negative");
  if (o.partition_rows < 1) return InvalidArgument("partition size must be at least 1 row");
  if (o.max_cached_persons < 0) return InvalidArgument("the person cache size cannot be negative");
  if (!o.reference_date.Valid() || o.reference_date.year < 1950 || o.reference_date.year > 2100)
    return InvalidArgument("reference date must be a valid date between 1950 and 2100");
  Plan plan;
  double scaled = std::round(static_cast<double>(kBasePersons) * o.scale);
  plan.persons = o.persons > 0 ? o.persons : std::max<int64_t>(1, static_cast<int64_t>(scaled));
  if (plan.persons > 80'000'000)
    return InvalidArgument("at most 80 million persons are supported (unique 010 numbers)");
  std::vector<DatasetId> wanted = o.datasets;
  if (wanted.empty())
    for (const DatasetSpec& d : AllDatasets()) wanted.push_back(d.id);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  bool has_tourism = std::count(wanted.begin(), wanted.end(), DatasetId::kTourism) > 0;
  for (DatasetId id : wanted) {
    const DatasetSpec& spec = SpecOf(id);
    if (spec.derived) {
      if (!has_tourism)
        return InvalidArgument("tourism_stats is derived from tourism; include tourism");
      plan.datasets.emplace_back(id, 0);
      continue;
    }
    int64_t rows;
    auto it = o.rows.find(id);
    if (it != o.rows.end()) {
      rows = it->second;
    } else if (id == DatasetId::kPopulation) {
      rows = plan.persons;
    } else {
      rows = static_cast<int64_t>(
          std::llround(static_cast<double>(spec.rows_per_10k_persons) * o.scale));
    }
    if (rows < 0)
      return InvalidArgument(fmt::format("row count of {} cannot be negative", spec.name));
    if (id == DatasetId::kPopulation && rows > plan.persons)
      return InvalidArgument("population rows cannot exceed the number of persons");
    plan.datasets.emplace_back(id, rows);
  }
  for (const auto& [id, enc] : o.encodings)
    if (enc != text::Encoding::kUtf8 && enc != text::Encoding::kCp949)
      return InvalidArgument(fmt::format("encoding of {} must be utf-8 or cp949", SpecOf(id).name));
  plan.threads = o.threads > 0
                     ? o.threads
                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return plan;
}

Status PrepareDirectory(storage::Env* env, const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec))
      return AlreadyExists("output path exists and is not a directory; choose a new directory");
    if (!std::filesystem::is_empty(dir, ec))
      return AlreadyExists("output directory is not empty; choose a new or empty directory");
  } else {
    SZ_RETURN_IF_ERROR(env->CreateDir(dir, kDirMode));
  }
  return env->CreateDir(dir + "/ground_truth", kDirMode);
}

class Writer {
 public:
  Writer(const Options& o, const Plan& plan, storage::Env* env)
      : o_(o), plan_(plan), env_(env),
        universe_(o.seed, plan.persons, o.reference_date) {}

  // Generates every person once, in parallel, if the universe is small enough.
  void Prepare() {
    if (universe_.size() > o_.max_cached_persons) {
      rows_.emplace(universe_, o_.noise_rate, nullptr);
      return;
    }
    cache_.resize(static_cast<size_t>(universe_.size()));
    int64_t n = universe_.size();
    int threads =
        static_cast<int>(std::min<int64_t>(plan_.threads, std::max<int64_t>(1, n / 1000)));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([this, t, threads, n] {
        for (int64_t i = t; i < n; i += threads) cache_[static_cast<size_t>(i)] = universe_.Get(i);
      });
    for (std::thread& th : pool) th.join();
    rows_.emplace(universe_, o_.noise_rate, &cache_);
  }

  Status Dataset(DatasetId id, int64_t rows, DatasetResult& out) {
    const DatasetSpec& spec = SpecOf(id);
    out.id = id;
    out.file = std::string(spec.name) + ".csv";
    auto enc = o_.encodings.find(id);
    out.encoding = enc == o_.encodings.end() ? text::Encoding::kUtf8 : enc->second;
    if (spec.derived) return TourismStats(out);
    out.truth_file = "ground_truth/" + out.file;
    SZ_ASSIGN_OR_RETURN(FileSink csv, FileSink::Open(env_, Path(out.file)));
    SZ_ASSIGN_OR_RETURN(FileSink truth, FileSink::Open(env_, Path(out.truth_file)));
    std::string header;
    SZ_RETURN_IF_ERROR(Encoded(out.encoding, RowGenerator::Header(id), header));
    SZ_RETURN_IF_ERROR(csv.Append(header));
    SZ_RETURN_IF_ERROR(truth.Append(RowGenerator::kTruthHeader));
    int64_t parts = (rows + o_.partition_rows - 1) / o_.partition_rows;
    bool tourism = id == DatasetId::kTourism;
    auto produce = [&](int64_t part) {
      Chunk c;
      c.status = Guard([&]() -> Status {
        int64_t begin = part * o_.partition_rows;
        int64_t end = std::min(rows, begin + o_.partition_rows);
        std::string utf8;
        utf8.reserve(static_cast<size_t>(end - begin) * 200);
        for (int64_t r = begin; r < end; ++r)
          c.noisy += rows_->Append(id, r, utf8, c.truth, tourism ? &c.tourism : nullptr) ? 1 : 0;
        c.rows = end - begin;
        return Encoded(out.encoding, utf8, c.csv);
      });
      return c;
    };
    int64_t done = 0;
    auto consume = [&](Chunk& c) -> Status {
      SZ_RETURN_IF_ERROR(csv.Append(c.csv));
      SZ_RETURN_IF_ERROR(truth.Append(c.truth));
      out.noisy_rows += c.noisy;
      done += c.rows;
      for (const auto& [key, cell] : c.tourism) {
        internal::TourismCell& total = tourism_[key];
        total.stays += cell.stays;
        total.guests += cell.guests;
        total.guest_nights += cell.guest_nights;
        total.amount_won += cell.amount_won;
      }
      if (o_.on_progress) o_.on_progress(spec.name, done, rows);
      return OkStatus();
    };
    SZ_RETURN_IF_ERROR(RunOrdered(parts, plan_.threads, produce, consume));
    out.rows = rows;
    out.bytes = csv.bytes();
    SZ_RETURN_IF_ERROR(csv.Finish());
    return truth.Finish();
  }

  Status Persons() {
    SZ_ASSIGN_OR_RETURN(FileSink sink, FileSink::Open(env_, Path("ground_truth/persons.csv")));
    SZ_RETURN_IF_ERROR(sink.Append(
        "person_id,name,sex,birth_date,rrn,phone,email,emd_code,road_address,household_id,"
        "relation,occupation,annual_income_manwon,credit_score\n"));
    int64_t n = universe_.size();
    int64_t parts = (n + o_.partition_rows - 1) / o_.partition_rows;
    auto produce = [&](int64_t part) {
      Chunk c;
      c.status = Guard([&]() -> Status {
        int64_t begin = part * o_.partition_rows;
        int64_t end = std::min(n, begin + o_.partition_rows);
        for (int64_t i = begin; i < end; ++i) {
          Person p = cache_.empty() ? universe_.Get(i) : cache_[static_cast<size_t>(i)];
          std::string road = p.home.road;
          if (road.find(',') != std::string::npos) road = "\"" + road + "\"";
          fmt::format_to(std::back_inserter(c.csv), "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                         p.PersonId(), p.Name(), p.male ? "남" : "여", p.birth.Iso(), p.rrn,
                         p.phone, p.email, p.home.emd->code, road, p.household_id, p.relation,
                         p.occupation, p.annual_income_manwon, p.credit_score);
        }
        return OkStatus();
      });
      return c;
    };
    auto consume = [&](Chunk& c) { return sink.Append(c.csv); };
    SZ_RETURN_IF_ERROR(RunOrdered(parts, plan_.threads, produce, consume));
    return sink.Finish();
  }

  Status Index(const Manifest& m) {
    nlohmann::ordered_json j;
    j["about"] = "Ground truth of the synthetic datasets: never import these files.";
    j["persons"] = o_.write_persons ? "persons.csv" : "";
    nlohmann::ordered_json records = nlohmann::ordered_json::object();
    for (const DatasetResult& d : m.datasets) {
      if (d.truth_file.empty()) continue;
      records[std::string(SpecOf(d.id).name)] = {{"file", d.truth_file.substr(13)},
                                                 {"rows", d.rows},
                                                 {"noisy_rows", d.noisy_rows}};
    }
    j["records"] = records;
    j["noise_kinds"] = {NoiseName(NoiseKind::kNameTypo), NoiseName(NoiseKind::kAddressMoved),
                        NoiseName(NoiseKind::kPhoneChanged), NoiseName(NoiseKind::kDobTransposed)};
    return storage::WriteFileAtomic(env_, Path("ground_truth/index.json"), j.dump(2) + "\n",
                                    kFileMode);
  }

  std::string Path(std::string_view relative) const {
    return o_.output_dir + "/" + std::string(relative);
  }

 private:
  static Status Encoded(text::Encoding enc, std::string_view utf8, std::string& out) {
    if (enc != text::Encoding::kCp949) {
      out.append(utf8);
      return OkStatus();
    }
    SZ_ASSIGN_OR_RETURN(auto encoder, internal::Cp949Encoder::Create());
    return encoder.Encode(utf8, out);
  }

  Status TourismStats(DatasetResult& out) {
    SZ_ASSIGN_OR_RETURN(FileSink csv, FileSink::Open(env_, Path(out.file)));
    std::string utf8 = RowGenerator::Header(DatasetId::kTourismStats);
    RowGenerator::AppendTourismStats(tourism_, utf8, out.rows);
    std::string bytes;
    SZ_RETURN_IF_ERROR(Encoded(out.encoding, utf8, bytes));
    SZ_RETURN_IF_ERROR(csv.Append(bytes));
    out.bytes = csv.bytes();
    return csv.Finish();
  }

  const Options& o_;
  const Plan& plan_;
  storage::Env* env_;
  Universe universe_;
  std::vector<Person> cache_;
  std::optional<RowGenerator> rows_;  // set by Prepare()
  TourismAggregate tourism_;
};

}  // namespace

Options Options::Demo(std::string output_dir) {
  Options o;
  o.output_dir = std::move(output_dir);
  o.encodings[DatasetId::kRealEstate] = text::Encoding::kCp949;
  return o;
}

const DatasetResult* Manifest::Find(DatasetId id) const {
  for (const DatasetResult& d : datasets)
    if (d.id == id) return &d;
  return nullptr;
}

std::string Manifest::ToJson() const {
  nlohmann::ordered_json j;
  j["format"] = "safezone-synth/1";
  j["synthetic"] = true;
  j["seed"] = seed;
  j["reference_date"] = reference_date.Iso();
  j["persons"] = persons;
  j["noise_rate"] = noise_rate;
  j["ground_truth_dir"] = "ground_truth";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const DatasetResult& d : datasets) {
    const DatasetSpec& s = SpecOf(d.id);
    nlohmann::ordered_json e;
    e["name"] = s.name;
    e["title_ko"] = s.title_ko;
    e["title_en"] = s.title_en;
    e["sector"] = s.sector;
    e["tier"] = TierName(s.tier);
    e["provider"] = s.provider;
    e["description"] = s.description;
    e["file"] = d.file;
    e["encoding"] = text::EncodingName(d.encoding);
    e["rows"] = d.rows;
    e["bytes"] = d.bytes;
    if (s.derived) e["derived_from"] = "tourism";
    nlohmann::ordered_json cols = nlohmann::ordered_json::array();
    for (const ColumnSpec& c : s.columns)
      cols.push_back({{"name", c.name}, {"type", c.type}, {"role", ColumnRoleName(c.role)},
                      {"title_ko", c.title_ko}});
    e["columns"] = cols;
    list.push_back(e);
  }
  j["datasets"] = list;
  return j.dump(2) + "\n";
}

Result<Manifest> Generate(const Options& options) {
  SZ_ASSIGN_OR_RETURN(Plan plan, MakePlan(options));
  storage::Env* env = options.env ? options.env : storage::Env::Default();
  SZ_RETURN_IF_ERROR(PrepareDirectory(env, options.output_dir));
  Manifest manifest;
  manifest.seed = options.seed;
  manifest.persons = plan.persons;
  manifest.noise_rate = options.noise_rate;
  manifest.reference_date = options.reference_date;
  Status s = Guard([&]() -> Status {
    Writer writer(options, plan, env);
    writer.Prepare();
    for (const auto& [id, rows] : plan.datasets) {
      DatasetResult r;
      SZ_RETURN_IF_ERROR(writer.Dataset(id, rows, r).WithContext(SpecOf(id).name));
      manifest.datasets.push_back(std::move(r));
    }
    if (options.write_persons) SZ_RETURN_IF_ERROR(writer.Persons().WithContext("persons"));
    SZ_RETURN_IF_ERROR(writer.Index(manifest));
    return storage::WriteFileAtomic(env, writer.Path("manifest.json"), manifest.ToJson(),
                                    kFileMode);
  });
  if (!s.ok()) return s;
  return manifest;
}

}  // namespace sz::synth
