'use strict';
// The app is fine; the Dockerfile's shell-form CMD makes /bin/sh PID 1.
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
