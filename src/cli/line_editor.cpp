// LineEditor over libedit's histedit.h (see line_editor.h). libedit's own
// signal handling stays off (EL_SIGNAL would re-raise SIGINT to the whole
// process group); our handler interrupts the read and we look at the line.
#include "cli/line_editor.h"

#include <histedit.h>

#include <cerrno>
#include <cstdio>

#include "util/error.h"

namespace corral::cli {

struct LineEditor::Impl {
  LineHistory& history;
  EditLine* el = nullptr;
  History* hist = nullptr;
  HistEvent ev{};
  std::string prompt;

  explicit Impl(LineHistory& h) : history(h) {}
};

namespace {

char* prompt_of(EditLine* el) {
  void* data = nullptr;
  el_get(el, EL_CLIENTDATA, &data);
  auto* impl = static_cast<std::string*>(data);
  return impl ? impl->data() : const_cast<char*>("");
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
  el_set(el, EL_CLIENTDATA, &impl_->prompt);
  el_set(el, EL_PROMPT, prompt_of);
  el_set(el, EL_EDITOR, "emacs");
  el_set(el, EL_HIST, ::history, impl_->hist);
  el_set(el, EL_SIGNAL, 0);
  // Ollama's keys where libedit's emacs map differs.
  el_set(el, EL_BIND, "^W", "ed-delete-prev-word", nullptr);
  el_set(el, EL_BIND, "^U", "vi-kill-line-prev", nullptr);
  el_set(el, EL_BIND, "\033b", "ed-prev-word", nullptr);
  el_set(el, EL_BIND, "\033f", "em-next-word", nullptr);
  el_source(el, nullptr);  // the user's ~/.editrc, if any
}

LineEditor::~LineEditor() {
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
  return in;
}

void LineEditor::remember(const std::string& line) {
  if (line.empty()) return;
  ::history(impl_->hist, &impl_->ev, H_ENTER, line.c_str());
  impl_->history.add(line);
}

}  // namespace corral::cli
