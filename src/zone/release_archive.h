// A release package as one file: a POSIX ustar archive (IEEE Std 1003.1-2001, "pax
// interchange format" without extended headers) of the package's files, which `tar -xf`
// unpacks and ReadReleaseArchive reads back.
//
// Entries are regular files with mode 0644, owner 0/0 and time 0 (the archive of the same
// package is the same bytes); intermediate directories ("checksums/") are implied by the
// names. Names longer than ustar allows (100 bytes, or 155 + 100 split at a '/') are
// refused: release file names are short by construction.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "disclosure/acro_record.h"

namespace sz::zone {

// InvalidArgument for a name that is empty, absolute, has a ".." segment or is too long.
Result<std::string> WriteReleaseArchive(const std::vector<disclosure::ReleaseFile>& files);
// DataLoss for a damaged or truncated archive, or an entry that is not a plain file with
// a safe relative name.
Result<std::vector<disclosure::ReleaseFile>> ReadReleaseArchive(std::string_view archive);

}  // namespace sz::zone
