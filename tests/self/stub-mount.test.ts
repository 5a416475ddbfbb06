/**
 * Stub mode's mount (src/stub/mount.ts): the stub answers through nock at its `.invalid` URL,
 * every other connection is refused, and nock's zero-delay playback timers run as immediates
 * (issue 14), which holds only while nock keeps the timer the mount replaces.
 */
import http from 'node:http';
import https from 'node:https';
import { expect, test } from '@playwright/test';
import nock from 'nock';
import { STUB_URLS } from '../../src/stub/credentials.ts';
import { createStub } from '../../src/stub/index.ts';
import { mountStubs, playBackWithoutTimerFloor } from '../../src/stub/mount.ts';

const status = (url: string, headers: Record<string, string> = {}): Promise<number | string> =>
  new Promise((resolve) => {
    (url.startsWith('https:') ? https : http)
      .get(url, { headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });

test('nock still plays back through the timer the mount replaces', () => {
  expect(playBackWithoutTimerFloor()).toBe(true);
});

test('the mounted stub answers; other hosts are refused; unmounting removes it', async () => {
  const unmount = mountStubs([{ url: STUB_URLS.forticasb, stub: createStub('forticasb') }]);
  try {
    // The stub itself answers (the alert list takes POST only: a GET is a route it does not serve), not nock.
    expect(await status(`${STUB_URLS.forticasb}/api/v1/alert/list`)).toBe(404);
    // nock refuses every other connection as an unreachable network.
    expect(await status('http://127.0.0.1:9/')).toBe('ENETUNREACH');
  } finally {
    unmount();
  }
  expect(nock.pendingMocks()).toEqual([]);
});
