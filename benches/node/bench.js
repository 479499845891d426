'use strict';
// The Node binding of outbound-token against the mailsplit package, per message.
//
// For each message, and each of find, strip and verify, times the binding and the mailsplit way
// of doing the same thing: a Splitter -> Transform -> Joiner pipeline that reads the root
// node's headers (find: `headers.get(name)`; strip: `headers.remove(name)`; verify: the value's
// SHA-256 confirmed with `crypto.timingSafeEqual`, then the strip). mailsplit parses the whole
// MIME tree of the message; that is how it is used. Records whether mailsplit's stripped message
// is byte-exact with ours.
//
//   node benches/node/bench.js [--quick] [--json OUT]
//
// Needs `npm install` in benches/node (mailsplit) and the binding built in bindings/node
// (`npm run build` there).

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Transform, Writable } = require('node:stream');
const { Splitter, Joiner } = require('mailsplit');
const ot = require('../../bindings/node');

const ROOT = path.resolve(__dirname, '..', '..');
const NAME = ot.DEFAULT_HEADER;
const MASTER_KEY = Buffer.alloc(32, 0x5a);
const BODY_LINE = Buffer.from('QWxsIHdvcmsgYW5kIG5vIHBsYXkgbWFrZXMgSmFjayBhIGR1bGwgYm95LiBBbGwgd29yayBhbmQg\r\n');

function withToken(file, token) {
  const data = fs.readFileSync(path.join(ROOT, 'examples', 'messages', file), 'latin1');
  const end = data.indexOf('\r\n\r\n');
  const head = data
    .slice(0, end)
    .split('\r\n')
    .map((line) => (line.toLowerCase().startsWith(NAME.toLowerCase() + ':') ? `${NAME}: ${token}` : line))
    .join('\r\n');
  return Buffer.from(head + data.slice(end), 'latin1');
}

function withBody(data, size) {
  const end = data.indexOf('\r\n\r\n');
  const body = Buffer.alloc(size);
  for (let at = 0; at < size; at += BODY_LINE.length) BODY_LINE.copy(body, at);
  return Buffer.concat([data.subarray(0, end + 4), body]);
}

// Runs `data` through Splitter -> `onRoot(headers)` -> Joiner and resolves to the output.
function mailsplit(data, onRoot) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    const rewrite = new Transform({
      objectMode: true,
      transform(node, _enc, done) {
        if (node.type === 'node' && node.root) onRoot(node.headers);
        done(null, node);
      },
    });
    const sink = new Writable({
      write(chunk, _enc, done) {
        chunks.push(chunk);
        done();
      },
    });
    sink.on('finish', () => resolve(Buffer.concat(chunks)));
    const splitter = new Splitter();
    splitter.on('error', reject);
    splitter.pipe(rewrite).pipe(new Joiner()).pipe(sink);
    splitter.end(data);
  });
}

async function mailsplitFind(data) {
  let count = 0;
  await mailsplit(data, (headers) => {
    count = headers.get(NAME).length;
  });
  return count;
}

function mailsplitStrip(data) {
  return mailsplit(data, (headers) => headers.remove(NAME));
}

async function mailsplitVerify(data, digests) {
  let tenant = null;
  const stripped = await mailsplit(data, (headers) => {
    for (const line of headers.get(NAME)) {
      const value = line.slice(line.indexOf(':') + 1).trim();
      const digest = crypto.createHash('sha256').update(value, 'latin1').digest();
      for (const [stored, owner] of digests) {
        if (crypto.timingSafeEqual(stored, digest)) tenant = owner;
      }
    }
    headers.remove(NAME);
  });
  return { tenant, stripped };
}

// Seconds per call: the best of three time-based runs of about `seconds / 3` each.
async function perCall(fn, seconds) {
  await fn();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(Math.round((seconds / 3) * 1e9));
    let calls = 0;
    let now = start;
    while (now < deadline || calls === 0) {
      await fn();
      calls++;
      now = process.hrtime.bigint();
    }
    best = Math.min(best, Number(now - start) / calls / 1e9);
  }
  return best;
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const jsonAt = args.indexOf('--json');
  const seconds = quick ? 0.03 : 1.0;

  const token = ot.Token.derive(ot.MasterKey.fromBytes(MASTER_KEY), 't0000000');
  const keyring = new ot.Keyring();
  keyring.addTenant('t0000000');
  keyring.addToken('t0000000', token);
  const digests = [[Buffer.from(token.digest, 'hex'), 't0000000']];

  const m365 = withToken('m365-outbound.eml', token.exposeSecret());
  const messages = {
    m365,
    google: withToken('google-workspace.eml', token.exposeSecret()),
    'm365 10 KB body': withBody(m365, 10 * 1024),
    'm365 1 MB body': withBody(m365, 1024 * 1024),
  };

  const rows = [];
  for (const [label, data] of Object.entries(messages)) {
    // The results are checked before timing: both sides find one field and agree on the
    // tenant, and ours removes the token line.
    const ours = ot.strip(data);
    const check = (ok, what) => {
      if (!ok) throw new Error(`${label}: ${what}`);
    };
    check(ot.find(data).length === 1 && (await mailsplitFind(data)) === 1, 'find');
    check(ot.verify(data, keyring).tenant === 't0000000', 'verify');
    check((await mailsplitVerify(data, digests)).tenant === 't0000000', 'mailsplit verify');
    check(ours.length < data.length && !ours.includes(NAME), 'strip');
    const exact = (await mailsplitStrip(data)).equals(ours);
    const ops = {
      find: [() => ot.find(data), () => mailsplitFind(data)],
      strip: [() => ot.strip(data), () => mailsplitStrip(data)],
      verify: [() => ot.verify(data, keyring), () => mailsplitVerify(data, digests)],
    };
    for (const [op, [oursFn, theirsFn]] of Object.entries(ops)) {
      const tOurs = await perCall(oursFn, seconds);
      const tTheirs = await perCall(theirsFn, seconds);
      rows.push({
        message: label,
        bytes: data.length,
        op,
        ours_us: tOurs * 1e6,
        mailsplit_us: tTheirs * 1e6,
        speedup: tTheirs / tOurs,
        mailsplit_byte_exact: op === 'find' ? null : exact,
      });
    }
  }

  console.log(`Node ${process.version}, mailsplit ${require('mailsplit/package.json').version}`);
  console.log(
    `${'message'.padEnd(18)} ${'bytes'.padStart(8)} ${'op'.padEnd(7)} ${'ours µs'.padStart(10)} ` +
      `${'mailsplit µs'.padStart(12)} ${'speedup'.padStart(8)}  mailsplit byte-exact`,
  );
  for (const r of rows) {
    const exact = r.mailsplit_byte_exact === null ? '' : r.mailsplit_byte_exact ? 'yes' : 'no';
    console.log(
      `${r.message.padEnd(18)} ${String(r.bytes).padStart(8)} ${r.op.padEnd(7)} ` +
        `${r.ours_us.toFixed(2).padStart(10)} ${r.mailsplit_us.toFixed(2).padStart(12)} ` +
        `${(r.speedup.toFixed(0) + 'x').padStart(8)}  ${exact}`,
    );
  }
  if (jsonAt >= 0) {
    fs.writeFileSync(args[jsonAt + 1], JSON.stringify({ node: process.version, rows }, null, 1));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
