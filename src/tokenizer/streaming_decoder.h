// StreamingDecoder: turns generated token ids into text as they arrive. A
// UTF-8 character split across tokens is held back until it is complete;
// each byte that can never be part of a character comes out as U+FFFD, so every
// returned string is valid UTF-8. flush() ends the stream (an unfinished
// character becomes U+FFFD). One decoder per stream; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "tokenizer/tokenizer.h"

namespace corral::tokenizer {

class StreamingDecoder {
 public:
  explicit StreamingDecoder(std::shared_ptr<const Tokenizer> tokenizer, bool render_special = true);

  // Adds a token; returns the text that is now complete (maybe "").
  // Throws Error for an id outside the vocabulary (the state is unchanged).
  std::string push(TokenId id);
  // Returns whatever is held back and resets the decoder.
  std::string flush();
  // Bytes currently held back (0..3).
  std::size_t pending() const { return pending_.size(); }

 private:
  std::shared_ptr<const Tokenizer> tokenizer_;
  bool render_special_;
  std::string pending_;
};

}  // namespace corral::tokenizer
