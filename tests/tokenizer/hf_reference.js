// Reference tokenization with @lenml/tokenizers (a port of Hugging Face's
// tokenizers): node hf_reference.js TOKENIZER_DIR TEXTS.json OUT.json
// TEXTS.json is a JSON list of strings; OUT.json receives a list of id lists
// (encode with add_special_tokens = false, so special tokens written in the
// text are matched, as Hugging Face does by default).
"use strict";
const fs = require("fs");
const path = require("path");
const { TokenizerLoader } = require("@lenml/tokenizers");

const [dir, textsFile, outFile] = process.argv.slice(2);
if (!dir || !textsFile || !outFile) {
  console.error("usage: node hf_reference.js TOKENIZER_DIR TEXTS.json OUT.json");
  process.exit(2);
}
const readJson = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: readJson(path.join(dir, "tokenizer.json")),
  tokenizerConfig: readJson(path.join(dir, "tokenizer_config.json")),
});
const texts = readJson(textsFile);
const out = texts.map((t) => Array.from(tokenizer.encode(t, { add_special_tokens: false })));
fs.writeFileSync(outFile, JSON.stringify(out));
