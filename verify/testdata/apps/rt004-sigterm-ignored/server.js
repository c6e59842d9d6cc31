'use strict';
// Bad sample for RT004: the SIGTERM handler never stops the process.
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
  server.close(() => process.exit(0));
  server.closeIdleConnections();
}
// The SIGTERM handler only flips the health endpoint to 503; it forgets to
// close the server, so the process never exits and is killed at the end of
// the grace period.
process.on('SIGTERM', () => {
  draining = true;
  console.log('SIGTERM: draining (health now answers 503)');
});
process.on('SIGINT', () => shutdown('SIGINT'));
