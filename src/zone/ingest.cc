#include "zone/ingest.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/clock.h"
#include "crypto/sealed_file.h"
#include "fmt/format.h"
#include "ingest/csv_check.h"
#include "storage/duck.h"
#include "storage/memfile.h"
#include "zone/dataset_files.h"
#include "zone/profile.h"
#include "zone/version_store.h"

namespace sz::zone {

namespace {

using Steady = std::chrono::steady_clock;

double SecondsSince(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

class Importer {
 public:
  Importer(Zone& zone, const Caller& caller, const ImportRequest& request, const ImportHooks& hooks)
      : zone_(zone), caller_(caller), req_(request), hooks_(hooks), files_(zone.env()), start_(Steady::now()) {}
  ~Importer() { (void)FinishUploadSealing(/*abandon=*/true); }

  Result<ImportResult> Run();
  // Audits a failure of an import that was allowed.
  Status RecordFailure(const Status& failure);

 private:
  Status Validate();
  Status OpenSource();
  Status CheckCancelled() const;
  void Report(std::string_view stage, double fraction);
  std::string TmpPath(std::string_view suffix) const;
  Status ReadHead();
  void StartUploadSealing();
  Status FinishUploadSealing(bool abandon);
  Status Convert();
  Status ResolveEncoding();
  Status NotUtf8Error(uint64_t line) const;
  Status FallBackToCp949(uint64_t bad_line);
  Status InvalidUnicode(const Status& duck_error);
  Status TranscodeCp949();
  Result<std::string> DuckSourcePath();
  Status ConvertCsv(duck::Connection& conn, const std::string& source);
  Status ConvertParquet(duck::Connection& conn, const std::string& source);
  Status RunWatched(duck::Connection& conn, std::string_view stage, const std::string& sql,
                    uint64_t* rows);
  Status ExplainCsvFailure(const Status& duck_error, const std::string& source);
  Status Catalogue();
  Status CheckAccess();

  Zone& zone_;
  const Caller& caller_;
  std::optional<Access> access_;
  // How the source is named in messages and the catalog: the provider's file name, never
  // an internal path (the server imports uploads through /proc/self/fd/N).
  const std::string& shown() const { return req_.source_name.empty() ? req_.path : req_.source_name; }
  const ImportRequest& req_;
  const ImportHooks& hooks_;
  FileGuard files_;
  Steady::time_point start_;
  ImportResult result_;

  storage::UniqueFd source_;
  int source_fd_ = -1;  // source_.get()
  uint64_t source_bytes_ = 0;
  SourceFormat format_ = SourceFormat::kCsv;
  bool dataset_exists_ = false;
  DatasetInfo existing_;
  crypto::SecretBytes key_;
  std::string upload_tmp_, parquet_tmp_;
  std::thread upload_thread_;
  std::atomic<bool> stop_upload_{false};
  Status upload_status_;
  crypto::SealInfo upload_info_, parquet_info_;
  // What the read pass saw.
  std::string head_;
  bool utf8_valid_ = true;
  bool non_ascii_ = false;
  uint64_t first_invalid_ = 0;
  text::Encoding encoding_ = text::Encoding::kUtf8;
  duck::Database db_;
  duck::Connection conn_;  // declared after db_: closed first
  storage::MemFile transcoded_;
  storage::MemFile parquet_;
  uint64_t rows_ = 0;
};

Status Importer::CheckCancelled() const {
  if (hooks_.cancel && hooks_.cancel->load()) return Cancelled("import interrupted; nothing was stored");
  return OkStatus();
}

void Importer::Report(std::string_view stage, double fraction) {
  if (!hooks_.progress) return;
  hooks_.progress(ImportProgress{stage, fraction, source_bytes_, rows_, SecondsSince(start_)});
}

std::string Importer::TmpPath(std::string_view suffix) const { return zone::TmpPath(zone_, suffix); }

Status Importer::Validate() {
  SZ_RETURN_IF_ERROR(ValidateName("dataset", req_.name));
  Catalog catalog(zone_);
  auto existing = catalog.Get(req_.name);
  dataset_exists_ = existing.ok();
  if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
  if (req_.new_version) {
    if (!dataset_exists_) {
      return NotFound(fmt::format("dataset '{}' does not exist; import it without --new-version first",
                                  req_.name));
    }
    existing_ = *existing;
    if (!req_.tier.empty()) SZ_RETURN_IF_ERROR(ValidateTier(req_.tier));
    return OkStatus();
  }
  if (dataset_exists_) {
    return AlreadyExists(fmt::format(
        "dataset '{}' exists already; use --new-version to add a version, or choose another name",
        req_.name));
  }
  SZ_RETURN_IF_ERROR(catalog.ValidateSector(req_.sector));
  SZ_RETURN_IF_ERROR(ValidateTier(req_.tier));
  if (req_.provider.empty()) return InvalidArgument("a dataset needs its provider institution (--provider)");
  return OkStatus();
}

// The source is opened once and then only read through this descriptor (DuckDB too, via
// /proc/self/fd): the file cannot be swapped between the checks and the conversion, and
// DuckDB never interprets the provider's path (globs, URLs).
Status Importer::OpenSource() {
  source_ = storage::UniqueFd(::open(req_.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!source_.valid()) return storage::ErrnoStatus(errno, "opening", shown());
  source_fd_ = source_.get();
  struct stat st;
  if (::fstat(source_fd_, &st) != 0) return storage::ErrnoStatus(errno, "reading", shown());
  if (!S_ISREG(st.st_mode)) return InvalidArgument(fmt::format("{} is not a regular file", shown()));
  if (st.st_size == 0) return InvalidArgument(fmt::format("{} is empty", shown()));
  if (req_.max_bytes && static_cast<uint64_t>(st.st_size) > req_.max_bytes) {
    return ResourceExhausted(fmt::format("{} is {} bytes; the limit is {} bytes", shown(),
                                         st.st_size, req_.max_bytes));
  }
  char magic[4] = {};
  ssize_t n = ::pread(source_fd_, magic, 4, 0);
  bool parquet_magic = n == 4 && std::string_view(magic, 4) == "PAR1";
  format_ = req_.format;
  if (format_ == SourceFormat::kAuto) {
    bool parquet_ext = std::filesystem::path(shown()).extension() == ".parquet";
    format_ = (parquet_magic || parquet_ext) ? SourceFormat::kParquet : SourceFormat::kCsv;
  }
  if (format_ == SourceFormat::kParquet && !parquet_magic) {
    return InvalidArgument(fmt::format("{} is not a Parquet file (no PAR1 magic)", shown()));
  }
  return OkStatus();
}

// Reads the first 64 KiB: enough to choose the encoding and the delimiter.
Status Importer::ReadHead() {
  head_.assign(64 << 10, '\0');
  ssize_t n = ::pread(source_fd_, head_.data(), head_.size(), 0);
  if (n < 0) return storage::ErrnoStatus(errno, "reading", shown());
  head_.resize(static_cast<size_t>(n));
  size_t bad = text::FindInvalidUtf8(head_, /*allow_truncated_tail=*/true);
  utf8_valid_ = bad == std::string_view::npos;
  first_invalid_ = utf8_valid_ ? 0 : bad;
  non_ascii_ = std::any_of(head_.begin(), head_.end(), [](char c) { return (c & 0x80) != 0; });
  return OkStatus();
}

// Seals the raw upload on its own thread while DuckDB converts: both only read the
// source, and on two cores the encryption (AES-NI) hides in DuckDB's pauses.
void Importer::StartUploadSealing() {
  upload_tmp_ = TmpPath(".szr");
  files_.Add(upload_tmp_);
  upload_thread_ = std::thread([this] {
    auto info = crypto::SealFromFd(zone_.env(), source_fd_, shown(), upload_tmp_, key_,
                                   DatasetSealContext(req_.name) + " upload", &stop_upload_);
    if (info.ok()) {
      upload_info_ = *info;
    } else {
      upload_status_ = info.status();
    }
  });
}

Status Importer::FinishUploadSealing(bool abandon) {
  if (!upload_thread_.joinable()) return OkStatus();
  if (abandon) stop_upload_.store(true);
  upload_thread_.join();
  return abandon ? OkStatus() : upload_status_;
}

uint64_t LineOf(int fd, uint64_t offset) {
  uint64_t line = 1;
  std::string buf(1 << 20, '\0');
  for (uint64_t pos = 0; pos < offset;) {
    ssize_t n = ::pread(fd, buf.data(), std::min<uint64_t>(buf.size(), offset - pos), static_cast<off_t>(pos));
    if (n <= 0) break;
    line += static_cast<uint64_t>(std::count(buf.begin(), buf.begin() + n, '\n'));
    pos += static_cast<uint64_t>(n);
  }
  return line;
}

Status Importer::ResolveEncoding() {
  if (format_ != SourceFormat::kCsv) return OkStatus();
  switch (req_.encoding) {
    case text::Encoding::kUtf8:
      if (!utf8_valid_) return NotUtf8Error(LineOf(source_fd_, first_invalid_));
      encoding_ = text::Encoding::kUtf8;
      return OkStatus();
    case text::Encoding::kCp949:
      if (utf8_valid_ && non_ascii_) {
        return InvalidArgument(fmt::format(
            "{} was declared CP949 but is valid UTF-8 with non-ASCII text; drop --encoding or "
            "pass --encoding utf-8",
            shown()));
      }
      encoding_ = text::Encoding::kCp949;
      return TranscodeCp949();
    case text::Encoding::kAuto:
      if (utf8_valid_) {
        encoding_ = text::Encoding::kUtf8;  // DuckDB checks the rest of the file
        return OkStatus();
      }
      return FallBackToCp949(LineOf(source_fd_, first_invalid_));
  }
  return Internal("unhandled encoding");
}

Status Importer::NotUtf8Error(uint64_t line) const {
  return InvalidArgument(fmt::format(
      "{} is not valid UTF-8 (first bad bytes on line {}); if it is a Korean legacy file, pass "
      "--encoding cp949",
      shown(), line));
}

// Auto-detection found bytes that are not UTF-8: the file must be CP949 or is refused.
Status Importer::FallBackToCp949(uint64_t bad_line) {
  encoding_ = text::Encoding::kCp949;
  Status s = TranscodeCp949();
  if (s.ok() || s.code() == Code::kCancelled) return s;
  return InvalidArgument(fmt::format(
      "{} is in an encoding safezone cannot determine: not UTF-8 (bad bytes on line {}) and not "
      "CP949/EUC-KR ({}); convert it or declare --encoding",
      shown(), bad_line, s.message()));
}

Status Importer::TranscodeCp949() {
  SZ_ASSIGN_OR_RETURN(auto conv, text::Cp949ToUtf8::Create());
  SZ_ASSIGN_OR_RETURN(transcoded_, storage::MemFile::Create("cp949"));
  std::string buf(4 << 20, '\0');
  std::string out;
  uint64_t offset = 0;
  while (true) {
    ssize_t n = ::pread(source_fd_, buf.data(), buf.size(), static_cast<off_t>(offset));
    if (n < 0) return storage::ErrnoStatus(errno, "reading", shown());
    bool last = n == 0;
    out.clear();
    SZ_RETURN_IF_ERROR(conv.Convert(std::string_view(buf.data(), static_cast<size_t>(n)), last, out));
    SZ_RETURN_IF_ERROR(transcoded_.Append(out));
    if (last) break;
    offset += static_cast<uint64_t>(n);
    SZ_RETURN_IF_ERROR(CheckCancelled());
  }
  // The head for dialect detection must be UTF-8 too.
  SZ_ASSIGN_OR_RETURN(head_, transcoded_.ReadAt(0, 64 << 10));
  return OkStatus();
}

Result<std::string> Importer::DuckSourcePath() {
  if (transcoded_.fd() >= 0) return transcoded_.path();
  return "/proc/self/fd/" + std::to_string(source_fd_);
}

// Runs `sql` while a watcher thread reports DuckDB's progress and turns a cancel request
// into an interrupt of the running query.
Status Importer::RunWatched(duck::Connection& conn, std::string_view stage, const std::string& sql,
                            uint64_t* rows) {
  auto result = [&] {
    duck::QueryWatcher watcher(conn, hooks_.cancel, [&](double f) { Report(stage, f); });
    return conn.Query(sql);
  }();
  if (!result.ok()) {
    if (result.status().code() == Code::kCancelled) return CheckCancelled();
    return result.status();
  }
  if (rows) {
    SZ_ASSIGN_OR_RETURN(auto table, result->Rows());
    *rows = table.empty() ? 0 : static_cast<uint64_t>(std::get<int64_t>(table[0][0]));
  }
  return OkStatus();
}

// DuckDB's CSV errors are long and sometimes blame the dialect; find the first
// structural fault ourselves and name its line.
Status Importer::ExplainCsvFailure(const Status& duck_error, const std::string& source) {
  ingest::CsvChecker checker(result_.delimiter);
  storage::UniqueFd fd(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.valid()) {
    std::string buf(4 << 20, '\0');
    ssize_t n;
    while ((n = ::read(fd.get(), buf.data(), buf.size())) > 0) {
      checker.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
    }
    Status structural = checker.Finish();
    if (!structural.ok()) return InvalidArgument(fmt::format("{}: {}", shown(), structural.message()));
  }
  std::string first_line = duck_error.message().substr(0, duck_error.message().find('\n'));
  return Status(duck_error.code(), fmt::format("{}: {}", shown(), first_line));
}

Status Importer::ConvertCsv(duck::Connection& conn, const std::string& source) {
  result_.delimiter = req_.delimiter.value_or(ingest::DetectDelimiter(head_));
  std::string dialect = fmt::format("delim={}, quote='\"', escape='\"'",
                                    duck::QuoteLiteral(std::string(1, result_.delimiter)));
  if (req_.header) {
    result_.header = *req_.header;
  } else {
    auto sniff = conn.Scalar(fmt::format("SELECT HasHeader FROM sniff_csv({}, {})",
                                         duck::QuoteLiteral(source), dialect));
    if (!sniff.ok()) return ExplainCsvFailure(sniff.status(), source);
    result_.header = std::get<bool>(*sniff);
  }
  std::string read = fmt::format("read_csv({}, {}, header={}, strict_mode=true",
                                 duck::QuoteLiteral(source), dialect, result_.header);
  auto copy_sql = [&](std::string_view extra) {
    return fmt::format("COPY (SELECT * FROM {}{})) TO {} (FORMAT parquet, USE_TMP_FILE false)",
                       read, extra, duck::QuoteLiteral(parquet_.path()));
  };
  Status s = RunWatched(conn, "converting", copy_sql(""), &rows_);
  if (s.code() == Code::kInvalidArgument && s.message().find("Could not convert") != std::string::npos) {
    // Types were guessed from a sample; a later row disagreed. Sniff the whole file.
    SZ_RETURN_IF_ERROR(parquet_.Clear());
    s = RunWatched(conn, "converting", copy_sql(", sample_size=-1"), &rows_);
  }
  if (s.code() == Code::kInvalidArgument && s.message().find("Invalid unicode") != std::string::npos) {
    return InvalidUnicode(s);
  }
  if (s.code() == Code::kInvalidArgument) return ExplainCsvFailure(s, source);
  return s;
}

// DuckDB found bytes that are not UTF-8 beyond the head we checked. Its message names
// the line ("CSV Error on Line: 300002").
Status Importer::InvalidUnicode(const Status& duck_error) {
  uint64_t line = 0;
  auto at = duck_error.message().find("Line: ");
  if (at != std::string::npos) line = std::strtoull(duck_error.message().c_str() + at + 6, nullptr, 10);
  if (req_.encoding != text::Encoding::kAuto || encoding_ != text::Encoding::kUtf8) {
    return NotUtf8Error(line);
  }
  return Status(Code::kAborted, std::to_string(line));  // Run() retries as CP949
}

Status Importer::ConvertParquet(duck::Connection& conn, const std::string& source) {
  std::string read = fmt::format("read_parquet({})", duck::QuoteLiteral(source));
  SZ_ASSIGN_OR_RETURN(auto described, conn.Query("DESCRIBE SELECT * FROM " + read));
  SZ_ASSIGN_OR_RETURN(auto cols, described.Rows());
  for (const auto& col : cols) {
    std::string type = duck::ValueToString(col[1]);
    if (type.find('[') != std::string::npos || type.rfind("STRUCT", 0) == 0 ||
        type.rfind("MAP", 0) == 0 || type.rfind("UNION", 0) == 0) {
      return InvalidArgument(fmt::format(
          "{}: column '{}' has nested type {}; flatten it before import", shown(),
          duck::ValueToString(col[0]), type));
    }
  }
  return RunWatched(conn, "converting",
                    fmt::format("COPY (SELECT * FROM {}) TO {} (FORMAT parquet, USE_TMP_FILE false)",
                                read, duck::QuoteLiteral(parquet_.path())),
                    &rows_);
}

Status Importer::Catalogue() {
  SZ_ASSIGN_OR_RETURN(auto txn, storage::Transaction::Begin(zone_.db()));
  storage::SqliteDb& db = zone_.db();
  NewVersion nv;
  nv.tier = req_.tier;
  if (req_.new_version) {
    nv.dataset_id = existing_.id;
    if (nv.tier.empty()) nv.tier = existing_.tier;
  } else {
    SZ_RETURN_IF_ERROR(db.Run(
        "INSERT INTO datasets(name, title_ko, title_en, sector, tier, provider, description, "
        "created_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        req_.name, req_.title_ko, req_.title_en, req_.sector, req_.tier, req_.provider,
        req_.description, FormatUtc(zone_.clock().Now()), caller_.Label()));
    nv.dataset_id = db.LastInsertId();
    SZ_RETURN_IF_ERROR(zone_.StoreKey(DatasetKeyPurpose(req_.name), key_));
  }
  nv.data = SealedTmp{parquet_tmp_, parquet_info_};
  nv.upload = SealedTmp{upload_tmp_, upload_info_};
  nv.row_count = static_cast<int64_t>(rows_);
  nv.source_name = std::filesystem::path(shown()).filename().string();
  nv.source_format = format_ == SourceFormat::kParquet ? "parquet" : "csv";
  nv.source_encoding = result_.encoding;
  nv.source_delimiter = format_ == SourceFormat::kCsv ? std::string(1, result_.delimiter) : std::string();
  nv.source_header = result_.header;
  nv.created_by = caller_.Label();
  nv.columns = result_.version.columns;
  SZ_ASSIGN_OR_RETURN(StoredVersion stored, InsertVersion(zone_, nv, files_));

  authz::AuditDetails details;
  details.datasets = {fmt::format("dataset:{}@{}", nv.dataset_id, stored.version)};
  details.note = fmt::format("{} rows from {} ({})", rows_, result_.encoding, nv.source_format);
  SZ_RETURN_IF_ERROR(std::move(*access_).Record(details));
  access_.reset();
  SZ_RETURN_IF_ERROR(txn.Commit());
  files_.Commit();
  return OkStatus();
}

// A new dataset is checked against the institution and tier it will have; a new version
// against the existing dataset.
Status Importer::CheckAccess() {
  authz::Object object = req_.new_version
                             ? DatasetObject(existing_.id, existing_.provider, existing_.tier)
                             : DatasetObject(0, req_.provider, req_.tier);
  auto action = req_.new_version ? authz::Action::kDatasetAddVersion : authz::Action::kDatasetImport;
  SZ_ASSIGN_OR_RETURN(Access access, Access::Check(zone_, caller_, action, object));
  access_.emplace(std::move(access));
  return OkStatus();
}

Status Importer::RecordFailure(const Status& failure) {
  if (!access_) return OkStatus();
  Status s = std::move(*access_).RecordFailure(failure);
  access_.reset();
  return s;
}

// Source -> Parquet in memory. A file whose non-UTF-8 bytes start past the head is
// retried as CP949 when the encoding was left to auto-detection.
Status Importer::Convert() {
  SZ_RETURN_IF_ERROR(ReadHead());
  SZ_RETURN_IF_ERROR(ResolveEncoding());
  duck::Options options;
  options.threads = req_.threads;
  SZ_ASSIGN_OR_RETURN(db_, duck::Database::Open(options));
  SZ_ASSIGN_OR_RETURN(conn_, duck::Connection::Open(db_));
  duck::Connection& conn = conn_;
  SZ_ASSIGN_OR_RETURN(parquet_, storage::MemFile::Create("import"));
  if (format_ == SourceFormat::kParquet) {
    SZ_RETURN_IF_ERROR(ConvertParquet(conn, "/proc/self/fd/" + std::to_string(source_fd_)));
  } else {
    SZ_ASSIGN_OR_RETURN(std::string source, DuckSourcePath());
    Status s = ConvertCsv(conn, source);
    if (s.code() == Code::kAborted) {
      SZ_RETURN_IF_ERROR(FallBackToCp949(std::strtoull(s.message().c_str(), nullptr, 10)));
      SZ_RETURN_IF_ERROR(parquet_.Clear());
      SZ_ASSIGN_OR_RETURN(source, DuckSourcePath());
      s = ConvertCsv(conn, source);
    }
    SZ_RETURN_IF_ERROR(s);
  }
  transcoded_ = storage::MemFile();  // free the UTF-8 copy early
  if (rows_ == 0) return InvalidArgument(fmt::format("{} has no data rows", shown()));
  return OkStatus();
}

Result<ImportResult> Importer::Run() {
  SZ_RETURN_IF_ERROR(Validate());
  SZ_RETURN_IF_ERROR(CheckAccess());
  SZ_RETURN_IF_ERROR(OpenSource());
  if (dataset_exists_) {
    SZ_ASSIGN_OR_RETURN(key_, zone_.Key(DatasetKeyPurpose(req_.name)));
  } else {
    key_ = crypto::SecretBytes::Random(crypto::kKeyBytes);
  }

  auto t = Steady::now();
  StartUploadSealing();
  Status converted = Convert();
  SZ_RETURN_IF_ERROR(FinishUploadSealing(/*abandon=*/!converted.ok()));
  SZ_RETURN_IF_ERROR(converted);
  result_.encoding = format_ == SourceFormat::kCsv ? std::string(text::EncodingName(encoding_)) : "binary";
  result_.stats.convert_seconds = SecondsSince(t);
  SZ_RETURN_IF_ERROR(CheckCancelled());

  // Profiling (DuckDB over the memfd) and sealing (AES-GCM, pread of the same memfd) are
  // independent, so they overlap: on two cores that hides most of the profiling time.
  t = Steady::now();
  Report("profiling", -1);  // and sealing, alongside
  parquet_tmp_ = TmpPath(".szp");
  files_.Add(parquet_tmp_);
  Result<crypto::SealInfo> sealed = Internal("sealing did not run");
  std::thread sealer([&] {
    sealed = crypto::SealMemFile(zone_.env(), parquet_, parquet_tmp_, key_, DatasetSealContext(req_.name));
  });
  auto profiled = ProfileColumns(conn_, parquet_.path(), req_.profile_sample_rows);
  result_.stats.profile_seconds = SecondsSince(t);
  sealer.join();
  result_.stats.seal_seconds = SecondsSince(t);
  SZ_RETURN_IF_ERROR(profiled.status());
  SZ_RETURN_IF_ERROR(sealed.status());
  result_.version.columns = std::move(*profiled);
  parquet_info_ = std::move(*sealed);
  SZ_RETURN_IF_ERROR(CheckCancelled());

  SZ_RETURN_IF_ERROR(Catalogue());
  Catalog catalog(zone_);
  SZ_ASSIGN_OR_RETURN(result_.dataset, catalog.Get(req_.name));
  SZ_ASSIGN_OR_RETURN(result_.version, catalog.Version(req_.name, 0));
  result_.stats.total_seconds = SecondsSince(start_);
  Report("done", 1);
  return std::move(result_);
}

}  // namespace

Result<ImportResult> ImportDataset(Zone& zone, const Caller& caller, const ImportRequest& request,
                                   const ImportHooks& hooks) {
  Importer importer(zone, caller, request, hooks);
  auto result = importer.Run();
  if (!result.ok()) {
    Status failure = result.status().WithContext("import " + request.name);
    (void)importer.RecordFailure(failure);  // best effort: the failure is what matters
    return failure;
  }
  return result;
}

}  // namespace sz::zone
