// Drives a running corral server with the official JavaScript clients
// (`ollama` and `openai` from npm), the way applications use them.
// Usage: OLLAMA_URL=http://127.0.0.1:PORT node clients.mjs
// Exits non-zero (printing what failed) on the first broken expectation.
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import assert from 'node:assert/strict';

const host = process.env.OLLAMA_URL;
const ollama = new Ollama({ host });
const openai = new OpenAI({ baseURL: `${host}/v1`, apiKey: 'unused', maxRetries: 0 });
const greedy = { temperature: 0, num_predict: 6, seed: 1 };

async function step(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
    process.exitCode = 1;
  }
}

await step('version, list, show, ps', async () => {
  const v = await ollama.version();
  assert.match(v.version, /^\d+\.\d+\.\d+/);
  const list = await ollama.list();
  const names = list.models.map((m) => m.name).sort();
  assert.ok(names.includes('tiny:latest'), names.join(','));
  const show = await ollama.show({ model: 'tiny' });
  assert.equal(show.details.family, 'llama');
  assert.ok(show.capabilities.includes('completion'));
  await ollama.ps();
});

await step('generate non-streaming and streaming agree', async () => {
  const one = await ollama.generate({ model: 'plain', prompt: 'Hello', options: greedy });
  assert.equal(one.done, true);
  assert.ok(Array.isArray(one.context));
  let text = '';
  let last;
  for await (const part of await ollama.generate({ model: 'plain', prompt: 'Hello', options: greedy, stream: true })) {
    text += part.response;
    last = part;
  }
  assert.equal(text, one.response);
  assert.equal(last.done, true);
  assert.ok(last.eval_count > 0 && last.eval_duration > 0);
});

await step('chat streaming and aggregated', async () => {
  const messages = [{ role: 'user', content: 'Hi there' }];
  const one = await ollama.chat({ model: 'tiny', messages, options: greedy, think: false });
  assert.equal(one.message.role, 'assistant');
  let text = '';
  for await (const part of await ollama.chat({ model: 'tiny', messages, options: greedy, think: false, stream: true })) {
    text += part.message.content;
  }
  assert.equal(text, one.message.content);
});

await step('eight concurrent chats', async () => {
  const runs = Array.from({ length: 8 }, (_, i) =>
    ollama.chat({ model: 'plain', messages: [{ role: 'user', content: `n${i}` }], options: greedy }));
  const results = await Promise.all(runs);
  assert.equal(results.length, 8);
  for (const r of results) assert.equal(r.done, true);
});

await step('abort a stream', async () => {
  const stream = await ollama.generate({ model: 'plain', prompt: 'long', stream: true,
                                         options: { temperature: 0, num_predict: 100000 } });
  let n = 0;
  for await (const part of stream) {
    if (++n === 3) stream.abort();
    if (n > 3) break;
  }
  assert.ok(n >= 3);
  // The server is free for the next request.
  const r = await ollama.generate({ model: 'plain', prompt: 'after', options: { num_predict: 2 } });
  assert.equal(r.done, true);
});

await step('embed and legacy embeddings', async () => {
  const e = await ollama.embed({ model: 'plain', input: ['a', 'b'] });
  assert.equal(e.embeddings.length, 2);
  const norm = Math.hypot(...e.embeddings[0]);
  assert.ok(Math.abs(norm - 1) < 1e-3, `norm ${norm}`);
  const legacy = await ollama.embeddings({ model: 'plain', prompt: 'a' });
  assert.equal(legacy.embedding.length, e.embeddings[0].length);
});

await step('create, copy, delete', async () => {
  const r = await ollama.create({ model: 'js-made', from: 'tiny', system: 'Talk like a pirate.' });
  assert.equal(r.status, 'success');
  assert.equal((await ollama.show({ model: 'js-made' })).system, 'Talk like a pirate.');
  await ollama.copy({ source: 'js-made', destination: 'js-copy' });
  await ollama.delete({ model: 'js-copy' });
  await ollama.delete({ model: 'js-made' });
  const names = (await ollama.list()).models.map((m) => m.name);
  assert.ok(!names.includes('js-made:latest') && !names.includes('js-copy:latest'));
});

await step('ollama-js errors', async () => {
  await assert.rejects(ollama.generate({ model: 'missing-model', prompt: 'x' }), (e) => {
    assert.equal(e.status_code, 404);
    assert.match(e.message, /model 'missing-model' not found/);
    return true;
  });
  await assert.rejects(ollama.chat({ model: 'tiny', messages: [{ role: 'user', content: 'x' }], keep_alive: '3600' }),
                       (e) => e.status_code === 400);
});

await step('openai models', async () => {
  const page = await openai.models.list();
  assert.ok(page.data.some((m) => m.id === 'tiny:latest'));
  const m = await openai.models.retrieve('tiny:latest');
  assert.equal(m.id, 'tiny:latest');
  await assert.rejects(openai.models.retrieve('nope'), (e) => e.status === 404);
});

await step('openai chat, streaming with usage', async () => {
  const messages = [{ role: 'user', content: 'Hello' }];
  const one = await openai.chat.completions.create({ model: 'tiny', messages, max_tokens: 5, temperature: 0,
                                                     reasoning_effort: 'none' });
  assert.equal(one.object, 'chat.completion');
  assert.ok(one.usage.total_tokens > 0);
  const stream = await openai.chat.completions.create({ model: 'tiny', messages, max_tokens: 5, temperature: 0,
                                                        reasoning_effort: 'none', stream: true,
                                                        stream_options: { include_usage: true } });
  let text = '';
  let usage;
  let finish;
  for await (const chunk of stream) {
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      text += c.delta.content ?? '';
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  assert.equal(text, one.choices[0].message.content);
  assert.ok(finish);
  assert.ok(usage && usage.completion_tokens > 0);
  // The stricter stream helper accepts our chunks too.
  const helper = openai.chat.completions.stream({ model: 'tiny', messages, max_tokens: 3, reasoning_effort: 'none' });
  const final = await helper.finalChatCompletion();
  assert.equal(final.choices[0].message.role, 'assistant');
});

await step('openai completions and embeddings (base64 default)', async () => {
  const c = await openai.completions.create({ model: 'plain', prompt: 'Once', max_tokens: 4, temperature: 0 });
  assert.equal(c.object, 'text_completion');
  const b64 = await openai.embeddings.create({ model: 'plain', input: 'hi' });   // SDK asks for base64
  const floats = await openai.embeddings.create({ model: 'plain', input: 'hi', encoding_format: 'float' });
  assert.equal(b64.data[0].embedding.length, floats.data[0].embedding.length);
  for (let i = 0; i < floats.data[0].embedding.length; i++)
    assert.ok(Math.abs(b64.data[0].embedding[i] - floats.data[0].embedding[i]) < 1e-6);
  await assert.rejects(openai.chat.completions.create({ model: 'missing', messages: [{ role: 'user', content: 'x' }] }),
                       (e) => e.status === 404);
});
