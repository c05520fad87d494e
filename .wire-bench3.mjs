import { MessageFramer } from '/work/main/dist/src/wire/message-framer.js';
import { decodeFrontendMessage } from '/work/main/dist/src/wire/frontend-messages.js';
import { serialize } from 'pg-protocol';
const msgs = Buffer.concat([serialize.bind({statement:'s', values:['1','abc',null]}), serialize.execute(), serialize.sync()]);
const big = Buffer.concat(Array(1000).fill(msgs));
for (let rep = 0; rep < 4; rep++) {
  let t = process.hrtime.bigint(); let n = 0;
  for (let k = 0; k < 200; k++) { const f = new MessageFramer({mode:'normal'}); f.push(big); let m; while ((m = f.read()) !== null) n++; }
  console.log('frame ns/msg', Number(process.hrtime.bigint() - t) / n);
  const f = new MessageFramer({mode:'normal'}); f.push(big); const all = [...f];
  t = process.hrtime.bigint(); n = 0;
  for (let k = 0; k < 200; k++) for (const m of all) { decodeFrontendMessage(m.type, m.body); n++; }
  console.log('decode ns/msg', Number(process.hrtime.bigint() - t) / n);
}
