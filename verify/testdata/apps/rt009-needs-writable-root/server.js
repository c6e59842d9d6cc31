'use strict';
// Bad sample for RT009: refuses to start unless its cache directory in
// the image is writable, which it is not with a read-only root filesystem.
const fs = require('fs');
const http = require('http');

const port = Number(process.env.PORT || 3000);
let draining = false;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(draining ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(draining ? 'draining\n' : 'ok\n');
    return;
  }
  if (req.url === '/slow') {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('done\n');
    }, 4000);
    return;
  }
  res.writeHead(404);
  res.end();
});

const cacheDir = '/app/.cache';
try {
  fs.accessSync(cacheDir, fs.constants.W_OK);
} catch (err) {
  console.error(`cache directory ${cacheDir} is not writable: ${err.code}`);
  process.exit(1);
}

server.listen(port, () => console.log(`listening on :${port}`));

function shutdown(signal) {
  if (draining) return;
  draining = true;
  console.log(`${signal}: draining`);
  server.close(() => {
    console.log('all requests done, exiting');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error('drain timed out');
    process.exit(1);
  }, 8000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
