import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's chromium (which `.ci/run` installs), headless, as root, with nothing that reaches outside this
 * machine: no browser is downloaded, and background networking, which this machine's closed network refuses,
 * is off.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
