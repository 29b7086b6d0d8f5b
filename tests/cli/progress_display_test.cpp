// ProgressDisplay in both modes, fed through ProgressStream as pull, push and
// create streams arrive.
#include <gtest/gtest.h>

#include "cli/progress_display.h"
#include "cli/progress_stream.h"

namespace corral::cli {
namespace {

struct Capture {
  std::string text;
  ProgressDisplay::Writer writer() {
    return [this](const std::string& s) { text += s; };
  }
};

api::ProgressResponse status(const std::string& s) { return api::ProgressResponse{s, "", 0, 0}; }
api::ProgressResponse part(const std::string& s, const std::string& digest, std::int64_t total, std::int64_t done) {
  return api::ProgressResponse{s, digest, total, done};
}

const std::string kDigest = "sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff";

TEST(ProgressDisplay, PlainOutputForPullHasOneLinePerStep) {
  Capture c;
  {
    ProgressDisplay d(c.writer(), false, [] { return 80; }, [] { return 24; });
    ProgressStream s(d, TransferKind::pull);
    s.on_event(status("pulling manifest"));
    s.on_event(part("pulling dde5aa3fc5ff", kDigest, 3'098'240, 0));  // skipped: nothing yet
    s.on_event(part("pulling dde5aa3fc5ff", kDigest, 3'098'240, 1'000'000));
    s.on_event(part("pulling dde5aa3fc5ff", kDigest, 3'098'240, 3'098'240));
    s.on_event(status("verifying sha256 digest"));
    s.on_event(status("writing manifest"));
    s.on_event(status("success"));
    EXPECT_EQ(s.last_status(), "success");
    d.stop();
  }
  EXPECT_EQ(c.text,
            "pulling manifest\n"
            "pulling dde5aa3fc5ff: 100% 3.1 MB\n"
            "verifying sha256 digest\n"
            "writing manifest\n"
            "success\n");
}

TEST(ProgressDisplay, CreateUsesTheServersStatusAsTheBarName) {
  Capture c;
  ProgressDisplay d(c.writer(), false, [] { return 80; }, [] { return 24; });
  ProgressStream s(d, TransferKind::create);
  s.on_event(status("parsing GGUF"));
  s.on_event(part("quantizing F16 model to Q8_0", "0000000000000000000", 100, 40));
  s.on_event(part("quantizing F16 model to Q8_0", "0000000000000000000", 100, 100));
  s.on_event(status("success"));
  d.stop();
  EXPECT_EQ(c.text, "parsing GGUF\nquantizing F16 model to Q8_0 100%  100 B\nsuccess\n");
}

TEST(ProgressDisplay, UnfinishedBarIsLoggedAtStop) {
  Capture c;
  ProgressDisplay d(c.writer(), false, [] { return 80; }, [] { return 24; });
  const int bar = d.add_bar("pushing abc", 1000, 0);
  d.set_bar(bar, 500);
  EXPECT_EQ(c.text, "");
  d.stop();
  EXPECT_EQ(c.text, "pushing abc  50%  500 B/  1 KB\n");
}

TEST(ProgressDisplay, SpinnerMessageChangesAreLoggedWhenItStops) {
  Capture c;
  ProgressDisplay d(c.writer(), false, [] { return 80; }, [] { return 24; });
  const int sp = d.add_spinner("copying file sha256:ab 0%");
  d.set_spinner_message(sp, "copying file sha256:ab 40%");
  d.set_spinner_message(sp, "copying file sha256:ab 100%");
  d.stop_spinner(sp);
  d.stop();
  EXPECT_EQ(c.text, "copying file sha256:ab 0%\ncopying file sha256:ab 100%\n");
}

TEST(ProgressDisplay, LiveRedrawsInPlace) {
  Capture c;
  ProgressDisplay d(c.writer(), true, [] { return 80; }, [] { return 24; });
  d.add_spinner("pulling manifest");
  const int bar = d.add_bar("pulling abc:", 1000, 0);
  d.render();
  const std::string first = c.text;
  // A frame follows the message (which one depends on the time since it started).
  const auto msg = first.find("pulling manifest ");
  ASSERT_NE(msg, std::string::npos) << first;
  EXPECT_EQ(first.compare(msg + 17 + 3, 4, "\x1b[K\n"), 0) << first;
  EXPECT_NE(first.find("pulling abc:   0% ▕"), std::string::npos);
  c.text.clear();
  d.set_bar(bar, 1000);
  d.render();
  // Back up one line (two lines drawn), to column 1, then redraw both.
  EXPECT_EQ(c.text.find("\x1b[A\x1b[1G"), c.text.find("\x1b[?25l") + 6) << c.text;
  EXPECT_NE(c.text.find("pulling abc: 100% ▕"), std::string::npos);
  c.text.clear();
  d.stop();
  EXPECT_NE(c.text.find("pulling manifest\x1b[K"), std::string::npos) << "stopped spinners lose their frame";
  EXPECT_EQ(c.text.back(), '\n');
}

TEST(ProgressDisplay, StopAndClearErasesTheLines) {
  Capture c;
  ProgressDisplay d(c.writer(), true, [] { return 60; }, [] { return 24; });
  d.add_spinner("");
  d.render();
  c.text.clear();
  d.stop_and_clear();
  const std::string erase = "\x1b[?25l\x1b[2K\x1b[1G\x1b[?25h";
  ASSERT_GE(c.text.size(), erase.size());
  EXPECT_EQ(c.text.substr(c.text.size() - erase.size()), erase);
}

}  // namespace
}  // namespace corral::cli
