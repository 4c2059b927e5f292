'use strict';
/**
 * autocannon `setupRequest` for POST /api/people: gives every request a unique email and phone
 * number, so the service's duplicate check never answers 409.
 *
 * autocannon runs in a worker thread (bench/lib/http.ts, `workers: 1`) and `require`s this file
 * there, so it is plain CommonJS. The request carries its data in `kankei`:
 *   { names: [{name, kana, romaji, municipalityCode, kind}], offset, tag, phonePrefix }
 * Numbers follow phoneNumber() in bench/lib/synthetic.ts.
 */
let counter = 0;

function phoneNumber(prefix, index) {
  const n = Number((BigInt(index) * 48271n + 12345678n) % 100000000n);
  const digits = String(n).padStart(8, '0');
  return `${prefix}-${digits.slice(0, 4)}-${digits.slice(4)}`;
}

module.exports = function setupRequest(request) {
  const spec = request.kankei;
  const index = spec.offset + counter++;
  const p = spec.names[index % spec.names.length];
  request.body = JSON.stringify({
    name: p.name,
    kana: p.kana,
    email: `${p.romaji}.${spec.tag}${index}@example.jp`,
    phone: phoneNumber(spec.phonePrefix, index),
    links: [{ municipalityCode: p.municipalityCode, kind: p.kind }],
  });
  return request;
};
