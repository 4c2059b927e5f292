import { describe, expect, it } from 'vitest';
import { logFormatFor, requestLine } from './log-output.js';

describe('server log output', () => {
  it('is readable in a terminal and JSON elsewhere unless LOG_FORMAT says otherwise', () => {
    expect(logFormatFor(undefined, true)).toBe('pretty');
    expect(logFormatFor(undefined, false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
    expect(logFormatFor('pretty', false)).toBe('pretty');
  });

  it('reads a finished request as one line: method, route, status, time', () => {
    expect(
      requestLine({
        msg: 'request completed',
        res: { statusCode: 200, method: 'GET', route: '/api/people/:id' },
        responseTime: 12.4,
      }),
    ).toBe('GET /api/people/:id 200 12ms');
    // A path no route matched is logged made safe already; it shows as it was logged.
    expect(requestLine({ res: { statusCode: 404, method: 'GET', path: '/tickets/:redacted' } })).toBe(
      'GET /tickets/:redacted 404',
    );
    expect(requestLine({ msg: 'database closed' })).toBeNull();
  });
});
