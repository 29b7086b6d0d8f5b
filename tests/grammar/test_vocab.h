// Vocabularies for grammar tests: the real ones from ../shared/vocab, and a
// small synthetic SentencePiece-style one (byte tokens plus pieces cut from
// JSON-like text, a user-defined and an end-of-turn token) that needs no data.
#pragma once

#include <memory>
#include <string>

#include "tokenizer/tokenizer.h"

namespace corral::grammar::test {

std::shared_ptr<const tokenizer::Tokenizer> shared_vocab(const std::string& name);  // nullptr when absent
std::shared_ptr<const tokenizer::Tokenizer> synthetic_vocab();

}  // namespace corral::grammar::test
