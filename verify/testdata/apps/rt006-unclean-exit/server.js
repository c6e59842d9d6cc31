'use strict';
// Bad sample for RT006: drains correctly, then exits with code 1.
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
    // Closing the (pretend) database pool fails, and the handler turns
    // that into a failed exit.
    console.error('closing the database pool failed: pool already ended');
    process.exit(1);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    console.error('drain timed out');
    process.exit(1);
  }, 8000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
