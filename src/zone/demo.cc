#include "zone/demo.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "synth/datasets.h"
#include "zone/catalog_service.h"

namespace sz::zone {

namespace fs = std::filesystem;

std::string_view DemoDatasetName(synth::DatasetId id) {
  switch (id) {
    case synth::DatasetId::kTransportation: return "transit_taps";
    case synth::DatasetId::kPopulation: return "resident_population";
    case synth::DatasetId::kRealEstate: return "real_estate_deals";
    case synth::DatasetId::kTourism: return "accommodation_stays";
    case synth::DatasetId::kConsumption: return "card_payments";
    case synth::DatasetId::kFinance: return "loans_credit";
    case synth::DatasetId::kTourismStats: return "tourism_stats";
  }
  return "unknown";
}

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// A private scratch directory in memory-backed storage; removed with everything in it.
class ScratchDir {
 public:
  static Result<ScratchDir> Create() {
    std::error_code ec;
    fs::path base = fs::is_directory("/dev/shm", ec) && ::access("/dev/shm", W_OK) == 0
                        ? fs::path("/dev/shm")
                        : fs::temp_directory_path();
    std::string tmpl = (base / "safezone-demo-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) return Unavailable("cannot create a scratch directory for the demo");
    return ScratchDir(tmpl);
  }
  ScratchDir(ScratchDir&& o) noexcept : path_(std::exchange(o.path_, {})) {}
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

ImportRequest RequestFor(const synth::DatasetResult& generated, const std::string& dir) {
  const synth::DatasetSpec& spec = synth::SpecOf(generated.id);
  ImportRequest r;
  r.path = dir + "/" + generated.file;
  r.name = std::string(DemoDatasetName(generated.id));
  r.title_ko = std::string(spec.title_ko);
  r.title_en = std::string(spec.title_en);
  r.sector = std::string(spec.sector);
  // The providers' files carry raw identifiers, so they enter as non_open whatever tier
  // their data is meant for; pseudonymized versions are made in the zone.
  r.tier = spec.tier == synth::Tier::kOpen ? "open" : "non_open";
  r.provider = std::string(spec.provider);
  r.description = fmt::format("{} (synthetic demo data; intended tier: {})", spec.description,
                              synth::TierName(spec.tier));
  r.encoding = generated.encoding;
  return r;
}

// The datasets the demo pseudonymizes, for the project "demo".
constexpr std::string_view kDemoPseudonymized[] = {"card_payments", "loans_credit"};
constexpr std::string_view kDemoProject = "demo";

// What the demo's officer changes in a suggested policy before running it:
//  - a masked RRN still shows birth date and sex ("900101-1******"); the analysis needs
//    only to follow a person, so the RRN becomes the person pseudonym (project key);
//  - a 시군구 column next to its 시도 column makes classes of one (a customer in a small
//    군); the 시군구 is dropped and the 시도 kept as it is.
pseudo::Policy ReviewDemoPolicy(pseudo::Policy policy) {
  for (pseudo::ColumnRule& rule : policy.columns) {
    const std::string& c = rule.column;
    if (c.find("rrn") != std::string::npos && std::holds_alternative<pseudo::MaskRule>(rule.params)) {
      pseudo::PseudonymRule p;
      p.key = {"person", pseudo::KeyScope::kProject};
      rule.params = p;
    } else if (c.ends_with("sigungu")) {
      rule.params = pseudo::DeleteRule{};
    } else if (c.ends_with("sido")) {
      rule.params = pseudo::KeepRule{};
    }
  }
  policy.name += ", reviewed";
  return policy;
}

Status ConfirmRoles(Zone& zone, const std::vector<ImportResult>& imports) {
  for (const ImportResult& r : imports) {
    SZ_RETURN_IF_ERROR(UpdateColumnRoles(zone, Caller::Operator("demo"), r.dataset.name, 0, {}, true).status());
  }
  return OkStatus();
}

Result<RunResult> PseudonymizeForDemo(Zone& zone, std::string_view dataset, const DemoOptions& options) {
  SuggestRequest s;
  s.dataset = std::string(dataset);
  s.project = std::string(kDemoProject);
  SZ_ASSIGN_OR_RETURN(SuggestedPolicy suggested, SuggestPseudonymizationPolicy(zone, Caller::Operator("demo"), s));
  nlohmann::json doc = nlohmann::json::parse(pseudo::PolicyToJson(ReviewDemoPolicy(std::move(suggested.policy))));
  doc["thresholds"] = nlohmann::json::parse(ThresholdsToJson(suggested.thresholds));
  RunRequest r;
  r.dataset = std::string(dataset);
  r.policy_text = doc.dump(2);
  r.project = std::string(kDemoProject);
  r.summary = "safezone demo: the suggested policy, reviewed (RRN as the person pseudonym, 시군구 dropped)";
  r.threads = options.threads;
  RunHooks hooks;
  hooks.progress = [&](const RunProgress& p) {
    if (options.progress) options.progress(p.stage, dataset, p.fraction);
  };
  return RunPseudonymization(zone, Caller::Operator("demo"), r, hooks);
}

}  // namespace

Result<DemoResult> BuildDemoZone(const DemoOptions& options) {
  DemoResult result;
  ZoneOptions zo;
  zo.dir = options.dir + "/zone";
  zo.key.file = options.dir + "/master.key";
  zo.key.env_var = "";
  result.key_file = zo.key.file;
  std::error_code ec;
  if (fs::exists(zo.dir + "/zone.db", ec)) {
    SZ_ASSIGN_OR_RETURN(result.zone, Zone::Open(zo));
    return result;
  }
  fs::create_directories(options.dir, ec);
  if (ec) return Unavailable(fmt::format("cannot create {}: {}", options.dir, ec.message()));
  SZ_ASSIGN_OR_RETURN(result.zone, Zone::Init(zo, {.name = "demo"}));
  result.created = true;

  SZ_ASSIGN_OR_RETURN(ScratchDir scratch, ScratchDir::Create());
  synth::Options so = synth::Options::Demo(scratch.path() + "/provider-files");
  so.seed = options.seed;
  so.scale = options.scale;
  so.threads = options.threads;
  so.on_progress = [&](std::string_view dataset, int64_t done, int64_t total) {
    if (options.progress) options.progress("generating", dataset, total ? double(done) / double(total) : -1);
  };
  auto t = std::chrono::steady_clock::now();
  SZ_ASSIGN_OR_RETURN(synth::Manifest manifest, synth::Generate(so));
  result.generate_seconds = Since(t);

  t = std::chrono::steady_clock::now();
  for (const synth::DatasetResult& generated : manifest.datasets) {
    ImportRequest request = RequestFor(generated, so.output_dir);
    request.threads = options.threads;
    ImportHooks hooks;
    hooks.progress = [&](const ImportProgress& p) {
      if (options.progress) options.progress(p.stage, request.name, p.fraction);
    };
    SZ_ASSIGN_OR_RETURN(ImportResult imported, ImportDataset(*result.zone, Caller::Operator("demo"), request, hooks));
    result.imports.push_back(std::move(imported));
  }
  result.import_seconds = Since(t);

  t = std::chrono::steady_clock::now();
  SZ_RETURN_IF_ERROR(ConfirmRoles(*result.zone, result.imports));
  for (std::string_view dataset : kDemoPseudonymized) {
    SZ_ASSIGN_OR_RETURN(RunResult run, PseudonymizeForDemo(*result.zone, dataset, options));
    result.pseudonymized.push_back(std::move(run));
  }
  result.pseudonymize_seconds = Since(t);
  return result;
}

}  // namespace sz::zone
