// History truncation and image tagging for chat prompts (server/prompt.go).
#include "template/chat_prompt.h"

#include "template/text_util.h"

namespace corral::tmpl {

namespace {

std::string render(const PromptTemplate& tmpl, std::vector<Message> messages, const std::vector<Tool>& tools,
                   const ThinkSetting& think) {
  Values v;
  v.messages = std::move(messages);
  v.tools = tools;
  v.set_think(think);
  return tmpl.execute(v);
}

}  // namespace

ChatPrompt chat_prompt(const PromptTemplate& tmpl, const std::vector<Message>& msgs, const std::vector<Tool>& tools,
                       const ThinkSetting& think, const TokenCounter& count_tokens,
                       const ChatPromptOptions& options) {
  constexpr std::size_t kImageTokens = 768;
  ChatPrompt out;
  std::vector<Message> system;
  std::size_t current = 0;
  if (options.truncate && !msgs.empty()) {
    const std::size_t last = msgs.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) {
      system.clear();
      for (std::size_t j = 0; j < i; ++j)
        if (msgs[j].role == "system") system.push_back(msgs[j]);
      std::vector<Message> candidate = system;
      candidate.insert(candidate.end(), msgs.begin() + static_cast<std::ptrdiff_t>(i), msgs.end());
      std::size_t n = count_tokens(render(tmpl, std::move(candidate), tools, think));
      if (options.has_projector)
        for (std::size_t j = i; j < msgs.size(); ++j) n += kImageTokens * msgs[j].images.size();
      if (n <= options.num_ctx || i == last) {
        current = i;
        break;
      }
    }
  }
  out.first_message = current;

  std::vector<Message> render_msgs = system;
  for (std::size_t k = current; k < msgs.size(); ++k) {
    Message m = msgs[k];
    std::string prefix;
    std::string text = m.content;
    for (const auto& img : m.images) {
      std::string tag = "[img-" + std::to_string(out.images.size()) + "]";
      out.images.push_back(img);
      if (!options.tag_images) continue;
      std::size_t at = text.find("[img]");
      if (at == std::string::npos)
        prefix += tag;
      else
        text.replace(at, 5, tag);
    }
    if (options.tag_images) m.content = prefix + text;
    render_msgs.push_back(std::move(m));
  }
  out.prompt = render(tmpl, std::move(render_msgs), tools, think);
  return out;
}

std::vector<Message> strip_history_thinking(std::vector<Message> messages) {
  std::ptrdiff_t last_user = -1;
  for (std::size_t i = 0; i < messages.size(); ++i)
    if (messages[i].role == "user") last_user = static_cast<std::ptrdiff_t>(i);
  for (std::ptrdiff_t i = 0; i < last_user; ++i) {
    Message& m = messages[static_cast<std::size_t>(i)];
    if (m.role != "assistant") continue;
    // Ollama runs its thinking parser over the content and keeps the non-thinking part.
    std::string_view trimmed = go_trim_left_space(m.content);
    const std::string_view open = "<think>", close = "</think>";
    if (!trimmed.starts_with(open)) {
      // Whitespace only, or a partial opening tag: the parser is still waiting, nothing is content.
      if (open.starts_with(trimmed)) m.content.clear();
      continue;
    }
    std::size_t end = trimmed.find(close, open.size());
    if (end == std::string_view::npos) {
      m.content.clear();
      continue;
    }
    m.content = std::string(go_trim_left_space(trimmed.substr(end + close.size())));
  }
  return messages;
}

}  // namespace corral::tmpl
