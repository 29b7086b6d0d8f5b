// Holding back incomplete UTF-8 between tokens.
#include "tokenizer/streaming_decoder.h"

#include "util/utf8.h"

namespace corral::tokenizer {

StreamingDecoder::StreamingDecoder(std::shared_ptr<const Tokenizer> tokenizer, bool render_special)
    : tokenizer_(std::move(tokenizer)), render_special_(render_special) {}

std::string StreamingDecoder::push(TokenId id) {
  std::string_view piece = tokenizer_->piece(id, render_special_);
  pending_.append(piece);
  const std::size_t keep = utf8::incomplete_tail(pending_);
  std::string out = utf8::sanitize(std::string_view(pending_).substr(0, pending_.size() - keep));
  pending_.erase(0, pending_.size() - keep);
  return out;
}

std::string StreamingDecoder::flush() {
  std::string out = utf8::sanitize(pending_);
  pending_.clear();
  return out;
}

}  // namespace corral::tokenizer
