// LineEditor over libedit's histedit.h (see line_editor.h). libedit's own
// signal handling stays off (EL_SIGNAL would re-raise SIGINT to the whole
// process group); our handler interrupts the read and we look at the line.
// Bracketed paste: the terminal wraps pasted text in ESC[200~ ... ESC[201~;
// the opening sequence is bound to a function that reads up to the closing
// one, so pasted newlines do not submit the line.
#include "cli/line_editor.h"

#include <histedit.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "util/error.h"

namespace corral::cli {

struct LineEditor::Impl {
  LineHistory& history;
  EditLine* el = nullptr;
  History* hist = nullptr;
  HistEvent ev{};
  std::string prompt;
  std::string pasted;  // a multi-line paste that ended the current read
  bool bracketed_paste = false;

  explicit Impl(LineHistory& h) : history(h) {}
};

namespace {

LineEditor::Impl* impl_of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  return static_cast<LineEditor::Impl*>(data);
}

char* prompt_of(EditLine* el) {
  LineEditor::Impl* impl = impl_of(el);
  return impl ? impl->prompt.data() : const_cast<char*>("");
}

// Pasted text up to the terminal's end-of-paste sequence, CR LF and CR as LF.
std::string read_paste(EditLine* el) {
  static constexpr std::string_view kEnd = "\033[201~";
  std::string text;
  char c = 0;
  while (el_getc(el, &c) == 1) {
    text.push_back(c);
    if (text.size() >= kEnd.size() && std::string_view(text).substr(text.size() - kEnd.size()) == kEnd) {
      text.resize(text.size() - kEnd.size());
      break;
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Bound to ESC[200~: one line of paste is inserted for editing; several end the read.
unsigned char on_paste(EditLine* el, int) {
  std::string text = read_paste(el);
  if (text.find('\n') == std::string::npos) {
    if (!text.empty()) el_insertstr(el, text.c_str());
    return CC_REFRESH;
  }
  if (LineEditor::Impl* impl = impl_of(el)) impl->pasted = std::move(text);
  return CC_NEWLINE;
}

}  // namespace

LineEditor::LineEditor(LineHistory& history) : impl_(std::make_unique<Impl>(history)) {
  impl_->el = el_init("corral", stdin, stdout, stderr);
  if (impl_->el == nullptr) fail("cannot start the line editor (libedit) on this terminal");
  impl_->hist = history_init();
  ::history(impl_->hist, &impl_->ev, H_SETSIZE, 1000);
  ::history(impl_->hist, &impl_->ev, H_SETUNIQUE, 1);
  for (const auto& e : history.entries()) ::history(impl_->hist, &impl_->ev, H_ENTER, e.c_str());

  EditLine* el = impl_->el;
  el_set(el, EL_CLIENTDATA, impl_.get());
  el_set(el, EL_PROMPT, prompt_of);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, ::history, impl_->hist);
  el_set(el, EL_SIGNAL, 0);
  // Ollama's keys where libedit's emacs map differs.
  el_set(el, EL_BIND, "^W", "ed-delete-prev-word", nullptr);
  el_set(el, EL_BIND, "^U", "vi-kill-line-prev", nullptr);
  el_set(el, EL_BIND, "\033b", "ed-prev-word", nullptr);
  el_set(el, EL_BIND, "\033f", "em-next-word", nullptr);
  el_set(el, EL_ADDFN, "corral-paste", "Insert bracketed-paste text", on_paste);
  el_set(el, EL_BIND, "\033[200~", "corral-paste", nullptr);
  el_source(el, nullptr);  // the user's ~/.editrc, if any
  // Ask the terminal to bracket pastes (a real terminal only; TERM=dumb has no escapes).
  const char* term = std::getenv("TERM");
  if (::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO) && term != nullptr && std::string_view(term) != "dumb") {
    impl_->bracketed_paste = true;
    std::fputs("\033[?2004h", stdout);
    std::fflush(stdout);
  }
}

LineEditor::~LineEditor() {
  if (impl_->bracketed_paste) {
    std::fputs("\033[?2004l", stdout);
    std::fflush(stdout);
  }
  if (impl_->el) el_end(impl_->el);
  if (impl_->hist) history_end(impl_->hist);
}

LineEditor::Input LineEditor::read(const std::string& prompt) {
  impl_->prompt = prompt;
  el_resize(impl_->el);  // the terminal may have changed size since the last line
  int count = 0;
  errno = 0;
  const char* line = el_gets(impl_->el, &count);
  Input in;
  if (line == nullptr || count <= 0) {
    if (count < 0 && errno == EINTR) {
      const LineInfo* li = el_line(impl_->el);
      in.status = Status::interrupted;
      in.had_text = li != nullptr && li->lastchar > li->buffer;
      return in;
    }
    in.status = Status::eof;
    return in;
  }
  in.status = Status::line;
  in.text.assign(line, static_cast<std::size_t>(count));
  while (!in.text.empty() && (in.text.back() == '\n' || in.text.back() == '\r')) in.text.pop_back();
  if (!impl_->pasted.empty()) {
    // Show the pasted lines (read without echo) and hand them over as the start of a message.
    std::fputs(impl_->pasted.c_str(), stdout);
    if (impl_->pasted.back() != '\n') std::fputc('\n', stdout);
    std::fflush(stdout);
    in.text += impl_->pasted;
    in.pasted = true;
    impl_->pasted.clear();
  }
  return in;
}

void LineEditor::remember(const std::string& line) {
  if (line.empty()) return;
  ::history(impl_->hist, &impl_->ev, H_ENTER, line.c_str());
  impl_->history.add(line);
}

}  // namespace corral::cli
