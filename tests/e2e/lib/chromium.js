'use strict';
// The Chromium the editor tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else the
// build `npm test`'s set-up (scripts/setup-test.js) installed through playwright-core when it had
// no root to run apt-get.

const fs = require('node:fs');

function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && fs.existsSync(p)) return p;
  try {
    const p = require('playwright-core').chromium.executablePath();
    if (p && fs.existsSync(p)) return p;
  } catch { /* not installed */ }
  return process.env.CHROMIUM_PATH || '/usr/bin/chromium';
}

module.exports = { CHROMIUM: chromiumPath() };
