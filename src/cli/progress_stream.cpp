// Progress events -> spinners and bars (see progress_stream.h).
#include "cli/progress_stream.h"

namespace corral::cli {

namespace {

// "sha256:dde5aa3fc5ff..." -> "dde5aa3fc5ff".
std::string short_digest(const std::string& digest) {
  std::string hex = digest.rfind("sha256:", 0) == 0 ? digest.substr(7) : digest;
  if (hex.size() > 12) hex.resize(12);
  return hex;
}

}  // namespace

void ProgressStream::on_event(const api::ProgressResponse& e) {
  if (!e.digest.empty()) {
    if (kind_ == TransferKind::pull && e.completed == 0) return;
    if (kind_ != TransferKind::create && spinner_ >= 0) display_.stop_spinner(spinner_);
    auto it = bars_.find(e.digest);
    if (it == bars_.end()) {
      std::string message;
      if (kind_ == TransferKind::pull) {
        message = "pulling " + short_digest(e.digest) + ":";
      } else {
        message = e.status.empty() ? std::string(kind_ == TransferKind::push ? "pushing " : "creating ") +
                                         short_digest(e.digest) + "..."
                                   : e.status;
      }
      it = bars_.emplace(e.digest, display_.add_bar(message, e.total, e.completed)).first;
    }
    display_.set_bar(it->second, e.completed);
    return;
  }
  if (e.status == status_) return;
  if (spinner_ >= 0) display_.stop_spinner(spinner_);
  status_ = e.status;
  spinner_ = display_.add_spinner(status_);
}

}  // namespace corral::cli
