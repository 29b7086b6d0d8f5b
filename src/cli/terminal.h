// The terminal the CLI talks to: whether a descriptor is one, its size
// (TIOCGWINSZ), and a UTF-8 locale for line editing (libedit drops
// non-ASCII keystrokes under the C locale).
#pragma once

#include <string>

namespace corral::cli {

bool is_terminal(int fd);
// Columns / rows of the terminal on fd; 0 when fd is not a terminal or the size is unknown.
int terminal_width(int fd);
int terminal_height(int fd);

// setlocale(LC_ALL, ""); when the resulting character set is not UTF-8,
// switches LC_CTYPE to C.UTF-8. Returns the LC_CTYPE in effect.
std::string ensure_utf8_locale();

}  // namespace corral::cli
