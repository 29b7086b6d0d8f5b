// make_json_constraint: format -> grammar -> automaton + token tables, with a
// small cache of compiled formats per tokenizer.
#include "grammar/json_constraint.h"

#include <nlohmann/json.hpp>

#include <list>
#include <mutex>

#include "grammar/automaton.h"
#include "grammar/grammar_constraint.h"
#include "grammar/json_rules.h"
#include "grammar/json_schema.h"
#include "util/error.h"

namespace corral::grammar {
namespace {

constexpr std::size_t kCachedFormats = 16;

struct CachedFormat {
  std::string key;
  std::shared_ptr<const TokenTrie> trie;
  std::shared_ptr<const TokenMaskTable> table;
};

std::shared_ptr<const TokenMaskTable> table_for(const nlohmann::ordered_json& format,
                                                const std::shared_ptr<const TokenTrie>& trie) {
  static std::mutex mu;
  static std::list<CachedFormat> cache;  // most recent first
  std::string key = format.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  {
    std::lock_guard lock(mu);
    for (auto it = cache.begin(); it != cache.end(); ++it)
      if (it->trie == trie && it->key == key) {
        cache.splice(cache.begin(), cache, it);
        return cache.front().table;
      }
  }
  auto automaton = compile_format(format);
  auto table = std::make_shared<const TokenMaskTable>(std::move(automaton), trie);
  std::lock_guard lock(mu);
  cache.push_front({std::move(key), trie, table});
  if (cache.size() > kCachedFormats) cache.pop_back();
  return table;
}

}  // namespace

Grammar format_grammar(const nlohmann::ordered_json& format) {
  if (format.is_string() && format.get<std::string>() == "json") return json_object_grammar();
  if (format.is_object()) return schema_to_grammar(format);
  fail("invalid format: {}; expected \"json\" or a valid JSON Schema object",
       format.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::shared_ptr<const Automaton> compile_format(const nlohmann::ordered_json& format) {
  Grammar g = format_grammar(format);
  try {
    return Automaton::compile(g);
  } catch (const Error& e) {
    // Compilation problems of a schema's grammar are problems of the schema.
    const std::string msg = e.what();
    if (msg.find("matches nothing") != std::string::npos) fail("unsupported JSON schema: no JSON value satisfies it");
    if (msg.find("left-recursive") != std::string::npos)
      fail("unsupported JSON schema: a $ref cycle that reads no text before repeating ({})", msg);
    fail("unsupported JSON schema: {}", msg);
  }
}

std::shared_ptr<runner::TokenConstraint> make_json_constraint(const nlohmann::ordered_json& format,
                                                              std::shared_ptr<const tokenizer::Tokenizer> tok) {
  auto table = table_for(format, TokenTrie::for_tokenizer(tok));
  return std::make_shared<GrammarConstraint>(std::move(table), std::move(tok));
}

std::shared_ptr<runner::TokenConstraint> make_json_constraint(const nlohmann::json& format,
                                                              std::shared_ptr<const tokenizer::Tokenizer> tok) {
  nlohmann::ordered_json ordered;
  try {
    ordered = nlohmann::ordered_json::parse(format.dump());
  } catch (const nlohmann::json::exception&) {
    fail("invalid format: not valid UTF-8; expected \"json\" or a valid JSON Schema object");
  }
  return make_json_constraint(ordered, std::move(tok));
}

}  // namespace corral::grammar
