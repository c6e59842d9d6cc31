'use strict';
// A workspace member for the init engine test: /health, a slow
// endpoint, and a graceful shutdown on SIGTERM and SIGINT.
const http = require('http');
const ms = require('ms');
const { greet } = require('@ws/greeting');

const port = Number(process.env.PORT || 8080);
let draining = false;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(draining ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(draining ? 'draining\n' : 'ok\n');
    return;
  }
  if (req.url === '/slow') {
    setTimeout(() => res.end('done\n'), ms('4s'));
    return;
  }
  if (req.url === '/') {
    res.end(greet('workspace'));
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
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(1), 8000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
