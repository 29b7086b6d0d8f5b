// Go's text formatting of values, reproduced where corral must write the same
// bytes as Ollama: shortest float formatting (strconv.FormatFloat with
// precision -1 for 'e', 'f', 'g'), fmt's %v for floats, strconv.Quote
// (fmt's %#v of a string), and unicode.IsPrint.
#pragma once

#include <string>
#include <string_view>

namespace corral::store::go {

// strconv.FormatFloat(v, fmt, -1, bits): fmt is 'e', 'f' or 'g'; bits 32 or 64
// (32 formats the value rounded to float first, with float's shortest digits).
std::string format_float(double v, char fmt, int bits);

// fmt.Sprint / %v of a float64 ("0.7", "4096", "1e+06", "NaN", "+Inf").
std::string format_v(double v);

// encoding/json's rendering of a float (bits 32 or 64): 'f' format unless the
// magnitude is below 1e-6 or at least 1e21, exponents cleaned ("1e-7").
// NaN and infinities have no JSON form: Error("json: unsupported value: NaN").
std::string json_float(double v, int bits);

// strconv.Quote: double-quoted, Go escapes, non-printable runes as \u/\U/\x.
std::string quote(std::string_view s);

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and U+0020.
bool is_print(char32_t r);

}  // namespace corral::store::go
